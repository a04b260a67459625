"""The summary tables (``reports.rollup``) give the same figures as a from-scratch recomputation, also after late
changes to days already rolled up, after the worker's roll and after a change of the target wait."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.db import connection

from satuatap.feedback import ikm, periods
from satuatap.queueing.models import Ticket, TicketEvent, TicketStatus
from satuatap.reports import figures, rollup
from satuatap.reports.models import DayFigures, RolledDay
from satuatap.reports.tests.generated import generate, recompute
from satuatap.testing import MONDAY_MORNING, signed_in

pytestmark = pytest.mark.usefixtures("monday_morning")

TARGET = 30
OCTOBER = (dt.date(2026, 10, 1), dt.date(2026, 10, 31))
CLOSED = (dt.date(2026, 10, 1), dt.date(2026, 11, 22))  # the days before the clock's Monday 23 November


def _local_hour(ticket: Ticket) -> int:
    return ticket.issued_at.astimezone(ZoneInfo("Asia/Jakarta")).hour


BREAKDOWNS = {
    "mall": lambda t: 0,
    "agency": lambda t: t.service.agency_id,
    "service": lambda t: t.service_id,
    "counter": lambda t: t.counter_id,
    "officer": lambda t: t.officer_id,
    "day": lambda t: t.day.isoformat(),
    "month": lambda t: t.day.isoformat()[:7],  # October from the merged month, November from its days
    "hour": _local_hour,
    "weekday_hour": lambda t: t.day.isoweekday() % 7 * 100 + _local_hour(t),  # weekday 0 is Sunday
}


@pytest.fixture
def data(world, settings):
    settings.REPORTS_TARGET_WAIT_MINUTES = TARGET
    generate(world, OCTOBER[0], dt.date(2026, 11, 30), seed=7)
    return world


def _assert_equal_to_recomputation(mall, first, last, target=TARGET):
    selection = figures.Selection(mall, first, last)
    for by, key in BREAKDOWNS.items():
        computed = figures.ticket_figures(selection, by)
        expected = recompute(mall, first, last, target, key=key)
        assert computed.keys() == expected.keys(), by
        for k, values in expected.items():
            for name, value in values.items():
                got = getattr(computed[k], name)
                assert got == (value if value is None or isinstance(value, int) else pytest.approx(value, abs=1e-6))
    with connection.cursor() as cursor:
        cursor.execute(*figures.officer_days(selection))
        officer_days = {(officer, str(day)) for officer, day in cursor.fetchall()}
    tickets = Ticket.objects.filter(mall=mall, day__gte=first, day__lte=last, officer__isnull=False)
    expected = {(officer, day.isoformat()) for officer, day in tickets.values_list("officer_id", "day")}
    assert officer_days == expected and expected
    calls = TicketEvent.objects.filter(action="called", ticket__day__gte=first, ticket__day__lte=last)
    reasons = [r for r in calls.values_list("reason", flat=True) if r]
    assert sum(figures.out_of_order(selection).values()) == len(reasons)


def _late_change(ticket: Ticket, at: dt.datetime) -> None:
    """A past day's ticket finished late, as a service would: its row and a new event."""
    Ticket.objects.filter(pk=ticket.pk).update(
        status=TicketStatus.DONE, called_at=at, started_at=at, finished_at=at + dt.timedelta(minutes=7)
    )
    TicketEvent.objects.create(ticket=ticket, mall=ticket.mall, action="called", at=at, reason="officer:janji")


def test_closed_days_are_rolled_up_and_equal_the_recomputation(data):
    _assert_equal_to_recomputation(data.mall, *CLOSED)
    rolled = set(RolledDay.objects.filter(mall=data.mall).values_list("day", flat=True))
    assert len(rolled) == (CLOSED[1] - CLOSED[0]).days + 1 and DayFigures.objects.exists()
    assert dt.date(2026, 11, 23) not in rolled  # today is read from the raw rows


