"""``open_state``: the one answer to "open now, and why not?", at explicit times.

The world is the office-hours mall: Mon–Thu 08:00–15:30 (break 12:00–13:00),
Fri 08:00–16:00 (Friday prayer break 11:30–13:30), weekend closed, numbers stop
30 minutes before closing, national holidays and cuti bersama observed.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import holidays
import pytest

from satuatap.directory.hours import is_working_day, open_state
from satuatap.directory.models import Closure
from satuatap.testing import make_world

WIB = ZoneInfo("Asia/Jakarta")
MONDAY = dt.date(2026, 3, 2)  # an ordinary week: no holiday from 2 to 8 March 2026
FRIDAY = dt.date(2026, 3, 6)
SATURDAY = dt.date(2026, 3, 7)
INDEPENDENCE_DAY = dt.date(2026, 8, 17)  # a Monday, public holiday
CHRISTMAS_EVE_CUTI = dt.date(2026, 12, 24)  # a Thursday, cuti bersama (government category)


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=WIB)


@pytest.fixture
def office(db):
    return make_world(always_open=False)


def test_open_for_serving_and_issuing_in_office_hours(office):
    state = open_state(office.mall, at(MONDAY, 9))
    assert (state.serving, state.issuing, state.open) == (True, True, True)
    assert state.reason == ""
    assert state.hours_today.startswith("08:00–15:30")


def test_closed_before_opening_says_when_it_opens(office):
    state = open_state(office.mall, at(MONDAY, 7, 59))
    assert (state.serving, state.issuing) == (False, False)
    assert "08:00" in state.reason
    assert open_state(office.mall, at(MONDAY, 8)).issuing


def test_closed_during_the_lunch_break(office):
    for moment in (at(MONDAY, 12), at(MONDAY, 12, 59)):
        state = open_state(office.mall, moment)
        assert (state.serving, state.issuing) == (False, False)
        assert "12:00–13:00" in state.reason
    assert open_state(office.mall, at(MONDAY, 13)).serving


def test_friday_prayer_break_is_longer_and_friday_closes_later(office):
    assert open_state(office.mall, at(MONDAY, 11, 45)).serving
    state = open_state(office.mall, at(FRIDAY, 11, 45))
    assert not state.serving
    assert "11:30–13:30" in state.reason
    assert not open_state(office.mall, at(FRIDAY, 13, 15)).serving
    assert open_state(office.mall, at(FRIDAY, 13, 30)).issuing
    assert open_state(office.mall, at(FRIDAY, 15, 29)).issuing  # Mon–Thu would be past the cutoff


def test_after_the_cutoff_counters_still_serve_but_no_new_numbers(office):
    state = open_state(office.mall, at(MONDAY, 15))
    assert (state.serving, state.issuing) == (True, False)
    assert "15:00" in state.reason
    assert open_state(office.mall, at(MONDAY, 14, 59)).issuing
    friday = open_state(office.mall, at(FRIDAY, 15, 30))
    assert (friday.serving, friday.issuing) == (True, False)


def test_closed_after_closing_time(office):
    state = open_state(office.mall, at(MONDAY, 15, 30))
    assert (state.serving, state.issuing) == (False, False)
    assert state.reason
    assert not open_state(office.mall, at(FRIDAY, 16)).serving


def test_a_day_that_closes_at_23_59_59_runs_to_midnight(db):
    # The always-open demo mall: its last second still issues numbers, and so does the next day's first.
    mall = make_world(slug="nonstop").mall
    last_second = dt.datetime.combine(MONDAY, dt.time(23, 59, 59, 500000), tzinfo=WIB)
    assert open_state(mall, last_second).issuing
    assert open_state(mall, at(MONDAY + dt.timedelta(days=1), 0)).issuing
    # A real cutoff still counts back from midnight.
    mall.issue_cutoff_minutes = 30
    mall.save()
    state = open_state(mall, at(MONDAY, 23, 30))
    assert (state.serving, state.issuing) == (True, False)
    assert "23:30" in state.reason


def test_closed_on_the_weekend(office):
    for day in (SATURDAY, SATURDAY + dt.timedelta(days=1)):
        state = open_state(office.mall, at(day, 10))
        assert (state.serving, state.issuing) == (False, False)
        assert state.reason
        assert not is_working_day(office.mall, day)


def test_open_state_uses_the_malls_own_timezone(db):
    mall = make_world(slug="jayapura", timezone="Asia/Jayapura", always_open=False).mall
    # 07:30 in Jakarta is 09:30 in Jayapura (WIT): Jayapura is open, a WIB mall would not be.
    assert open_state(mall, at(MONDAY, 7, 30)).issuing
    assert not open_state(mall, at(MONDAY, 13, 45)).serving  # 15:45 WIT, closed


def test_closed_on_a_national_holiday_and_the_reason_names_it(office):
    name = holidays.Indonesia(years=2026, categories=("public",), language="id").get(INDEPENDENCE_DAY)
    assert name  # the library knows it
    state = open_state(office.mall, at(INDEPENDENCE_DAY, 10))
    assert (state.serving, state.issuing) == (False, False)
    assert name in state.reason
    assert not is_working_day(office.mall, INDEPENDENCE_DAY)


def test_closed_on_cuti_bersama_and_the_reason_names_it(office):
    # Cuti bersama is in the government category only, not a public holiday.
    assert CHRISTMAS_EVE_CUTI not in holidays.Indonesia(years=2026, categories=("public",))
    name = holidays.Indonesia(years=2026, categories=("public", "government"), language="id").get(CHRISTMAS_EVE_CUTI)
    assert name
    state = open_state(office.mall, at(CHRISTMAS_EVE_CUTI, 10))
    assert (state.serving, state.issuing) == (False, False)
    assert name in state.reason
    assert not is_working_day(office.mall, CHRISTMAS_EVE_CUTI)
    assert is_working_day(office.mall, CHRISTMAS_EVE_CUTI - dt.timedelta(days=1))


def test_a_mall_that_does_not_observe_holidays_stays_open(office):
    office.mall.observes_national_holidays = False
    office.mall.save()
    assert open_state(office.mall, at(INDEPENDENCE_DAY, 10)).issuing
    assert is_working_day(office.mall, INDEPENDENCE_DAY)


def test_a_manual_pause_of_a_service_applies_today_and_lifts_itself_next_opening_day(office):
    ktp, kk = office.services["DUKCAPIL-KTP"], office.services["DUKCAPIL-KK"]
    Closure.objects.create(mall=office.mall, service=ktp, starts_at=at(MONDAY, 10), reason="Server Dukcapil gangguan")
    assert open_state(office.mall, at(MONDAY, 9, 59), service=ktp).issuing  # not yet declared
    paused = open_state(office.mall, at(MONDAY, 10, 30), service=ktp)
    assert (paused.serving, paused.issuing) == (False, False)
    assert "Server Dukcapil gangguan" in paused.reason
    assert open_state(office.mall, at(MONDAY, 10, 30), service=kk).issuing  # other services go on
    assert open_state(office.mall, at(MONDAY, 10, 30)).issuing  # and the mall is open
    assert is_working_day(office.mall, MONDAY)
    assert open_state(office.mall, at(MONDAY + dt.timedelta(days=1), 8), service=ktp).issuing


def test_a_pause_declared_on_friday_is_gone_on_monday(office):
    ktp = office.services["DUKCAPIL-KTP"]
    Closure.objects.create(mall=office.mall, service=ktp, starts_at=at(FRIDAY, 14), reason="Blangko habis")
    assert not open_state(office.mall, at(FRIDAY, 14, 30), service=ktp).serving
    assert open_state(office.mall, at(FRIDAY + dt.timedelta(days=3), 9), service=ktp).issuing


def test_a_multi_day_closure_lasts_until_its_end_date_inclusive(office):
    Closure.objects.create(
        mall=office.mall,
        starts_at=at(MONDAY, 0),
        until_date=MONDAY + dt.timedelta(days=2),
        reason="Renovasi gedung",
    )
    for offset in range(3):
        day = MONDAY + dt.timedelta(days=offset)
        state = open_state(office.mall, at(day, 10))
        assert (state.serving, state.issuing) == (False, False)
        assert "Renovasi gedung" in state.reason
        assert not is_working_day(office.mall, day)
    thursday = MONDAY + dt.timedelta(days=3)
    assert open_state(office.mall, at(thursday, 10)).issuing
    assert is_working_day(office.mall, thursday)


def test_a_lifted_closure_no_longer_closes(office):
    closure = Closure.objects.create(
        mall=office.mall, starts_at=at(MONDAY, 0), until_date=MONDAY + dt.timedelta(days=2), reason="Banjir"
    )
    closure.lifted_at = at(MONDAY, 11)
    closure.save()
    assert open_state(office.mall, at(MONDAY + dt.timedelta(days=1), 10)).issuing


def test_a_service_closure_does_not_make_the_day_a_non_working_day(office):
    Closure.objects.create(
        mall=office.mall,
        service=office.services["IMIGRASI-PASPOR"],
        starts_at=at(MONDAY, 0),
        until_date=FRIDAY,
        reason="Sistem paspor dipindahkan",
    )
    assert is_working_day(office.mall, MONDAY)
    assert not open_state(office.mall, at(MONDAY, 10), service=office.services["IMIGRASI-PASPOR"]).serving


def test_a_counter_closure_does_not_affect_other_counters(office):
    one, two = office.counters[1], office.counters[2]
    Closure.objects.create(mall=office.mall, counter=one, starts_at=at(MONDAY, 8), reason="Loket 1 perbaikan")
    closed = open_state(office.mall, at(MONDAY, 9), counter=one)
    assert (closed.serving, closed.issuing) == (False, False)
    assert "Loket 1 perbaikan" in closed.reason
    assert open_state(office.mall, at(MONDAY, 9), counter=two).serving
    assert open_state(office.mall, at(MONDAY, 9), service=office.services["DUKCAPIL-KTP"]).issuing
    assert is_working_day(office.mall, MONDAY)


def test_working_days_of_an_ordinary_week(office):
    week = [MONDAY + dt.timedelta(days=i) for i in range(7)]
    assert [is_working_day(office.mall, d) for d in week] == [True] * 5 + [False] * 2
