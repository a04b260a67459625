"""Changes to a mall's master data that are more than a plain edit.

Master data is archived, never deleted; the manager closes or pauses the
mall, a service or a counter with a reason, and lifts it again. Each function
owns its transaction, writes the audit log and hints live screens after commit.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from satuatap import live
from satuatap.audit.log import record
from satuatap.directory import stamp
from satuatap.directory.hours import service_day
from satuatap.directory.models import Agency, Archivable, Closure, Counter, Mall, Service


def _label(obj) -> str:
    return f"{obj._meta.model_name}:{getattr(obj, 'code', None) or getattr(obj, 'number', None) or obj.pk}"


def _mall_id(obj) -> int:
    return obj.pk if isinstance(obj, Mall) else obj.mall_id


def _hint(mall_id: int, event: str) -> None:
    live.publish([live.mall_group(mall_id)], {"event": event})


def archive(obj: Archivable, *, actor=None, now: dt.datetime | None = None) -> int:
    """Archive one row; an agency takes its services and counters with it. Returns rows archived."""
    now = now or timezone.now()
    rows = [obj]
    if isinstance(obj, Agency):
        rows += list(Service.objects.filter(agency=obj, archived_at__isnull=True))
        rows += list(Counter.objects.filter(agency=obj, archived_at__isnull=True))
    with transaction.atomic():
        changed = 0
        for row in rows:
            if row.archived_at is None:
                row.archived_at = now
                row.save(update_fields=["archived_at"])  # keeps its history row
                changed += 1
        if changed:
            record(
                "directory.archived", actor=actor, mall_id=_mall_id(obj), subject=_label(obj), data={"rows": changed}
            )
            _hint(_mall_id(obj), "directory.changed")
    return changed


def unarchive(obj: Archivable, *, actor=None) -> int:
    """Restore one row; an agency brings back what was archived together with it."""
    if obj.archived_at is None:
        return 0
    rows = [obj]
    if isinstance(obj, Agency):
        rows += list(Service.objects.filter(agency=obj, archived_at=obj.archived_at))
        rows += list(Counter.objects.filter(agency=obj, archived_at=obj.archived_at))
    with transaction.atomic():
        for row in rows:
            row.archived_at = None
            row.save(update_fields=["archived_at"])
        record("directory.restored", actor=actor, mall_id=_mall_id(obj), subject=_label(obj), data={"rows": len(rows)})
        _hint(_mall_id(obj), "directory.changed")
    return len(rows)


def closure_errors(
    mall: Mall,
    reason: str,
    *,
    service: Service | None = None,
    counter: Counter | None = None,
    until_date: dt.date | None = None,
    starts_at: dt.datetime | None = None,
) -> dict[str, str]:
    """Why a closure cannot be declared, by field; empty when it can."""
    errors = {}
    if not (reason or "").strip():
        errors["reason"] = _("Tuliskan alasan penutupan; alasan ini ditampilkan kepada warga.")
    if service is not None and counter is not None:
        errors["counter"] = _("Pilih layanan atau loket, tidak keduanya.")
    if service is not None and service.mall_id != mall.pk:
        errors["service"] = _("Layanan ini milik mal lain.")
    if counter is not None and counter.mall_id != mall.pk:
        errors["counter"] = _("Loket ini milik mal lain.")
    if until_date is not None and until_date < service_day(mall, starts_at or timezone.now()):
        errors["until_date"] = _("Tanggal akhir tidak boleh sebelum tanggal mulai.")
    return errors


def close(
    mall: Mall,
    reason: str,
    *,
    service: Service | None = None,
    counter: Counter | None = None,
    until_date: dt.date | None = None,
    starts_at: dt.datetime | None = None,
    actor=None,
) -> Closure:
    """Close or pause the whole mall, one service or one counter.

    Without ``until_date`` it is a pause of the day it starts on: it lifts
    itself at the next opening day (see ``hours.mall_closures_on``).
    """
    reason = (reason or "").strip()
    starts_at = starts_at or timezone.now()
    errors = closure_errors(mall, reason, service=service, counter=counter, until_date=until_date, starts_at=starts_at)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        closure = Closure.objects.create(
            mall=mall,
            service=service,
            counter=counter,
            starts_at=starts_at,
            until_date=until_date,
            reason=reason,
            created_by=actor if getattr(actor, "pk", None) else None,
        )
        record(
            "directory.closed",
            actor=actor,
            mall_id=mall.pk,
            subject=_label(service or counter or mall),
            data={"closure": closure.pk, "reason": reason, "until": until_date.isoformat() if until_date else None},
        )
        _hint(mall.pk, "directory.closed")
    return closure


def lift_closure(closure: Closure, *, actor=None, now: dt.datetime | None = None) -> bool:
    """End a closure now. False if it was already lifted (compare-and-set)."""
    now = now or timezone.now()
    with transaction.atomic():
        changed = Closure.objects.filter(pk=closure.pk, lifted_at__isnull=True).update(lifted_at=now)
        if changed:
            stamp.bump()  # an update, not a save: no signal moves it
            record("directory.reopened", actor=actor, mall_id=closure.mall_id, data={"closure": closure.pk})
            _hint(closure.mall_id, "directory.reopened")
    if changed:
        closure.lifted_at = now
    return bool(changed)
