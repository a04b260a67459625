"""Walk-ins cannot use up the places of a daily quota that booked citizens still hold."""

import datetime as dt

import pytest

from satuatap.booking import bookings, slots
from satuatap.booking.tests.conftest import NOW, WIB, book
from satuatap.queueing import tickets
from satuatap.refusal import Refused

pytestmark = pytest.mark.django_db

TOMORROW = NOW.date() + dt.timedelta(days=1)


def bookable_slots(service):
    """With a quota, only quota x (100 - walk-in share)% places a day are spread over the slots."""
    return [slot for slot in slots.slots_for(service, TOMORROW, now=NOW) if slot.bookable]


def test_walk_ins_stop_short_of_the_quota_by_the_bookings_not_yet_checked_in(bworld):
    ktp = bworld.services["DUKCAPIL-KTP"]
    ktp.daily_quota = 10
    ktp.save(update_fields=["daily_quota"])
    first_slot, second_slot = bookable_slots(ktp)[:2]
    first, second = book(ktp, first_slot), book(ktp, second_slot)
    morning = dt.datetime.combine(TOMORROW, dt.time(0, 1), tzinfo=WIB)

    walk_ins = [tickets.issue_ticket(ktp, now=morning + dt.timedelta(minutes=i)) for i in range(8)]
    assert [t.number for t in walk_ins][-1] == "A008"
    with pytest.raises(Refused) as refused:
        tickets.issue_ticket(ktp, now=morning + dt.timedelta(minutes=9))
    assert refused.value.code == "quota_reached"

    # Both booked citizens still get their numbers, and then the quota is exactly used.
    assert bookings.check_in(first, now=first_slot.start).number == "A009"
    assert bookings.check_in(second, now=second_slot.start).number == "A010"


def test_a_cancelled_booking_gives_its_place_back_to_walk_ins(bworld):
    ktp = bworld.services["DUKCAPIL-KTP"]
    ktp.daily_quota = 3
    ktp.save(update_fields=["daily_quota"])
    booking = book(ktp, bookable_slots(ktp)[0])  # quota 3: 2 bookable places
    morning = dt.datetime.combine(TOMORROW, dt.time(0, 1), tzinfo=WIB)
    tickets.issue_ticket(ktp, now=morning)
    tickets.issue_ticket(ktp, now=morning)
    with pytest.raises(Refused):
        tickets.issue_ticket(ktp, now=morning)
    bookings.cancel(booking, nik=None, actor=bworld.users["manager"], now=morning)
    assert tickets.issue_ticket(ktp, now=morning).number == "A003"
