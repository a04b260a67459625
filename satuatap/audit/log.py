"""Write to the hash-chained audit log. Call inside the caller's transaction."""

from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone

from satuatap.audit.models import AuditEntry

# Any constant: serialises writers of the chain on PostgreSQL. SQLite's
# immediate transactions already serialise every writer.
_CHAIN_LOCK_KEY = 7_204_611


def record(action: str, *, actor=None, mall_id=None, subject: str = "", data: dict | None = None) -> AuditEntry:
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_CHAIN_LOCK_KEY])
        last = AuditEntry.objects.order_by("-id").values_list("hash", flat=True).first()
        entry = AuditEntry(
            at=timezone.now(),
            mall_id=mall_id,
            actor=getattr(actor, "username", "") or "",
            action=action,
            subject=subject,
            data=data or {},
            prev_hash=last or "",
        )
        entry.hash = entry.compute_hash()
        entry.save()
        return entry


@dataclass(frozen=True)
class Break:
    """Where the chain first stops holding: ``entry_id`` and what was done to it."""

    entry_id: int
    kind: str  # "edited": its own hash no longer matches; "gap": the entry before it was removed or one inserted
    detail: str


def first_break() -> Break | None:
    """Walk the chain in order; the first entry whose hash or link does not hold, or None when all do.

    An edited entry no longer hashes to its stored hash; a deleted or inserted entry leaves the next entry
    pointing at a hash that is not the previous entry's. (Removing the newest entries leaves no trace in the
    chain itself: compare the count or the last hash with a copy kept elsewhere, as the backup script does.)
    """
    prev = ""
    for entry in AuditEntry.objects.order_by("id").iterator():
        if entry.compute_hash() != entry.hash:
            return Break(entry.pk, "edited", f"entry {entry.pk} ({entry.action}) was changed after it was written")
        if entry.prev_hash != prev:
            return Break(
                entry.pk,
                "gap",
                f"entry {entry.pk} ({entry.action}) does not follow the entry before it: "
                "an entry before it was deleted, or it was inserted",
            )
        prev = entry.hash
    return None


def verify_chain() -> bool:
    return first_break() is None
