"""``GET /malls/{mall}/evaluations/{year}``: a mall's PEKPPP result of a year.

Who: the mall's manager, the ministry, an evaluator of that mall (``access.EVALUATION_READER_ROLES``). Besides the
contract's fields it shows the final index's two parts
(``evaluations``: the evaluator's index and the user survey, IKM / 20, with their weights)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from ninja import Field, Router, Schema

from satuatap.accounts.access import EVALUATION_READER_ROLES, access_mall
from satuatap.apiauth import BAD_INPUT, Error, ValidationErrorOut, bearer, caller
from satuatap.evaluation import evaluations
from satuatap.refusal import invalid

router = Router(tags=["Evaluasi PEKPPP"], auth=bearer)
REFUSALS = {**BAD_INPUT, 401: Error, 403: Error, 404: Error, 422: ValidationErrorOut}


class AspectOut(Schema):
    name: str
    weight: float = Field(description="Bobot aspek (%)")
    score: float = Field(description="Nilai aspek 0-5 (rata-rata tertimbang indikatornya, 2 desimal)")


class IndicatorOut(Schema):
    aspect: str
    name: str
    weight: float = Field(description="Bobot indikator dalam aspeknya (%)")
    score: float | None = Field(description="Nilai 0-5: evaluator, atau mandiri, atau otomatis dari data sistem")
    prefilled: bool
    evidence: str
    evidence_url: str


class EvaluationOut(Schema):
    year: int
    index: float = Field(description="Indeks akhir 0-5, 2 desimal: evaluator x bobotnya + IKM/20 x bobot survei")
    evaluator_index: float = Field(description="Indeks dari nilai indikator (evaluator, mandiri, otomatis), 0-5")
    ikm: float | None = Field(description="IKM tahun itu (25-100); null tanpa jawaban SKM (indeks akhir = evaluator)")
    survey_score: float | None = Field(description="IKM / 20, skala 0-5")
    evaluator_weight: float = Field(description="Bobot nilai evaluator (%)")
    survey_weight: float = Field(description="Bobot survei pengguna (%)")
    category: str = Field(description="A, A-, B, B-, C, C-, D, E, F (batas ketat: 4,50 adalah A-, 4,51 adalah A)")
    category_name: str
    aspects: list[AspectOut]
    indicators: list[IndicatorOut]


@router.get(
    "/malls/{mall}/evaluations/{year}",
    response={200: EvaluationOut, **REFUSALS},
    summary="Hasil evaluasi PEKPPP per tahun",
)
def evaluation_result(request, mall: str, year: int):
    mall_obj = access_mall(caller(request), mall, *EVALUATION_READER_ROLES)
    if not 2000 <= year <= 2099:
        raise invalid("year", _("Tahun harus antara 2000 dan 2099."))
    found = evaluations.result(mall_obj, year)
    return {
        "year": found.year,
        "index": float(found.index),
        "evaluator_index": float(found.evaluator_index),
        "ikm": None if found.ikm is None else float(found.ikm),
        "survey_score": None if found.survey_score is None else float(found.survey_score),
        "evaluator_weight": float(found.evaluator_weight),
        "survey_weight": float(found.survey_weight),
        "category": found.category,
        "category_name": found.category_name,
        "aspects": [
            {"name": a.name, "weight": float(a.weight), "score": round(float(a.score), 2)} for a in found.aspects
        ],
        "indicators": [
            {
                "aspect": i.aspect,
                "name": i.name,
                "weight": float(i.weight),
                "score": None if i.score is None else float(i.score),
                "prefilled": i.prefilled,
                "evidence": i.evidence,
                "evidence_url": i.evidence_url,
            }
            for i in found.indicators
        ],
    }
