"""The raw rows the report figures are made of, one per ticket (or call), as SQL over the queue's tables.

``reports.rollup`` sums these rows per closed day into the summary tables; ``reports.figures`` reads the summary
tables for closed days and these rows for today, so both carry the same columns. Values go as query parameters;
the SQL is assembled from table names and fixed expressions only (hence the ``noqa: S608`` marks).
"""

from __future__ import annotations

import datetime as dt

from satuatap.directory.models import Mall, Service
from satuatap.queueing.models import Ticket, TicketEvent
from satuatap.reports import dialect

# The ticket counts of a day's figures (a ticket counts 1 or 0 in each), then the sums the averages come from:
# together the summed columns of ``reports.models.DayFigures``, in order.
COUNT_COLUMNS = (
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
FIGURE_COLUMNS = (*COUNT_COLUMNS, "wait_sum", "service_count", "service_sum")
# The columns that place a row: a figure row is keyed by all of them, a wait or call row by day and service.
PLACE_COLUMNS = ("day", "service_id", "counter_id", "officer_id", "hour")


def tables() -> dict[str, str]:
    return {"ticket": Ticket._meta.db_table, "event": TicketEvent._meta.db_table, "service": Service._meta.db_table}


def _flag(condition: str) -> str:
    return f"CASE WHEN {condition} THEN 1 ELSE 0 END"


def tickets(mall: Mall, first: dt.date, last: dt.date) -> tuple[str, list]:
    """One row per ticket of the mall's days ``first``..``last``: where it belongs, its status, wait and service."""
    t = tables()
    first_call = f"(SELECT MIN(e.at) FROM {t['event']} e WHERE e.ticket_id = tk.id AND e.action = 'called')"  # noqa: S608
    moved = f"EXISTS (SELECT 1 FROM {t['event']} e WHERE e.ticket_id = tk.id AND e.action = 'transferred')"  # noqa: S608
    prio = _flag("tk.priority_group <> ''")
    sql = (
        "SELECT tk.day AS day, tk.service_id AS service_id, tk.counter_id AS counter_id, "  # noqa: S608
        f"tk.officer_id AS officer_id, {dialect.local_hour('tk.issued_at', mall.timezone)} AS hour, "
        f"tk.status AS status, tk.source AS source, {prio} AS prio, "
        f"{dialect.minutes_between('tk.issued_at', first_call)} AS wait, "
        "CASE WHEN tk.status = 'done' AND tk.started_at IS NOT NULL "
        f"THEN {dialect.minutes_between('tk.started_at', 'tk.finished_at')} END AS svc, {_flag(moved)} AS moved "
        # The mall's services spelled out lets the planner use the (service, day, ...) indexes of tickets.
        f"FROM {t['ticket']} tk WHERE tk.mall_id = %s AND tk.service_id IN "
        f"(SELECT s2.id FROM {t['service']} s2 WHERE s2.mall_id = %s) AND tk.day >= %s AND tk.day <= %s"
    )
    return sql, [mall.pk, mall.pk, first.isoformat(), last.isoformat()]


def figures(mall: Mall, first: dt.date, last: dt.date, target_minutes: int) -> tuple[str, list]:
    """One row per ticket with the place columns and the ``FIGURE_COLUMNS`` (a ticket counts 1 or 0 in each)."""
    rows, params = tickets(mall, first, last)
    values = (
        "1",
        _flag("status = 'done'"),
        _flag("status = 'no_show'"),
        _flag("status = 'cancelled'"),
        "moved",
        _flag("wait IS NOT NULL"),
        _flag("wait <= %s"),
        _flag("source = 'booking'"),
        _flag("source <> 'booking'"),
        "prio",
        "wait",
        _flag("svc IS NOT NULL"),
        "svc",
    )
    columns = ", ".join([*PLACE_COLUMNS, *(f"{v} AS {c}" for v, c in zip(values, FIGURE_COLUMNS, strict=True))])
    return f"SELECT {columns} FROM ({rows}) AS raw", [target_minutes, *params]  # noqa: S608


def values(mall: Mall, first: dt.date, last: dt.date) -> tuple[str, list]:
    """One row per measured minute value: ``kind`` 0 a wait, 1 a service time, ``v`` its minutes."""
    rows, params = tickets(mall, first, last)
    places = ", ".join(PLACE_COLUMNS)
    both = (
        f"SELECT {places}, k.kind AS kind, CASE WHEN k.kind = 0 THEN wait ELSE svc END AS v "  # noqa: S608
        f"FROM ({rows}) AS raw CROSS JOIN (SELECT 0 AS kind UNION ALL SELECT 1) AS k"
    )
    return f"SELECT * FROM ({both}) AS measured WHERE v IS NOT NULL", params  # noqa: S608


def calls(mall: Mall, first: dt.date, last: dt.date) -> tuple[str, list]:
    """One row per call with a written reason (a call out of first-come order) of the tickets of the days."""
    t = tables()
    sql = (
        f"SELECT tk.day AS day, tk.service_id AS service_id, e.reason AS reason FROM {t['event']} e "  # noqa: S608
        f"JOIN {t['ticket']} tk ON tk.id = e.ticket_id WHERE e.action = 'called' AND e.reason <> '' "
        f"AND tk.mall_id = %s AND tk.service_id IN (SELECT s2.id FROM {t['service']} s2 WHERE s2.mall_id = %s) "
        "AND tk.day >= %s AND tk.day <= %s"
    )
    return sql, [mall.pk, mall.pk, first.isoformat(), last.isoformat()]
