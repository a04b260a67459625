"""Wait estimates: how long until a ticket is called, from the live queue (read only).

The formula, in minutes until the ticket is called::

    ahead   = waiting tickets the counters of this service will call before it, in the queue's own
              order (priority groups first, then first come, as ``snapshots.position``); tickets of
              the other services those counters also serve count too (a counter calls across its
              services), each weighted by the share of that service's staffed counters that also
              serve this one (the share of them these counters will take)
    s_t     = mean minutes from call to finish of service t's finished tickets: its last 20
              finished, only those of the last 2 hours when there are at least 5 of them; with no
              finished ticket today, the published duration if it is given in minutes, else 6.
              The mean, not the median: a wait is a sum of service times, and service times are
              skewed (a few long ones), so the median would underestimate it.
    s       = the mean s_t of the tickets ahead (weighted as above); its own s_t when none
    staffed = counters serving the service, not archived, with an officer signed in and not shut
              by a counter closure; if none is staffed: all its counters (at least 1)
    free    = staffed counters holding no ticket right now
    wait    = 0                                  if ahead < free   (a free counter takes it)
            = (ahead - free + 0.5) x s / staffed  otherwise
    wait    = wait / (1 - load), for a regular ticket: priority tickets arriving meanwhile go ahead;
              load = (priority tickets issued at these counters in the last hour / 60) x s / staffed,
              at most 0.5

The ``+ 0.5``: the ticket needs ``ahead - free + 1`` counters to free up; the first of
``staffed`` busy counters frees up after about half a service time, then one every
``s / staffed`` minutes. A break (istirahat) that starts inside the wait, or the time
until opening or until the end of a break already running, is added. The result is
rounded to whole minutes (half up), at least 1 when the ticket must wait for a counter.

In one line, for screens: tickets ahead x recent service time / counters on duty.

Not modelled: the priority streak bound (a regular ticket sometimes goes before a
priority one), officers who sign in or leave later, the officer's pause between a
finish and the next call, no-shows ahead (each costs a short call, not a service).
How good the estimate is gets measured, not assumed: ``issue_ticket`` stamps the
estimate on the ticket (``predicted_wait_minutes``),
``satuatap.reports.estimate_accuracy`` compares it with the first call, and
``bench/wait_estimates.py`` measures it on a simulated day.

Every function takes ``now`` so "recent" and "today" follow the caller's clock (the
bench simulates a day through these same functions).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
import re
import statistics
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import NamedTuple

from django.db import connection
from django.db.models import Count, Exists, F, OuterRef, Q, Window
from django.db.models.functions import RowNumber

from satuatap.directory import cached, stamp
from satuatap.directory.hours import hours_on, local_now, mall_closures_on, or_now, service_day
from satuatap.directory.models import Counter, Mall, Service
from satuatap.queueing import statements
from satuatap.queueing.models import AT_COUNTER_STATUSES, Ticket, TicketStatus

DEFAULT_SERVICE_MINUTES = 6.0
RECENT_SAMPLE = 20  # the last N finished tickets of the service ...
RECENT_WINDOW = dt.timedelta(hours=2)  # ... only those finished in this window ...
RECENT_MIN_IN_WINDOW = 5  # ... when the window holds at least this many
PRIORITY_RATE_WINDOW = dt.timedelta(hours=1)  # priority arrivals per minute, over this past window
MAX_PRIORITY_LOAD = 0.5  # cap on the share of counter time priority arrivals are assumed to take
_MINUTES = re.compile(r"(\d+(?:[.,]\d+)?)\s*menit", re.IGNORECASE)


@dataclass(frozen=True)
class Estimate:
    minutes: int  # what screens show and what issue_ticket stamps
    position: int  # waiting tickets of its own service queue before it (as snapshots.position)
    ahead: float  # waiting tickets before it at its counters (other services' by the share those counters take)
    staffed: int  # counters used in the division (see the module docstring)
    free: int
    service_minutes: float
    from_history: bool  # s came from finished tickets (not the fallback)
    pause_minutes: float = 0.0


ZERO = Estimate(minutes=0, position=0, ahead=0, staffed=0, free=0, service_minutes=0.0, from_history=False)


def fallback_minutes(service: Service) -> float:
    """The published duration when it is given in minutes ("15 menit"), else the default."""
    return _fallback(service.duration)


def _pick_recent(rows: list[tuple[dt.datetime, dt.datetime]], now: dt.datetime) -> list[float]:
    """Minutes of the last RECENT_SAMPLE rows (newest first), the window's ones if there are enough."""
    latest = rows[:RECENT_SAMPLE]
    in_window = [(start, end) for start, end in latest if end >= now - RECENT_WINDOW]
    chosen = in_window if len(in_window) >= RECENT_MIN_IN_WINDOW else latest
    return [(end - start).total_seconds() / 60 for start, end in chosen]


