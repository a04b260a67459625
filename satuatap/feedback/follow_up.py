"""The only writer of SKM follow-up items (rencana tindak lanjut): what will be done, by whom, by when.

Which elements become items (``propose``): the ``LOWEST_COUNT`` (3) elements
with the lowest NRR of the period, plus every other element whose own mutu is
C or D (NRR below 3.0644, under "Baik"). Why: PermenPANRB 14/2017 asks the
unit to improve its lowest elements first, so there is always something to
act on even in a good period; and an element rated "Kurang Baik" or worse is
never left out because three others happened to be lower. A fixed threshold
alone would give no items in a good period and nine in a bad one; the
evaluation scores the share done and the speed, so a short list that is
really finished beats a long one that is not.

Permissions: the mall's manager (any scope of the mall) and the supervisor of
an agency (items of their agency only). Every change is audited.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from satuatap.accounts.access import may_act_for_agency
from satuatap.audit.log import record
from satuatap.directory.hours import service_day
from satuatap.feedback import ikm, periods
from satuatap.feedback.elements import ELEMENTS
from satuatap.feedback.models import ACTION_MAX, DONE_NOTE_MAX, OWNER_MAX, FollowUpItem
from satuatap.refusal import Refused

LOWEST_COUNT = 3
WEAK_MUTU = ("C", "D")
# A proposed item's default deadline: three months after the period, the next quarter's work.
DEFAULT_DUE_DAYS = 90


def may_manage(user, mall, agency) -> bool:
    """The manager for any item of the mall; a supervisor for their own agency's items."""
    return may_act_for_agency(user, mall.pk, getattr(agency, "pk", agency))


def _check(user, mall, agency) -> None:
    if not may_manage(user, mall, agency):
        raise Refused("forbidden", _("Anda tidak berwenang mengelola tindak lanjut ini."), status=403)


def unit_of(agency, service):
    """(agency, service) of the unit an item belongs to: a service's own agency, else the agency (or None)."""
    if service is not None:
        return service.agency, service
    return agency, None


def _clean_text(value, limit: int, label: str, required: bool) -> str:
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise Refused("invalid", _("%(label)s tidak sah.") % {"label": label}, status=422)
    value = value.strip()
    if required and not value:
        raise Refused("invalid", _("%(label)s wajib diisi.") % {"label": label}, status=422)
    if len(value) > limit:
        raise Refused(
            "invalid", _("%(label)s paling banyak %(n)s karakter.") % {"label": label, "n": limit}, status=422
        )
    return value


def _clean_due(value) -> dt.date:
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    try:
        return dt.date.fromisoformat(value)
    except (TypeError, ValueError):
        raise Refused("invalid", _("Batas waktu harus berupa tanggal yang sah."), status=422) from None


def _clean_element(value) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        number = 0
    if not 1 <= number <= len(ELEMENTS):
        raise Refused("invalid", _("Pilih unsur 1 sampai 9."), status=422)
    return number


def _existing(mall, period: periods.Period, agency, service):
    return FollowUpItem.objects.filter(
        mall=mall,
        agency=agency,
        service=service,
        period_start=period.first,
        period_end=period.last,
    )  # by dates only: a custom range equal to a month is that month, as on the report page


def _new_item(mall, period: periods.Period, agency, service, *, actor, now, **fields) -> FollowUpItem:
    return FollowUpItem.objects.create(
        mall=mall,
        agency=agency,
        service=service,
        period_kind=period.kind,
        period_start=period.first,
        period_end=period.last,
        created_by=actor,
        created_at=now,
        **fields,
    )


def lowest_elements(result: ikm.IkmResult, count: int = LOWEST_COUNT) -> list[ikm.ElementResult]:
    """The ``count`` lowest NRR (ties: lower element number first) plus every element of mutu C or D."""
    if not result.respondents:
        return []
    ranked = sorted(result.elements, key=lambda e: (e.nrr, e.number))
    chosen = ranked[:count] + [e for e in ranked[count:] if e.mutu in WEAK_MUTU]
    return sorted(chosen, key=lambda e: (e.nrr, e.number))


def propose(mall, period: periods.Period, *, actor, agency=None, service=None, now=None) -> list[FollowUpItem]:
    """Items for the period's lowest elements (see the module doc); elements that already have one are skipped.

    The NRR comes from ``ikm.compute`` for exactly this scope and period.
    """
    agency, service = unit_of(agency, service)
    _check(actor, mall, agency)
    now = now or timezone.now()
    start, end = period.datetimes(mall)
    result = ikm.compute(mall, start, end, agency=agency, service=service)
    if not result.respondents:
        raise Refused("no_respondents", _("Belum ada jawaban survei pada periode ini; belum ada yang diusulkan."))
    due = period.last + dt.timedelta(days=DEFAULT_DUE_DAYS)
    created = []
    with transaction.atomic():
        have = set(_existing(mall, period, agency, service).values_list("element", flat=True))
        for element in lowest_elements(result):
            if element.number in have:
                continue
            created.append(
                _new_item(
                    mall,
                    period,
                    agency,
                    service,
                    actor=actor,
                    now=now,
                    element=element.number,
                    nrr=element.nrr_display,
                    due=due,
                )
            )
        if created:
            record(
                "skm.followup.proposed",
                actor=actor,
                mall_id=mall.pk,
                subject=_subject(period, agency, service),
                data={"items": [i.pk for i in created], "elements": [i.element for i in created]},
            )
    return created


