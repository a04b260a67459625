"""The estimate stamped at issue: slow figures kept per process for a span of ``now``, fast ones read with
the number (``queueing.estimates``, the part after ``estimate_services``)."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from satuatap.accounts.models import Role, User
from satuatap.directory.models import Closure
from satuatap.queueing import estimates, statements, tickets
from satuatap.queueing.models import Ticket
from satuatap.testing import seat

WIB = ZoneInfo("Asia/Jakarta")
T0 = dt.datetime(2026, 11, 24, 9, 0, tzinfo=WIB)  # a Tuesday


def at(seconds: float) -> dt.datetime:
    return T0 + dt.timedelta(seconds=seconds)


@pytest.fixture
def restamps(monkeypatch):
    """The tickets PostgreSQL's issue re-stamps (its statement's minutes differed from the formula's)."""
    seen = []
    original = statements.restamp

    def record(ticket_id, minutes):
        seen.append((ticket_id, minutes))
        original(ticket_id, minutes)

    monkeypatch.setattr(statements, "restamp", record)
    return seen


def stamped(ticket: Ticket) -> int:
    return Ticket.objects.get(pk=ticket.pk).predicted_wait_minutes


def test_tickets_issued_one_after_the_other_show_consecutive_positions(world, restamps):
    paspor = world.services["IMIGRASI-PASPOR"]
    issued = [tickets.issue_ticket(paspor, now=at(second)) for second in range(4)]  # one slow read serves all
    assert [t.issue_estimate.position for t in issued] == [0, 1, 2, 3]
    # Nobody staffed: its one counter, 6 minutes a ticket: (position + 0.5) x 6, half up.
    assert [stamped(t) for t in issued] == [t.issue_estimate.minutes for t in issued] == [3, 9, 15, 21]
    # A priority ticket goes before the four.
    lansia = tickets.issue_ticket(paspor, priority_group="lansia", now=at(5))
    assert (lansia.issue_estimate.position, stamped(lansia)) == (0, 3)
    assert tickets.issue_ticket(paspor, now=at(6)).issue_estimate.position == 5
    assert restamps == []


def test_a_counter_sign_in_and_out_show_in_the_next_estimate(world, restamps):
    paspor = world.services["IMIGRASI-PASPOR"]
    first = tickets.issue_ticket(paspor, now=at(0))  # the slow figures: nobody signed in at counter 3
    assert (first.issue_estimate.staffed, first.issue_estimate.free, stamped(first)) == (1, 0, 3)
    officer = seat(world, 3)  # an update of the counter, no stamp moved
    second = tickets.issue_ticket(paspor, now=at(5))
    # Signed in and free, but one ticket waits before it: (1 - 1 + 0.5) x 6.
    assert (second.issue_estimate.staffed, second.issue_estimate.free) == (1, 1)
    assert stamped(second) == second.issue_estimate.minutes == 3
    tickets.call_next(world.counters[3], officer, now=at(6))  # busy with the first now
    third = tickets.issue_ticket(paspor, now=at(7))
    assert (third.issue_estimate.free, third.issue_estimate.position, stamped(third)) == (0, 1, 9)
    world.counters[3].refresh_from_db()
    tickets.finish(Ticket.objects.get(pk=first.pk), officer, now=at(8))
    tickets.sign_out(world.counters[3], officer)
    expected = estimates.estimate_new(paspor, now=at(9))  # the formula as the ORM reads it, just before
    fourth = tickets.issue_ticket(paspor, now=at(9))
    assert (fourth.issue_estimate.staffed, fourth.issue_estimate.free, stamped(fourth)) == (1, 0, 15)
    assert (expected.staffed, expected.free, expected.position) == (1, 0, fourth.issue_estimate.position)
    if statements.on_postgresql():  # the statement computed with the old staffing: re-stamped at once
        assert [minutes for _id, minutes in restamps] == [3, 15]


def test_a_new_closure_drops_the_kept_figures_at_once(world):
    paspor = world.services["IMIGRASI-PASPOR"]
    seat(world, 3)
    assert tickets.issue_ticket(paspor, now=at(0)).issue_estimate.free == 1
    Closure.objects.create(mall=world.mall, counter=world.counters[3], starts_at=at(-60), reason="Printer rusak")
    est = tickets.issue_ticket(paspor, now=at(1)).issue_estimate
    assert (est.staffed, est.free, est.minutes) == (1, 0, 9)  # shut: all its counters, none free; 1.5 x 6