def _recent_by_service(fallbacks: dict[int, float], day: dt.date, now: dt.datetime) -> dict[int, tuple[float, bool]]:
    """(minutes per ticket, from history?) per service id of ``fallbacks`` (its fallback minutes), in one query."""
    rows: dict[int, list] = defaultdict(list)
    finished = (
        Ticket.objects.filter(
            service__in=list(fallbacks),
            day=day,
            status=TicketStatus.DONE,
            called_at__isnull=False,
            finished_at__lte=now,
        )
        # Only the last RECENT_SAMPLE of each service leave the database.
        .annotate(rank=Window(RowNumber(), partition_by=F("service_id"), order_by=F("finished_at").desc()))
        .filter(rank__lte=RECENT_SAMPLE)
        .order_by("service_id", "-finished_at")
        .values_list("service_id", "called_at", "finished_at")
    )
    for service_id, start, end in finished:
        rows[service_id].append((start, end))
    result = {}
    for service_id, fallback in fallbacks.items():
        minutes = _pick_recent(rows.get(service_id, []), now)
        # The mean, not the median: see the module docstring.
        result[service_id] = (statistics.fmean(minutes), True) if minutes else (fallback, False)
    return result


def recent_service_minutes(service: Service, now: dt.datetime | None = None) -> float:
    """The ``s`` of the formula for one service."""
    now = or_now(now)
    day = service_day(service.mall, now)
    minutes, _from_history = _recent_by_service({service.pk: fallback_minutes(service)}, day, now)[service.pk]
    return minutes


@dataclass
class _Counters:
    pool: set  # ids of every service the counters of this service serve (itself included)
    staffed: int = 0
    total: int = 0
    free: int = 0
    # Per pool service: the share of its (staffed) counters that also serve this service, i.e.
    # about the share of its waiting tickets this service's counters will take.
    weights: dict = field(default_factory=dict)


def _fallback(duration: str) -> float:
    match = _MINUTES.search(duration or "")
    value = float(match.group(1).replace(",", ".")) if match else 0.0
    return value if value > 0 else DEFAULT_SERVICE_MINUTES


def _counters_by_service(
    mall: Mall, services: dict[int, str], today: dt.date, now: dt.datetime
) -> tuple[dict[int, _Counters], dict[int, float]]:
    """Per service id: its counters (staffed, free, total) and the services they serve, in one query.

    ``services`` maps each service id to its published duration; ``today`` is the mall's
    service day at ``now`` (for closures); the second result maps every service of the
    pools to its fallback minutes.
    """
    through = Counter.services.through
    live = Q(counter__archived_at__isnull=True, service__archived_at__isnull=True)
    serving = through.objects.filter(live, service_id__in=list(services)).values("counter_id")
    pool = through.objects.filter(live, counter_id__in=serving).values("service_id")
    closures = mall_closures_on(mall, today).filter(starts_at__lte=now)
    rows = list(
        through.objects.filter(live, service_id__in=pool)
        .annotate(
            busy=Exists(Ticket.objects.filter(counter_id=OuterRef("counter_id"), status__in=AT_COUNTER_STATUSES)),
            closed=Exists(closures.filter(counter_id=OuterRef("counter_id"))),
        )
        .values_list("counter_id", "service_id", "service__duration", "counter__officer_id", "busy", "closed")
    )
    return _counters_from_rows(services, rows)


def _counters_from_rows(services: dict[int, str], rows) -> tuple[dict[int, _Counters], dict[int, float]]:
    """``_counters_by_service`` from its rows: (counter, service, duration, officer, busy, closed)."""
    fallbacks = {service_id: _fallback(duration) for service_id, duration in services.items()}
    services_of: dict[int, set] = defaultdict(set)
    state: dict[int, tuple[bool, bool]] = {}
    for counter_id, service_id, duration, officer_id, busy, closed in rows:
        services_of[counter_id].add(service_id)
        fallbacks.setdefault(service_id, _fallback(duration))
        staffed = officer_id is not None and not closed
        state[counter_id] = (staffed, staffed and not busy)

    def counters_of(service_id: int) -> list[int]:
        return [c for c, served in services_of.items() if service_id in served]

    def share(mine: list[int], theirs: list[int]) -> float:
        staffed = [c for c in theirs if state[c][0]] or theirs
        return sum(1 for c in staffed if c in mine) / len(staffed) if staffed else 1.0

    result = {}
    for service_id in services:
        mine = counters_of(service_id)
        info = _Counters(pool={service_id})
        for counter_id in mine:
            staffed, free = state[counter_id]
            info.total += 1
            info.staffed += staffed
            info.free += free
            info.pool |= services_of[counter_id]
        info.weights = {sid: 1.0 if sid == service_id else share(mine, counters_of(sid)) for sid in info.pool}
        result[service_id] = info
    return result, fallbacks


class Pause(NamedTuple):
    """Closed time inside a wait starting at a given instant: ``fixed`` minutes whatever the wait (until
    opening, the rest of a running break), plus ``break_minutes`` when a break starts ``gap`` minutes in
    and the wait is longer than that (``gap`` None: no break ahead)."""

    fixed: float = 0.0
    gap: float | None = None
    break_minutes: float = 0.0

    def minutes(self, wait: float) -> float:
        return self.fixed + (self.break_minutes if self.gap is not None and self.gap < wait else 0.0)


