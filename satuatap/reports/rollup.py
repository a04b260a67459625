"""Closed local days rolled up into the summary tables (``reports.models``), and kept correct.

A report over a year must not read a year of tickets and their events. Each closed day of a mall (before its service
day today) is summed once into ``DayFigures`` (counts and sums per service, counter, officer and hour), ``DayWaits``
(a histogram of waits and service times to the nearest half minute, by the same places), ``DayCalls`` (calls out of
order per reason), ``DayServiceFigures`` (the figures per service and hour only, for the breakdowns that name no
counter or officer) and ``DayOfficers`` (who was some ticket's officer); ``RolledDay`` says the day is there. A
month whose days are all rolled is merged into ``MonthFigures`` (its figures by the same places), ``MonthWaits``
(its histogram without the hour) and ``MonthServiceWaits`` (that histogram per service only); ``RolledMonth`` says
it is there, so a year's figures and percentiles read twelve months of rows. Rolling a day again forgets its month's
merge. Today is always read from the raw rows.

Nothing is added to the queue's hot path. Every change of a ticket writes a ``TicketEvent``, so a day changed
after its roll-up is found by the events newer than the mall's ``RollupMark``: the day is forgotten and rolled
again. The mark looks back ``OVERLAP`` event ids, for events whose transaction committed after a newer one had.
Rolling happens on demand (``ensure``, called by every report before it reads) and from the worker, once an hour
(``roll_closed_days``), so a report rarely waits for it. ``ensure`` locks the mall's mark while it rolls, so two
reports never roll the same day twice. Within one report (``memo.one_report``) the check is made once per mall and
days: a report page asks for the same days for each of its figures, and reads, never writes, tickets.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from satuatap.directory.hours import service_day
from satuatap.directory.models import Mall
from satuatap.reports import memo, ticket_rows
from satuatap.reports.models import (
    DayCalls,
    DayFigures,
    DayOfficers,
    DayServiceFigures,
    DayWaits,
    MonthFigures,
    MonthServiceWaits,
    MonthWaits,
    RolledDay,
    RolledMonth,
    RollupMark,
)

OVERLAP = 1000
ANALYZE_AFTER_DAYS = 31
WORKER_DAYS = 400  # how far back the worker keeps days rolled (reports roll older days when asked)
# The histogram's resolution: a wait or service time counts as its whole seconds rounded to the nearest half minute
# (a quarter-minute tie away from zero). Whole seconds barely repeat: a year of them is a row a ticket, too many.
HALF_MINUTE = 30
FIGURE_SUMS = list(ticket_rows.FIGURE_COLUMNS)
# Every table this module writes (``RolledDay`` and ``RolledMonth`` say what is in them).
DAY_TABLES = (DayFigures, DayServiceFigures, DayOfficers, DayWaits, DayCalls)
MONTH_TABLES = (MonthFigures, MonthWaits, MonthServiceWaits)
SUMMARY_TABLES = (*DAY_TABLES, *MONTH_TABLES)


def _fetch(sql: str, params: list) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _newest_event(mall: Mall) -> int:
    table = ticket_rows.tables()["event"]
    return _fetch(f"SELECT MAX(id) FROM {table} WHERE mall_id = %s", [mall.pk])[0][0] or 0  # noqa: S608


def _changed_days(mall: Mall, since: int) -> dict[dt.date, int]:
    """The days of the tickets that have events newer than ``since``, with the newest event of each."""
    t = ticket_rows.tables()
    rows = _fetch(
        f"SELECT tk.day, MAX(e.id) FROM {t['event']} e JOIN {t['ticket']} tk ON tk.id = e.ticket_id "  # noqa: S608
        "WHERE e.mall_id = %s AND e.id > %s GROUP BY tk.day",
        [mall.pk, since - OVERLAP],
    )
    return {dt.date.fromisoformat(str(day)): int(newest) for day, newest in rows}


def _stale(mall: Mall, changed: dict[dt.date, int]) -> list[dt.date]:
    """Rolled days with an event newer than their roll-up."""
    rolled = RolledDay.objects.filter(mall=mall, day__in=list(changed)).values_list("day", "event_id")
    return [day for day, event_id in rolled if changed[day] > event_id]


def _missing(mall: Mall, first: dt.date, last: dt.date, target: int) -> list[dt.date]:
    rolled = set(
        RolledDay.objects.filter(mall=mall, day__gte=first, day__lte=last, target_minutes=target).values_list(
            "day", flat=True
        )
    )
    days = (first + dt.timedelta(days=i) for i in range((last - first).days + 1))
    return [day for day in days if day not in rolled]


def _runs(days: list[dt.date]) -> list[tuple[dt.date, dt.date]]:
    """Consecutive days as (first, last) runs, each rolled by one statement per table."""
    runs: list[tuple[dt.date, dt.date]] = []
    for day in sorted(days):
        if runs and runs[-1][1] + dt.timedelta(days=1) == day:
            runs[-1] = (runs[-1][0], day)
        else:
            runs.append((day, day))
    return runs


def _insert(model, columns: list[str], select: str, params: list) -> None:
    names = ", ".join(["mall_id", *columns])
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {model._meta.db_table} ({names}) {select}", params)  # noqa: S608


def _roll(mall: Mall, first: dt.date, last: dt.date, target: int, now: dt.datetime) -> None:
    """Replace the summary rows of the days ``first``..``last`` with fresh sums of their raw rows."""
    newest = _newest_event(mall)  # read first: an event after it makes the day stale, never lost
    days = {"mall": mall, "day__gte": first, "day__lte": last}
    for model in (*DAY_TABLES, RolledDay):
        model.objects.filter(**days).delete()
    _forget_months(mall, first, last)
    places = ", ".join(ticket_rows.PLACE_COLUMNS)
    rows, params = ticket_rows.figures(mall, first, last, target)
    sums = ", ".join(f"SUM({c})" for c in ticket_rows.FIGURE_COLUMNS)
    _insert(
        DayFigures,
        [*ticket_rows.PLACE_COLUMNS, *ticket_rows.FIGURE_COLUMNS],
        f"SELECT %s, {places}, {sums} FROM ({rows}) AS r GROUP BY {places}",  # noqa: S608
        [mall.pk, *params],
    )
    _merge(DayServiceFigures, DayFigures, ["service_id", "hour"], FIGURE_SUMS, mall, (first, last))
    _insert(
        DayOfficers,
        ["day", "officer_id"],
        f"SELECT DISTINCT %s, day, officer_id FROM {DayFigures._meta.db_table} "  # noqa: S608
        "WHERE mall_id = %s AND day >= %s AND day <= %s AND officer_id IS NOT NULL",
        [mall.pk, mall.pk, first.isoformat(), last.isoformat()],
    )
    rows, params = ticket_rows.values(mall, first, last)
    whole = "CAST(ROUND(v * 60) AS integer)"
    seconds = f"(CAST(ROUND({whole} / {HALF_MINUTE}.0) AS integer) * {HALF_MINUTE})"  # ties away from 0 on both
    _insert(
        DayWaits,
        [*ticket_rows.PLACE_COLUMNS, "kind", "seconds", "n"],
        f"SELECT %s, {places}, kind, {seconds}, COUNT(*) FROM ({rows}) AS r "  # noqa: S608
        f"GROUP BY {places}, kind, {seconds}",
        [mall.pk, *params],
    )
    rows, params = ticket_rows.calls(mall, first, last)
    _insert(
        DayCalls,
        ["day", "service_id", "reason", "n"],
        f"SELECT %s, day, service_id, reason, COUNT(*) FROM ({rows}) AS r GROUP BY day, service_id, reason",  # noqa: S608
        [mall.pk, *params],
    )
    RolledDay.objects.bulk_create(
        RolledDay(mall=mall, day=first + dt.timedelta(days=i), target_minutes=target, event_id=newest, rolled_at=now)
        for i in range((last - first).days + 1)
    )


def _month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def month_end(day: dt.date) -> dt.date:
    return (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)


def full_months(first: dt.date, last: dt.date) -> list[dt.date]:
    """The first days of the whole months within ``first``..``last``."""
    month = first if first.day == 1 else month_end(first) + dt.timedelta(days=1)
    found = []
    while month_end(month) <= last:
        found.append(month)
        month = month_end(month) + dt.timedelta(days=1)
    return found


def _forget_months(mall: Mall, first: dt.date, last: dt.date) -> None:
    months = {"mall": mall, "day__gte": _month_start(first), "day__lte": last}
    for model in MONTH_TABLES:
        model.objects.filter(**months).delete()
    RolledMonth.objects.filter(mall=mall, month__gte=_month_start(first), month__lte=last).delete()


def _missing_months(mall: Mall, first: dt.date, last: dt.date) -> list[dt.date]:
    merged = set(
        RolledMonth.objects.filter(mall=mall, month__gte=first, month__lte=last).values_list("month", flat=True)
    )
    return [month for month in full_months(first, last) if month not in merged]


def _merge(target, source, places: list[str], sums: list[str], mall: Mall, days, *, month: bool = False) -> None:
    """``source``'s rows of the days summed into ``target``, one row per day and ``places`` (per ``places`` dated the
    month's first day, when ``month``)."""
    columns = ", ".join(places)
    day, group = ("%s", columns) if month else ("day", f"day, {columns}")
    _insert(
        target,
        ["day", *places, *sums],
        f"SELECT %s, {day}, {columns}, {', '.join(f'SUM({c})' for c in sums)} FROM {source._meta.db_table} "  # noqa: S608
        f"WHERE mall_id = %s AND day >= %s AND day <= %s GROUP BY {group}",
        [mall.pk, *([days[0].isoformat()] if month else []), mall.pk, days[0].isoformat(), days[1].isoformat()],
    )


