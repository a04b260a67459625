"""Slots: derived from hours and counters, walk-in share, sessions, holidays, closures, window, switches."""

import datetime as dt

import holidays
import pytest
from django.utils import timezone

from satuatap.booking import bookings, slots
from satuatap.booking.models import ServiceBookingSetting, SlotSession
from satuatap.booking.tests.conftest import NOW, WIB, book, make_bookable, slot_at
from satuatap.directory.models import Closure
from satuatap.refusal import Refused
from satuatap.testing import make_world

pytestmark = pytest.mark.django_db

TOMORROW = NOW.date() + dt.timedelta(days=1)


def test_derived_slots_follow_hours_counters_and_walk_in_share(bworld):
    ktp, paspor = bworld.services["DUKCAPIL-KTP"], bworld.services["IMIGRASI-PASPOR"]
    day = slots.slots_for(ktp, TOMORROW, now=NOW)
    assert day.code == "" and day.reason == ""
    # Open around the clock: 30-minute slots from 00:00; the last that fits before 23:59:59 starts at 23:00.
    assert [s.label for s in day[:2]] == ["00:00–00:30", "00:30–01:00"] and day[-1].label == "23:00–23:30"
    assert len(day) == 47
    # 2 counters x 30 min / 15 min per visit = 4 visits a slot; 30% stay for walk-ins -> 2 bookable places.
    assert {s.capacity for s in day} == {2} and all(s.bookable and s.available == 2 for s in day)
    # One counter: 2 visits, 70% of it -> 1.
    assert {s.capacity for s in slots.slots_for(paspor, TOMORROW, now=NOW)} == {1}
    ServiceBookingSetting.objects.create(service=ktp, minutes_per_visit=10)
    assert {s.capacity for s in slots.slots_for(ktp, TOMORROW, now=NOW)} == {4}  # 6 x 0.7 = 4.2
    policy = bworld.mall.booking_policy
    policy.walk_in_share_percent = 0
    policy.save()
    assert {s.capacity for s in slots.slots_for(ktp, TOMORROW, now=NOW)} == {6}
    policy.walk_in_share_percent = 100
    policy.save()
    assert slots.slots_for(ktp, TOMORROW, now=NOW) == [] and slots.slots_for(ktp, TOMORROW, now=NOW).reason


def test_derived_slots_skip_the_break_and_stop_at_the_issuing_cutoff(db):
    world = make_world(slug="jamkerja", always_open=False)
    make_bookable(world)
    ktp = world.services["DUKCAPIL-KTP"]
    monday, friday, saturday = dt.date(2026, 11, 30), dt.date(2026, 12, 4), dt.date(2026, 12, 5)
    labels = [s.start.strftime("%H:%M") for s in slots.slots_for(ktp, monday, now=NOW)]
    # 08:00-15:30, break 12:00-13:00, issuing stops 30 minutes before closing.
    assert labels == ["08:00", "08:30", "09:00", "09:30", "10:00", "10:30", "11:00", "11:30"] + [
        "13:00",
        "13:30",
        "14:00",
        "14:30",
    ]
    friday_labels = [s.start.strftime("%H:%M") for s in slots.slots_for(ktp, friday, now=NOW)]
    assert friday_labels[:7] == ["08:00", "08:30", "09:00", "09:30", "10:00", "10:30", "11:00"]
    assert friday_labels[7:] == ["13:30", "14:00", "14:30", "15:00"]  # Friday prayer break 11:30-13:30
    closed = slots.slots_for(ktp, saturday, now=NOW)
    assert closed == [] and closed.code == "closed" and "tidak melayani" in closed.reason


def test_walk_in_share_of_the_daily_quota_is_never_bookable(bworld):
    ktp = bworld.services["DUKCAPIL-KTP"]
    ktp.daily_quota = 100
    ktp.save()
    day = slots.slots_for(ktp, TOMORROW, now=NOW)
    # 70 of the 100 numbers a day may be booked, spread over the day; 30 stay for walk-ins.
    assert sum(s.capacity for s in day) == 70
    assert max(s.capacity for s in day) - min(s.capacity for s in day) <= 1
    ktp.daily_quota = 20
    ktp.save()
    day = slots.slots_for(ktp, TOMORROW, now=NOW)
    assert sum(s.capacity for s in day) == 14 and len(day) == 14  # slots left without a place are not offered


