"""The managing-by-numbers figures of a period, computed by the database (issue 13).

Every figure is an SQL aggregate: nothing here loops over tickets. A ticket belongs to the period by its service
day (``Ticket.day``, the mall's local date) and to the agency and service of the queue it is in now (where it was
served, after any transfer). Definitions (``shared/api-contract.md``):

- wait: minutes from issue (a booking's ticket is issued at check-in) to the *first* call (the first CALLED event;
  a transfer resets ``Ticket.called_at``, the event stays); tickets never called have no wait;
- service time: minutes from start to finish of a finished ticket;
- within target: share of the called tickets whose wait is at most ``REPORTS_TARGET_WAIT_MINUTES``;
- percentiles are continuous (PostgreSQL's ``percentile_cont``; see ``dialect.percentile_sql``).

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
from satuatap.reports import dialect

# The breakdowns a report offers, and the SQL key of each (filled in by ``_key_sql``).
GROUPINGS = ("mall", "agency", "service", "counter", "officer", "day", "month", "hour", "weekday_hour")

TICKET_FIGURES = (
    "tickets_issued",
    "served",
    "no_show",
    "cancelled",
    "transferred",
    "called",
    "within_target",
    "bookings",
    "walk_ins",
    "priority",
)


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


def _key_sql(by: str, timezone: str) -> str:
    if by == "mall":
        return "0"
    if by == "agency":
        return "s.agency_id"
    if by == "service":
        return "tk.service_id"
    if by == "counter":
        return "tk.counter_id"
    if by == "officer":
        return "tk.officer_id"
    if by == "day":
        return dialect.date_text("tk.day")
    if by == "month":
        return dialect.month_text("tk.day")
    if by == "hour":
        return dialect.local_hour("tk.issued_at", timezone)
    if by == "weekday_hour":
        return f"({dialect.weekday('tk.day')} * 100 + {dialect.local_hour('tk.issued_at', timezone)})"
    raise ValueError(f"unknown grouping {by!r}")


def _where(selection: Selection, alias: str, day_column: str) -> tuple[str, list]:
    """The WHERE clause of a selection over a table (``alias``) joined to its service ``s``."""
    # The mall's services spelled out lets the planner use the (service, day, ...) indexes of tickets and bookings.
    sql = (
        f"{alias}.mall_id = %s AND {alias}.service_id IN (SELECT s2.id FROM {_tables()['service']} s2 "  # noqa: S608
        f"WHERE s2.mall_id = %s) AND {day_column} >= %s AND {day_column} <= %s"
    )
    params: list = [selection.mall.pk, selection.mall.pk, selection.first.isoformat(), selection.last.isoformat()]
    if selection.agency is not None:
        sql += " AND s.agency_id = %s"
        params.append(selection.agency.pk)
    if selection.service is not None:
        sql += " AND s.id = %s"
        params.append(selection.service.pk)
    return sql, params


def _ticket_rows(selection: Selection, by: str) -> tuple[str, list]:
    """One row per ticket of the selection: its group key, status, source, wait and service time."""
    t = _tables()
    first_call = f"(SELECT MIN(e.at) FROM {t['event']} e WHERE e.ticket_id = tk.id AND e.action = 'called')"  # noqa: S608
    where, params = _where(selection, "tk", "tk.day")
    sql = (
        f"SELECT {_key_sql(by, selection.mall.timezone)} AS k, tk.status AS status, tk.source AS source, "  # noqa: S608
        "CASE WHEN tk.priority_group <> '' THEN 1 ELSE 0 END AS prio, "
        f"{dialect.minutes_between('tk.issued_at', first_call)} AS wait, "
        "CASE WHEN tk.status = 'done' AND tk.started_at IS NOT NULL "
        f"THEN {dialect.minutes_between('tk.started_at', 'tk.finished_at')} END AS svc, "
        f"CASE WHEN EXISTS (SELECT 1 FROM {t['event']} e WHERE e.ticket_id = tk.id AND e.action = 'transferred') "
        "THEN 1 ELSE 0 END AS moved "
        f"FROM {t['ticket']} tk JOIN {t['service']} s ON s.id = tk.service_id WHERE {where}"
    )
    return sql, params


def _fetch(sql: str, params: list) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _count(condition: str) -> str:
    return f"SUM(CASE WHEN {condition} THEN 1 ELSE 0 END)"


def _float(value) -> float | None:
    return None if value is None else float(value)


def ticket_figures(selection: Selection, by: str = "mall") -> dict[object, TicketFigures]:
    """The ticket figures per group key (``GROUPINGS``); groups without tickets are absent.

    Keys: mall 0; agency/service/counter/officer their id (None: no counter or officer); day an ISO date; month
    ``YYYY-MM``;
    hour 0-23; weekday_hour ``weekday * 100 + hour`` (weekday 0 Sunday).
    """
    rows_sql, params = _ticket_rows(selection, by)
    target = settings.REPORTS_TARGET_WAIT_MINUTES
    counts = ", ".join(
        [
            "COUNT(*)",
            _count("status = 'done'"),
            _count("status = 'no_show'"),
            _count("status = 'cancelled'"),
            "SUM(moved)",
            "COUNT(wait)",
            _count("wait <= %s"),
            _count("source = 'booking'"),
            _count("source <> 'booking'"),
            "SUM(prio)",
            "AVG(wait)",
            "AVG(svc)",
        ]
    )
    percentiles = (("p50_wait", "wait", 0.5), ("p90_wait", "wait", 0.9), ("p50_service", "svc", 0.5))
    if dialect.is_postgres():  # one pass: the percentiles beside the counts
        counts += "".join(
            f", percentile_cont({fraction}) WITHIN GROUP (ORDER BY {value})" for _, value, fraction in percentiles
        )
    totals = _fetch(f"SELECT k, {counts} FROM ({rows_sql}) AS r GROUP BY k", [target, *params])  # noqa: S608
    found: dict[object, TicketFigures] = {}
    for row in totals:
        figures = TicketFigures(row[0], *(int(v or 0) for v in row[1:11]))
        figures.avg_wait, figures.avg_service = _float(row[11]), _float(row[12])
        for (attribute, _value, _fraction), p in zip(percentiles, row[13:], strict=False):
            setattr(figures, attribute, _float(p))
        found[row[0]] = figures
    if not dialect.is_postgres():  # SQLite ranks with window functions, one query per percentile
        for attribute, value, fraction in percentiles:
            for key, p in _fetch(dialect.percentile_sql(rows_sql, value, fraction), params):
                setattr(found[key], attribute, _float(p))
    return found


def total(selection: Selection) -> TicketFigures:
    return ticket_figures(selection).get(0) or TicketFigures(0)


def funnel(selection: Selection) -> Funnel:
    """Bookings of the period's days: booked (every booking made for them), cancelled, checked in, called, finished."""
    t = _tables()
    where, params = _where(selection, "b", "b.day")
    called = f"EXISTS (SELECT 1 FROM {t['event']} e WHERE e.ticket_id = b.ticket_id AND e.action = 'called')"  # noqa: S608
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


