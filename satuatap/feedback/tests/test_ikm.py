import datetime as dt
from decimal import Decimal
from fractions import Fraction

import pytest
from django.utils import timezone

from satuatap.feedback import ikm, periods
from satuatap.feedback.tests.conftest import answered, finished_ticket, score_sets


def period_around_now(world):
    today = timezone.localdate()
    return periods.as_datetimes(world.mall, today - dt.timedelta(days=1), today + dt.timedelta(days=1))


def test_all_fours_give_exactly_100_not_99_9(world):
    for _ in range(3):
        answered(world, [4] * 9)
    result = ikm.compute(world.mall, *period_around_now(world))
    assert result.ikm == Decimal("100.00")
    assert (result.mutu, result.kinerja) == ("A", "Sangat Baik")
    assert all(e.nrr == 4 and e.mutu == "A" for e in result.elements)


def test_all_ones_give_25(world):
    answered(world, [1] * 9)
    result = ikm.compute(world.mall, *period_around_now(world))
    assert result.ikm == Decimal("25.00")
    assert (result.mutu, result.kinerja) == ("D", "Tidak Baik")


def test_nrr_per_element_and_ikm_by_hand(world):
    answered(world, [4, 3, 2, 1, 4, 3, 2, 1, 4])
    answered(world, [3, 3, 3, 3, 3, 3, 3, 3, 3])
    result = ikm.compute(world.mall, *period_around_now(world))
    assert result.respondents == 2
    assert [e.nrr for e in result.elements][:4] == [Fraction(7, 2), 3, Fraction(5, 2), 2]
    assert [str(e.nrr_display) for e in result.elements][:2] == ["3.5000", "3.0000"]
    # sum of NRR = 51/2; x 1/9 x 25 = 70.8333.. -> 70.83
    assert result.ikm == Decimal("70.83")
    assert (result.mutu, result.kinerja) == ("C", "Kurang Baik")
    assert [e.mutu for e in result.elements][:4] == ["B", "C", "D", "D"]


@pytest.mark.parametrize(
    "respondents, total, expected, mutu",
    [
        (24, 763, "88.31", "A"),  # 88.3101..
        (19, 604, "88.30", "B"),  # 88.3040..
        (19, 524, "76.61", "B"),  # 76.6081..
        (26, 717, "76.60", "C"),  # 76.6025..
        (5, 117, "65.00", "C"),  # exactly 65
        (38, 889, "64.99", "D"),  # 64.9853..
    ],
)
def test_ikm_on_and_just_below_each_band_edge(world, respondents, total, expected, mutu):
    for scores in score_sets(respondents, total):
        answered(world, scores)
    result = ikm.compute(world.mall, *period_around_now(world))
    assert result.ikm == Decimal(expected)
    assert result.mutu == mutu


@pytest.mark.parametrize(
    "value, mutu, kinerja",
    [
        ("100.00", "A", "Sangat Baik"),
        ("88.31", "A", "Sangat Baik"),
        ("88.30", "B", "Baik"),
        ("76.61", "B", "Baik"),
        ("76.60", "C", "Kurang Baik"),
        ("65.00", "C", "Kurang Baik"),
        ("64.99", "D", "Tidak Baik"),
        ("25.00", "D", "Tidak Baik"),
    ],
)
def test_band_edges(value, mutu, kinerja):
    assert ikm.band(Decimal(value)) == (mutu, kinerja)


@pytest.mark.parametrize(
    "nrr, mutu",
    [("3.5324", "A"), ("3.5323", "B"), ("3.0644", "B"), ("3.0643", "C"), ("2.60", "C"), ("2.5999", "D")],
)
def test_element_band_edges_on_nrr(nrr, mutu):
    assert ikm.element_mutu(Fraction(nrr)) == mutu


@pytest.mark.parametrize("visitors, sample", [(100, 80), (1_000, 278), (10_000, 370), (1_000_000, 384), (0, 0)])
def test_krejcie_morgan_sample_size_table(visitors, sample):
    assert ikm.sample_required(visitors) == sample


def test_sample_required_counts_the_periods_finished_tickets_and_says_whether_reached(world):
    for _ in range(3):
        finished_ticket(world)
    answered(world, [4] * 9)
    result = ikm.compute(world.mall, *period_around_now(world))
    assert result.visitors == 4
    assert result.sample_required == 4
    assert not result.sample_reached


def test_period_and_agency_scope(world):
    answered(world, [4] * 9, at=timezone.now() - dt.timedelta(days=40))
    answered(world, [1] * 9, code="IMIGRASI-PASPOR")
    answered(world, [3] * 9)
    start, end = period_around_now(world)
    assert ikm.compute(world.mall, start, end).respondents == 2
    dukcapil = ikm.compute(world.mall, start, end, agency=world.agencies["DUKCAPIL"])
    assert (dukcapil.respondents, dukcapil.ikm) == (1, Decimal("75.00"))
    paspor = ikm.compute(world.mall, start, end, service=world.services["IMIGRASI-PASPOR"])
    assert paspor.ikm == Decimal("25.00")


def test_no_answers_means_no_ikm(world):
    result = ikm.compute(world.mall, *period_around_now(world))
    assert (result.respondents, result.ikm, result.mutu) == (0, None, None)


def test_ikm_is_one_aggregate_query_plus_the_visitor_count(world, django_assert_num_queries, monkeypatch):
    # The survey's own ticket count; the reports' summary tables count in reports/tests/test_rollup.py.
    monkeypatch.setattr(ikm, "_visitor_counter", None)
    for _ in range(5):
        answered(world, [3] * 9)
    start, end = period_around_now(world)
    with django_assert_num_queries(2):
        ikm.compute(world.mall, start, end)


@pytest.mark.parametrize(
    "kind, day, first, last",
    [
        ("month", dt.date(2026, 2, 14), dt.date(2026, 2, 1), dt.date(2026, 2, 28)),
        ("quarter", dt.date(2026, 11, 23), dt.date(2026, 10, 1), dt.date(2026, 12, 31)),
        ("semester", dt.date(2026, 6, 30), dt.date(2026, 1, 1), dt.date(2026, 6, 30)),
        ("year", dt.date(2026, 7, 1), dt.date(2026, 1, 1), dt.date(2026, 12, 31)),
    ],
)
def test_period_bounds(kind, day, first, last):
    assert periods.bounds(kind, day) == (first, last)
