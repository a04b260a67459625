import datetime as dt

import pytest

from satuatap.queueing import tickets
from satuatap.queueing.models import TicketEvent, TicketStatus
from satuatap.refusal import Refused
from satuatap.testing import seat


def test_numbers_follow_the_service_prefix_and_count_up(world):
    ktp = world.services["DUKCAPIL-KTP"]
    numbers = [tickets.issue_ticket(ktp).number for _ in range(3)]
    assert numbers == ["A001", "A002", "A003"]


def test_call_next_takes_the_oldest_waiting_ticket_of_the_counters_services(world):
    officer = seat(world, 1)
    first = tickets.issue_ticket(world.services["DUKCAPIL-KK"])
    tickets.issue_ticket(world.services["DUKCAPIL-KTP"])
    called = tickets.call_next(world.counters[1], officer)
    assert called.pk == first.pk
    assert called.status == TicketStatus.CALLED
    assert called.counter_id == world.counters[1].pk


def test_call_next_returns_none_when_nobody_waits(world):
    officer = seat(world, 3)
    tickets.issue_ticket(world.services["DUKCAPIL-KTP"])  # another agency's queue
    assert tickets.call_next(world.counters[3], officer) is None


def test_officer_cannot_call_at_a_counter_they_are_not_signed_in_at(world):
    seat(world, 1)
    with pytest.raises(Refused) as err:
        tickets.call_next(world.counters[1], world.users["officer2"])
    assert err.value.status == 403


def test_a_counter_finishes_its_ticket_before_calling_the_next(world):
    officer = seat(world, 1)
    for _ in range(2):
        tickets.issue_ticket(world.services["DUKCAPIL-KTP"])
    ticket = tickets.call_next(world.counters[1], officer)
    with pytest.raises(Refused) as err:
        tickets.call_next(world.counters[1], officer)
    assert err.value.code == "counter_busy"
    tickets.start_service(ticket, officer)
    done = tickets.finish(ticket, officer)
    assert done.status == TicketStatus.DONE
    assert tickets.call_next(world.counters[1], officer).number == "A002"


def test_priority_goes_first_but_is_bounded_and_recorded(world):
    mall = world.mall
    mall.max_priority_streak = 2
    mall.save()
    officer = seat(world, 1)
    ktp = world.services["DUKCAPIL-KTP"]
    regular = tickets.issue_ticket(ktp)
    elders = [tickets.issue_ticket(ktp, priority_group="lansia") for _ in range(3)]
    order = []
    for _ in range(4):
        t = tickets.call_next(world.counters[1], officer)
        order.append(t.pk)
        tickets.finish(t, officer)
    assert order == [elders[0].pk, elders[1].pk, regular.pk, elders[2].pk]
    reasons = dict(TicketEvent.objects.filter(action="called").values_list("ticket_id", "reason"))
    assert reasons[elders[0].pk] == "priority:lansia"
    assert reasons[regular.pk] == ""  # it was the oldest: plain first come, first served


def test_a_regular_ticket_passing_older_priority_tickets_records_the_bound(world):
    world.mall.max_priority_streak = 1
    world.mall.save()
    officer = seat(world, 1)
    ktp = world.services["DUKCAPIL-KTP"]
    elders = [tickets.issue_ticket(ktp, priority_group="lansia") for _ in range(2)]
    regular = tickets.issue_ticket(ktp)
    for expected in (elders[0], regular, elders[1]):
        t = tickets.call_next(world.counters[1], officer)
        assert t.pk == expected.pk
        tickets.finish(t, officer)
    event = TicketEvent.objects.get(ticket=regular, action="called")
    assert event.reason == "priority_streak_bound:1"


def test_unknown_priority_group_is_refused_and_issues_nothing(world):
    with pytest.raises(Refused):
        tickets.issue_ticket(world.services["DUKCAPIL-KTP"], priority_group="vip")
    assert tickets.issue_ticket(world.services["DUKCAPIL-KTP"]).number == "A001"


def test_transfer_keeps_the_number_and_history(world):
    officer = seat(world, 1)
    other = seat(world, 3)
    ticket = tickets.issue_ticket(world.services["DUKCAPIL-KTP"])
    tickets.call_next(world.counters[1], officer)
    moved = tickets.transfer(ticket, officer, world.services["IMIGRASI-PASPOR"])
    assert moved.status == TicketStatus.WAITING and moved.number == "A001"
    called = tickets.call_next(world.counters[3], other)
    assert called.pk == ticket.pk
    actions = list(ticket.events.order_by("id").values_list("action", flat=True))
    assert actions == ["issued", "called", "transferred", "called"]


def test_numbers_restart_at_the_malls_own_midnight(db):
    from satuatap.testing import make_world

    world = make_world(slug="jayapura", timezone="Asia/Jayapura")
    service = world.services["DUKCAPIL-KTP"]
    # 23:59 in Jayapura (UTC+9) is 14:59 UTC: the ticket keeps its local day.
    late = tickets.issue_ticket(service, now=dt.datetime(2026, 3, 2, 14, 59, tzinfo=dt.UTC))
    # 00:01 local on the next day is still the previous day in UTC.
    early = tickets.issue_ticket(service, now=dt.datetime(2026, 3, 2, 15, 1, tzinfo=dt.UTC))
    assert late.day == dt.date(2026, 3, 2)
    assert early.day == dt.date(2026, 3, 3)
    assert (late.number, early.number) == ("A001", "A001")


def test_an_officer_cannot_leave_a_counter_that_holds_a_ticket(world):
    officer = seat(world, 1)
    ticket = tickets.issue_ticket(world.services["DUKCAPIL-KTP"])
    tickets.call_next(world.counters[1], officer)
    with pytest.raises(Refused) as err:
        tickets.sign_out(world.counters[1], officer)
    assert err.value.code == "counter_busy"
    tickets.finish(ticket, officer)
    assert tickets.sign_out(world.counters[1], officer).officer_id is None


def test_an_officer_may_call_a_ticket_out_of_order_only_with_a_recorded_reason(world):
    officer = seat(world, 1)
    ktp = world.services["DUKCAPIL-KTP"]
    first, second = tickets.issue_ticket(ktp), tickets.issue_ticket(ktp)
    with pytest.raises(Refused) as err:
        tickets.call_ticket(world.counters[1], officer, second.number, reason="  ")
    assert err.value.code == "reason_required"
    called = tickets.call_ticket(world.counters[1], officer, "a002", reason="warga kembali dari fotokopi")
    assert called.pk == second.pk and called.status == TicketStatus.CALLED
    event = TicketEvent.objects.get(ticket=second, action="called")
    assert event.reason == "officer:warga kembali dari fotokopi"
    tickets.finish(called, officer)
    assert tickets.call_next(world.counters[1], officer).pk == first.pk


def test_calling_a_number_that_is_not_waiting_in_the_counters_queues_is_refused(world):
    officer = seat(world, 1)
    paspor = tickets.issue_ticket(world.services["IMIGRASI-PASPOR"])  # another agency's queue
    with pytest.raises(Refused) as err:
        tickets.call_ticket(world.counters[1], officer, paspor.number, reason="coba")
    assert err.value.code == "not_waiting"
    paspor.refresh_from_db()
    assert paspor.status == TicketStatus.WAITING and not TicketEvent.objects.filter(action="called").exists()