def test_recent_service_times_are_kept_for_a_span_of_now_then_read_again(world):
    paspor = world.services["IMIGRASI-PASPOR"]
    officer = seat(world, 3)
    counter = world.counters[3]
    tickets.issue_ticket(paspor, now=at(0))
    called = tickets.call_next(counter, officer, now=at(0))
    tickets.finish(called, officer, now=at(240))  # 4 minutes
    est = tickets.issue_ticket(paspor, now=at(241)).issue_estimate
    assert (est.service_minutes, est.from_history) == (4.0, True)
    called = tickets.call_next(counter, officer, now=at(241))
    tickets.finish(called, officer, now=at(241 + 600))  # 10 minutes: the mean is 7 now ...
    kept = tickets.issue_ticket(paspor, now=at(241 + estimates.SLOW_SECONDS - 1)).issue_estimate
    assert kept.service_minutes == 4.0  # ... but within the span the kept figure serves (the finish was later)
    later = at(241 + 600 + estimates.SLOW_SECONDS)
    assert tickets.issue_ticket(paspor, now=later).issue_estimate.service_minutes == pytest.approx(7.0)
    # An earlier ``now`` than the kept figures' is never served from them.
    assert tickets.issue_ticket(paspor, now=at(242)).issue_estimate.service_minutes == 4.0


def test_the_stamped_minutes_are_the_formulas_over_shared_counters_and_priority_arrivals(world, restamps, monkeypatch):
    """Counters 1 and 2 serve KTP and KK, counter 5 KTP only; priority tickets arrive: the weights and the
    load enter the statement's arithmetic (PostgreSQL) as they enter ``_combine``. The slow figures are read
    at every issue here, so the stamped minutes must be ``estimate_new``'s exactly."""
    monkeypatch.setattr(estimates, "SLOW_SECONDS", 0.0)
    ktp, kk = world.services["DUKCAPIL-KTP"], world.services["DUKCAPIL-KK"]
    officer1 = seat(world, 1)
    extra = world.counters[1].__class__.objects.create(
        mall=world.mall, building=world.counters[1].building, agency=world.agencies["DUKCAPIL"], number=5
    )
    extra.services.set([ktp])
    other = User.objects.create_user(username="officer5", role=Role.OFFICER, mall=world.mall, agency=officer1.agency)
    tickets.sign_in(extra, other)
    for minute in range(0, 40, 2):
        now = T0 + dt.timedelta(minutes=minute)
        for service, group in ((ktp, ""), (kk, "lansia" if minute % 6 == 0 else ""), (ktp, "")):
            expected = estimates.estimate_new(service, priority_group=group, now=now)
            ticket = tickets.issue_ticket(service, priority_group=group, now=now)
            assert stamped(ticket) == ticket.issue_estimate.minutes == expected.minutes
            assert ticket.issue_estimate.position == expected.position
            assert ticket.issue_estimate.ahead == pytest.approx(expected.ahead)
        if minute % 4 == 0:
            called = tickets.call_next(world.counters[1], officer1, now=now)
            tickets.finish(called, officer1, now=now + dt.timedelta(minutes=3))
    assert restamps == []


def test_statements_of_an_issue_with_the_slow_figures_kept_and_due(world, monkeypatch):
    """Kept: PostgreSQL issues in one statement, SQLite in three (the fast read rides in the number's
    upsert). Due: PostgreSQL reads them first (one more); on SQLite they ride in the same upsert."""
    paspor = world.services["IMIGRASI-PASPOR"]
    tickets.issue_ticket(paspor, now=at(0))
    expected = {"postgresql": (1, 2), "sqlite": (3, 3)}[connection.vendor]
    counts = []
    for now, span in ((at(1), estimates.SLOW_SECONDS), (at(2), 0.0)):
        monkeypatch.setattr(estimates, "SLOW_SECONDS", span)
        with CaptureQueriesContext(connection) as captured:
            ticket = tickets.issue_ticket(paspor, now=now)
        sql = [q["sql"] for q in captured.captured_queries]
        counts.append(len([s for s in sql if "directory_cachestamp" not in s and not _control(s)]))
        assert stamped(ticket) == ticket.issue_estimate.minutes
    assert tuple(counts) == expected


def _control(sql: str) -> bool:
    return sql.lstrip().upper().startswith(("SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK TO SAVEPOINT", "BEGIN"))
