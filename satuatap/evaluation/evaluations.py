"""A unit's evaluation of a year as the API and the pages show it: every indicator of the year's instrument with
its score (the evaluator's, else the unit's own, else the live prefill from the system's data), the aspects'
scores, the index and the category. Reading writes no score: prefills are computed when asked."""

from __future__ import annotations

from dataclasses import dataclass

from satuatap.evaluation import prefill, scoring
from satuatap.evaluation.instrument import instrument_for
from satuatap.evaluation.models import Evaluation, Indicator, IndicatorScore


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


@dataclass
class Result:
    year: int
    index: object
    category: str
    category_name: str
    aspects: list[scoring.AspectScore]
    indicators: list[IndicatorResult]


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
        if score_row is not None:
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
            )
        )
        rows.append((indicator.aspect.order, indicator.aspect.name, indicator.aspect.weight, indicator.weight, score))
    aspects = scoring.aspect_scores(rows)
    index = scoring.index_of(aspects)
    code, name = scoring.category(index)
    return Result(year, index, code, name, aspects, found)