def _pause(mall: Mall, hours, now: dt.datetime) -> Pause:
    """The closed time a wait from ``now`` runs into: until opening, the rest of a running break, or a break ahead."""
    if hours is None:
        return Pause()
    local = local_now(mall, now)
    day = local.date()

    def at(t: dt.time) -> dt.datetime:
        return dt.datetime.combine(day, t, tzinfo=local.tzinfo)

    def minutes(delta: dt.timedelta) -> float:
        return delta.total_seconds() / 60

    fixed = 0.0
    if local < at(hours.opens):
        fixed += minutes(at(hours.opens) - local)
        local = at(hours.opens)
    if hours.break_start and hours.break_end:
        start, end = at(hours.break_start), at(hours.break_end)
        if start <= local < end:
            return Pause(fixed + minutes(end - local))
        if local < start:
            return Pause(fixed, minutes(start - local), minutes(end - start))
    return Pause(fixed)


def _combine(
    mall: Mall,
    service_id: int,
    before: dict[int, int],
    counters: _Counters,
    recent: dict[int, tuple[float, bool]],
    now: dt.datetime,
    priority_rate: float = 0.0,
    hours=None,
    pause: Pause | None = None,
) -> Estimate:
    """The formula, from the tickets ahead per service of the pool (``before``).

    ``priority_rate``: priority tickets per minute expected to arrive and go ahead (0 for a priority ticket).
    """
    own_minutes, from_history = recent[service_id]
    # Tickets of other services count by the share of them these counters will take.
    weighted = {sid: n * counters.weights.get(sid, 1.0) for sid, n in before.items()}
    ahead = sum(weighted.values())
    work = sum(n * recent[sid][0] for sid, n in weighted.items())
    per_ticket = work / ahead if ahead else own_minutes
    staffed = counters.staffed or counters.total or 1
    free = counters.free if counters.staffed else 0
    wait = 0.0 if ahead < free else (ahead - free + 0.5) * per_ticket / staffed
    # Priority tickets arriving while it waits go ahead: each minute of waiting lets in
    # priority_rate more, each taking per_ticket / staffed: the wait grows by 1 / (1 - load).
    load = min(MAX_PRIORITY_LOAD, priority_rate * per_ticket / staffed)
    wait /= 1 - load
    pause = (pause if pause is not None else _pause(mall, hours, now)).minutes(wait)
    total = wait + pause
    minutes = 0 if total <= 0 else max(1, math.floor(total + 0.5))
    return Estimate(
        minutes=minutes,
        position=before.get(service_id, 0),
        ahead=ahead,
        staffed=staffed,
        free=free,
        service_minutes=own_minutes,
        from_history=from_history,
        pause_minutes=pause,
    )


def _waiting_counts(mall: Mall, day: dt.date, pool: set, before: Q, now: dt.datetime) -> dict[int, dict]:
    """Per service of the pool, in one query: priority tickets waiting, regular/priority ones ``before``,
    and priority tickets issued in the last PRIORITY_RATE_WINDOW (whatever their status)."""
    regular, priority = Q(priority_group=""), ~Q(priority_group="")
    waiting = Q(status=TicketStatus.WAITING)
    recent = Q(issued_at__gt=now - PRIORITY_RATE_WINDOW, issued_at__lte=now)
    rows = (
        Ticket.objects.filter(mall=mall, day=day, service_id__in=pool)
        .filter(waiting | (priority & recent))
        .values("service_id")
        .annotate(
            priority_all=Count("id", filter=waiting & priority),
            priority_before=Count("id", filter=waiting & priority & before),
            regular_before=Count("id", filter=waiting & regular & before),
            priority_recent=Count("id", filter=priority & recent),
        )
    )
    return {row["service_id"]: row for row in rows}


def _priority_rate(counts: dict[int, dict], counters: _Counters) -> float:
    """Priority tickets per minute lately, over the pool (they will go ahead of a regular ticket)."""
    recent = sum(row["priority_recent"] * counters.weights.get(sid, 1.0) for sid, row in counts.items())
    return recent / (PRIORITY_RATE_WINDOW.total_seconds() / 60)


def _ahead(counts: dict[int, dict], pool: set, is_priority: bool) -> dict[int, int]:
    """Tickets called before this one, per service of the pool (priority groups go first)."""

    def before(row) -> int:
        if is_priority:
            return row["priority_before"]
        return row["regular_before"] + row["priority_all"]

    return {sid: before(counts[sid]) for sid in pool if sid in counts}


def _estimates(
    mall: Mall,
    services: list[Service],
    now: dt.datetime,
    before: Q,
    *,
    is_priority: bool = False,
    day: dt.date | None = None,
) -> dict[int, Estimate]:
    """The formula for a ticket of each of ``services`` (one per service), in three queries.

    ``before``: which waiting tickets were queued before it; ``day``: its queue's day (default:
    the mall's service day at ``now``, which closures always use).
    """
    today = service_day(mall, now)
    day = today if day is None else day
    counters, fallbacks = _counters_by_service(mall, {s.pk: s.duration for s in services}, today, now)
    pool = set().union(*(c.pool for c in counters.values()))
    counts = _waiting_counts(mall, day, pool, before, now)
    recent = _recent_by_service({sid: fallbacks[sid] for sid in pool}, day, now)
    hours = hours_on(mall, today)
    result = {}
    for service in services:
        info = counters[service.pk]
        rate = 0.0 if is_priority else _priority_rate({sid: counts[sid] for sid in info.pool if sid in counts}, info)
        before_by_service = _ahead(counts, info.pool, is_priority)
        result[service.pk] = _combine(mall, service.pk, before_by_service, info, recent, now, rate, hours)
    return result


