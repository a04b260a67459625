"""The evaluation page: the manager's self-assessment, the evaluator's score, refusals that change nothing."""

from __future__ import annotations

from decimal import Decimal

import pytest

from satuatap.evaluation import evaluations
from satuatap.evaluation.instrument import instrument_for
from satuatap.evaluation.models import Indicator, IndicatorScore
from satuatap.testing import national_users, signed_in

pytestmark = pytest.mark.usefixtures("monday_morning")
PAGE = "/m/pekanbaru/evaluasi/2026/"


@pytest.fixture
def innovation(world):
    return Indicator.objects.get(aspect__instrument=instrument_for(2026), name="Inovasi pelayanan publik")


def test_the_manager_fills_in_a_self_assessment_with_evidence(world, innovation):
    client = signed_in("manager")
    assert client.get("/m/pekanbaru/evaluasi/")["Location"] == PAGE
    html = client.get(PAGE).content.decode()
    assert 'id="evaluation-category"' in html and "Kebijakan pelayanan" in html
    response = client.post(
        PAGE + "nilai",
        {"indicator": innovation.pk, "score": "4,5", "evidence": "Aplikasi antrean", "evidence_url": "https://x.id/a"},
    )
    assert response.status_code == 302
    row = IndicatorScore.objects.get(indicator=innovation)
    assert (row.self_score, row.evidence, row.evidence_url, row.prefilled) == (
        Decimal("4.5"),
        "Aplikasi antrean",
        "https://x.id/a",
        False,
    )
    result = evaluations.result(world.mall, 2026)
    assert next(i for i in result.indicators if i.id == innovation.pk).score == Decimal("4.5")
    assert "Aplikasi antrean" in client.get(PAGE).content.decode()


@pytest.mark.parametrize(
    ("score", "url"), [("6", ""), ("-1", ""), ("lima", ""), ("4.555", ""), ("NaN", ""), ("4", "javascript:alert(1)")]
)
def test_bad_input_says_so_and_changes_nothing(world, innovation, score, url):
    client = signed_in("manager")
    response = client.post(
        PAGE + "nilai", {"indicator": innovation.pk, "score": score, "evidence_url": url}, follow=True
    )
    assert '<li class="error" role="status">' in response.content.decode()  # the base page's message
    assert not IndicatorScore.objects.exists()


def test_only_an_evaluator_of_the_mall_scores_and_others_are_refused(world, innovation):
    manager = signed_in("manager")
    assert (
        manager.post(PAGE + "nilai", {"indicator": innovation.pk, "score": "5", "role": "evaluator"}).status_code == 404
    )
    assert not IndicatorScore.objects.exists()  # the manager cannot score as the evaluator
    manager.post(PAGE + "nilai", {"indicator": innovation.pk, "score": "5"})
    national_users()
    signed_in("evaluator").post(
        PAGE + "nilai", {"indicator": innovation.pk, "score": "2", "note": "Belum ada", "role": "evaluator"}
    )
    row = IndicatorScore.objects.get(indicator=innovation)
    assert (row.self_score, row.evaluator_score, row.score, row.evaluator_note) == (5, 2, 2, "Belum ada")
    assert signed_in("evaluator").post(PAGE + "nilai", {"indicator": innovation.pk, "score": "1"}).status_code == 404
    assert (
        signed_in("kementerian")
        .post(PAGE + "nilai", {"indicator": innovation.pk, "score": "1", "role": "evaluator"})
        .status_code
        == 404
    )
    for username in ("sup_dukcapil", "officer1"):
        assert signed_in(username).get(PAGE).status_code == 404
        assert signed_in(username).post(PAGE + "nilai", {"indicator": innovation.pk, "score": "1"}).status_code == 404
    assert row.evaluator_score == IndicatorScore.objects.get(indicator=innovation).evaluator_score
    assert (
        signed_in("manager").post(PAGE + "nilai", {"indicator": 999999, "score": "1"}, follow=True).status_code == 200
    )
    assert signed_in("manager").get("/m/pekanbaru/evaluasi/1999/").status_code == 404
