"""Write to the hash-chained audit log. Call inside the caller's transaction."""

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


def verify_chain() -> bool:
    prev = ""
    for entry in AuditEntry.objects.order_by("id").iterator():
        if entry.prev_hash != prev or entry.compute_hash() != entry.hash:
            return False
        prev = entry.hash
    return True