def _merge_month(mall: Mall, month: dt.date) -> None:
    """The month's ``DayFigures`` and ``DayWaits`` (the latter without the hour) summed, and the latter again without
    the counter and officer: every day rolled before."""
    places = list(ticket_rows.PLACE_COLUMNS[1:])  # all but the day
    days = (month, month_end(month))
    _merge(MonthFigures, DayFigures, places, FIGURE_SUMS, mall, days, month=True)
    _merge(MonthWaits, DayWaits, [*places[:-1], "kind", "seconds"], ["n"], mall, days, month=True)
    _merge(MonthServiceWaits, MonthWaits, ["service_id", "kind", "seconds"], ["n"], mall, days, month=True)
    RolledMonth.objects.create(mall=mall, month=month)


def _forget_changed(mall: Mall, mark: RollupMark) -> None:
    """Forget the rolled days with an event newer than their roll-up, and move the mark past what was seen."""
    changed = _changed_days(mall, mark.event_id)
    stale = _stale(mall, changed)
    RolledDay.objects.filter(mall=mall, day__in=stale).delete()
    for day in stale:
        _forget_months(mall, day, day)
    newest = max(changed.values(), default=mark.event_id)
    if newest > mark.event_id:
        RollupMark.objects.filter(pk=mark.pk).update(event_id=newest)


