"""Queue numbers follow the mall's own calendar day and never show a gap."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from satuatap.queueing import quota, tickets
from satuatap.queueing.models import QueueSequence, Ticket, TicketStatus
from satuatap.refusal import Refused
from satuatap.testing import make_world, seat

UTC = dt.UTC


def local(zone: str, *args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=ZoneInfo(zone))


@pytest.mark.django_db
@pytest.mark.parametrize(("zone", "offset"), [("Asia/Jayapura", 9), ("Asia/Makassar", 8)])
def test_numbers_restart_at_local_midnight_not_utc_midnight(zone, offset):
    world = make_world(slug="timur", timezone=zone)
    ktp = world.services["DUKCAPIL-KTP"]
    before = tickets.issue_ticket(ktp, now=local(zone, 2026, 3, 2, 23, 58))
    last = tickets.issue_ticket(ktp, now=local(zone, 2026, 3, 2, 23, 59))
    after = tickets.issue_ticket(ktp, now=local(zone, 2026, 3, 3, 0, 1))
    # Local midnight is still the afternoon of the same UTC day.
    assert last.issued_at.astimezone(UTC).date() == after.issued_at.astimezone(UTC).date()
    assert (before.number, last.number, after.number) == ("A001", "A002", "A001")
    assert (last.day, after.day) == (dt.date(2026, 3, 2), dt.date(2026, 3, 3))
    # UTC midnight falls in the local morning: nothing restarts there.
    utc_midnight = dt.datetime(2026, 3, 3, 0, 0, tzinfo=UTC)
    before_utc = tickets.issue_ticket(ktp, now=utc_midnight - dt.timedelta(minutes=1))
    after_utc = tickets.issue_ticket(ktp, now=utc_midnight + dt.timedelta(minutes=1))
    assert before_utc.issued_at.astimezone(ZoneInfo(zone)).hour == offset - 1
    assert (before_utc.day, after_utc.day) == (dt.date(2026, 3, 3), dt.date(2026, 3, 3))
    assert (before_utc.number, after_utc.number) == ("A002", "A003")


@pytest.mark.django_db
def test_a_ticket_issued_at_2359_keeps_its_day_when_served_after_midnight():
    zone = "Asia/Jayapura"
    world = make_world(slug="jayapura", timezone=zone)
    officer = seat(world, 1)
    ktp = world.services["DUKCAPIL-KTP"]
    late = tickets.issue_ticket(ktp, now=local(zone, 2026, 3, 2, 23, 59))
    called = tickets.call_next(world.counters[1], officer, now=local(zone, 2026, 3, 2, 23, 59, 30))
    assert called.pk == late.pk
    tickets.start_service(late, officer, now=local(zone, 2026, 3, 3, 0, 0, 30))
    done = tickets.finish(late, officer, now=local(zone, 2026, 3, 3, 0, 5))
    assert (done.status, done.day, done.number) == (TicketStatus.DONE, dt.date(2026, 3, 2), "A001")
    first_of_new_day = tickets.issue_ticket(ktp, now=local(zone, 2026, 3, 3, 0, 6))
    assert (first_of_new_day.day, first_of_new_day.number) == (dt.date(2026, 3, 3), "A001")


@pytest.mark.django_db
def test_yesterdays_waiting_ticket_is_not_called_into_todays_queue():
    zone = "Asia/Makassar"
    world = make_world(slug="makassar", timezone=zone)
    officer = seat(world, 1)
    ktp = world.services["DUKCAPIL-KTP"]
    stale = tickets.issue_ticket(ktp, now=local(zone, 2026, 3, 2, 23, 59))
    today = tickets.issue_ticket(ktp, now=local(zone, 2026, 3, 3, 0, 2))
    called = tickets.call_next(world.counters[1], officer, now=local(zone, 2026, 3, 3, 0, 3))
    assert called.pk == today.pk
    tickets.finish(called, officer, now=local(zone, 2026, 3, 3, 0, 4))
    assert tickets.call_next(world.counters[1], officer, now=local(zone, 2026, 3, 3, 0, 5)) is None
    stale.refresh_from_db()
    assert (stale.status, stale.day) == (TicketStatus.WAITING, dt.date(2026, 3, 2))


@pytest.mark.django_db
def test_a_reached_quota_refuses_the_next_ticket_and_leaves_no_gap():
    zone = "Asia/Jakarta"
    world = make_world()
    skck = world.services["POLRESTA-SKCK"]
    skck.daily_quota = 3
    skck.save()
    morning = local(zone, 2026, 3, 2, 9, 0)
    issued = [tickets.issue_ticket(skck, now=morning).number for _ in range(3)]
    assert issued == ["D001", "D002", "D003"]
    for _ in range(2):
        with pytest.raises(Refused) as err:
            tickets.issue_ticket(skck, now=morning)
        assert err.value.code == "quota_reached"
    assert Ticket.objects.filter(issued_service=skck).count() == 3
    assert QueueSequence.objects.get(service=skck, day=dt.date(2026, 3, 2)).last_number == 3
    state = quota.open_state(world.mall, morning, service=skck)
    assert (state.serving, state.issuing) == (True, False)
    assert "Kuota" in state.reason
    # The manager raises the quota: the next number follows on, no gap where refusals were.
    skck.daily_quota = 4
    skck.save()
    assert tickets.issue_ticket(skck, now=morning).number == "D004"
    # The next local day starts at 1 again.
    next_day = tickets.issue_ticket(skck, now=local(zone, 2026, 3, 3, 9, 0))
    assert (next_day.day, next_day.number) == (dt.date(2026, 3, 3), "D001")


@pytest.mark.django_db
def test_each_service_counts_its_own_numbers_with_its_own_prefix():
    world = make_world()
    now = local("Asia/Jakarta", 2026, 3, 2, 9, 0)
    ktp, kk = world.services["DUKCAPIL-KTP"], world.services["DUKCAPIL-KK"]
    numbers = [tickets.issue_ticket(s, now=now).number for s in (ktp, kk, ktp, kk, ktp)]
    assert numbers == ["A001", "B001", "A002", "B002", "A003"]


@pytest.mark.django_db
def test_a_transferred_ticket_keeps_its_number_and_the_target_queue_does_not_skip_one():
    world = make_world()
    officer = seat(world, 1)
    now = local("Asia/Jakarta", 2026, 3, 2, 9, 0)
    ktp, paspor = world.services["DUKCAPIL-KTP"], world.services["IMIGRASI-PASPOR"]
    ticket = tickets.issue_ticket(ktp, now=now)
    tickets.call_next(world.counters[1], officer, now=now)
    moved = tickets.transfer(ticket, officer, paspor, now=now)
    assert (moved.number, moved.issued_service_id, moved.service_id) == ("A001", ktp.pk, paspor.pk)
    assert tickets.issue_ticket(paspor, now=now).number == "C001"
