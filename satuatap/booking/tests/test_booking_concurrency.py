"""Many citizens at once: the last places of a slot are sold exactly once; check-in gives one ticket.

Real threads, real connections, committed transactions (``transaction=True``), so
PostgreSQL's row and advisory locks and SQLite's IMMEDIATE transactions are what
keep the promises. Each thread closes its own connection.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections import Counter as Tally

import pytest
from django.db import connection

from satuatap.booking import bookings
from satuatap.booking.models import Booking, BookingStatus, SlotCapacity, SlotSession
from satuatap.booking.tests.conftest import NOW, WIB, make_bookable, make_nik, make_phone
from satuatap.queueing.models import Ticket
from satuatap.refusal import Refused
from satuatap.testing import make_world

TOMORROW = NOW.date() + dt.timedelta(days=1)
START = dt.datetime.combine(TOMORROW, dt.time(10), tzinfo=WIB)


def run_together(target, args_list) -> list:
    """Run target(*args) in one thread each, released at once; return each result or exception in order."""
    barrier = threading.Barrier(len(args_list))
    results: list = [None] * len(args_list)

    def wrapper(i, args):
        try:
            barrier.wait()
            results[i] = target(*args)
        except BaseException as exc:  # reported to the test thread
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=wrapper, args=(i, args)) for i, args in enumerate(args_list)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def _book(service, nik, phone, start=START, key=None):
    return bookings.book(service, start, nik=nik, name="Warga", phone=phone, idempotency_key=key, now=NOW)


def _world_with_a_five_place_slot():
    world = make_world()
    make_bookable(world)
    service = world.services["DUKCAPIL-KTP"]
    SlotSession.objects.create(
        service=service, weekday=TOMORROW.weekday(), starts=dt.time(10), ends=dt.time(12), slot_minutes=30, capacity=5
    )
    return world, service


@pytest.mark.django_db(transaction=True)
def test_twelve_citizens_racing_for_the_last_three_places():
    world, service = _world_with_a_five_place_slot()
    for _ in range(2):  # two places already taken
        _book(service, make_nik(), make_phone())
    racers = [(service, make_nik(), make_phone()) for _ in range(12)]

    results = run_together(_book, racers)

    won = [r for r in results if isinstance(r, Booking)]
    lost = [r for r in results if not isinstance(r, Booking)]
    assert len(won) == 3, results
    assert all(isinstance(r, Refused) for r in lost), lost
    assert Tally(r.code for r in lost) == {"slot_full": 9}
    assert all("penuh" in r.message for r in lost)
    assert SlotCapacity.objects.get(service=service, start=START).booked == 5
    assert Booking.objects.filter(service=service, start=START, status=BookingStatus.ACTIVE).count() == 5
    assert len({b.code for b in won}) == 3


@pytest.mark.django_db(transaction=True)
def test_the_same_submit_sent_eight_times_at_once_books_once():
    world, service = _world_with_a_five_place_slot()
    nik, phone = make_nik(), make_phone()

    results = run_together(_book, [(service, nik, phone, START, "one-form")] * 8)

    assert all(isinstance(r, Booking) for r in results), results
    assert len({r.pk for r in results}) == 1
    assert Booking.objects.count() == 1
    assert SlotCapacity.objects.get(service=service, start=START).booked == 1


@pytest.mark.django_db(transaction=True)
def test_one_nik_grabbing_many_slots_at_once_gets_one_a_day_and_the_weekly_limit():
    world, service = _world_with_a_five_place_slot()
    nik = make_nik()
    same_day = [(service, nik, make_phone(), START + dt.timedelta(minutes=30 * i)) for i in range(4)]

    results = run_together(_book, same_day)

    assert sum(isinstance(r, Booking) for r in results) == 1, results
    assert Tally(r.code for r in results if not isinstance(r, Booking)) == {"duplicate_day": 3}

    # Five days of one week at once (NOW is a Monday; the default limit is 3 a week).
    other, kk = make_nik(), world.services["DUKCAPIL-KK"]
    mornings = [dt.datetime.combine(NOW.date() + dt.timedelta(days=d), dt.time(9), tzinfo=WIB) for d in range(1, 6)]
    days = [(kk, other, make_phone(), start) for start in mornings]
    results = run_together(_book, days)
    assert sum(isinstance(r, Booking) for r in results) == 3, results
    assert Tally(r.code for r in results if not isinstance(r, Booking)) == {"weekly_limit": 2}


@pytest.mark.django_db(transaction=True)
def test_two_kiosks_checking_in_one_booking_at_once_give_one_ticket():
    world, service = _world_with_a_five_place_slot()
    booking = _book(service, make_nik(), make_phone())
    kiosk = world.users["kiosk"]
    at = START - dt.timedelta(minutes=5)

    results = run_together(lambda: bookings.check_in(Booking.objects.get(pk=booking.pk), now=at, actor=kiosk), [()] * 4)

    assert all(isinstance(r, Ticket) for r in results), results
    assert len({t.pk for t in results}) == 1
    assert Ticket.objects.count() == 1
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CHECKED_IN and booking.ticket_id == results[0].pk