def test_slot_sessions_override_the_derived_slots(bworld):
    ktp = bworld.services["DUKCAPIL-KTP"]
    weekday = TOMORROW.weekday()
    SlotSession.objects.create(
        service=ktp, weekday=weekday, starts=dt.time(9), ends=dt.time(11), slot_minutes=20, capacity=5
    )
    SlotSession.objects.create(
        service=ktp, weekday=weekday, starts=dt.time(13), ends=dt.time(13, 50), slot_minutes=20, capacity=1
    )
    day = slots.slots_for(ktp, TOMORROW, now=NOW)
    assert [(s.label, s.capacity) for s in day] == [
        ("09:00–09:20", 5),
        ("09:20–09:40", 5),
        ("09:40–10:00", 5),
        ("10:00–10:20", 5),
        ("10:20–10:40", 5),
        ("10:40–11:00", 5),
        ("13:00–13:20", 1),
        ("13:20–13:40", 1),
    ]
    other_day = slots.slots_for(ktp, TOMORROW + dt.timedelta(days=1), now=NOW)
    assert other_day == [] and other_day.code == "no_session"
    # The KK service has no sessions: still derived from the hours.
    assert len(slots.slots_for(bworld.services["DUKCAPIL-KK"], TOMORROW, now=NOW)) == 47


def _holidays_of(year: int):
    public = holidays.Indonesia(years=year, categories=("public",))
    government = holidays.Indonesia(years=year, categories=("government",))
    national = next(day for day in sorted(public) if day not in government)
    cuti_bersama = next(day for day in sorted(government) if day not in public)
    return national, cuti_bersama


@pytest.mark.parametrize("year", [2026, 2027])
def test_no_slots_on_national_holidays_and_cuti_bersama(bworld, year):
    mall = bworld.mall
    mall.observes_national_holidays = True
    mall.save()
    ktp = bworld.services["DUKCAPIL-KTP"]
    for day in _holidays_of(year):
        now = dt.datetime.combine(day - dt.timedelta(days=3), dt.time(9), tzinfo=WIB)
        found = slots.slots_for(ktp, day, now=now)
        assert found == [] and found.code == "holiday", day
        assert "Libur nasional atau cuti bersama" in found.reason
        open_days = dict(slots.days_open_for_booking(ktp, now=now))
        assert open_days[day] == found.reason
        assert open_days[day - dt.timedelta(days=1)] == "" or (day - dt.timedelta(days=1)) in holidays.Indonesia(
            years=year, categories=("public", "government")
        )
        with pytest.raises(Refused) as err:
            bookings.book(
                ktp,
                dt.datetime.combine(day, dt.time(10), tzinfo=WIB),
                nik="1471011203900001",
                name="Budi",
                phone="081234567890",
                now=now,
            )
        assert err.value.code == "day_closed"
    # A mall that serves on holidays takes bookings then too.
    mall.observes_national_holidays = False
    mall.save()
    national = _holidays_of(year)[0]
    assert slots.slots_for(ktp, national, now=dt.datetime.combine(national, dt.time(0), tzinfo=WIB))


def test_mall_and_service_closures_close_the_day(bworld):
    ktp, kk = bworld.services["DUKCAPIL-KTP"], bworld.services["DUKCAPIL-KK"]
    day = TOMORROW + dt.timedelta(days=2)
    start = dt.datetime.combine(day, dt.time(0), tzinfo=WIB)
    closure = Closure.objects.create(
        mall=bworld.mall, starts_at=start, until_date=day, reason="Pemadaman listrik terjadwal"
    )
    for service in (ktp, kk):
        found = slots.slots_for(service, day, now=NOW)
        assert found == [] and found.code == "closed" and "Pemadaman listrik terjadwal" in found.reason
    assert slots.slots_for(ktp, day + dt.timedelta(days=1), now=NOW)  # the next day is open
    closure.lifted_at = timezone.now()
    closure.save()
    assert slots.slots_for(ktp, day, now=NOW)
    Closure.objects.create(mall=bworld.mall, service=ktp, starts_at=start, until_date=day, reason="Blangko habis")
    assert slots.slots_for(ktp, day, now=NOW).code == "closed"
    assert len(slots.slots_for(kk, day, now=NOW)) == 47  # another service of the same agency is untouched