def add(
    mall, period: periods.Period, *, actor, element, action, owner, due, agency=None, service=None, now=None
) -> FollowUpItem:
    """One item written by hand; its NRR is the element's NRR of the period (from ``ikm.compute``)."""
    agency, service = unit_of(agency, service)
    _check(actor, mall, agency)
    number = _clean_element(element)
    action = _clean_text(action, ACTION_MAX, _("Rencana tindak lanjut"), True)
    owner = _clean_text(owner, OWNER_MAX, _("Penanggung jawab"), True)
    due = _clean_due(due)
    now = now or timezone.now()
    start, end = period.datetimes(mall)
    result = ikm.compute(mall, start, end, agency=agency, service=service)
    nrr = result.elements[number - 1].nrr_display if result.respondents else None
    with transaction.atomic():
        item = _new_item(
            mall,
            period,
            agency,
            service,
            actor=actor,
            now=now,
            element=number,
            nrr=nrr,
            action=action,
            owner=owner,
            due=due,
        )
        record(
            "skm.followup.created",
            actor=actor,
            mall_id=mall.pk,
            subject=_subject(period, agency, service),
            data={"item": item.pk, "element": number},
        )
    return item


def _change_open(item: FollowUpItem, changes: dict, *, actor, refusal: str, event: str, data: dict) -> FollowUpItem:
    """Write ``changes`` only while the item is not done (else 409 ``refusal``), reload it and audit ``event``."""
    with transaction.atomic():
        changed = FollowUpItem.objects.filter(pk=item.pk, done_at__isnull=True).update(**changes) if changes else 1
        if changed != 1:
            raise Refused("already_done", refusal)
        item.refresh_from_db()
        record(event, actor=actor, mall_id=item.mall_id, subject=f"followup:{item.pk}", data=data)
    return item


def update(item: FollowUpItem, *, actor, action=None, owner=None, due=None) -> FollowUpItem:
    """Change what will be done, by whom, by when. A finished item is not changed any more."""
    _check(actor, item.mall, item.agency_id)
    refusal = _("Tindak lanjut ini sudah selesai dan tidak dapat diubah.")
    if item.is_done:
        raise Refused("already_done", refusal)
    changes = {}
    if action is not None:
        changes["action"] = _clean_text(action, ACTION_MAX, _("Rencana tindak lanjut"), True)
    if owner is not None:
        changes["owner"] = _clean_text(owner, OWNER_MAX, _("Penanggung jawab"), True)
    if due is not None:
        changes["due"] = _clean_due(due)
    data = {k: str(v) for k, v in changes.items()}
    return _change_open(item, changes, actor=actor, refusal=refusal, event="skm.followup.updated", data=data)


def mark_done(item: FollowUpItem, note, actor, now=None) -> FollowUpItem:
    """Record that the item was carried out, with a note of what was done."""
    _check(actor, item.mall, item.agency_id)
    note = _clean_text(note, DONE_NOTE_MAX, _("Catatan penyelesaian"), True)
    if not item.action or not item.owner:
        raise Refused("incomplete", _("Isi dulu rencana tindak lanjut dan penanggung jawabnya."))
    now = now or timezone.now()
    return _change_open(
        item,
        {"done_at": now, "done_note": note},
        actor=actor,
        refusal=_("Tindak lanjut ini sudah ditandai selesai."),
        event="skm.followup.done",
        data={},
    )


def _subject(period: periods.Period, agency, service) -> str:
    where = service.code if service is not None else (agency.code if agency is not None else "mall")
    return f"skm:{where}:{period.kind}:{period.first}:{period.last}"


def _narrowed(queryset, agency, service):
    """The service's items, the agency's (all its services) or all, with their unit, in a stable order."""
    if service is not None:
        queryset = queryset.filter(service=service)
    elif agency is not None:
        queryset = queryset.filter(agency=agency)
    return queryset.select_related("agency", "service").order_by("period_start", "element", "pk")


def items_for(queryset, mall, period: periods.Period, agency=None, service=None):
    """The items of a period for a report: the service's, the agency's (all its services) or the whole mall's."""
    return _narrowed(queryset.filter(mall=mall, period_start=period.first, period_end=period.last), agency, service)


def items_within(queryset, mall, first: dt.date, last: dt.date, agency=None, service=None):
    """The items of every period inside ``first``..``last`` (for the API), narrowed like ``items_for``."""
    return _narrowed(queryset.filter(mall=mall, period_start__gte=first, period_end__lte=last), agency, service)


@dataclass
class Summary:
    total: int
    done: int
    overdue: int
    share_done: Decimal | None  # percent, 1 decimal
    average_days: Decimal | None  # creation to done, in days, 1 decimal

    @property
    def open(self) -> int:
        return self.total - self.done


def summarize(items, mall, now=None) -> Summary:
    """Share done and the average days from creation to done: what the evaluation scores."""
    today = service_day(mall, now)
    items = list(items)
    done = [i for i in items if i.is_done]
    overdue = sum(1 for i in items if i.is_overdue(today))
    share = None
    if items:
        share = (Decimal(100 * len(done)) / len(items)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    average = None
    if done:
        seconds = sum((i.done_at - i.created_at).total_seconds() for i in done) / len(done)
        average = (Decimal(seconds) / 86400).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return Summary(len(items), len(done), overdue, share, average)
