"""The queue's hot statements in SQL, for ``queueing.tickets`` (which owns the transactions).

Call-next, the counter transitions and issue are the busiest writes of the system. Through the
ORM each is a dozen statements; here each is one or two. PostgreSQL runs a whole write as one
statement (data-modifying CTEs, ``SKIP LOCKED``); SQLite, whose writers are serialised by the
IMMEDIATE transaction, runs an ``UPDATE .. RETURNING`` and the event insert.

Every function returns None when the guard in its WHERE clause did not hold: nothing was
changed, and ``tickets`` takes its ORM path, which says why (or, in a race, succeeds).

The SQL is assembled from this module's constants and column names only; every value goes
through a query parameter (hence the file-wide S608 exemption).
"""

# ruff: noqa: S608

from __future__ import annotations

import datetime as dt
import functools
import json

from django.conf import settings
from django.db import connection

from satuatap.instances import from_values
from satuatap.queueing.models import Ticket, TicketEvent, TicketStatus

_FIELDS = [f for f in Ticket._meta.concrete_fields]
_COLUMNS = ", ".join(f'"{f.column}"' for f in _FIELDS)
_ATTNAMES = tuple(f.attname for f in _FIELDS)
_AT_COUNTER = "('called', 'serving')"
_MAX_ID = 2**63 - 1  # a bigint; a larger id in a URL matches no row (the ORM answers so too)
_EVENT_COLUMNS = (
    "ticket_id, mall_id, action, at, actor_id, counter_id, zone_id, from_service_id, reason, idempotency_key"
)


@functools.cache
def on_postgresql() -> bool:
    # Asked several times a request; the default database's engine is the settings' for the process's life.
    return connection.vendor == "postgresql"


def prepared_cursor():
    """A cursor for a hot statement whose text never changes: on PostgreSQL it binds on the server and the
    statement is prepared once per connection (``PREPARE``/``EXECUTE`` by psycopg), so PostgreSQL plans it
    once instead of at every request; elsewhere the usual cursor. Django still wraps it: the statement is
    logged, counted by ``django_assert_num_queries``, and its errors are Django's.

    Only for SQL built from this module's constants, with values as parameters (the text must repeat for
    the prepared statement to be reused). Not through a transaction-pooling proxy (pgbouncer): a prepared
    statement lives in one server session."""
    if not on_postgresql():
        return connection.cursor()
    connection.ensure_connection()
    raw = connection.connection
    if raw.prepare_threshold is None:  # Django's default: psycopg then prepares nothing, even when asked to
        raw.prepare_threshold = _NEVER_BY_ITSELF  # Django's own cursors bind on the client and never prepare
    with connection.wrap_database_errors:
        return connection._prepare_cursor(_prepared_cursor_class()(raw))


_NEVER_BY_ITSELF = 2**31 - 1  # psycopg's count before it prepares a statement it was not asked to prepare


@functools.cache
def _prepared_cursor_class():
    import psycopg  # PostgreSQL's driver: imported only when PostgreSQL is in use

    class PreparedCursor(psycopg.Cursor):
        def execute(self, query, params=None, *, prepare=None, binary=True):
            # Results in binary: psycopg's C loaders read them (Django's timestamptz loader, for text, is Python).
            return super().execute(query, params, prepare=True if prepare is None else prepare, binary=binary)

        def _convert_query(self, query, params=None):
            # Kept, as psycopg's client-side cursor keeps it: Django logs the statement from it.
            self._query = converted = super()._convert_query(query, params)
            return converted

    return PreparedCursor


def _stamp(value: dt.datetime):
    return connection.ops.adapt_datetimefield_value(value)


def _day(value: dt.date):
    return connection.ops.adapt_datefield_value(value)


def _ticket(values) -> tuple[Ticket, dict]:
    """A Ticket from a row of ``_COLUMNS`` (converted as the ORM would), and the raw values by name."""
    raw = dict(zip(_ATTNAMES, values, strict=True))
    if on_postgresql():  # psycopg gives each column as the field's Python value (aware datetimes in UTC)
        return from_values(Ticket, raw, connection.alias), raw
    converted = []
    for field, value in zip(_FIELDS, values, strict=True):
        value = field.to_python(value)
        if isinstance(value, dt.datetime) and value.tzinfo is None and settings.USE_TZ:
            value = value.replace(tzinfo=dt.UTC)
        converted.append(value)
    return Ticket.from_db(connection.alias, list(_ATTNAMES), converted), raw