def estimate_new(
    service: Service,
    *,
    priority_group: str = "",
    queued_at: dt.datetime | None = None,
    now: dt.datetime | None = None,
) -> Estimate:
    """The estimate for a ticket about to join ``service``'s queue at ``queued_at`` (three queries)."""
    now = or_now(now)
    before = Q(queued_at__lte=queued_at or now)
    return _estimates(service.mall, [service], now, before, is_priority=bool(priority_group))[service.pk]


def estimate_ticket(ticket: Ticket, *, now: dt.datetime | None = None) -> Estimate:
    """The live estimate of a ticket; zero unless it is waiting (three queries)."""
    if ticket.status != TicketStatus.WAITING:
        return ZERO
    now = or_now(now)
    before = Q(queued_at__lt=ticket.queued_at) | Q(queued_at=ticket.queued_at, id__lt=ticket.pk)
    service = ticket.service
    return _estimates(service.mall, [service], now, before, is_priority=bool(ticket.priority_group), day=ticket.day)[
        service.pk
    ]


def estimate_services(mall: Mall, services, *, now: dt.datetime | None = None) -> dict[int, Estimate]:
    """Per service id: the estimate for a regular ticket taken now (the kiosk's list), in three queries."""
    now = or_now(now)
    services = list(services)
    if not services:
        return {}
    return _estimates(mall, services, now, Q(queued_at__lte=now))


# The estimate at issue (the kiosk's issue, the busiest request): the same formula, its inputs split in two.
#
# Slow figures change a few times an hour: which counters serve which services, the durations, the
# closures and hours (``directory.cached``), each counter's officer, each service's last finished
# tickets' mean service time (as ``_pick_recent`` chooses them, averaged in the database) and its
# priority arrivals of the past hour. They are read in one statement per mall and kept
# in the process for SLOW_SECONDS of the caller's ``now`` (not the wall clock: the simulated day moves
# ``now`` fast), dropped at once when the directory's stamp moves. Fast figures are exact at every
# issue: the waiting tickets of the pool, each counter's officer and whether it holds a ticket. They
# ride in the issue's own statement (PostgreSQL: ``ISSUE_ESTIMATE_SQL``, which also computes the
# stamped minutes; SQLite: ``Reading.sql`` inside the number's upsert). A counter whose officer
# signed in or out since the slow read (the fast read sees it) has the pool's figures recomputed at once.

SLOW_SECONDS = 60.0  # a slow read serves the ``now`` values from its own to this many seconds later
FIGURE_COLUMNS = ("kind", "key", "a", "b", "c", "x", "y")  # the rows of ``Reading.sql``


@dataclass
class _Slow:
    """The slow figures of a mall's services and counters, as read at ``at``."""

    at: dt.datetime
    day: dt.date
    services: frozenset  # the services read
    officer: dict  # per counter: its officer's id or None
    shut: frozenset  # counters shut by a closure at ``at``
    recent: dict  # per service with finished tickets: the mean minutes ``_pick_recent`` would give
    priority_recent: dict  # per service: priority tickets issued in the PRIORITY_RATE_WINDOW before ``at``
    hours: object
    pools: dict = field(default_factory=dict)  # per service id: its _Pool, made on first use

    def serves(self, day: dt.date, now: dt.datetime, service_id: int) -> bool:
        return (
            day == self.day
            and self.at <= now < self.at + dt.timedelta(seconds=SLOW_SECONDS)
            and service_id in self.services
        )


@dataclass(frozen=True)
class _Pool:
    """A service's part of the slow figures, ready for the arithmetic."""

    rows: tuple  # (counter, service, duration) of every counter of the pool
    counter_ids: tuple  # the pool's counters: the fast read brings their officer and whether they are busy
    staffed: frozenset  # the pool's counters staffed at the slow read (``info`` and ``rate`` assume these)
    info: _Counters  # ``free`` counts every staffed counter of the service: recounted at issue
    mine_staffed: tuple  # the service's staffed counters: free = those of them holding no ticket
    recent: dict  # per pool service: (minutes per ticket, from history?)
    rate: float  # priority tickets per minute lately (for a regular ticket)


_slow_figures = stamp.Cache("wait estimate figures")
_pool_rows_of = stamp.Cache("wait estimate pools")


def _kept_slow(mall: Mall, service_id: int, today: dt.date, now: dt.datetime) -> tuple[dict, _Slow | None]:
    """The mall's slow figures if the kept ones serve ``now`` (else None), and where to keep new ones."""
    holder = _slow_figures.get(mall.pk, dict)
    slow = holder.get("slow")
    return holder, slow if slow is not None and slow.serves(today, now, service_id) else None


