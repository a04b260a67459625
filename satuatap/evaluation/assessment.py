"""Writing an evaluation: the unit's self-assessment (score and evidence per indicator) and the evaluator's score.

The single writer of ``Evaluation`` and ``IndicatorScore``. Bad input is refused with a message naming the field,
and nothing is written.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from satuatap.evaluation.instrument import instrument_for
from satuatap.evaluation.models import Evaluation, Indicator, IndicatorScore
from satuatap.refusal import Refused, invalid

EVIDENCE_MAX, URL_MAX, NOTE_MAX = 2000, 500, 2000


def parse_score(raw) -> Decimal:
    try:
        score = Decimal(str(raw).strip().replace(",", "."))
    except InvalidOperation:
        raise invalid("score", _("Nilai harus angka 0 sampai 5.")) from None
    if not score.is_finite() or not 0 <= score <= 5 or score != score.quantize(Decimal("0.01")):
        raise invalid("score", _("Nilai harus angka 0 sampai 5, paling banyak dua desimal."))
    return score


def _clean_url(raw: str) -> str:
    url = (raw or "").strip()
    if url and not url.startswith(("https://", "http://", "/")):
        raise invalid("evidence_url", _("Tautan bukti harus diawali https://, http:// atau /."))
    if len(url) > URL_MAX:
        raise invalid("evidence_url", _("Tautan bukti terlalu panjang."))
    return url


def _indicator(year: int, indicator_id: int) -> Indicator:
    instrument = instrument_for(year)
    found = Indicator.objects.filter(pk=indicator_id, aspect__instrument=instrument).first()
    if found is None:
        raise Refused("indicator_not_found", _("Indikator tidak ditemukan."), status=404)
    return found


def _evaluation(mall, instrument) -> Evaluation:
    evaluation, _created = Evaluation.objects.get_or_create(
        mall=mall, agency=None, instrument=instrument, defaults={"created_at": timezone.now()}
    )
    return evaluation


def _row(mall, year: int, indicator: Indicator) -> IndicatorScore:
    evaluation = _evaluation(mall, indicator.aspect.instrument)
    row, _created = IndicatorScore.objects.select_for_update().get_or_create(evaluation=evaluation, indicator=indicator)
    return row


def self_assess(mall, year: int, indicator_id: int, score, evidence: str, evidence_url: str) -> IndicatorScore:
    """The unit's own score and evidence for one indicator (it replaces a prefilled value)."""
    indicator = _indicator(year, indicator_id)
    value = parse_score(score)
    evidence = (evidence or "").strip()
    if len(evidence) > EVIDENCE_MAX:
        raise invalid("evidence", _("Bukti terlalu panjang (paling banyak 2000 karakter)."))
    url = _clean_url(evidence_url)
    with transaction.atomic():
        row = _row(mall, year, indicator)
        row.self_score, row.evidence, row.evidence_url, row.prefilled = value, evidence, url, False
        row.save()
    return row


def _clean_note(raw) -> str:
    note = (raw or "").strip()
    if len(note) > NOTE_MAX:
        raise invalid("note", _("Catatan terlalu panjang (paling banyak 2000 karakter)."))
    return note


def evaluate(mall, year: int, indicator_id: int, score, note: str = "") -> IndicatorScore:
    """The evaluator's score (and note) for one indicator: it decides the result."""
    indicator = _indicator(year, indicator_id)
    value, note = parse_score(score), _clean_note(note)
    with transaction.atomic():
        row = _row(mall, year, indicator)
        row.evaluator_score, row.evaluator_note = value, note
        row.save()
    return row


def submit_scores(mall, year: int, entries: dict[int, tuple[str, str]], evaluator, *, now=None) -> Evaluation:
    """The evaluator's form: a score 0-5 and a note for every indicator of the year, saved together.

    ``entries`` maps an indicator id to (raw score, note). Every indicator needs a score; any bad value refuses
    the whole form (naming the indicator) and nothing is written.
    """
    instrument = instrument_for(year)
    indicators = list(Indicator.objects.filter(aspect__instrument=instrument).order_by("aspect__order", "order"))
    parsed = {}
    for indicator in indicators:
        raw, note = entries.get(indicator.pk, ("", ""))
        try:
            parsed[indicator.pk] = (parse_score(raw), _clean_note(note))
        except Refused as refused:
            raise invalid(f"score-{indicator.pk}", f"{indicator.name}: {refused.message}") from None
    with transaction.atomic():
        evaluation = _evaluation(mall, instrument)
        for indicator in indicators:
            row, _created = IndicatorScore.objects.select_for_update().get_or_create(
                evaluation=evaluation, indicator=indicator
            )
            row.evaluator_score, row.evaluator_note = parsed[indicator.pk]
            row.save(update_fields=["evaluator_score", "evaluator_note"])
        evaluation.submitted_at, evaluation.evaluator = now or timezone.now(), evaluator
        evaluation.save(update_fields=["submitted_at", "evaluator"])
    return evaluation
