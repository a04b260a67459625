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

EVIDENCE_MAX, URL_MAX = 2000, 500


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


def _row(mall, year: int, indicator: Indicator) -> IndicatorScore:
    evaluation, _created = Evaluation.objects.get_or_create(
        mall=mall, agency=None, instrument=indicator.aspect.instrument, defaults={"created_at": timezone.now()}
    )
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


def evaluate(mall, year: int, indicator_id: int, score) -> IndicatorScore:
    """The evaluator's score for one indicator: it decides the result."""
    indicator = _indicator(year, indicator_id)
    value = parse_score(score)
    with transaction.atomic():
        row = _row(mall, year, indicator)
        row.evaluator_score = value
        row.save()
    return row