def _slow_parts(mall: Mall, service_id: int) -> tuple[list[int], list[int]]:
    """The services and counters a slow read of the mall covers."""
    through = cached.mall_counter_services(mall.pk)
    return sorted({s for _c, s, _d in through} | {service_id}), sorted({c for c, _s, _d in through})


def _read_slow(mall: Mall, service_id: int, today: dt.date, now: dt.datetime) -> _Slow:
    """The slow figures in one statement of their own."""
    services, counters = _slow_parts(mall, service_id)
    sql, params = _slow_sql(today, services, counters, now)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return _slow_from_rows(mall, services, today, now, cursor.fetchall())


def _slow_from_rows(mall: Mall, services: list[int], today: dt.date, now: dt.datetime, rows) -> _Slow:
    """The slow figures from the rows of ``_slow_sql`` (columns ``FIGURE_COLUMNS``; other kinds are skipped)."""
    officer, recent, priority = {}, {}, {}
    for kind, key, a, b, _c, mean_all, mean_window in rows:
        if kind == "o":
            officer[key] = a
        elif kind == "p":
            priority[key] = int(a)
        elif kind == "r" and a:  # the window's mean when it holds enough, else the last ones'
            recent[key] = float(mean_window if b >= RECENT_MIN_IN_WINDOW else mean_all)
    shut = frozenset(c.counter_id for c in cached.closures_on(mall, today) if c.counter_id and c.starts_at <= now)
    hours = hours_on(cached.with_hours(mall), today)
    return _Slow(now, today, frozenset(services), officer, shut, recent, priority, hours)


def _slow_sql(day: dt.date, services: list[int], counters: list[int], now: dt.datetime) -> tuple[str, dict]:
    """One read of the slow figures (columns ``FIGURE_COLUMNS``): each counter's officer (rows ``'o'``),
    each service's priority arrivals of the past hour (``'p'``) and its last RECENT_SAMPLE finished tickets
    (``'r'``). Each part walks an index of its own rows, so it does not grow with the tickets done that day."""
    ops = connection.ops
    params = {
        "day": ops.adapt_datefield_value(day),
        "now": ops.adapt_datetimefield_value(now),
        "since": ops.adapt_datetimefield_value(now - PRIORITY_RATE_WINDOW),
        "window": ops.adapt_datetimefield_value(now - RECENT_WINDOW),
        "sample": RECENT_SAMPLE,
    }
    services_sql = _in_list("s", services, params)
    counters_sql = _in_list("c", counters or [0], params)
    sql = f"""
        SELECT 'o' AS kind, c.id AS key, c.officer_id AS a, CAST(NULL AS BIGINT) AS b, CAST(NULL AS BIGINT) AS c,
            {_NO_FLOAT} AS x, {_NO_FLOAT} AS y
        FROM directory_counter c WHERE c.id IN {counters_sql}
        UNION ALL
        SELECT 'p', t.service_id, COUNT(*), NULL, NULL, {_NO_FLOAT}, {_NO_FLOAT}
        FROM queueing_ticket t
        WHERE t.service_id IN {services_sql} AND t.day = %(day)s AND t.priority_group <> ''
            AND t.issued_at > %(since)s AND t.issued_at <= %(now)s
        GROUP BY t.service_id
        UNION ALL
        {_recent_runs_sql(services_sql)}
    """  # noqa: S608 (constants and placeholders only; every value is a parameter)
    return sql, params


def _recent_runs_sql(services_sql: str) -> str:
    """Per service, over its last RECENT_SAMPLE finished tickets: how many, how many finished in the
    RECENT_WINDOW, the mean minutes of all of them and of the window's (rows ``'r'`` of ``_slow_sql``: what
    ``_pick_recent`` and the mean make of the same tickets, without a timestamp leaving the database).

    PostgreSQL reads at most that many entries per service from ``ticket_done_recent_idx`` (a LATERAL
    join with LIMIT); SQLite, which has no LATERAL, numbers the day's finished tickets of the services."""
    done = "t.day = %(day)s AND t.status = 'done' AND t.called_at IS NOT NULL AND t.finished_at <= %(now)s"
    in_window = "r.finished_at >= %(window)s"
    if connection.vendor == "postgresql":
        minutes = "EXTRACT(EPOCH FROM r.finished_at - r.called_at)::float8 / 60"
        return f"""SELECT 'r', s.id, COUNT(*), COUNT(*) FILTER (WHERE {in_window}), NULL,
                AVG({minutes}), AVG({minutes}) FILTER (WHERE {in_window})
            FROM directory_service s CROSS JOIN LATERAL (
                SELECT t.called_at, t.finished_at FROM queueing_ticket t
                WHERE t.service_id = s.id AND {done} ORDER BY t.finished_at DESC LIMIT %(sample)s
            ) r WHERE s.id IN {services_sql} GROUP BY s.id"""  # noqa: S608 (constants and placeholders only)
    # Whole microseconds from the stored text ("YYYY-MM-DD HH:MM:SS[.ffffff]", UTC), as timedelta counts them.
    micro = "strftime('%%s', r.{0}) * 1000000 + CAST(substr(r.{0}, 21) AS INTEGER)"
    minutes = f"CAST({micro.format('finished_at')} - ({micro.format('called_at')}) AS REAL) / 1000000.0 / 60.0"
    return f"""SELECT 'r', r.service_id, COUNT(*), SUM(CASE WHEN {in_window} THEN 1 ELSE 0 END), NULL,
            AVG({minutes}), AVG(CASE WHEN {in_window} THEN {minutes} END) FROM (
            SELECT t.service_id, t.called_at, t.finished_at,
                ROW_NUMBER() OVER (PARTITION BY t.service_id ORDER BY t.finished_at DESC) AS rank
            FROM queueing_ticket t WHERE t.service_id IN {services_sql} AND {done}
        ) r WHERE r.rank <= %(sample)s GROUP BY r.service_id"""  # noqa: S608 (constants and placeholders only)


