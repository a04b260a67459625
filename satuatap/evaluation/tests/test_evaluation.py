"""PEKPPP: the index and category at each cut-off, the default instrument's weights, prefilled indicators equal to
the data they come from, and the API's shape and scope."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client

from satuatap.accounts.models import User
from satuatap.directory.models import Mall, Service
from satuatap.evaluation import evaluations, prefill, scoring
from satuatap.evaluation.instrument import DEFAULT, instrument_for
from satuatap.evaluation.models import Evaluation, Indicator, IndicatorScore
from satuatap.reports import figures
from satuatap.reports.tests.generated import generate
from satuatap.testing import assert_api_error, bearer, bearer_as

pytestmark = pytest.mark.usefixtures("monday_morning")


@pytest.mark.parametrize(
    ("index", "code"),
    [
        ("5.00", "A"),
        ("4.51", "A"),
        ("4.50", "A-"),
        ("4.01", "A-"),
        ("4.00", "B"),
        ("3.51", "B"),
        ("3.50", "B-"),
        ("3.01", "B-"),
        ("3.00", "C"),
        ("2.51", "C"),
        ("2.50", "C-"),
        ("2.01", "C-"),
        ("2.00", "D"),
        ("1.51", "D"),
        ("1.50", "E"),
        ("1.01", "E"),
        ("1.00", "F"),
        ("0", "F"),
        ("4.504", "A-"),  # rounded to 4.50 first
        ("4.505", "A"),  # rounded to 4.51 first
    ],
)
def test_the_category_follows_the_strict_cut_offs(index, code):
    assert scoring.category(Decimal(index))[0] == code


def test_the_index_is_the_weighted_sum_of_weighted_aspects():
    rows = [
        (1, "Kebijakan", Decimal(24), Decimal(60), Decimal(5)),
        (1, "Kebijakan", Decimal(24), Decimal(40), Decimal(0)),  # aspect score 3.0
        (2, "SDM", Decimal(76), Decimal(100), None),  # not scored: 0
    ]
    aspects = scoring.aspect_scores(rows)
    assert [(a.name, a.score) for a in aspects] == [("Kebijakan", Decimal(3)), ("SDM", Decimal(0))]
    assert scoring.index_of(aspects) == Decimal("0.72")


def test_the_default_instrument_carries_the_regulation_weights(db):
    instrument = instrument_for(2026)
    assert instrument_for(2026) == instrument  # seeded once
    aspects = list(instrument.aspects.order_by("order"))
    assert [(a.name, int(a.weight)) for a in aspects] == [(n, w) for n, w, _ in DEFAULT]
    assert sum(a.weight for a in aspects) == 100
    for aspect in aspects:
        assert sum(i.weight for i in aspect.indicators.all()) == 100, aspect.name


def test_prefilled_indicators_equal_their_data(world):
    generate(world, dt.date(2026, 1, 1), dt.date(2026, 3, 31), per_day=3)
    mall = world.mall
    Service.objects.filter(pk=world.services["POLRESTA-SKCK"].pk).update(product="")
    standards = prefill.standards(mall, None, 2026)
    assert standards.score == Decimal("3.75")  # 3 of 4 services publish all six components
    assert standards.url == "/m/pekanbaru/"
    mall.maklumat = ""
    assert prefill.maklumat(mall, None, 2026).score == 0
    mall.maklumat = "Kami berjanji melayani sesuai standar."
    assert prefill.maklumat(mall, None, 2026).score == 5
    assert prefill.information_system(mall, None, 2026).score == 5
    assert prefill.information_system(mall, None, 2020).score == 0
    complaints = prefill.complaints(mall, None, 2026)
    found = figures.complaint_figures(figures.Selection(mall, dt.date(2026, 1, 1), dt.date(2026, 12, 31)))
    assert found.filed > 0
    assert complaints.score == (Decimal(5) * found.answered_in_time / found.filed).quantize(Decimal("0.01"))
    assert prefill.skm_sample(mall, None, 2026).score == 0  # no survey answers


def test_the_result_takes_the_evaluator_over_the_unit_over_the_prefill(world):
    mall = world.mall
    mall.maklumat = "Janji layanan"
    mall.save()
    result = evaluations.result(mall, 2026)
    maklumat = next(i for i in result.indicators if i.source == Indicator.Source.MAKLUMAT)
    assert (maklumat.score, maklumat.prefilled) == (5, True)
    assert result.index == scoring.index_of(result.aspects)
    instrument = instrument_for(2026)
    evaluation = Evaluation.objects.create(mall=mall, instrument=instrument, created_at=dt.datetime.now(dt.UTC))
    innovation = Indicator.objects.get(aspect__instrument=instrument, source="", name="Inovasi pelayanan publik")
    IndicatorScore.objects.create(evaluation=evaluation, indicator=innovation, self_score=4, evidence="Aplikasi")
    row = next(i for i in evaluations.result(mall, 2026).indicators if i.name == "Inovasi pelayanan publik")
    assert (row.score, row.prefilled, row.evidence) == (4, False, "Aplikasi")
    IndicatorScore.objects.filter(indicator=innovation).update(evaluator_score=Decimal("3.5"))
    after = evaluations.result(mall, 2026)
    assert next(i for i in after.indicators if i.name == "Inovasi pelayanan publik").score == Decimal("3.5")
    assert after.index - result.index == Decimal("0.42")  # 12 % x 3.5


def test_the_api_answers_in_the_contract_shape(client: Client, world):
    response = client.get("/api/v1/malls/pekanbaru/evaluations/2026", headers=bearer_as(world, "manager"))
    assert response.status_code == 200, response.content
    body = response.json()
    assert body.keys() >= {"year", "index", "category", "aspects", "indicators"}
    assert [a["name"] for a in body["aspects"]][0] == "Kebijakan pelayanan"
    assert body["indicators"][0].keys() >= {"aspect", "name", "weight", "score", "prefilled", "evidence"}
    assert body["category"] == scoring.category(Decimal(str(body["index"])))[0]
    for username in ("sup_dukcapil", "officer1", "kiosk"):
        assert_api_error(
            client.get("/api/v1/malls/pekanbaru/evaluations/2026", headers=bearer_as(world, username)), 403
        )
    assert_api_error(client.get("/api/v1/malls/pekanbaru/evaluations/1999", headers=bearer_as(world, "manager")), 422)


def test_the_malls_report_puts_every_mall_side_by_side_for_the_ministry_only(client: Client, world):
    generate(world, dt.date(2026, 11, 1), dt.date(2026, 11, 22), per_day=4)
    Mall.objects.create(slug="makassar", name="MPP Makassar", city="Makassar", timezone="Asia/Makassar")
    ministry = User.objects.create_superuser("kementerian", password="x-rahasia-123")
    response = client.get("/api/v1/reports/malls?from=2026-11-01&to=2026-11-30", headers=bearer(ministry))
    assert response.status_code == 200, response.content
    rows = {row["mall"]: row for row in response.json()}
    assert rows.keys() == {"pekanbaru", "makassar"}
    november = figures.total(figures.Selection(world.mall, dt.date(2026, 11, 1), dt.date(2026, 11, 30)))
    assert rows["pekanbaru"]["tickets_issued"] == november.tickets_issued > 0
    assert rows["makassar"]["tickets_issued"] == 0 and rows["makassar"]["evaluation_category"] == "F"
    for username in ("manager", "sup_dukcapil"):
        assert_api_error(client.get("/api/v1/reports/malls", headers=bearer_as(world, username)), 403)
    bad = client.get("/api/v1/reports/malls?from=2026-12-01&to=2026-11-01", headers=bearer(ministry))
    assert_api_error(bad, 422)