def test_late_changes_to_rolled_days_are_seen(data):
    _assert_equal_to_recomputation(data.mall, *CLOSED)
    waiting = Ticket.objects.filter(mall=data.mall, day__lt=dt.date(2026, 11, 1), status=TicketStatus.WAITING)
    inside, outside = waiting.filter(day__gte=dt.date(2026, 10, 20)).first(), waiting.order_by("day").first()
    for ticket in (inside, outside):
        _late_change(ticket, dt.datetime.combine(ticket.day, dt.time(15), ZoneInfo("Asia/Jakarta")))
    late = Ticket.objects.create(
        mall=data.mall,
        issued_service=inside.service,
        service=inside.service,
        day=inside.day,
        seq=9999,
        number="Z999",
        public_code="latecode",
        issued_at=inside.issued_at,
        queued_at=inside.issued_at,
    )
    TicketEvent.objects.create(ticket=late, mall=data.mall, action="issued", at=late.issued_at)
    # A report of the days around the inside change first: the outside day is forgotten, then rolled when asked.
    _assert_equal_to_recomputation(data.mall, dt.date(2026, 10, 20), dt.date(2026, 10, 31))
    assert not RolledDay.objects.filter(mall=data.mall, day=outside.day).exists()
    _assert_equal_to_recomputation(data.mall, *CLOSED)


def test_a_request_checks_its_days_once_and_the_next_request_sees_a_late_change(data, monkeypatch):
    checked = []
    check = rollup._current
    monkeypatch.setattr(
        rollup,
        "_current",
        lambda mall, first, last, target: checked.append((first, last)) or check(mall, first, last, target),
    )
    client = signed_in("manager")
    assert client.get("/m/pekanbaru/laporan/?period=month&date=2026-10-10").status_code == 200
    assert sorted(checked) == [(dt.date(2026, 9, 1), dt.date(2026, 9, 30)), OCTOBER]  # the month and the one before
    ticket = Ticket.objects.filter(mall=data.mall, day=dt.date(2026, 10, 20), status=TicketStatus.WAITING).first()
    rolled = RolledDay.objects.get(mall=data.mall, day=ticket.day).event_id
    _late_change(ticket, dt.datetime.combine(ticket.day, dt.time(15), ZoneInfo("Asia/Jakarta")))
    assert client.get("/m/pekanbaru/laporan/?period=month&date=2026-10-10").status_code == 200
    assert RolledDay.objects.get(mall=data.mall, day=ticket.day).event_id > rolled  # rolled again for this request
    assert len(checked) == 4


def test_the_worker_rolls_the_closed_days_and_a_new_target_rolls_again(data, settings):
    assert rollup.roll_closed_days(MONDAY_MORNING) == 1
    yesterday = dt.date(2026, 11, 22)
    assert RolledDay.objects.filter(mall=data.mall, day=yesterday, target_minutes=TARGET).exists()
    assert not RolledDay.objects.filter(mall=data.mall, day=yesterday + dt.timedelta(days=1)).exists()
    settings.REPORTS_TARGET_WAIT_MINUTES = 10
    _assert_equal_to_recomputation(data.mall, *OCTOBER, target=10)
    assert RolledDay.objects.get(mall=data.mall, day=OCTOBER[0]).target_minutes == 10


def test_the_skm_visitors_are_the_tickets_served_in_the_period(data):
    start, end = periods.as_datetimes(data.mall, dt.date(2026, 10, 1), dt.date(2026, 11, 30))
    finished = Ticket.objects.filter(
        mall=data.mall, status=TicketStatus.DONE, finished_at__gte=start, finished_at__lt=end
    )
    assert ikm.compute(data.mall, start, end).visitors == finished.count() > 0
    agency = data.agencies["DUKCAPIL"]
    in_agency = finished.filter(service__agency=agency).count()
    assert ikm.compute(data.mall, start, end, agency=agency).visitors == in_agency
    part_day = start + dt.timedelta(hours=12)  # not whole days: counted from the tickets
    assert ikm.compute(data.mall, part_day, end).visitors == finished.filter(finished_at__gte=part_day).count()


@pytest.mark.parametrize(
    ("first", "last", "months"),
    [
        (dt.date(2026, 10, 1), dt.date(2026, 11, 22), [dt.date(2026, 10, 1)]),
        (dt.date(2026, 1, 2), dt.date(2026, 3, 31), [dt.date(2026, 2, 1), dt.date(2026, 3, 1)]),
        (dt.date(2026, 2, 1), dt.date(2026, 2, 27), []),
        (dt.date(2024, 2, 1), dt.date(2024, 2, 29), [dt.date(2024, 2, 1)]),
    ],
)
def test_the_whole_months_of_a_period(first, last, months):
    assert rollup.full_months(first, last) == months