def _pool_rows(mall: Mall, service: Service) -> tuple[tuple, tuple, list]:
    """The pool's (counter, service, duration) rows, its counters and its services (from ``directory.cached``)."""

    def load():
        through = cached.mall_counter_services(mall.pk)
        mine = {c for c, s, _d in through if s == service.pk}
        services = {s for c, s, _d in through if c in mine} | {service.pk}
        rows = tuple(row for row in through if row[1] in services)
        return rows, tuple(sorted({c for c, _s, _d in rows})), sorted(services)

    return _pool_rows_of.get((mall.pk, service.pk), load)


def _pool(slow: _Slow, mall: Mall, service: Service) -> _Pool:
    """The service's part of the slow figures (made once per slow read)."""
    found = slow.pools.get(service.pk)
    if found is not None:
        return found
    rows, counter_ids, _services = _pool_rows(mall, service)
    mine = {c for c, s, _d in rows if s == service.pk}
    staffed = frozenset(c for c in counter_ids if slow.officer.get(c) is not None and c not in slow.shut)
    info, fallbacks = _pool_counters(service, rows, staffed, busy=frozenset())
    recent = {}
    for sid in info.pool:
        found_minutes = slow.recent.get(sid)
        fallback = fallbacks.get(sid, DEFAULT_SERVICE_MINUTES)
        recent[sid] = (found_minutes, True) if found_minutes is not None else (fallback, False)
    found = _Pool(
        rows=rows,
        counter_ids=counter_ids,
        staffed=staffed,
        info=info,
        mine_staffed=tuple(sorted(mine & staffed)),
        recent=recent,
        rate=_rate(slow.priority_recent, info),
    )
    slow.pools[service.pk] = found
    return found


def _pool_counters(service: Service, rows, staffed: frozenset, busy: frozenset) -> tuple[_Counters, dict]:
    """``_counters_from_rows`` for the service, from the pool's rows and which counters are staffed and busy."""
    # A staffed counter is signed in and not shut ("closed" stands for both: the rows' officer is a flag).
    full_rows = [(c, s, d, 1 if c in staffed else None, c in busy, False) for c, s, d in rows]
    counters, fallbacks = _counters_from_rows({service.pk: service.duration}, full_rows)
    return counters[service.pk], fallbacks


def _rate(priority_recent: dict, info: _Counters) -> float:
    """``_priority_rate`` from the pool's priority arrivals of the past hour."""
    recent = sum(priority_recent.get(sid, 0) * info.weights.get(sid, 1.0) for sid in info.pool)
    return recent / (PRIORITY_RATE_WINDOW.total_seconds() / 60)


class Reading(NamedTuple):
    """What an estimate at issue reads and how it becomes the ``Estimate``.

    ``sql`` with ``params`` is the read on its own (rows of ``FIGURE_COLUMNS``): the fast figures, plus the
    slow ones when the process has none for ``now``. SQLite sends it inside the number's upsert, ``run``
    alone; with ``inline=True`` they are empty. ``inline`` (the slow figures then read first when due) are the
    parameters of ``ISSUE_ESTIMATE_SQL``, which PostgreSQL's issue statement runs instead (``figure_rows``
    turns what it returns into rows of the same read). ``estimate`` turns the rows into the ``Estimate``."""

    sql: str
    params: dict
    inline: dict
    estimate: Callable[[list], Estimate]


def estimate_at_issue(
    service: Service,
    *,
    priority_group: str = "",
    queued_at: dt.datetime | None = None,
    now: dt.datetime | None = None,
) -> Estimate:
    """``estimate_new`` from the slow figures this process keeps and one read (see above)."""
    return run(reading_at_issue(service, priority_group=priority_group, queued_at=queued_at, now=now))


def run(reading: Reading) -> Estimate:
    """The estimate of a ``Reading``, its read sent on its own."""
    with connection.cursor() as cursor:
        cursor.execute(reading.sql, reading.params)
        return reading.estimate(cursor.fetchall())


