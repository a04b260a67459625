"""A unit's evaluation of a year as the API and the pages show it: every indicator of the year's instrument with
its score (the evaluator's, else the unit's own, else the live prefill from the system's data), the aspects'
scores, the index and the category. Reading writes no score: prefills are computed when asked.

The final index (``shared/domain.md``) = the indicators' index x the instrument's ``evaluator_weight`` % + the user
survey x ``survey_weight`` %, the survey on the same 0-5 scale: IKM / 20 (IKM runs 25-100, so 1.25-5; IKM 88.31,
the SKM's A, gives 4.42). A year without survey answers has no survey part: its final index is the indicators'
index alone, and the page says so. The category is the final index's, by the strict cut-offs of ``scoring``."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from satuatap.evaluation import prefill, scoring
from satuatap.evaluation.instrument import instrument_for
from satuatap.evaluation.models import Evaluation, Indicator, IndicatorScore, Instrument
from satuatap.feedback import ikm, periods

IKM_PER_POINT = Decimal(20)  # IKM (25-100) / 20 = the survey's score on the index's 0-5 scale


@dataclass
class IndicatorResult:
    aspect: str
    name: str
    weight: object
    score: object
    prefilled: bool
    evidence: str
    evidence_url: str
    source: str
    id: int = 0
    rubric: str = ""
    evaluator_score: object = None
    note: str = ""


@dataclass
class Result:
    year: int
    index: object
    category: str
    category_name: str
    aspects: list[scoring.AspectScore]
    indicators: list[IndicatorResult]
    evaluator_index: Decimal = Decimal(0)  # the indicators' index, before the survey is weighed in
    ikm: Decimal | None = None  # the year's IKM (25-100), None without answers
    survey_score: Decimal | None = None  # IKM / 20
    evaluator_weight: Decimal = Decimal(75)
    survey_weight: Decimal = Decimal(25)
    submitted_at: dt.datetime | None = None
    evaluator: str = ""


def survey_ikm(mall, year: int) -> Decimal | None:
    """The mall's IKM over its local calendar year (every answer of the year, the SKM's own arithmetic)."""
    start, end = periods.as_datetimes(mall, dt.date(year, 1, 1), dt.date(year, 12, 31))
    return ikm.compute(mall, start, end).ikm


def final_index(instrument: Instrument, evaluator_index: Decimal, survey_score: Decimal | None) -> Decimal:
    """The weighted sum of the two parts, rounded once; without a survey part, the evaluator's index alone."""
    if survey_score is None:
        return evaluator_index
    total = (instrument.evaluator_weight * evaluator_index + instrument.survey_weight * survey_score) / 100
    return total.quantize(scoring.TWO_PLACES, rounding=ROUND_HALF_UP)


def latest_submitted(mall, year: int) -> Result | None:
    """The mall's newest evaluation an evaluator has submitted, of ``year`` or before (None: never evaluated).

    Its indicators carry the evaluator's scores, so reading it computes no prefill (the national view reads one per
    mall)."""
    found = (
        Evaluation.objects.filter(mall=mall, agency=None, submitted_at__isnull=False, instrument__year__lte=year)
        .order_by("-instrument__year")
        .values_list("instrument__year", flat=True)
        .first()
    )
    return None if found is None else result(mall, found)


def previous(mall, year: int) -> Result | None:
    """Last year's result, for the comparison; None when that year has no instrument (reading seeds none)."""
    if not Instrument.objects.filter(year=year - 1).exists():
        return None
    return result(mall, year - 1)


def result(mall, year: int, agency=None) -> Result:
    instrument = instrument_for(year)
    evaluation = Evaluation.objects.filter(mall=mall, agency=agency, instrument=instrument).first()
    stored = {s.indicator_id: s for s in IndicatorScore.objects.filter(evaluation=evaluation)} if evaluation else {}
    indicators = Indicator.objects.filter(aspect__instrument=instrument).select_related("aspect")
    found: list[IndicatorResult] = []
    rows = []
    for indicator in indicators.order_by("aspect__order", "order"):
        score_row = stored.get(indicator.pk)
        score, evidence, url, prefilled = None, "", "", False
        note, evaluator_score = "", None
        if score_row is not None:
            note, evaluator_score = score_row.evaluator_note, score_row.evaluator_score
            score, evidence, url, prefilled = (
                score_row.score,
                score_row.evidence,
                score_row.evidence_url,
                score_row.prefilled,
            )
        if (score_row is None or (score_row.prefilled and score_row.evaluator_score is None)) and indicator.source:
            live = prefill.prefill(indicator.source, mall, agency, year)
            score, evidence, url, prefilled = live.score, live.evidence, live.url, True
        found.append(
            IndicatorResult(
                aspect=indicator.aspect.name,
                name=indicator.name,
                weight=indicator.weight,
                score=score,
                prefilled=prefilled,
                evidence=evidence,
                evidence_url=url,
                source=indicator.source,
                id=indicator.pk,
                rubric=indicator.rubric,
                evaluator_score=evaluator_score,
                note=note,
            )
        )
        rows.append((indicator.aspect.order, indicator.aspect.name, indicator.aspect.weight, indicator.weight, score))
    aspects = scoring.aspect_scores(rows)
    evaluator_index = scoring.index_of(aspects)
    year_ikm = survey_ikm(mall, year) if agency is None else None
    survey_score = None if year_ikm is None else (year_ikm / IKM_PER_POINT).quantize(Decimal("0.0001"))
    index = final_index(instrument, evaluator_index, survey_score)
    code, name = scoring.category(index)
    return Result(
        year,
        index,
        code,
        name,
        aspects,
        found,
        evaluator_index=evaluator_index,
        ikm=year_ikm,
        survey_score=survey_score,
        evaluator_weight=instrument.evaluator_weight,
        survey_weight=instrument.survey_weight,
        submitted_at=evaluation.submitted_at if evaluation else None,
        evaluator=evaluation.evaluator.get_username() if evaluation and evaluation.evaluator_id else "",
    )
