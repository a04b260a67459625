"""The managing-by-numbers figures of a period, computed by the database (issue 13).

Every figure is an SQL aggregate: nothing here loops over tickets. A ticket belongs to the period by its service
day (``Ticket.day``, the mall's local date) and to the agency and service of the queue it is in now (where it was
served, after any transfer). Definitions (``shared/api-contract.md``):

- wait: minutes from issue (a booking's ticket is issued at check-in) to the *first* call (the first CALLED event;
  a transfer resets ``Ticket.called_at``, the event stays); tickets never called have no wait;
- service time: minutes from start to finish of a finished ticket;
- within target: share of the called tickets whose wait is at most ``REPORTS_TARGET_WAIT_MINUTES``;
- percentiles are continuous (PostgreSQL's ``percentile_cont``), read from counted values (``_percentiles``);
  closed days count each wait and service time to the nearest half minute (``rollup.HALF_MINUTE``), so their
  percentiles have a resolution of 30 seconds; today's are exact.

The SQL is raw (correlated subqueries and percentiles the ORM does not spell); it is assembled from table names
and fixed expressions only, every value goes as a query parameter: hence the ``noqa: S608`` marks.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.db import connection

from satuatap.accounts.models import User
from satuatap.booking.models import Booking
from satuatap.complaints.models import Complaint
from satuatap.directory.models import Agency, Counter, Mall, Service
from satuatap.feedback import ikm, periods
from satuatap.queueing.models import Ticket, TicketEvent
from satuatap.reports import dialect, memo, rollup, ticket_rows
from satuatap.reports.models import (
    DayCalls,
    DayFigures,
    DayOfficers,
    DayServiceFigures,
    DayWaits,
    MonthFigures,
    MonthServiceWaits,
    MonthWaits,
)

# The breakdowns a report offers, and the SQL key of each (filled in by ``_key_sql``).
GROUPINGS = ("mall", "agency", "service", "counter", "officer", "day", "month", "hour", "weekday_hour")

TICKET_FIGURES = ticket_rows.COUNT_COLUMNS


@dataclass
class TicketFigures:
    """The ticket figures of one group (the whole selection, an agency, a day, an hour ...)."""

    key: object = None
    tickets_issued: int = 0
    served: int = 0
    no_show: int = 0
    cancelled: int = 0
    transferred: int = 0
    called: int = 0  # tickets with a first call: the ones whose wait is measured
    within_target: int = 0
    bookings: int = 0
    walk_ins: int = 0
    priority: int = 0
    avg_wait: float | None = None
    p50_wait: float | None = None
    p90_wait: float | None = None
    avg_service: float | None = None
    p50_service: float | None = None
    timed: int = 0  # finished tickets that were started: the ones with a service time
    service_minutes: float = 0.0  # their service times added up

    @property
    def within_target_share(self) -> float | None:
        return self.within_target / self.called if self.called else None

    @property
    def priority_share(self) -> float | None:
        return self.priority / self.tickets_issued if self.tickets_issued else None


@dataclass
class Funnel:
    booked: int = 0
    cancelled: int = 0
    checked_in: int = 0
    called: int = 0
    finished: int = 0


@dataclass
class ComplaintFigures:
    filed: int = 0
    answered: int = 0
    answered_in_time: int = 0  # answered on or before the follow-up deadline (the verification one if none)


@dataclass
class Selection:
    """What a report covers: a mall, its local days ``first``..``last``, optionally one agency or one service."""

    mall: Mall
    first: dt.date
    last: dt.date
    agency: Agency | None = None
    service: Service | None = None

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1

    def previous(self) -> Selection:
        """The period before this one: the previous month (quarter, semester, year) for a whole one, else the
        days of the same number just before."""
        last = self.first - dt.timedelta(days=1)
        kind = periods.kind_of(self.first, self.last)
        if kind != "custom":
            first = periods.bounds(kind, last)[0]
            return Selection(self.mall, first, last, self.agency, self.service)
        return Selection(self.mall, last - dt.timedelta(days=self.days - 1), last, self.agency, self.service)


@dataclass
class Summary:
    selection: Selection
    total: TicketFigures
    funnel: Funnel
    out_of_order: dict[str, int]
    complaints: ComplaintFigures
    ikm: ikm.IkmResult
    previous: Summary | None = None
    reasons: list[tuple[str, int]] = field(default_factory=list)


def _tables():
    return {
        "ticket": Ticket._meta.db_table,
        "event": TicketEvent._meta.db_table,
        "service": Service._meta.db_table,
        "booking": Booking._meta.db_table,
        "complaint": Complaint._meta.db_table,
    }


def _key_sql(by: str) -> str:
    """The group key over a source ``x`` with the place columns (``ticket_rows.PLACE_COLUMNS``) joined to ``s``."""
    keys = {
        "mall": "0",
        "agency": "s.agency_id",
        "service": "x.service_id",
        "counter": "x.counter_id",
        "officer": "x.officer_id",
        "day": dialect.date_text("x.day"),
        "month": dialect.month_text("x.day"),
        "hour": "x.hour",
        "weekday_hour": f"({dialect.weekday('x.day')} * 100 + x.hour)",
    }
    if by not in keys:
        raise ValueError(f"unknown grouping {by!r}")
    return keys[by]


def _scope(selection: Selection) -> tuple[str, list]:
    """The agency or service a selection is narrowed to, over the service ``s``."""
    sql, params = "", []
    if selection.agency is not None:
        sql += " AND s.agency_id = %s"
        params.append(selection.agency.pk)
    if selection.service is not None:
        sql += " AND s.id = %s"
        params.append(selection.service.pk)
    return sql, params


def _summary_rows(model, columns: str, days: tuple[dt.date, dt.date], mall: Mall) -> tuple[str, list]:
    return (
        f"SELECT {columns} FROM {model._meta.db_table} WHERE mall_id = %s AND day >= %s AND day <= %s",  # noqa: S608
        [mall.pk, days[0].isoformat(), days[1].isoformat()],
    )


def _closed_and_today(selection: Selection, model, columns: str, today_rows, today_columns: str) -> tuple[str, list]:
    """One source of rows: ``columns`` of the summary table ``model`` for the selection's closed days, and
    ``today_columns`` of ``today_rows`` (a ``ticket_rows`` function) over the raw rows of today."""
    rolled, raw = rollup.closed_days(selection.mall, selection.first, selection.last)
    parts = []
    if rolled:
        parts.append(_summary_rows(model, columns, rolled, selection.mall))
    if raw:
        rows, params = today_rows(selection.mall, *raw)
        parts.append((f"SELECT {today_columns} FROM ({rows}) AS today", params))  # noqa: S608
    return _union(parts)


def _union(parts: list[tuple[str, list]]) -> tuple[str, list]:
    """The rows of every part (the summary tables' closed days, the raw rows of today) as one source."""
    if not parts:
        return "SELECT NULL AS nothing WHERE 1 = 0", []
    return " UNION ALL ".join(sql for sql, _ in parts), [p for _, params in parts for p in params]


def _grouped(source: tuple[str, list], selection: Selection, by: str, columns: str, tail: str = "") -> list[tuple]:
    """``SELECT k, columns`` over the source joined to its service, narrowed to the selection, grouped by key."""
    scope, scope_params = _scope(selection)
    sql = (
        f"SELECT {_key_sql(by)} AS k, {columns} FROM ({source[0]}) AS x "  # noqa: S608
        f"JOIN {_tables()['service']} s ON s.id = x.service_id WHERE 1 = 1{scope} {tail}"
    )
    return _fetch(sql, [*source[1], *scope_params])


def _figure_source(selection: Selection, rolled, raw, by: str) -> tuple[str, list]:
    """Figure rows of the closed days (the coarsest summary tables that keep ``by``) and of today (the raw rows)."""
    desks = by in DESK_GROUPINGS
    places = ticket_rows.PLACE_COLUMNS if desks else SERVICE_PLACES
    columns = ", ".join([*places, *ticket_rows.FIGURE_COLUMNS])
    tables = (DayFigures if desks else DayServiceFigures, MonthFigures)
    parts = []
    for model, days in _spans(rolled, by, tables, (*MONTH_GROUPINGS, "hour")) if rolled else []:
        parts.append(_summary_rows(model, columns, days, selection.mall))
    if raw:
        target = settings.REPORTS_TARGET_WAIT_MINUTES
        rows, params = ticket_rows.figures(selection.mall, *raw, target)
        parts.append((f"SELECT {columns} FROM ({rows}) AS today", params))  # noqa: S608
    return _union(parts)


# The groupings that name a counter or an officer: read from the summary tables that keep them. The others read the
# tables per service (``DayServiceFigures``, ``MonthServiceWaits``), a fraction of the rows.
DESK_GROUPINGS = ("counter", "officer")
SERVICE_PLACES = ("day", "service_id", "hour")
# The groupings the merged months can answer (``MonthFigures`` keeps the hour, ``MonthWaits`` does not).
MONTH_GROUPINGS = ("mall", "agency", "service", "counter", "officer", "month")


def _spans(rolled: tuple[dt.date, dt.date], by: str, tables: tuple, groupings=MONTH_GROUPINGS) -> list[tuple]:
    """(table, days) covering the closed days: whole months from the month table of ``tables`` (day table, month
    table) where the grouping allows, the days around them from the day table."""
    day_table, month_table = tables
    months = rollup.full_months(*rolled) if by in groupings else []
    if not months:
        return [(day_table, rolled)]
    month_last = rollup.month_end(months[-1])
    spans = [(month_table, (months[0], month_last))]
    if rolled[0] < months[0]:
        spans.append((day_table, (rolled[0], months[0] - dt.timedelta(days=1))))
    if month_last < rolled[1]:
        spans.append((day_table, (month_last + dt.timedelta(days=1), rolled[1])))
    return spans


def _value_source(selection: Selection, rolled, raw, by: str) -> tuple[str, list]:
    """Measured seconds (the place columns, ``kind``, ``v``, ``n`` of them): the histogram of closed days (merged
    months where ``by`` allows), and today's raw values."""
    desks = by in DESK_GROUPINGS
    places = ticket_rows.PLACE_COLUMNS if desks else SERVICE_PLACES
    parts = []
    seconds = f"{dialect.as_float('seconds')} AS v"  # sorted as floats, not numerics: the year's hot sort
    for model, days in _spans(rolled, by, (DayWaits, MonthWaits if desks else MonthServiceWaits)) if rolled else []:
        columns = ", ".join("0 AS hour" if p == "hour" and model is not DayWaits else p for p in places)  # no hour
        parts.append(_summary_rows(model, f"{columns}, kind, {seconds}, n", days, selection.mall))
    if raw:
        rows, params = ticket_rows.values(selection.mall, *raw)
        seconds = dialect.as_float("v * 60")
        parts.append((f"SELECT {', '.join(places)}, kind, {seconds} AS v, 1 AS n FROM ({rows}) AS today", params))  # noqa: S608
    sql, params = _union(parts)
    return f"SELECT {', '.join(places)}, kind, v, n FROM ({sql}) AS measured", params  # noqa: S608


def _fetch(sql: str, params: list) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _float(value) -> float | None:
    return None if value is None else float(value)


# (attribute, kind of value, fraction): kind 0 a wait, 1 a service time.
PERCENTILES = (("p50_wait", 0, 0.5), ("p90_wait", 0, 0.9), ("p50_service", 1, 0.5))


def _percentiles(selection: Selection, by: str, source: tuple[str, list]) -> list[tuple]:
    """(key, kind, fraction, percentile) per group: the continuous percentile (PostgreSQL's ``percentile_cont``,
    linear between the two ranks around ``fraction * (n - 1)``) read from counted values, on both engines."""
    fractions = " UNION ALL ".join(f"SELECT {kind} AS kind, {part} AS fraction" for _, kind, part in PERCENTILES)
    scope, scope_params = _scope(selection)
    histogram = (
        f"SELECT {_key_sql(by)} AS k, x.kind AS kind, x.v AS v, SUM(x.n) AS n FROM ({source[0]}) AS x "  # noqa: S608
        f"JOIN {_tables()['service']} s ON s.id = x.service_id WHERE 1 = 1{scope} GROUP BY k, x.kind, x.v"
    )
    cumulative = (
        "SELECT k, kind, v, SUM(n) OVER (PARTITION BY k, kind ORDER BY v ROWS UNBOUNDED PRECEDING) AS cum, "  # noqa: S608
        f"SUM(n) OVER (PARTITION BY k, kind) AS total FROM ({histogram}) AS h"
    )
    ranked = (
        "SELECT c.k, c.kind, c.v, c.cum, f.fraction, (c.total - 1) * f.fraction AS pos "  # noqa: S608
        f"FROM ({cumulative}) AS c JOIN ({fractions}) AS f ON f.kind = c.kind"
    )
    low = dialect.floor("pos")
    sql = (
        f"SELECT k, kind, fraction, MIN(CASE WHEN cum >= {low} + 1 THEN v END), "  # noqa: S608
        f"MIN(CASE WHEN cum >= {low} + 2 THEN v END), MAX(pos - {low}) FROM ({ranked}) AS r GROUP BY k, kind, fraction"
    )
    found = []
    for key, kind, fraction, low, high, part in _fetch(sql, [*source[1], *scope_params]):
        value = float(low) if high is None or not part else float(low) + (float(high) - float(low)) * float(part)
        found.append((key, int(kind), float(fraction), value / 60))  # counted in seconds, shown in minutes
    return found


def ticket_figures(selection: Selection, by: str = "mall", *, percentiles: bool = True) -> dict[object, TicketFigures]:
    """The ticket figures per group key (``GROUPINGS``); groups without tickets are absent.

    Keys: mall 0; agency/service/counter/officer their id (None: no counter or officer); day an ISO date; month
    ``YYYY-MM``; hour 0-23; weekday_hour ``weekday * 100 + hour`` (weekday 0 Sunday). Closed days come from the
    summary tables (``reports.rollup``), today from the raw rows. Percentiles of closed days are read from a
    histogram to the nearest half minute (a wait of 26 min 40 s counts as 26.5 min); ``percentiles=False`` skips them
    (charts that show counts and means only). Within one report (``memo.one_report``) each is computed once.
    """
    key = ("ticket figures", selection.mall.pk, selection.first, selection.last, selection.agency, selection.service)
    return memo.remembered((*key, by, percentiles), lambda: _ticket_figures(selection, by, percentiles))


def _ticket_figures(selection: Selection, by: str, percentiles: bool) -> dict[object, TicketFigures]:
    rolled, raw = rollup.closed_days(selection.mall, selection.first, selection.last)
    sums = ", ".join(f"SUM(x.{c})" for c in ticket_rows.FIGURE_COLUMNS)
    found: dict[object, TicketFigures] = {}
    for row in _grouped(_figure_source(selection, rolled, raw, by), selection, by, sums, "GROUP BY k"):
        figures = TicketFigures(row[0], *(int(v or 0) for v in row[1:11]))
        wait_sum, service_count, service_sum = row[11], int(row[12] or 0), row[13]
        figures.avg_wait = float(wait_sum) / figures.called if figures.called else None
        figures.timed, figures.service_minutes = service_count, float(service_sum or 0)
        figures.avg_service = figures.service_minutes / service_count if service_count else None
        found[row[0]] = figures
    if percentiles and found:
        attribute = {(kind, fraction): name for name, kind, fraction in PERCENTILES}
        for key, kind, fraction, value in _percentiles(selection, by, _value_source(selection, rolled, raw, by)):
            setattr(found[key], attribute[(kind, fraction)], value)
    return found


def officer_days(selection: Selection) -> tuple[str, list]:
    """SQL of (``u`` officer id, ``d`` day): the days each officer was some ticket's officer in the mall (any
    agency's service), from ``DayOfficers`` for closed days and the raw rows today."""
    sql, params = _closed_and_today(selection, DayOfficers, "officer_id, day", ticket_rows.tickets, "officer_id, day")
    return f"SELECT DISTINCT x.officer_id AS u, x.day AS d FROM ({sql}) AS x WHERE x.officer_id IS NOT NULL", params  # noqa: S608


def total(selection: Selection, *, percentiles: bool = True) -> TicketFigures:
    return ticket_figures(selection, percentiles=percentiles).get(0) or TicketFigures(0)


def _count(condition: str) -> str:
    return f"SUM(CASE WHEN {condition} THEN 1 ELSE 0 END)"


def _where(selection: Selection, alias: str, day_column: str) -> tuple[str, list]:
    """The WHERE clause of a selection over a table (``alias``) joined to its service ``s``."""
    # The mall's services spelled out lets the planner use the (service, day, ...) indexes of bookings.
    sql = (
        f"{alias}.mall_id = %s AND {alias}.service_id IN (SELECT s2.id FROM {_tables()['service']} s2 "  # noqa: S608
        f"WHERE s2.mall_id = %s) AND {day_column} >= %s AND {day_column} <= %s"
    )
    params: list = [selection.mall.pk, selection.mall.pk, selection.first.isoformat(), selection.last.isoformat()]
    scope, scope_params = _scope(selection)
    return sql + scope, params + scope_params


def funnel(selection: Selection) -> Funnel:
    """Bookings of the period's days: booked (every booking made for them), cancelled, checked in, called, finished."""
    t = _tables()
    where, params = _where(selection, "b", "b.day")
    # A ticket with a call time was called; only the others (transferred since, never called) need their events.
    ever = f"EXISTS (SELECT 1 FROM {t['event']} e WHERE e.ticket_id = b.ticket_id AND e.action = 'called')"  # noqa: S608
    called = f"tk.called_at IS NOT NULL OR {ever}"
    counts = ", ".join(
        [
            "COUNT(*)",
            _count("b.status = 'cancelled'"),
            _count("b.checked_in_at IS NOT NULL"),
            _count(called),
            _count("tk.status = 'done'"),
        ]
    )
    row = _fetch(
        f"SELECT {counts} FROM {t['booking']} b JOIN {t['service']} s ON s.id = b.service_id "  # noqa: S608
        f"LEFT JOIN {t['ticket']} tk ON tk.id = b.ticket_id WHERE {where}",
        params,
    )[0]
    return Funnel(*(int(v or 0) for v in row))


REASON_KINDS = {
    "priority": "priority:%%",
    "priority_streak_bound": "priority_streak_bound:%%",
    "officer": "officer:%%",
}


def _calls(selection: Selection, columns: str, tail: str) -> list[tuple]:
    """Calls out of order of the period's tickets (``x.reason``, ``x.n`` of them): closed days summed, today raw."""
    source = _closed_and_today(
        selection, DayCalls, "day, service_id, reason, n", ticket_rows.calls, "day, service_id, reason, 1 AS n"
    )
    return _grouped(source, selection, "mall", columns, tail)


def out_of_order(selection: Selection) -> dict[str, int]:
    """Calls out of first-come order of the period's tickets, by kind of reason (priority rule, the streak bound
    that lets a regular ticket through, an officer's own choice with a written reason)."""
    kind = "CASE " + " ".join(f"WHEN x.reason LIKE '{like}' THEN '{name}'" for name, like in REASON_KINDS.items())
    kind += " ELSE 'other' END"
    rows = _calls(selection, f"{kind} AS reason_kind, SUM(x.n)", "GROUP BY k, reason_kind")
    counts = {reason_kind: n for _, reason_kind, n in rows}
    return {name: int(counts.get(name, 0)) for name in (*REASON_KINDS, "other")}


def officer_reasons(selection: Selection, limit: int = 20) -> list[tuple[str, int]]:
    """The officers' written reasons for calling out of order, most frequent first (the anti-pungli view)."""
    rows = _calls(
        selection,
        "x.reason AS reason, SUM(x.n) AS times",
        f"AND x.reason LIKE 'officer:%%' GROUP BY k, x.reason ORDER BY times DESC, x.reason LIMIT {int(limit)}",
    )
    return [(reason.removeprefix("officer:"), int(n)) for _, reason, n in rows]


def complaint_figures(selection: Selection) -> ComplaintFigures:
    """Complaints filed in the period (a service filter does not apply: complaints name an agency at most)."""
    t = _tables()
    zone = selection.mall.timezone
    filed_on = dialect.local_date("c.created_at", zone)
    answered_on = dialect.local_date("c.answered_at", zone)
    sql = f"c.mall_id = %s AND {filed_on} >= %s AND {filed_on} <= %s"
    params: list = [selection.mall.pk, selection.first.isoformat(), selection.last.isoformat()]
    if selection.agency is not None:
        sql += " AND c.agency_id = %s"
        params.append(selection.agency.pk)
    row = _fetch(
        f"SELECT COUNT(*), {_count('c.answered_at IS NOT NULL')}, "  # noqa: S608
        f"{_count(f'c.answered_at IS NOT NULL AND {answered_on} <= COALESCE(c.follow_up_due, c.verify_due)')} "
        f"FROM {t['complaint']} c WHERE {sql}",
        params,
    )[0]
    return ComplaintFigures(*(int(v or 0) for v in row))


def summarize(selection: Selection, *, with_previous: bool = True) -> Summary:
    """Every figure of the selection, and (by default) the same figures of the period before."""
    window = periods.as_datetimes(selection.mall, selection.first, selection.last)
    result = Summary(
        selection=selection,
        total=total(selection),
        funnel=funnel(selection),
        out_of_order=out_of_order(selection),
        complaints=complaint_figures(selection),
        ikm=ikm.compute(selection.mall, *window, agency=selection.agency, service=selection.service),
        reasons=officer_reasons(selection),
    )
    if with_previous:
        result.previous = summarize(selection.previous(), with_previous=False)
    return result


def labels(by: str, keys) -> dict[object, str]:
    """Readable names for the keys of a breakdown (agency/service code, counter number, officer username)."""
    ids = [k for k in keys if k is not None]
    if by == "agency":
        return dict(Agency.objects.filter(pk__in=ids).values_list("pk", "code"))
    if by == "service":
        return dict(Service.objects.filter(pk__in=ids).values_list("pk", "code"))
    if by == "counter":
        return {pk: str(n) for pk, n in Counter.objects.filter(pk__in=ids).values_list("pk", "number")}
    if by == "officer":
        return dict(User.objects.filter(pk__in=ids).values_list("pk", "username"))
    return {k: str(k) for k in ids}
