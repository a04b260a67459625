"""Opening a person's encrypted data for a reason, with an entry on the audit log."""

from __future__ import annotations

from django.utils.translation import gettext as _

from satuatap.audit.log import record
from satuatap.personal_data import decrypt


def reveal(obj, field: str, *, actor, reason: str) -> str:
    """Decrypt ``obj.<field>_encrypted`` for a person, with the reason on the audit log.

    ``field`` is "nik", "phone" or "name" (any attribute ``<field>_encrypted``).
    """
    reason = " ".join(str(reason or "").split())[:200]
    if not reason:
        raise ValueError(_("Tuliskan alasan membuka data pribadi."))
    attribute = f"{field}_encrypted"
    if not hasattr(obj, attribute):
        raise ValueError(f"{type(obj).__name__} has no encrypted field {field!r}")
    value = decrypt(getattr(obj, attribute))
    label = obj._meta.model_name if hasattr(obj, "_meta") else type(obj).__name__.lower()
    code = getattr(obj, "code", None)
    record(
        "personal_data.reveal",
        actor=actor,
        mall_id=getattr(obj, "mall_id", None),
        subject=f"{label}:{code or obj.pk}",
        data={"field": field, "reason": reason},
    )
    return value
