"""The report figures computed by the database equal a from-scratch Python recomputation on generated data."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from satuatap.booking.models import Booking
from satuatap.complaints.models import Complaint
from satuatap.queueing.models import Ticket, TicketEvent
from satuatap.reports import figures
from satuatap.reports.tests.generated import generate, recompute

pytestmark = pytest.mark.usefixtures("monday_morning")

NOVEMBER = (dt.date(2026, 11, 1), dt.date(2026, 11, 30))
TARGET = 30


@pytest.fixture
def data(world, settings):
    settings.REPORTS_TARGET_WAIT_MINUTES = TARGET
    generate(world, dt.date(2026, 10, 1), NOVEMBER[1])
    return world


def _assert_equal(computed: figures.TicketFigures, expected: dict):
    for name, value in expected.items():
        got = getattr(computed, name)
        if value is None or isinstance(value, int):
            assert got == value, name
        else:
            assert got == pytest.approx(value, abs=1e-3), name


def _tz_hour(t: Ticket) -> int:
    return t.issued_at.astimezone(ZoneInfo("Asia/Jakarta")).hour


@pytest.mark.parametrize(
    ("by", "key"),
    [
        ("mall", lambda t: 0),
        ("agency", lambda t: t.service.agency_id),
        ("service", lambda t: t.service_id),
        ("counter", lambda t: t.counter_id),
        ("officer", lambda t: t.officer_id),
        ("day", lambda t: t.day.isoformat()),
        ("month", lambda t: t.day.isoformat()[:7]),
        ("hour", _tz_hour),
        ("weekday_hour", lambda t: (t.day.isoweekday() % 7) * 100 + _tz_hour(t)),
    ],
)
def test_every_breakdown_equals_the_recomputation(data, by, key):
    selection = figures.Selection(data.mall, *NOVEMBER)
    computed = figures.ticket_figures(selection, by)
    expected = recompute(data.mall, *NOVEMBER, TARGET, key=key)
    assert computed.keys() == expected.keys()
    assert sum(e["tickets_issued"] for e in expected.values()) > 100  # the data covers the period
    for k, values in expected.items():
        _assert_equal(computed[k], values)


def test_an_agency_selection_counts_its_own_tickets_only(data):
    dukcapil = data.agencies["DUKCAPIL"]
    selection = figures.Selection(data.mall, *NOVEMBER, agency=dukcapil)
    _assert_equal(figures.total(selection), recompute(data.mall, *NOVEMBER, TARGET, agency=dukcapil)[0])


def test_the_previous_period_of_a_month_is_the_month_before(data):
    summary = figures.summarize(figures.Selection(data.mall, *NOVEMBER))
    previous = summary.previous.selection
    assert (previous.first, previous.last) == (dt.date(2026, 10, 1), dt.date(2026, 10, 31))
    _assert_equal(summary.previous.total, recompute(data.mall, previous.first, previous.last, TARGET)[0])


@pytest.mark.parametrize(
    ("first", "last", "before"),
    [
        ("2026-11-23", "2026-11-23", ("2026-11-22", "2026-11-22")),  # a day
        ("2026-11-10", "2026-11-19", ("2026-10-31", "2026-11-09")),  # any ten days
        ("2026-03-01", "2026-03-31", ("2026-02-01", "2026-02-28")),  # a month after a short one
        ("2026-07-01", "2026-09-30", ("2026-04-01", "2026-06-30")),  # a quarter
        ("2026-01-01", "2026-12-31", ("2025-01-01", "2025-12-31")),  # a year
    ],
)
def test_the_previous_period(world, first, last, before):
    selection = figures.Selection(world.mall, dt.date.fromisoformat(first), dt.date.fromisoformat(last))
    previous = selection.previous()
    assert (previous.first.isoformat(), previous.last.isoformat()) == before


def test_the_booking_funnel_equals_the_bookings(data):
    funnel = figures.funnel(figures.Selection(data.mall, *NOVEMBER))
    bookings = list(Booking.objects.filter(day__gte=NOVEMBER[0], day__lte=NOVEMBER[1]).select_related("ticket"))
    called = {e.ticket_id for e in TicketEvent.objects.filter(action="called")}
    assert funnel.booked == len(bookings) > 0
    assert funnel.cancelled == sum(b.status == "cancelled" for b in bookings)
    assert funnel.checked_in == sum(b.checked_in_at is not None for b in bookings)
    assert funnel.called == sum(b.ticket_id in called for b in bookings)
    assert funnel.finished == sum(b.ticket is not None and b.ticket.status == "done" for b in bookings)
    assert funnel.booked >= funnel.checked_in >= funnel.called >= funnel.finished


def test_out_of_order_calls_are_counted_by_reason(data):
    selection = figures.Selection(data.mall, *NOVEMBER)
    calls = TicketEvent.objects.filter(action="called", ticket__day__gte=NOVEMBER[0], ticket__day__lte=NOVEMBER[1])
    reasons = [e.reason for e in calls.exclude(reason="")]
    assert figures.out_of_order(selection) == {
        "priority": sum(r.startswith("priority:") for r in reasons),
        "priority_streak_bound": sum(r.startswith("priority_streak_bound:") for r in reasons),
        "officer": sum(r.startswith("officer:") for r in reasons),
        "other": 0,
    }
    written = dict(figures.officer_reasons(selection))
    assert written == {
        text: sum(r == f"officer:{text}" for r in reasons) for text in ("berkas lengkap", "janji") if written.get(text)
    }
    assert sum(written.values()) == sum(r.startswith("officer:") for r in reasons)


def test_complaints_and_their_deadlines(data):
    tz = ZoneInfo("Asia/Jakarta")
    complaints = [
        c for c in Complaint.objects.all() if NOVEMBER[0] <= c.created_at.astimezone(tz).date() <= NOVEMBER[1]
    ]
    in_time = [
        c
        for c in complaints
        if c.answered_at and c.answered_at.astimezone(tz).date() <= (c.follow_up_due or c.verify_due)
    ]
    found = figures.complaint_figures(figures.Selection(data.mall, *NOVEMBER))
    assert found == figures.ComplaintFigures(
        filed=len(complaints),
        answered=sum(c.answered_at is not None for c in complaints),
        answered_in_time=len(in_time),
    )
    assert 0 < found.answered_in_time < found.answered < found.filed


def test_an_empty_period_has_no_figures(world):
    selection = figures.Selection(world.mall, dt.date(2020, 1, 1), dt.date(2020, 1, 31))
    total = figures.total(selection)
    assert total.tickets_issued == 0 and total.avg_wait is None and total.p90_wait is None
    assert total.within_target_share is None
