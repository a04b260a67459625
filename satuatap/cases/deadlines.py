"""Due dates in the mall's working days (``directory.hours.is_working_day``: weekends, national holidays,
cuti bersama, the mall's closures, in the mall's time zone).

The same counting as the complaints' deadlines (``complaints.complaints.add_working_days``); cases sit in
the same layer and may not import complaints, so the few lines are repeated here.
"""

from __future__ import annotations

import datetime as dt

from satuatap.directory.hours import is_working_day

_YEAR = 366  # a mall closed for a whole year is a data error, not a loop


def add_working_days(mall, start: dt.date, n: int) -> dt.date:
    """The n-th working day after ``start`` (``start`` itself never counts)."""
    day = start
    for _step in range(max(0, n)):
        day += dt.timedelta(days=1)
        for _guard in range(_YEAR):
            if is_working_day(mall, day):
                break
            day += dt.timedelta(days=1)
    return day


def working_days_between(mall, start: dt.date, end: dt.date) -> int:
    """Working days after ``start`` up to and including ``end`` (0 when ``end`` is not after ``start``)."""
    count = 0
    day = start + dt.timedelta(days=1)
    while day <= end:
        count += is_working_day(mall, day)
        day += dt.timedelta(days=1)
    return count