def test_booking_window_edges(bworld):
    ktp = bworld.services["DUKCAPIL-KTP"]
    policy = bworld.mall.booking_policy
    assert policy.window_days == 14 and policy.min_lead_minutes == 60
    today = NOW.date()
    last = slots.slots_for(ktp, today + dt.timedelta(days=14), now=NOW)
    assert last and all(s.bookable for s in last)
    beyond = slots.slots_for(ktp, today + dt.timedelta(days=15), now=NOW)
    assert beyond == [] and beyond.code == "outside_window" and "14 hari" in beyond.reason
    past = slots.slots_for(ktp, today - dt.timedelta(days=1), now=NOW)
    assert past == [] and past.code == "outside_window"
    # Today at 09:00: slots that began are gone, 09:30 is inside the hour's lead time, 10:00 is exactly an hour.
    today_slots = slots.slots_for(ktp, today, now=NOW)
    assert today_slots[0].label == "09:30–10:00"
    assert not today_slots[0].bookable and today_slots[0].code == "too_close" and "60 menit" in today_slots[0].reason
    assert today_slots[1].label == "10:00–10:30" and today_slots[1].bookable
    with pytest.raises(Refused) as err:
        book(ktp, today_slots[0])
    assert err.value.code == "outside_window" and err.value.status == 422
    assert book(ktp, today_slots[1]).start == today_slots[1].start
    with pytest.raises(Refused) as err:
        book(ktp, dt.datetime.combine(today + dt.timedelta(days=15), dt.time(10), tzinfo=WIB))
    assert err.value.code == "outside_window"
    with pytest.raises(Refused) as err:
        book(ktp, dt.datetime.combine(today + dt.timedelta(days=1), dt.time(10, 7), tzinfo=WIB))
    assert err.value.code == "no_slot"
    days = slots.days_open_for_booking(ktp, now=NOW)
    assert [d for d, _ in days] == [today + dt.timedelta(days=n) for n in range(15)]
    assert all(reason == "" for _, reason in days)


@pytest.mark.parametrize("switch", ["policy", "service_setting", "not_bookable", "archived"])
def test_booking_switched_off_gives_no_slots_and_says_why(bworld, switch):
    ktp = bworld.services["DUKCAPIL-KTP"]
    if switch == "policy":
        bookings.set_booking_enabled(bworld.mall, False, actor=bworld.users["manager"])
    elif switch == "service_setting":
        bookings.set_booking_enabled(bworld.mall, False, service=ktp, actor=bworld.users["manager"])
    elif switch == "not_bookable":
        ktp.bookable = False
        ktp.save()
    else:
        ktp.archived_at = timezone.now()
        ktp.save()
    ktp.refresh_from_db()
    found = slots.slots_for(ktp, TOMORROW, now=NOW)
    assert found == [] and found.code == "booking_closed" and found.reason
    assert all(reason == found.reason for _, reason in slots.days_open_for_booking(ktp, now=NOW))
    with pytest.raises(Refused) as err:
        book(ktp, dt.datetime.combine(TOMORROW, dt.time(10), tzinfo=WIB))
    assert err.value.code == "booking_closed" and err.value.message == found.reason
    # Other services go on.
    assert slots.slots_for(bworld.services["DUKCAPIL-KK"], TOMORROW, now=NOW) or switch == "policy"


def test_full_slots_are_listed_as_full(bworld):
    paspor = bworld.services["IMIGRASI-PASPOR"]  # one place per slot
    slot = slot_at(paspor, TOMORROW, 10)
    book(paspor, slot)
    again = slot_at(paspor, TOMORROW, 10)
    assert (again.capacity, again.available, again.bookable, again.code) == (1, 0, False, "full")
    assert again.reason == "Slot penuh."
    with pytest.raises(Refused) as err:
        book(paspor, slot)
    assert err.value.code == "slot_full" and "penuh" in err.value.message
