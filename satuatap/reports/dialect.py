"""The few SQL expressions that differ between SQLite and PostgreSQL, for the reports' aggregate queries.

Every report figure is computed by the database; these helpers write the parts whose spelling depends on the
engine: minutes between two timestamps, a timestamp's local date and hour in the mall's zone, a date's weekday,
and a floor. Indonesian zones (WIB, WITA, WIT) have no daylight saving, so SQLite, which knows no zones,
shifts by the zone's fixed offset; PostgreSQL converts with ``AT TIME ZONE``.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.db import connection


def is_postgres() -> bool:
    return connection.vendor == "postgresql"


def _offset_hours(timezone: str) -> int:
    offset = dt.datetime(2026, 1, 1, tzinfo=ZoneInfo(timezone)).utcoffset()
    return int(offset.total_seconds() // 3600)


def _zone_literal(timezone: str) -> str:
    if not all(c.isalnum() or c in "/_-" for c in timezone):  # a Mall.timezone choice; never user text
        raise ValueError(f"unexpected time zone {timezone!r}")
    return f"'{timezone}'"


def minutes_between(start: str, end: str) -> str:
    """Minutes (fractional) from ``start`` to ``end``; NULL when either is NULL."""
    if is_postgres():
        return f"(EXTRACT(EPOCH FROM ({end} - {start})) / 60.0)"
    return f"((julianday({end}) - julianday({start})) * 1440.0)"


def local_date(column: str, timezone: str) -> str:
    """The mall-local date of a timestamp column, comparable with an ISO date string."""
    if is_postgres():
        return f"CAST(({column} AT TIME ZONE {_zone_literal(timezone)}) AS date)"
    return f"date({column}, '{_offset_hours(timezone):+d} hours')"


def local_hour(column: str, timezone: str) -> str:
    """The mall-local hour (0-23) of a timestamp column, as an integer."""
    if is_postgres():
        return f"CAST(EXTRACT(HOUR FROM ({column} AT TIME ZONE {_zone_literal(timezone)})) AS integer)"
    return f"CAST(strftime('%%H', {column}, '{_offset_hours(timezone):+d} hours') AS integer)"


def weekday(date_column: str) -> str:
    """The weekday of a date column, 0 Sunday ... 6 Saturday (both engines' native numbering)."""
    if is_postgres():
        return f"CAST(EXTRACT(DOW FROM {date_column}) AS integer)"
    return f"CAST(strftime('%%w', {date_column}) AS integer)"


def date_text(date_column: str) -> str:
    """A date column as ISO text, so both engines return the same type for grouping keys."""
    if is_postgres():
        return f"to_char({date_column}, 'YYYY-MM-DD')"
    return f"CAST({date_column} AS text)"


def month_text(date_column: str) -> str:
    """A date column's month as ``YYYY-MM`` text."""
    if is_postgres():
        return f"to_char({date_column}, 'YYYY-MM')"
    return f"substr(CAST({date_column} AS text), 1, 7)"


def floor(expression: str) -> str:
    """The largest integer not above a non-negative number (SQLite's CAST truncates; PostgreSQL's would round)."""
    if is_postgres():
        return f"FLOOR({expression})"
    return f"CAST({expression} AS INTEGER)"


def as_float(expression: str) -> str:
    """A number as a double (PostgreSQL's numerics sort several times slower)."""
    if is_postgres():
        return f"CAST({expression} AS double precision)"
    return f"CAST({expression} AS REAL)"
