"""``GET /malls/{mall}/evaluations/{year}``: a mall's PEKPPP result of a year (the manager; the evaluator and
ministry roles are not there yet)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from ninja import Field, Router, Schema

from satuatap.accounts.access import access_mall
from satuatap.accounts.models import Role
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
    index: float = Field(description="Indeks 0-5, 2 desimal")
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
    mall_obj = access_mall(caller(request), mall, Role.MANAGER)
    if not 2000 <= year <= 2099:
        raise invalid("year", _("Tahun harus antara 2000 dan 2099."))
    found = evaluations.result(mall_obj, year)
    return {
        "year": found.year,
        "index": float(found.index),
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
