"""The read side of SKM: IKM of a mall, agency or service over a period, computed in the database.

IKM = (sum of the nine NRR x 1/9) x 25, with the exact 1/9 (the regulation's
printed 0.111 would cap the maximum at 99.9). Exact fractions all the way,
rounded half-up to 2 decimals only at the end.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from django.db.models import Count, Sum
from django.utils.translation import gettext_lazy as _

from satuatap.feedback.elements import ELEMENTS
from satuatap.feedback.models import PROFILE_QUESTIONS, SCORE_FIELDS, SurveyResponse, SurveySource
from satuatap.queueing.models import Ticket, TicketStatus

WEIGHT = Fraction(1, 9)
# (lowest IKM, mutu, kinerja), best first; compared with the IKM rounded to 2 decimals.
IKM_BANDS = (
    (Decimal("88.31"), "A", _("Sangat Baik")),
    (Decimal("76.61"), "B", _("Baik")),
    (Decimal("65.00"), "C", _("Kurang Baik")),
)
LOWEST_BAND = ("D", _("Tidak Baik"))
# The same bands on an element's 1-4 NRR.
NRR_BANDS = ((Fraction("3.5324"), "A"), (Fraction("3.0644"), "B"), (Fraction("2.60"), "C"))

# Krejcie-Morgan
CHI_SQUARE = Fraction("3.841")
PROPORTION = Fraction(1, 2)
MARGIN = Fraction("0.05")


def to_decimal(value: Fraction, places: int) -> Decimal:
    exact = Decimal(value.numerator) / Decimal(value.denominator)
    return exact.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def band(ikm: Decimal) -> tuple[str, str]:
    """(mutu, kinerja) of an IKM already rounded to 2 decimals."""
    for lowest, mutu, kinerja in IKM_BANDS:
        if ikm >= lowest:
            return mutu, str(kinerja)
    return LOWEST_BAND[0], str(LOWEST_BAND[1])


def element_mutu(nrr: Fraction) -> str:
    for lowest, mutu in NRR_BANDS:
        if nrr >= lowest:
            return mutu
    return "D"


def sample_required(population: int) -> int:
    """Krejcie-Morgan sample for ``population`` visitors, rounded up (100 -> 80, 1,000 -> 278)."""
    if population <= 0:
        return 0
    spread = CHI_SQUARE * PROPORTION * (1 - PROPORTION)
    return math.ceil(spread * population / (MARGIN**2 * (population - 1) + spread))


@dataclass
class ElementResult:
    number: int
    name: str
    total: int
    nrr: Fraction
    mutu: str

    @property
    def nrr_display(self) -> Decimal:
        return to_decimal(self.nrr, 4)

    @property
    def weighted(self) -> Fraction:
        """NRR tertimbang: the NRR times the exact 1/9 weight."""
        return self.nrr * WEIGHT

    @property
    def weighted_display(self) -> Decimal:
        return to_decimal(self.weighted, 4)


@dataclass
class IkmResult:
    respondents: int
    visitors: int
    sample_required: int
    elements: list[ElementResult]
    ikm: Decimal | None
    mutu: str | None
    kinerja: str | None

    @property
    def sample_reached(self) -> bool:
        return self.respondents >= self.sample_required and self.respondents > 0

    @property
    def weighted_total_display(self) -> Decimal:
        """The sum of the NRR tertimbang (IKM before the x 25), exact, rounded to 4 decimals."""
        return to_decimal(sum((e.weighted for e in self.elements), Fraction(0)), 4)


def _scoped(queryset, mall, agency, service, agency_path: str, service_field: str):
    queryset = queryset.filter(mall=mall)
    if agency is not None:
        queryset = queryset.filter(**{agency_path: agency})
    if service is not None:
        queryset = queryset.filter(**{service_field: service})
    return queryset


def _responses(mall, start: dt.datetime, end: dt.datetime, agency, service):
    """The answers of the scope given in [start, end)."""
    responses = _scoped(SurveyResponse.objects.all(), mall, agency, service, "agency", "service")
    return responses.filter(answered_at__gte=start, answered_at__lt=end)


# Who counts the visitors faster than the ticket table: the reports' summary tables register here (a higher layer
# answers through a hook, never an import). It returns None for a window it cannot answer.
_visitor_counter = None


def count_visitors_with(counter) -> None:
    """Let ``counter(mall, start, end, agency, service)`` count the visitors (None: count the tickets here)."""
    global _visitor_counter  # noqa: PLW0603 - one hook, set once at start-up
    _visitor_counter = counter


def _visitors(mall, start: dt.datetime, end: dt.datetime, agency, service) -> int:
    counted = _visitor_counter(mall, start, end, agency, service) if _visitor_counter else None
    if counted is not None:
        return counted
    tickets = _scoped(Ticket.objects.all(), mall, agency, service, "service__agency", "service")
    return tickets.filter(status=TicketStatus.DONE, finished_at__gte=start, finished_at__lt=end).count()


def compute(mall, start: dt.datetime, end: dt.datetime, agency=None, service=None) -> IkmResult:
    """IKM of answers given in [start, end); visitors N are the tickets finished in that scope and period."""
    totals = _responses(mall, start, end, agency, service).aggregate(
        respondents=Count("pk"), **{f: Sum(f) for f in SCORE_FIELDS}
    )
    visitors = _visitors(mall, start, end, agency, service)
    respondents = totals["respondents"]
    elements = []
    for element in ELEMENTS:
        total = totals[element.field] or 0
        nrr = Fraction(total, respondents) if respondents else Fraction(0)
        elements.append(ElementResult(element.number, str(element.name), total, nrr, element_mutu(nrr)))
    ikm = mutu = kinerja = None
    if respondents:
        ikm = to_decimal(sum((e.nrr for e in elements), Fraction(0)) * WEIGHT * 25, 2)
        mutu, kinerja = band(ikm)
    return IkmResult(respondents, visitors, sample_required(visitors), elements, ikm, mutu, kinerja)


# The respondent profile questions, and where the answer came from (tablet, link, API).
BREAKDOWN_FIELDS = (*(field for field, _label, _choices in PROFILE_QUESTIONS), "source")


def profile(
    mall, start: dt.datetime, end: dt.datetime, agency=None, service=None, fields=BREAKDOWN_FIELDS
) -> dict[str, dict[str, int]]:
    """Respondents per answer of each field ("" = not given), one grouped count per field."""
    responses = _responses(mall, start, end, agency, service)
    counts = {}
    for field in fields:
        rows = responses.order_by().values(field).annotate(n=Count("pk")).values_list(field, "n")
        counts[field] = dict(rows)
    return counts


def source_rows(counts: dict[str, int]) -> list[tuple[str, str, int]]:
    """(source, its name, respondents) for every source, then answers from before sources were recorded, if any."""
    rows = [(value, str(label), counts.get(value, 0)) for value, label in SurveySource.choices]
    if counts.get(""):
        rows.append(("", str(_("Tidak tercatat")), counts[""]))
    return rows


def sources(mall, start: dt.datetime, end: dt.datetime, agency=None, service=None) -> list[tuple[str, str, int]]:
    """``source_rows`` of a report's scope and period, in one grouped count."""
    counts = profile(mall, start, end, agency=agency, service=service, fields=("source",))["source"]
    return source_rows(counts)
