"""Indicators the system already knows, scored 0-5 from its own data with the evidence and a link to it.

Each rule reads the unit's data of the evaluated year; its rubric is written beside it so the evaluator can check
it. The unit may overwrite a prefilled score (it stays marked as prefilled until then); the evaluator scores last.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.urls import reverse
from django.utils.translation import gettext as _

from satuatap.directory.models import Service
from satuatap.evaluation.models import Indicator
from satuatap.feedback import follow_up, ikm, periods
from satuatap.feedback.models import FollowUpItem
from satuatap.reports import figures

S = Indicator.Source
FIVE = Decimal(5)
DELIVERY_FIELDS = ("requirements", "procedure", "duration", "fee", "product", "complaint_channel")


@dataclass
class Prefill:
    score: Decimal
    evidence: str
    url: str


def _share_score(part: int, whole: int) -> Decimal:
    return (FIVE * part / whole).quantize(Decimal("0.01"), ROUND_HALF_UP) if whole else Decimal(0)


def _year(mall, year: int):
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    return first, last, figures.Selection(mall, first, last)


def standards(mall, agency, year) -> Prefill:
    """Share of live services publishing all six service-delivery components (PermenPANRB 15/2014) x 5."""
    services = Service.objects.active().filter(mall=mall)
    if agency is not None:
        services = services.filter(agency=agency)
    complete = services
    for name in DELIVERY_FIELDS:
        complete = complete.exclude(**{name: ""})
    total, done = services.count(), complete.count()
    return Prefill(
        _share_score(done, total),
        _("%(done)s dari %(total)s layanan memuat enam komponen penyampaian pelayanan.")
        % {"done": done, "total": total},
        reverse("mall_home", args=[mall.slug]),
    )


def maklumat(mall, agency, year) -> Prefill:
    published = bool(mall.maklumat.strip())
    return Prefill(
        FIVE if published else Decimal(0),
        _("Maklumat pelayanan dipublikasikan.") if published else _("Maklumat pelayanan belum diisi."),
        reverse("maklumat", args=[mall.slug]),
    )


def skm_sample(mall, agency, year) -> Prefill:
    """5 when the year's SKM reached the Krejcie-Morgan sample, 3 when it ran short of it, 0 without answers."""
    result = ikm.compute(mall, *periods.as_datetimes(mall, dt.date(year, 1, 1), dt.date(year, 12, 31)), agency=agency)
    score = FIVE if result.sample_reached else Decimal(3) if result.respondents else Decimal(0)
    return Prefill(
        score,
        _("%(n)s responden, sampel minimal %(required)s; IKM %(ikm)s.")
        % {"n": result.respondents, "required": result.sample_required, "ikm": result.ikm or "-"},
        reverse("skm_report", args=[mall.slug]) + f"?period=year&date={year}-01-01",
    )


def _follow_up(mall, agency, year):
    items = follow_up.items_within(
        FollowUpItem.objects.all(), mall, dt.date(year, 1, 1), dt.date(year, 12, 31), agency, None
    )
    return follow_up.summarize(items, mall)


def follow_up_share(mall, agency, year) -> Prefill:
    summary = _follow_up(mall, agency, year)
    return Prefill(
        _share_score(summary.done, summary.total),
        _("%(done)s dari %(total)s rencana tindak lanjut SKM selesai.")
        % {"done": summary.done, "total": summary.total},
        reverse("skm_report", args=[mall.slug]) + f"?period=year&date={year}-01-01#tindak-lanjut",
    )


def follow_up_speed(mall, agency, year) -> Prefill:
    """Average days from plan to done: <= 30 -> 5, <= 60 -> 4, <= 90 -> 3, later 2; nothing done -> 0."""
    summary = _follow_up(mall, agency, year)
    days = summary.average_days
    if days is None:
        score = Decimal(0)
    else:
        score = next((Decimal(s) for limit, s in ((30, 5), (60, 4), (90, 3)) if days <= limit), Decimal(2))
    return Prefill(
        score,
        _("Rata-rata %(days)s hari sampai tindak lanjut selesai.") % {"days": days if days is not None else "-"},
        reverse("skm_report", args=[mall.slug]) + f"?period=year&date={year}-01-01#tindak-lanjut",
    )


def complaints(mall, agency, year) -> Prefill:
    first, last, selection = _year(mall, year)
    selection.agency = agency
    found = figures.complaint_figures(selection)
    return Prefill(
        _share_score(found.answered_in_time, found.filed),
        _("%(done)s dari %(total)s pengaduan dijawab dalam batas waktu.")
        % {"done": found.answered_in_time, "total": found.filed},
        reverse("complaint_desk", args=[mall.slug]),
    )


def information_system(mall, agency, year) -> Prefill:
    first, last, selection = _year(mall, year)
    selection.agency = agency
    issued = figures.total(selection).tickets_issued
    return Prefill(
        FIVE if issued else Decimal(0),
        _("%(n)s tiket antrean tercatat di sistem informasi pelayanan selama %(year)s.") % {"n": issued, "year": year},
        reverse("numbers_report", args=[mall.slug]) + f"?period=year&date={year}-01-01",
    )


RULES = {
    S.STANDARDS: standards,
    S.MAKLUMAT: maklumat,
    S.SKM_SAMPLE: skm_sample,
    S.FOLLOW_UP_SHARE: follow_up_share,
    S.FOLLOW_UP_SPEED: follow_up_speed,
    S.COMPLAINTS: complaints,
    S.INFORMATION_SYSTEM: information_system,
}


def prefill(source: str, mall, agency, year: int) -> Prefill | None:
    rule = RULES.get(source)
    return None if rule is None else rule(mall, agency, year)