def in_list(name: str, ids) -> tuple[str, dict]:
    """``IN (...)`` with one named parameter per id (both databases), and those parameters."""
    params = {f"{name}{i}": value for i, value in enumerate(ids)}
    return "(" + ", ".join(f"%({key})s" for key in params) + ")", params


def array_text(numbers) -> str:
    """PostgreSQL's text of an array of numbers (``{1,2.5}``), for a parameter the SQL casts (``::bigint[]``):
    a text parameter costs psycopg one encoding, a list an inspection of its items and a dumper each time."""
    return "{" + ",".join(str(number) for number in numbers) + "}"


def _pick_order(streak_sql: str) -> str:
    """Priority tickets first while the counter's streak is under the bound, regular ones first at it."""
    return f"CASE WHEN (t.priority_group <> '') = ({streak_sql} < %(max_streak)s) THEN 0 ELSE 1 END, t.queued_at, t.id"


def _waiting_of(alias: str, services_sql: str) -> str:
    return (
        f"{alias}.mall_id = %(mall)s AND {alias}.day = %(day)s AND {alias}.status = 'waiting' "
        f"AND {alias}.service_id IN {services_sql}"
    )


def _reason_sql(ticket: str, older: str) -> str:
    """Why the picked ticket went before an older one (``tickets._call_reason``), as an SQL expression."""
    return (
        f"CASE WHEN {ticket}.priority_group <> '' THEN "
        f"CASE WHEN EXISTS (SELECT 1 FROM queueing_ticket w WHERE {older} AND w.priority_group = '') "
        f"THEN 'priority:' || {ticket}.priority_group ELSE '' END "
        f"ELSE CASE WHEN EXISTS (SELECT 1 FROM queueing_ticket w WHERE {older} AND w.priority_group <> '') "
        f"THEN %(bound_reason)s ELSE '' END END"
    )


NOBODY_WAITING = "nobody waiting"


def call_next(
    *,
    counter_id: int,
    officer_id: int,
    mall_id: int,
    day: dt.date,
    service_ids,
    now: dt.datetime,
    zone_id,
    max_streak,
    idempotency_key: str | None = None,
) -> tuple[Ticket, int, str, int] | str | None:
    """Call the next ticket to the counter: (ticket, event id, reason, streak before).

    ``NOBODY_WAITING`` when the officer is signed in there, the counter is free and no ticket
    waits; None when the officer is not signed in there or the counter holds a ticket.
    """
    params = dict(
        counter=counter_id,
        officer=officer_id,
        mall=mall_id,
        day=_day(day),
        now=_stamp(now),
        zone=zone_id,
        max_streak=max_streak,
        bound_reason=f"priority_streak_bound:{max_streak}",
        key=idempotency_key,
    )
    if on_postgresql():
        return _call_next_postgresql({**params, "services": array_text(service_ids)})
    services_sql, services = in_list("s", service_ids)
    return _call_next_sqlite(services_sql, {**params, **services})


def _call_next_postgresql(params: dict):
    """One round trip, committing by itself outside a transaction: the function ``queueing_call_next``
    (migration ``queueing.0007``) locks the counter, checks it is held and free, picks, updates, records."""
    with prepared_cursor() as cursor:
        cursor.execute(_CALL_NEXT_SQL, params)
        row = cursor.fetchone()
    outcome = row[0]
    if outcome == "nobody":
        return NOBODY_WAITING
    if outcome != "called":
        return None
    ticket, _raw = _ticket(row[1 : 1 + len(_FIELDS)])
    return ticket, row[-3], row[-2], row[-1]


_CALL_NEXT_SQL = (
    "SELECT f.o_outcome, "
    + ", ".join(f'(f.o_ticket)."{f.column}"' for f in _FIELDS)
    + ", f.o_event, f.o_reason, f.o_streak FROM queueing_call_next("
    "%(counter)s, %(officer)s, %(mall)s, %(day)s::date, %(services)s::bigint[], %(now)s::timestamptz, "
    "%(zone)s::bigint, %(max_streak)s, %(bound_reason)s, %(key)s::text) f"
)