def _current(mall: Mall, first: dt.date, last: dt.date, target: int) -> bool:
    """True when nothing is to be done: no day missing, none changed, no new event (a read, without a lock)."""
    mark = RollupMark.objects.filter(mall=mall).first()
    if mark is None:
        return False
    changed = _changed_days(mall, mark.event_id)
    if max(changed.values(), default=0) > mark.event_id or _stale(mall, changed):
        return False
    return not _missing(mall, first, last, target) and not _missing_months(mall, first, last)


def ensure(mall: Mall, first: dt.date, last: dt.date, *, now: dt.datetime | None = None) -> None:
    """Every day ``first``..``last`` (closed days only: pass at most yesterday) rolled up and current."""
    now = now or timezone.now()
    target = settings.REPORTS_TARGET_WAIT_MINUTES
    report = memo.current()  # (mall, first, last, target) already ensured while this report is built
    ensured = None if report is None else report.setdefault("rolled up", set())
    if ensured is not None and any(
        (pk, aim) == (mall.pk, target) and a <= first and last <= b for pk, a, b, aim in ensured
    ):
        return
    _ensure(mall, first, last, target, now)
    if ensured is not None:
        ensured.add((mall.pk, first, last, target))


def _ensure(mall: Mall, first: dt.date, last: dt.date, target: int, now: dt.datetime) -> None:
    if _current(mall, first, last, target):
        return
    with transaction.atomic():
        mark, created = RollupMark.objects.select_for_update().get_or_create(
            mall=mall, defaults={"event_id": _newest_event(mall)}
        )
        if not created:  # a new mark starts at the newest event: no day was rolled before it
            _forget_changed(mall, mark)
        runs = _runs(_missing(mall, first, last, target))
        for run_first, run_last in runs:
            _roll(mall, run_first, run_last, target, now)
        for month in _missing_months(mall, first, last):
            _merge_month(mall, month)
    if sum((b - a).days for a, b in runs) > ANALYZE_AFTER_DAYS and connection.vendor == "postgresql":
        with connection.cursor() as cursor:  # fresh statistics, or the planner takes the tables for empty
            for model in (*SUMMARY_TABLES, RolledDay):
                cursor.execute(f"ANALYZE {model._meta.db_table}")


def closed_days(mall: Mall, first: dt.date, last: dt.date, now: dt.datetime | None = None):
    """Split ``first``..``last`` into the closed days (rolled up here first) and the open ones (today, later):
    ``(rolled, raw)``, each a (first, last) pair or None."""
    today = service_day(mall, now or timezone.now())
    closed_last = min(last, today - dt.timedelta(days=1))
    rolled = (first, closed_last) if first <= closed_last else None
    raw = (max(first, today), last) if last >= today else None
    if rolled:
        ensure(mall, *rolled, now=now)
    return rolled, raw


def roll_closed_days(now: dt.datetime | None = None) -> int:
    """The worker's job: every active mall's closed days of the last ``WORKER_DAYS`` rolled up and current."""
    now = now or timezone.now()
    malls = 0
    for mall in Mall.objects.active():
        yesterday = service_day(mall, now) - dt.timedelta(days=1)
        ensure(mall, yesterday - dt.timedelta(days=WORKER_DAYS), yesterday, now=now)
        malls += 1
    return malls