def reading_at_issue(
    service: Service,
    *,
    priority_group: str = "",
    queued_at: dt.datetime | None = None,
    now: dt.datetime | None = None,
    inline: bool = False,
) -> Reading:
    """``estimate_at_issue`` before its read runs (the issue sends it in its own statement)."""
    now = or_now(now)
    mall = service.mall
    today = service_day(mall, now)
    holder, slow = _kept_slow(mall, service.pk, today, now)
    if slow is None and inline:
        slow = holder["slow"] = _read_slow(mall, service.pk, today, now)
    is_priority = bool(priority_group)
    before = queued_at or now
    if inline:  # the issue statement reads the fast figures itself (``ISSUE_ESTIMATE_SQL``): no read of its own
        sql, params = "", {}
    else:
        _rows, counter_ids, services = _pool_rows(mall, service)
        sql, params = _fast_sql(today, services, counter_ids, before)
    slow_services = None
    if slow is None:  # the slow figures ride in the same read
        slow_services, slow_counters = _slow_parts(mall, service.pk)
        slow_sql, slow_params = _slow_sql(today, slow_services, slow_counters, now)
        sql, params = f"{sql} UNION ALL {slow_sql}", {**params, **slow_params}
    pause = _pause(mall, slow.hours if slow is not None else hours_on(cached.with_hours(mall), today), now)

    def estimate(figures: list) -> Estimate:
        kept = slow
        if kept is None:
            kept = holder["slow"] = _slow_from_rows(mall, slow_services, today, now, figures)
        pool = _pool(kept, mall, service)
        officer, busy, counts = {}, set(), {}
        for kind, key, a, b, c, _x, _y in figures:
            if kind == "c":
                officer[key] = a
                if b:
                    busy.add(key)
            elif kind == "w":
                counts[key] = {"priority_all": int(a), "priority_before": int(b), "regular_before": int(c)}
        staffed = frozenset(c for c in pool.counter_ids if officer.get(c) is not None and c not in kept.shut)
        if staffed == pool.staffed:
            info = dataclasses.replace(pool.info, free=sum(1 for c in pool.mine_staffed if c not in busy))
            rate = pool.rate
        else:  # an officer signed in or out since the slow read: this pool's figures again, from what was read
            info, _fallbacks = _pool_counters(service, pool.rows, staffed, frozenset(busy))
            rate = _rate(kept.priority_recent, info)
            kept.officer.update(officer)
            kept.pools.clear()  # every pool made from the old officers
        rate = 0.0 if is_priority else rate
        before_by_service = _ahead(counts, info.pool, is_priority)
        return _combine(mall, service.pk, before_by_service, info, pool.recent, now, rate, pause=pause)

    return Reading(sql, params, _inline(slow, mall, service, is_priority, before, pause) if inline else {}, estimate)


def _inline(slow: _Slow, mall: Mall, service: Service, is_priority: bool, before, pause: Pause) -> dict:
    """The parameters of ``ISSUE_ESTIMATE_SQL``: the slow figures the formula takes as they are."""
    pool = _pool(slow, mall, service)
    info = pool.info
    services = sorted(info.pool)
    return {
        "e_services": statements.array_text(services),
        "e_weights": statements.array_text(info.weights.get(sid, 1.0) for sid in services),
        "e_minutes": statements.array_text(pool.recent[sid][0] for sid in services),
        "e_counters": statements.array_text(pool.counter_ids),
        "e_before": connection.ops.adapt_datetimefield_value(before),
        "e_priority": is_priority,
        "e_own": pool.recent[service.pk][0],
        "e_staffed": info.staffed or info.total or 1,
        "e_free": statements.array_text(pool.mine_staffed if info.staffed else ()),
        "e_rate": 0.0 if is_priority else pool.rate,
        "e_max_load": MAX_PRIORITY_LOAD,
        "e_pause": pause.fixed,
        "e_gap": pause.gap,
        "e_break": pause.break_minutes,
    }


def _fast_sql(day: dt.date, pool: list[int], counter_ids, before: dt.datetime) -> tuple[str, dict]:
    """The fast read (rows of ``FIGURE_COLUMNS``): each counter of the pool with its officer and whether it
    holds a ticket (``'c'``, key, officer, busy), the waiting tickets per service of the pool (``'w'``, key,
    priority ones, priority ones queued by ``before``, regular ones queued by ``before``)."""
    ops = connection.ops
    params = {"e_day": ops.adapt_datefield_value(day), "e_before": ops.adapt_datetimefield_value(before)}
    pool_sql = _in_list("e_s", pool, params)
    counters_sql = _in_list("e_c", counter_ids or [0], params)
    priority, before_sql = "t.priority_group <> ''", "t.queued_at <= %(e_before)s"

    def count(condition: str) -> str:
        return f"SUM(CASE WHEN {condition} THEN 1 ELSE 0 END)"

    sql = f"""
        SELECT 'c' AS kind, c.id AS key, c.officer_id AS a,
            CASE WHEN EXISTS (SELECT 1 FROM queueing_ticket b WHERE b.counter_id = c.id
                AND b.status IN ('called', 'serving')) THEN 1 ELSE 0 END AS b, 0 AS c,
            {_NO_FLOAT} AS x, {_NO_FLOAT} AS y
        FROM directory_counter c WHERE c.id IN {counters_sql}
        UNION ALL
        SELECT 'w', t.service_id, {count(priority)}, {count(f"{priority} AND {before_sql}")},
            {count(f"t.priority_group = '' AND {before_sql}")}, {_NO_FLOAT}, {_NO_FLOAT}
        FROM queueing_ticket t
        WHERE t.service_id IN {pool_sql} AND t.day = %(e_day)s AND t.status = 'waiting'
        GROUP BY t.service_id
    """  # noqa: S608 (constants and placeholders only; every value is a parameter)
    return sql, params