def _call_next_sqlite(services_sql: str, params: dict):
    streak_sql = "(SELECT priority_streak FROM directory_counter WHERE id = %(counter)s)"
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            UPDATE queueing_ticket SET status = 'called', counter_id = %(counter)s, officer_id = %(officer)s,
                called_at = %(now)s
            WHERE id = (
                SELECT t.id FROM queueing_ticket t WHERE {_waiting_of("t", services_sql)}
                ORDER BY {_pick_order(streak_sql)} LIMIT 1)
              AND status = 'waiting'
              AND EXISTS (SELECT 1 FROM directory_counter WHERE id = %(counter)s AND officer_id = %(officer)s)
              AND NOT EXISTS (
                SELECT 1 FROM queueing_ticket b WHERE b.counter_id = %(counter)s AND b.status IN {_AT_COUNTER})
            RETURNING {_COLUMNS}, {streak_sql}
            """,
            params,
        )
        row = cursor.fetchone()
        if row is None:  # why? Still inside the write lock, so the answer holds for this transaction
            cursor.execute(
                "SELECT officer_id = %(officer)s AND NOT EXISTS (SELECT 1 FROM queueing_ticket b "
                f"WHERE b.counter_id = %(counter)s AND b.status IN {_AT_COUNTER}) "
                "FROM directory_counter WHERE id = %(counter)s",
                params,
            )
            free = cursor.fetchone()
            return NOBODY_WAITING if free and free[0] else None
        ticket, raw = _ticket(row[:-1])
        streak = row[-1]
        # The picked ticket is no longer waiting: "older waiting" needs no exclusion of it.
        params.update(ticket=ticket.pk, queued_at=raw["queued_at"], priority_group=ticket.priority_group)
        older = f"{_waiting_of('w', services_sql)} AND w.queued_at < %(queued_at)s"
        cursor.execute(
            f"INSERT INTO queueing_ticketevent ({_EVENT_COLUMNS}) "
            f"SELECT %(ticket)s, %(mall)s, 'called', %(now)s, %(officer)s, %(counter)s, %(zone)s, NULL, "
            f"{_reason_sql('p', older)}, %(key)s FROM (SELECT %(priority_group)s AS priority_group) p "
            "RETURNING id, reason",
            params,
        )
        event_id, reason = cursor.fetchone()
        new_streak = streak + 1 if ticket.priority_group else 0
        if new_streak != streak:  # usually 0 -> 0: nothing to write
            cursor.execute(
                "UPDATE directory_counter SET priority_streak = %(s)s WHERE id = %(c)s",
                {"s": new_streak, "c": params["counter"]},
            )
    return ticket, event_id, reason, streak


def transition(
    *,
    ticket_id: int,
    mall_id: int,
    officer_id: int,
    allowed_from: tuple[str, ...],
    to: str,
    action: str,
    now: dt.datetime,
    reason: str,
    agency_id: int | None = None,
    fields: dict,
    increment: tuple[str, ...] = (),
    idempotency_key: str | None = None,
) -> tuple[Ticket, int, int] | None:
    """Compare-and-set a ticket held at the officer's counter: (ticket, event id, counter number), or None.

    ``fields`` are set to values, ``increment`` columns grow by one; ``agency_id`` given, the
    ticket must also wait in a service of that agency (the API's tenancy rule, without a lookup).
    """
    if not 0 < ticket_id <= _MAX_ID:
        return None
    allowed_sql, params = in_list("a", allowed_from)
    params.update(
        ticket=ticket_id,
        mall=mall_id,
        officer=officer_id,
        to=to,
        action=action,
        now=_stamp(now),
        reason=reason,
        key=idempotency_key,
    )
    sets = ["status = %(to)s"]
    for name, value in fields.items():
        column = Ticket._meta.get_field(name).column
        params[f"set_{name}"] = _stamp(value) if isinstance(value, dt.datetime) else value
        sets.append(f'"{column}" = %(set_{name})s')
    sets += [f'"{name}" = "{name}" + 1' for name in increment]
    guard = (
        "id = %(ticket)s AND mall_id = %(mall)s AND status IN " + allowed_sql + " AND counter_id IN "
        "(SELECT id FROM directory_counter WHERE officer_id = %(officer)s)"
    )
    if agency_id is not None:
        params["agency"] = agency_id
        guard += " AND service_id IN (SELECT id FROM directory_service WHERE agency_id = %(agency)s)"
    extra = (
        "(SELECT a.zone_id FROM directory_counter c JOIN directory_agency a ON a.id = c.agency_id "
        "WHERE c.id = queueing_ticket.counter_id), "
        "(SELECT c.number FROM directory_counter c WHERE c.id = queueing_ticket.counter_id)"
    )
    update = f"UPDATE queueing_ticket SET {', '.join(sets)} WHERE {guard} RETURNING {_COLUMNS}, {extra}"
    event = (
        f"INSERT INTO queueing_ticketevent ({_EVENT_COLUMNS}) "
        "SELECT id, mall_id, %(action)s, %(now)s, %(officer)s, counter_id, zone, NULL, %(reason)s, %(key)s "
        "FROM {source} "
        "RETURNING id"
    )
    with prepared_cursor() as cursor:
        if on_postgresql():
            names = ", ".join([f.column for f in _FIELDS] + ["zone", "counter_number"])
            cursor.execute(
                f"WITH changed ({names}) AS ({update}), event AS ({event.format(source='changed')}) "
                "SELECT changed.*, event.id FROM changed, event",
                params,
            )
            row = cursor.fetchone()
            if row is None:
                return None
            event_id = row[-1]
            row = row[:-1]
        else:
            cursor.execute(update, params)
            row = cursor.fetchone()
            if row is None:
                return None
            params.update(changed_id=row[0], changed_mall=row[1], changed_counter=None, changed_zone=row[-2])
            ticket, _raw = _ticket(row[: len(_FIELDS)])
            params["changed_counter"] = ticket.counter_id
            cursor.execute(
                event.format(
                    source="(SELECT %(changed_id)s AS id, %(changed_mall)s AS mall_id, "
                    "%(changed_counter)s AS counter_id, %(changed_zone)s AS zone) changed"
                ),
                params,
            )
            event_id = cursor.fetchone()[0]
    ticket, _raw = _ticket(row[: len(_FIELDS)])
    return ticket, event_id, row[-1]


_ISSUED_COLUMNS = (
    "mall_id, issued_service_id, service_id, day, seq, number, public_code, status, priority_group, source, "
    "issued_at, queued_at, recall_count, predicted_wait_minutes"
)
_ISSUED_EVENT = "%(mall)s, %(action)s, %(now)s, %(actor)s, NULL, %(zone)s, NULL, '', %(key)s"  # after the ticket id
_ISSUED_VALUES = "%(code)s, %(status)s, %(group)s, %(source)s, %(now)s, %(queued)s, 0, %(predicted)s"  # after number


def _issue_params(
    *,
    service_id: int,
    mall_id: int,
    day: dt.date,
    prefix: str,
    public_code: str,
    priority_group: str,
    source: str,
    now: dt.datetime,
    queued_at: dt.datetime,
    predicted: int,
    actor_id: int | None,
    zone_id,
    idempotency_key: str | None = None,
) -> dict:
    return {
        "service": service_id,
        "mall": mall_id,
        "day": _day(day),
        "prefix": prefix,
        "code": public_code,
        "group": priority_group,
        "source": source,
        "now": _stamp(now),
        "queued": _stamp(queued_at),
        "predicted": predicted,
        "actor": actor_id,
        "zone": zone_id,
        "status": TicketStatus.WAITING,
        "action": TicketEvent.Action.ISSUED,
        "key": idempotency_key,
    }


def issue(*, max_seq: int | None, estimate_sql: str, estimate_params: dict, **values) -> tuple | None:
    """PostgreSQL: the number, the ticket with its wait estimate and its event in one statement:
    (ticket, event id, the waiting counts read, the counters read), or None.

    ``values``: the keywords of ``_issue_params`` (without ``predicted``). ``estimate_sql``: CTEs ending in
    one named ``estimate`` with the minutes to stamp (``predicted``) and the figures it read (``waiting``,
    ``counters``): ``queueing.estimates.ISSUE_ESTIMATE_SQL``, whose parameters are ``estimate_params``.
    They read in the statement's snapshot, before its ticket, and run before the number's upsert (``made``
    scans ``estimate`` first), so the number's row lock is not held while they count. ``max_seq``: the
    highest number the quota allows now; None when the number went past it (the caller rolls back, so the
    number is not used up).
    """
    params = {**_issue_params(predicted=None, **values), **estimate_params, "max_seq": max_seq}
    with prepared_cursor() as cursor:  # one text (the estimate's lists are arrays): planned once per connection
        cursor.execute(_issue_sql(estimate_sql), params)
        row = cursor.fetchone()
    if row is None:
        return None
    ticket, _raw = _ticket(row[:-3])
    return ticket, row[-3], row[-2], row[-1]


@functools.cache
def _issue_sql(estimate_sql: str) -> str:
    """``issue``'s statement, made once per estimate text and compacted (``compact``)."""
    quota = "WHERE %(max_seq)s::integer IS NULL OR seq.last_number <= %(max_seq)s::integer"
    return compact(
        f"""
            WITH {estimate_sql}, seq AS (
                INSERT INTO queueing_queuesequence (service_id, day, last_number) VALUES (%(service)s, %(day)s, 1)
                ON CONFLICT (service_id, day) DO UPDATE SET last_number = queueing_queuesequence.last_number + 1
                RETURNING last_number
            ), made AS (
                INSERT INTO queueing_ticket ({_ISSUED_COLUMNS})
                SELECT %(mall)s, %(service)s, %(service)s, %(day)s, seq.last_number,
                    %(prefix)s || CASE WHEN seq.last_number < 1000 THEN lpad(seq.last_number::text, 3, '0')
                                       ELSE seq.last_number::text END,
                    {_ISSUED_VALUES.replace("%(predicted)s", "estimate.predicted")}
                FROM estimate, seq {quota}
                RETURNING {_COLUMNS}
            ), event AS (
                INSERT INTO queueing_ticketevent ({_EVENT_COLUMNS})
                SELECT made.id, {_ISSUED_EVENT} FROM made
                RETURNING id
            )
            SELECT made.*, event.id, estimate.waiting, estimate.counters FROM made, event, estimate
            """
    )


def compact(sql: str) -> str:
    """The statement with each run of white space made one space. psycopg keeps the parsed form of a statement
    of up to 4,096 characters (``MAX_CACHED_STATEMENT_LENGTH``) and parses a longer one at every execute: the
    issue's, as written, is longer. Only for SQL without comments or quoted white space."""
    if "--" in sql:
        raise ValueError("a comment would swallow the rest of the statement once its lines are joined")
    return " ".join(sql.split())


def restamp(ticket_id: int, minutes: int) -> None:
    """PostgreSQL: a just-issued ticket's predicted wait, where the issue statement's differs from
    ``queueing.estimates`` (an officer signed in or out since the slow figures were read)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE queueing_ticket SET predicted_wait_minutes = %(m)s WHERE id = %(t)s", {"m": minutes, "t": ticket_id}
        )


def insert_issued(*, seq: int, number: str, **values) -> tuple[Ticket, int]:
    """SQLite, after the number (``next_number_reading``): the ticket and its event, (ticket, event id).

    ``values``: the keywords of ``_issue_params``; the same rows ``issue`` writes on PostgreSQL."""
    params = {**_issue_params(**values), "seq": seq, "number": number}
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO queueing_ticket ({_ISSUED_COLUMNS}) VALUES (%(mall)s, %(service)s, %(service)s, %(day)s, "
            f"%(seq)s, %(number)s, {_ISSUED_VALUES}) RETURNING {_COLUMNS}",
            params,
        )
        ticket, _raw = _ticket(cursor.fetchone())
        params["ticket"] = ticket.pk
        cursor.execute(
            f"INSERT INTO queueing_ticketevent ({_EVENT_COLUMNS}) VALUES (%(ticket)s, {_ISSUED_EVENT}) RETURNING id",
            params,
        )
        return ticket, cursor.fetchone()[0]


def next_number_reading(*, service_id: int, day: dt.date, sql: str, params: dict, columns) -> tuple[int, list]:
    """SQLite: the queue-day's next number and, in the same statement, the rows of a read (``sql`` with
    ``params``, whose columns are ``columns``): (number, rows). One round trip fewer for the issue.

    The read rides in the upsert's RETURNING as a JSON array: SQLite has no data-modifying CTE, and a
    subquery there sees the database inside the same write lock as the number.
    """
    row_sql = "json_array(" + ", ".join(f"f.{name}" for name in columns) + ")"
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO queueing_queuesequence (service_id, day, last_number) "
            "VALUES (%(seq_service)s, %(seq_day)s, 1) "
            "ON CONFLICT (service_id, day) DO UPDATE SET last_number = queueing_queuesequence.last_number + 1 "
            f"RETURNING last_number, (SELECT json_group_array({row_sql}) FROM ({sql}) f)",
            {**params, "seq_service": service_id, "seq_day": _day(day)},
        )
        number, rows = cursor.fetchone()
    return number, [tuple(row) for row in json.loads(rows)]
