"""Write to the hash-chained audit log. Call inside the caller's transaction.

One chain per mall (and one for entries of no mall): each entry's ``prev_hash`` is the hash of the
previous entry of the same mall, so writers of different malls never wait for each other, and a
mall's chain can be checked (or handed over) on its own.
"""

from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone

from satuatap.audit.models import AuditEntry

# Any constant (the lock's first key): with the mall as the second key it serialises the writers of one
# mall's chain on PostgreSQL and nobody else. SQLite's immediate transactions already serialise every writer.
_CHAIN_LOCK_KEY = 7_204_611
_INT4 = 2**31


def chain_lock_keys(mall_id: int | None) -> tuple[int, int]:
    """The two int4 keys of ``pg_advisory_xact_lock`` for a mall's chain (two malls sharing a key only wait)."""
    return _CHAIN_LOCK_KEY, (mall_id or 0) % _INT4


def last_hash(mall_id: int | None) -> str:
    return AuditEntry.objects.filter(mall_id=mall_id).order_by("-id").values_list("hash", flat=True).first() or ""


def record(action: str, *, actor=None, mall_id=None, subject: str = "", data: dict | None = None) -> AuditEntry:
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", list(chain_lock_keys(mall_id)))
        last = last_hash(mall_id)
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


EVERY_CHAIN = object()


def first_break(mall_id: int | None | object = EVERY_CHAIN) -> Break | None:
    """Walk the chains in order; the first entry whose hash or link does not hold, or None when all do.

    ``mall_id``: one mall's chain (``None``: the entries of no mall); by default every chain, in one pass.
    An edited entry no longer hashes to its stored hash; a deleted or inserted entry leaves the next entry
    of its mall pointing at a hash that is not the previous entry's. (Removing the newest entries leaves no
    trace in the chain itself: compare the count or the last hash with a copy kept elsewhere, as the backup
    script does with ``heads()``.)
    """
    entries = AuditEntry.objects.order_by("id")
    if mall_id is not EVERY_CHAIN:
        entries = entries.filter(mall_id=mall_id)
    prev: dict[int | None, str] = {}
    for entry in entries.iterator():
        if entry.compute_hash() != entry.hash:
            return Break(entry.pk, "edited", f"entry {entry.pk} ({entry.action}) was changed after it was written")
        if entry.prev_hash != prev.get(entry.mall_id, ""):
            return Break(
                entry.pk,
                "gap",
                f"entry {entry.pk} ({entry.action}) does not follow the entry before it in the chain of mall "
                f"{entry.mall_id}: an entry before it was deleted, or it was inserted",
            )
        prev[entry.mall_id] = entry.hash
    return None


def heads() -> dict[str, tuple[int, str]]:
    """Each chain's length and newest hash, by mall id (``"none"`` for entries of no mall)."""
    result = {}
    for mall_id in AuditEntry.objects.order_by().values_list("mall_id", flat=True).distinct():
        count = AuditEntry.objects.filter(mall_id=mall_id).count()
        result["none" if mall_id is None else str(mall_id)] = (count, last_hash(mall_id))
    return dict(sorted(result.items()))


def verify_chain() -> bool:
    return first_break() is None
