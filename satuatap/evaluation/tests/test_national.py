"""The ministry and the evaluator: the evaluator's scoring form, the final index with the user survey, the
national view, and who reaches what (a mall's staff never another mall's)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from satuatap.directory.models import Mall
from satuatap.evaluation import evaluations
from satuatap.evaluation.instrument import instrument_for
from satuatap.evaluation.models import Evaluation, IndicatorScore
from satuatap.evaluation.national import sort_rows, sparkline
from satuatap.reports import figures
from satuatap.reports.tests.generated import generate
from satuatap.testing import assert_api_error, bearer, bearer_as, national_users, signed_in

pytestmark = pytest.mark.usefixtures("monday_morning")
RESULT = "/m/pekanbaru/evaluasi/2026/"
FORM = RESULT + "penilaian/"


@pytest.fixture
def second_mall(world):
    return Mall.objects.create(slug="makassar", name="MPP Makassar", city="Makassar", timezone="Asia/Makassar")


def every_indicator(score: str, note: str = "") -> dict:
    instrument = instrument_for(2026)
    ids = instrument.aspects.values_list("indicators__pk", flat=True)
    return {**{f"score-{i}": score for i in ids}, **{f"note-{i}": note for i in ids}}


def test_the_evaluator_scores_every_indicator_with_a_note_and_the_result_shows_both_parts(world, monkeypatch):
    national_users()
    client = signed_in("evaluator")
    assert 'id="evaluation-score-form"' in client.get(FORM).content.decode()
    monkeypatch.setattr(evaluations, "survey_ikm", lambda mall, year: Decimal("90.00"))
    response = client.post(FORM, every_indicator("4", "Sesuai rubrik"))
    assert response.status_code == 302 and response["Location"] == RESULT
    evaluation = Evaluation.objects.get(mall=world.mall)
    assert evaluation.evaluator.username == "evaluator" and evaluation.submitted_at is not None
    assert set(IndicatorScore.objects.values_list("evaluator_score", "evaluator_note")) == {
        (Decimal("4"), "Sesuai rubrik")
    }
    result = evaluations.result(world.mall, 2026)
    # 4.00 x 75 % + 90 / 20 = 4.50 x 25 % = 3.00 + 1.125 = 4.125 -> 4.13, A- (above 4.00, not above 4.50)
    assert (result.evaluator_index, result.survey_score, result.index, result.category) == (
        Decimal("4.00"),
        Decimal("4.5"),
        Decimal("4.13"),
        "A-",
    )
    html = client.get(RESULT).content.decode()
    # Bahasa Indonesia writes a decimal comma
    assert 'id="evaluation-evaluator-index">4,00<' in html and 'id="evaluation-survey-score">4,50<' in html
    assert 'id="evaluation-index">4,13<' in html and "Sesuai rubrik" in html


def test_the_weights_are_the_instruments_data(world, monkeypatch):
    instrument = instrument_for(2026)
    instrument.evaluator_weight, instrument.survey_weight = Decimal(60), Decimal(40)
    instrument.save()
    assert evaluations.final_index(instrument, Decimal("3.00"), Decimal("5.00")) == Decimal("3.80")
    assert evaluations.final_index(instrument, Decimal("3.00"), None) == Decimal("3.00")  # no survey part


@pytest.mark.parametrize("bad", ["6", "-1", "", "lima", "4.555"])
def test_a_bad_score_refuses_the_whole_form_and_changes_nothing(world, bad):
    national_users()
    form = every_indicator("3")
    first = next(k for k in form if k.startswith("score-"))
    form[first] = bad
    response = signed_in("evaluator").post(FORM, form)
    assert response.status_code == 422 and 'id="score-error"' in response.content.decode()
    assert not IndicatorScore.objects.exists() and not Evaluation.objects.exists()


def test_the_result_compares_with_last_year(world):
    national_users()
    signed_in("evaluator").post("/m/pekanbaru/evaluasi/2025/penilaian/", every_indicator("2"))
    signed_in("evaluator").post(FORM, every_indicator("5"))
    html = signed_in("manager").get(RESULT).content.decode()
    comparison = html[html.index('id="evaluation-comparison"') :]
    assert "2025" in comparison and "2,00" in comparison and "5,00" in comparison
    assert 'id="evaluation-score-link"' not in html  # the manager does not score


def test_an_evaluator_of_another_mall_reaches_nothing_here(world, second_mall):
    national_users(evaluated_malls=[second_mall])
    evaluator = signed_in("evaluator")
    assert evaluator.get(FORM).status_code == 404 and evaluator.get(RESULT).status_code == 404
    assert evaluator.get("/m/makassar/evaluasi/2026/penilaian/").status_code == 200
    assert evaluator.get("/m/pekanbaru/laporan/").status_code == 404  # scores only: no reports
    assert evaluator.get("/nasional/").status_code == 404


def test_the_ministry_reads_every_mall_and_writes_nothing(world, second_mall, client):
    generate(world, dt.date(2026, 11, 1), dt.date(2026, 11, 22), per_day=4)
    users = national_users()
    ministry = signed_in("kementerian")
    for path in (RESULT, "/m/makassar/evaluasi/2026/", "/m/pekanbaru/laporan/", "/m/makassar/laporan/"):
        assert ministry.get(path).status_code == 200, path
    html = ministry.get(RESULT).content.decode()
    assert "<form" not in html.split("</header>", 1)[-1].replace('id="language', "")  # no form to change anything
    assert ministry.get(FORM).status_code == 404
    assert ministry.post(RESULT + "nilai", {"indicator": 1, "score": "5"}).status_code == 404
    assert not IndicatorScore.objects.exists()
    for path in ("/m/pekanbaru/floor/", "/m/pekanbaru/pengaduan/meja/"):
        assert ministry.get(path).status_code == 404, path  # a mall's desks are its own staff's
    api = bearer(users["kementerian"])
    assert client.get("/api/v1/malls/makassar/evaluations/2026", headers=api).status_code == 200
    assert client.get("/api/v1/reports/malls?from=2026-11-01&to=2026-11-30", headers=api).status_code == 200
    daily = client.get("/api/v1/malls/pekanbaru/reports/daily?date=2026-11-20", headers=api)
    assert daily.status_code == 200
    assert_api_error(client.get("/api/v1/reports/malls", headers=bearer_as(world, "manager")), 403)
    assert_api_error(client.get("/api/v1/malls/makassar/evaluations/2026", headers=bearer_as(world, "manager")), 403)


def test_the_national_view_puts_the_malls_side_by_side_sorted(world, second_mall):
    generate(world, dt.date(2026, 11, 1), dt.date(2026, 11, 22), per_day=4)
    national_users()
    page = signed_in("kementerian").get("/nasional/?period=month&date=2026-11-10&sort=visitors_per_day&dir=desc")
    assert page.status_code == 200
    html = page.content.decode()
    assert html.index('data-mall="pekanbaru"') < html.index('data-mall="makassar"')
    november = figures.total(figures.Selection(world.mall, dt.date(2026, 11, 1), dt.date(2026, 11, 30)))
    row = next(r for r in page.context["rows"] if r.mall.slug == "pekanbaru")
    assert row.visitors_per_day == round(november.tickets_issued / 23, 1)  # 23 days of November have begun
    assert row.trend[-1] == november.tickets_issued and len(row.trend) == 12
    assert "<svg" in html and "/m/pekanbaru/laporan/" in html
    ascending = signed_in("kementerian").get("/nasional/?period=month&date=2026-11-10&sort=visitors_per_day")
    assert [r.mall.slug for r in ascending.context["rows"]] == ["makassar", "pekanbaru"]
    assert row.category is None and "belum dievaluasi" in html  # no evaluator has scored it yet
    signed_in("evaluator").post(FORM, every_indicator("4.6"))
    page = signed_in("kementerian").get("/nasional/?period=month&date=2026-11-10&sort=category")
    assert [(r.mall.slug, r.category, r.category_year) for r in page.context["rows"]] == [
        ("pekanbaru", "A", 2026),
        ("makassar", None, None),  # never evaluated: last
    ]
    for username in ("manager", "sup_dukcapil", "officer1"):
        assert signed_in(username).get("/nasional/").status_code == 404


def test_empty_values_sort_last_and_the_sparkline_names_its_numbers():
    class Row:
        def __init__(self, wait):
            self.avg_wait = wait

    rows = [Row(None), Row(3.0), Row(9.0)]
    assert [r.avg_wait for r in sort_rows(rows, "avg_wait", True)] == [9.0, 3.0, None]
    assert [r.avg_wait for r in sort_rows(rows, "avg_wait", False)] == [3.0, 9.0, None]
    assert "<title>Tren: 1, 0, 4</title>" in sparkline([1, 0, 4], "Tren")
