"""``hours.working_days`` over a range answers each day as ``is_working_day`` does, in two queries."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.db import connection
from django.test.utils import CaptureQueriesContext

from satuatap.directory.hours import is_working_day, working_days
from satuatap.directory.models import Closure
from satuatap.testing import make_world

WIB = ZoneInfo("Asia/Jakarta")


def at(day: dt.date, hour: int = 9) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), WIB)


def test_a_range_agrees_with_each_day_holidays_closures_and_pauses_included(db):
    world = make_world(always_open=False)  # weekdays; Christmas (25 Dec) and its cuti bersama (24 Dec) observed
    mall = world.mall
    first, last = dt.date(2026, 12, 1), dt.date(2027, 1, 10)
    Closure.objects.create(
        mall=mall, starts_at=at(dt.date(2026, 12, 8), 0), until_date=dt.date(2026, 12, 9), reason="a"
    )
    Closure.objects.create(mall=mall, starts_at=at(dt.date(2026, 12, 15), 11), reason="a pause: its own day only")
    Closure.objects.create(mall=mall, starts_at=at(dt.date(2026, 11, 20)), until_date=dt.date(2026, 12, 2), reason="b")
    lifted = Closure.objects.create(mall=mall, starts_at=at(dt.date(2026, 12, 16)), until_date=dt.date(2026, 12, 17))
    Closure.objects.filter(pk=lifted.pk).update(lifted_at=at(dt.date(2026, 12, 16), 10))
    Closure.objects.create(
        mall=mall,
        service=world.services["DUKCAPIL-KTP"],
        starts_at=at(dt.date(2026, 12, 18)),
        until_date=dt.date(2026, 12, 18),
    )
    each = [first + dt.timedelta(days=n) for n in range((last - first).days + 1)]
    expected = [day for day in each if is_working_day(mall, day)]
    with CaptureQueriesContext(connection) as queries:
        found = working_days(mall, first, last)
    assert found == expected
    assert len(queries) == 2
    # Hand count: 1-2 Dec (closed from 20 Nov), 8-9 Dec, 15 Dec (the pause), 24-25 Dec and 1 Jan are not working days.
    assert {dt.date(2026, 12, d) for d in (3, 4, 7, 10, 11, 14, 16, 17, 18)} <= set(found)
    assert not {dt.date(2026, 12, d) for d in (1, 2, 8, 9, 15, 24, 25)} & set(found)
    assert dt.date(2027, 1, 1) not in found and dt.date(2026, 12, 5) not in found  # New Year; a Saturday
