"""SKM reporting periods: month, quarter, semester, year or custom dates, as the mall's local days."""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple

from django.utils.translation import gettext_lazy as _

from satuatap.directory.hours import mall_tz

KINDS = {
    "month": _("Bulan"),
    "quarter": _("Triwulan"),
    "semester": _("Semester"),
    "year": _("Tahun"),
    "custom": _("Rentang tanggal"),
}
_MONTHS = {"month": 1, "quarter": 3, "semester": 6, "year": 12}


# Reports cover these days at most: far dates would overflow the period and time zone arithmetic (year 9999 has
# no next year), and no MPP has answers outside them.
EARLIEST, LATEST = dt.date(2000, 1, 1), dt.date(2099, 12, 31)


def in_range(day: dt.date) -> bool:
    return EARLIEST <= day <= LATEST


def bounds(kind: str, day: dt.date) -> tuple[dt.date, dt.date]:
    """First and last day of the period of ``kind`` holding ``day``."""
    months = _MONTHS[kind]
    first_month = (day.month - 1) // months * months + 1
    first = dt.date(day.year, first_month, 1)
    after_month = first_month + months
    after = dt.date(day.year + (after_month - 1) // 12, (after_month - 1) % 12 + 1, 1)
    return first, after - dt.timedelta(days=1)


def as_datetimes(mall, first: dt.date, last: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """[start of ``first``, start of the day after ``last``) in the mall's time zone."""
    tz = mall_tz(mall)
    start = dt.datetime.combine(first, dt.time(0), tzinfo=tz)
    end = dt.datetime.combine(last + dt.timedelta(days=1), dt.time(0), tzinfo=tz)
    return start, end


class Period(NamedTuple):
    """A reporting period: its kind (a key of ``KINDS``) and its first and last local days."""

    kind: str
    first: dt.date
    last: dt.date

    def datetimes(self, mall) -> tuple[dt.datetime, dt.datetime]:
        return as_datetimes(mall, self.first, self.last)


def kind_of(first: dt.date, last: dt.date) -> str:
    """The kind of period ``first``..``last`` is exactly (a whole month, quarter, ...), else "custom"."""
    for kind in _MONTHS:
        if bounds(kind, first) == (first, last):
            return kind
    return "custom"