# PostgreSQL: the fast read and the formula inside the issue's statement (``statements.issue`` puts these
# CTEs before its own; ``%(day)s`` is the ticket's day, the ``e_*`` parameters are ``Reading.inline``). The
# waiting counts come from ``WaitingTally`` (kept by triggers), less the waiting tickets queued after this
# one (a booking checked in before its slot; usually none: the tail of ``ticket_waiting_pick_idx``, per service):
# the read costs the same whatever the queue's length, where counting the queue grew with it. The
# arithmetic is ``_combine``'s, in the same order; ``estimate`` holds the minutes to stamp and the figures
# read (``figure_rows``), from which ``Reading.estimate`` builds the ``Estimate`` (``tickets`` re-stamps
# the rare ticket where the two differ: an officer signed in or out since the slow read).
ISSUE_ESTIMATE_SQL = """
    e_tally AS (
        SELECT w.service_id AS sid, COALESCE(SUM(w.waiting) FILTER (WHERE w.priority), 0) AS priority,
            COALESCE(SUM(w.waiting) FILTER (WHERE NOT w.priority), 0) AS regular
        FROM queueing_waitingtally w
        WHERE w.service_id = ANY(%(e_services)s::bigint[]) AND w.day = %(day)s AND w.waiting > 0
        GROUP BY w.service_id
    ), e_waiting AS (
        SELECT a.sid, a.priority AS priority_all, a.priority - l.priority AS priority_before,
            a.regular - l.regular AS regular_before
        FROM e_tally a CROSS JOIN LATERAL (
            SELECT COUNT(*) FILTER (WHERE t.priority_group <> '') AS priority,
                COUNT(*) FILTER (WHERE t.priority_group = '') AS regular
            FROM queueing_ticket t
            WHERE t.service_id = a.sid AND t.day = %(day)s AND t.status = 'waiting' AND t.queued_at > %(e_before)s
        ) l
    ), e_counters AS (
        SELECT c.id, c.officer_id, EXISTS (SELECT 1 FROM queueing_ticket b WHERE b.counter_id = c.id
            AND b.status IN ('called', 'serving')) AS busy
        FROM directory_counter c WHERE c.id = ANY(%(e_counters)s::bigint[])
    ), e_ahead AS (
        SELECT COALESCE(SUM(w.n * p.w), 0) AS ahead, COALESCE(SUM(w.n * p.w * p.m), 0) AS work
        FROM unnest(%(e_services)s::bigint[], %(e_weights)s::float8[], %(e_minutes)s::float8[]) AS p (sid, w, m)
        JOIN (SELECT sid, CASE WHEN %(e_priority)s THEN priority_before ELSE regular_before + priority_all END AS n
              FROM e_waiting) w ON w.sid = p.sid
    ), e_per AS (
        SELECT a.ahead, f.free, CASE WHEN a.ahead > 0 THEN a.work / a.ahead ELSE %(e_own)s::float8 END AS per
        FROM e_ahead a, (SELECT COUNT(*) AS free FROM e_counters WHERE id = ANY(%(e_free)s::bigint[]) AND NOT busy) f
    ), e_wait AS (
        SELECT CASE WHEN ahead < free THEN 0.0::float8 ELSE (ahead - free + 0.5) * per / %(e_staffed)s::float8 END
            / (1 - LEAST(%(e_max_load)s::float8, %(e_rate)s::float8 * per / %(e_staffed)s::float8)) AS wait
        FROM e_per
    ), estimate AS (
        SELECT CASE WHEN total <= 0 THEN 0 ELSE GREATEST(1, FLOOR(total + 0.5))::integer END AS predicted,
            ARRAY(SELECT ARRAY[sid, priority_all, priority_before, regular_before] FROM e_waiting) AS waiting,
            ARRAY(SELECT ARRAY[id, officer_id, busy::integer] FROM e_counters) AS counters
        FROM (
            SELECT wait + (%(e_pause)s::float8
                + CASE WHEN %(e_gap)s::float8 < wait THEN %(e_break)s::float8 ELSE 0.0::float8 END) AS total
            FROM e_wait
        ) total
    )
"""


def figure_rows(waiting, counters) -> list[tuple]:
    """``ISSUE_ESTIMATE_SQL``'s arrays as the rows of the fast read (``Reading.estimate`` takes them)."""
    rows = [("c", c, officer, busy, 0, None, None) for c, officer, busy in counters]
    rows += [("w", sid, a, b, c, None, None) for sid, a, b, c in waiting]
    return rows


_NO_FLOAT = "CAST(NULL AS DOUBLE PRECISION)"  # typed: PostgreSQL matches UNION columns by type


def _in_list(name: str, values, params: dict) -> str:
    """``statements.in_list``, its parameters added to ``params``."""
    sql, more = statements.in_list(name, values)
    params.update(more)
    return sql