def _calls_where(selection: Selection) -> tuple[str, list]:
    t = _tables()
    where, params = _where(selection, "tk", "tk.day")
    return (
        f"FROM {t['event']} e JOIN {t['ticket']} tk ON tk.id = e.ticket_id JOIN {t['service']} s "
        f"ON s.id = tk.service_id WHERE e.action = 'called' AND e.reason <> '' AND {where}",
        params,
    )


def out_of_order(selection: Selection) -> dict[str, int]:
    """Calls out of first-come order of the period's tickets, by kind of reason (priority rule, the streak bound
    that lets a regular ticket through, an officer's own choice with a written reason)."""
    source, params = _calls_where(selection)
    kind = "CASE " + " ".join(f"WHEN e.reason LIKE '{like}' THEN '{name}'" for name, like in REASON_KINDS.items())
    kind += " ELSE 'other' END"
    counts = dict(_fetch(f"SELECT {kind} AS reason_kind, COUNT(*) {source} GROUP BY reason_kind", params))
    return {name: int(counts.get(name, 0)) for name in (*REASON_KINDS, "other")}


def officer_reasons(selection: Selection, limit: int = 20) -> list[tuple[str, int]]:
    """The officers' written reasons for calling out of order, most frequent first (the anti-pungli view)."""
    source, params = _calls_where(selection)
    rows = _fetch(
        f"SELECT e.reason, COUNT(*) AS n {source} AND e.reason LIKE 'officer:%%' GROUP BY e.reason "
        f"ORDER BY n DESC, e.reason LIMIT {int(limit)}",
        params,
    )
    return [(reason.removeprefix("officer:"), int(n)) for reason, n in rows]


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
