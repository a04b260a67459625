"""The busiest requests in a few statements each, and the process caches they rely on.

Issue (kiosk), call-next and finish (console) are counted through the API, token included, with
the caches warm (as in a running process) and the stamp read included (``directory.stamp`` reads
it at most every half second per process; the test steps its clock over that interval).
Transaction control (BEGIN, SAVEPOINT, RELEASE) is not counted: it is the test's own transaction
around each request, and in production the database driver sends it with the statements.
"""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from satuatap.accounts.tokens import revoke_token
from satuatap.directory import stamp
from satuatap.directory.models import Closure
from satuatap.queueing import estimates, tickets
from satuatap.queueing.models import Ticket, TicketEvent, TicketStatus
from satuatap.queueing.statements import compact
from satuatap.testing import MONDAY_MORNING, bearer_as, seat

API = "/api/v1/malls/pekanbaru"
BUDGET = {"issue": 4, "call-next": 4, "finish": 3}  # issue 9, authentication and stamp included
# What each request costs today, per database (a change shows here first).
EXPECTED = {
    # stamp, then on PostgreSQL the number + ticket with its estimate + event (one CTE, which reads the
    # estimate's fast figures); on SQLite the fast figures ride in the number's upsert, then the ticket and
    # the event. The estimate's slow figures are kept per process (``estimates.SLOW_SECONDS`` of ``now``).
    # Call-next on PostgreSQL: the stamp and one function call (lock, checks, pick, update, event).
    "postgresql": {"issue": 2, "call-next": 2, "finish": 2},
    "sqlite": {"issue": 4, "call-next": 3, "finish": 3},
}
_CONTROL = ("SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK TO SAVEPOINT", "BEGIN")


class Clock:
    """Stands in for ``stamp.clock`` (time.monotonic): the test decides when the stamp is due."""

    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now

    def step(self, seconds: float = stamp.STAMP_SECONDS + 0.01):
        self.now += seconds


@pytest.fixture
def clock(monkeypatch):
    fake = Clock()
    monkeypatch.setattr(stamp, "clock", fake)
    return fake


def post(client, url, headers, data=None):
    return client.post(url, data or {}, content_type="application/json", headers=headers)


def statements(captured) -> list[str]:
    return [q["sql"] for q in captured.captured_queries if not q["sql"].lstrip().upper().startswith(_CONTROL)]


@pytest.fixture
def desk(client, world, clock):
    """A kiosk and officer1 at counter 1, every path run once (the process's caches are warm)."""
    seat(world, 1)
    headers = {"kiosk": bearer_as(world, "kiosk"), "officer": bearer_as(world, "officer1")}
    for code in ("DUKCAPIL-KTP", "DUKCAPIL-KK"):
        assert post(client, f"{API}/tickets", headers["kiosk"], {"service": code}).status_code == 201
        called = post(client, f"{API}/counters/1/call-next", headers["officer"])
        assert called.status_code == 200, called.content
        assert post(client, f"{API}/tickets/{called.json()['id']}/finish", headers["officer"]).status_code == 200
    for _ in range(3):
        tickets.issue_ticket(world.services["DUKCAPIL-KK"])
    return headers


def measure(client, clock, method_url_headers_data) -> tuple[object, list[str]]:
    clock.step()  # the stamp is due: this request reads it, as one in every half second does
    url, headers, data = method_url_headers_data
    with CaptureQueriesContext(connection) as captured:
        response = post(client, url, headers, data)
    return response, statements(captured)


def test_issue_call_next_and_finish_stay_within_their_statement_budgets(client, world, desk, clock):
    counts = {}
    response, sql = measure(client, clock, (f"{API}/tickets", desk["kiosk"], {"service": "DUKCAPIL-KTP"}))
    assert response.status_code == 201, response.content
    counts["issue"] = len(sql)
    issued = response.json()

    response, sql = measure(client, clock, (f"{API}/counters/1/call-next", desk["officer"], None))
    assert response.status_code == 200, response.content
    counts["call-next"] = len(sql)
    called = response.json()

    response, sql = measure(client, clock, (f"{API}/tickets/{called['id']}/finish", desk["officer"], None))
    assert response.status_code == 200, response.content
    counts["finish"] = len(sql)

    assert counts == EXPECTED[connection.vendor]
    assert all(counts[op] <= BUDGET[op] for op in BUDGET), counts  # the stamp was due for each: within budget
    # The answers are the contract's, and the rows are written as the ORM path writes them.
    assert issued["number"] == "A002" and issued["status"] == "waiting" and issued["position"] == 0
    assert called["number"] == "B002" and called["counter"] == 1 and called["called_at"].endswith("+07:00")
    ticket = Ticket.objects.get(pk=called["id"])
    assert ticket.status == TicketStatus.DONE and ticket.finished_at and ticket.called_at
    assert list(ticket.events.values_list("action", flat=True).order_by("id")) == ["issued", "called", "finished"]
    event = TicketEvent.objects.get(ticket=ticket, action="finished")
    assert event.counter_id == world.counters[1].pk and event.zone_id == world.zones["A"].pk
    assert event.actor == world.users["officer1"]


def test_a_steady_request_reads_no_stamp(client, world, desk, clock):
    clock.step()
    post(client, f"{API}/tickets", desk["kiosk"], {"service": "DUKCAPIL-KTP"})  # reads the stamp
    with CaptureQueriesContext(connection) as captured:
        response = post(client, f"{API}/counters/1/call-next", desk["officer"])
    assert response.status_code == 200
    assert not [sql for sql in statements(captured) if "directory_cachestamp" in sql]
    assert len(statements(captured)) == EXPECTED[connection.vendor]["call-next"] - 1


def test_a_steady_issue_reads_no_stamp(client, world, desk, clock):
    clock.step()
    post(client, f"{API}/counters/1/call-next", desk["officer"])  # reads the stamp
    with CaptureQueriesContext(connection) as captured:
        response = post(client, f"{API}/tickets", desk["kiosk"], {"service": "DUKCAPIL-KTP"})
    assert response.status_code == 201, response.content
    assert not [sql for sql in statements(captured) if "directory_cachestamp" in sql]
    assert len(statements(captured)) == EXPECTED[connection.vendor]["issue"] - 1
    assert response.json()["number"] == "A002"


def test_an_issued_ticket_carries_the_estimate_the_read_alone_gives(world, desk):
    """On SQLite the read rides in the number's upsert: the same figures as ``estimate_at_issue`` alone."""
    kk = world.services["DUKCAPIL-KK"]
    expected = estimates.estimate_at_issue(kk)
    ticket = tickets.issue_ticket(kk)
    assert ticket.predicted_wait_minutes == expected.minutes == ticket.issue_estimate.minutes
    assert ticket.issue_estimate.position == expected.position == 3  # the three KK tickets of the desk


def test_a_revoked_token_is_refused_at_once_in_its_process(client, world, desk):
    token = world.users["kiosk"].tokens.get()
    revoke_token(token)
    response = post(client, f"{API}/tickets", desk["kiosk"], {"service": "DUKCAPIL-KTP"})
    assert response.status_code == 401


def at(moment: dt.datetime):
    return connection.ops.adapt_datetimefield_value(moment)  # as the ORM stores it (SQLite: UTC text)


def _as_another_process(sql: str, params=()) -> None:
    """A write made by another process: no signal, no forget() here; only the stamp moves in the database."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        cursor.execute("UPDATE directory_cachestamp SET number = number + 1")


def test_a_token_revoked_by_another_process_is_refused_within_a_second(client, world, desk, clock):
    token = world.users["kiosk"].tokens.get()
    clock.step()
    assert post(client, f"{API}/tickets", desk["kiosk"], {"service": "DUKCAPIL-KTP"}).status_code == 201
    _as_another_process("UPDATE accounts_apitoken SET revoked_at = %s WHERE id = %s", [at(MONDAY_MORNING), token.pk])
    clock.step(0.1)  # within the interval this process still trusts what it read ...
    assert post(client, f"{API}/tickets", desk["kiosk"], {"service": "DUKCAPIL-KTP"}).status_code == 201
    clock.step(stamp.STAMP_SECONDS)  # ... and half a second later it reads the stamp again
    assert post(client, f"{API}/tickets", desk["kiosk"], {"service": "DUKCAPIL-KTP"}).status_code == 401


def test_a_closure_declared_by_another_process_stops_issuing_within_a_second(client, world, desk, clock):
    clock.step()
    assert post(client, f"{API}/tickets", desk["kiosk"], {"service": "DUKCAPIL-KTP"}).status_code == 201
    _as_another_process(
        "INSERT INTO directory_closure (mall_id, starts_at, reason) VALUES (%s, %s, %s)",
        [world.mall.pk, at(MONDAY_MORNING - dt.timedelta(hours=1)), "Pemadaman listrik"],
    )
    clock.step(stamp.STAMP_SECONDS + 0.01)
    response = post(client, f"{API}/tickets", desk["kiosk"], {"service": "DUKCAPIL-KTP"})
    assert response.status_code == 409 and response.json()["code"] == "closed"
    assert "Pemadaman listrik" in response.json()["detail"]
    refused = post(client, f"{API}/counters/1/call-next", desk["officer"])
    assert refused.status_code == 409, refused.content
    assert refused.json()["code"] == "closed"


def test_a_closure_saved_in_this_process_takes_effect_at_once(client, world, desk):
    Closure.objects.create(mall=world.mall, starts_at=MONDAY_MORNING - dt.timedelta(hours=1), reason="Rapat")
    response = post(client, f"{API}/tickets", desk["kiosk"], {"service": "DUKCAPIL-KTP"})
    assert response.status_code == 409 and response.json()["code"] == "closed"


def test_an_idempotency_key_costs_no_statement_on_the_first_request(client, world, desk, clock):
    """The key rides in the event's insert; only a retry looks it up (one statement after the failed write)."""
    counts = {}
    keyed = {name: {**headers, "Idempotency-Key": f"{name}-key-0001"} for name, headers in desk.items()}
    response, sql = measure(client, clock, (f"{API}/tickets", keyed["kiosk"], {"service": "DUKCAPIL-KTP"}))
    assert response.status_code == 201, response.content
    counts["issue"] = len(sql)
    response, sql = measure(client, clock, (f"{API}/counters/1/call-next", keyed["officer"], None))
    assert response.status_code == 200, response.content
    counts["call-next"] = len(sql)
    finish = {**desk["officer"], "Idempotency-Key": "finish-key-0001"}
    response, sql = measure(client, clock, (f"{API}/tickets/{response.json()['id']}/finish", finish, None))
    assert response.status_code == 200, response.content
    counts["finish"] = len(sql)
    assert counts == EXPECTED[connection.vendor]
    assert TicketEvent.objects.filter(idempotency_key__isnull=False).count() == 3


def test_the_issue_statement_is_short_enough_for_psycopg_to_keep_it_parsed(world, desk):
    """psycopg parses a statement's placeholders once and keeps the result only for statements of at most
    MAX_CACHED_STATEMENT_LENGTH characters and MAX_CACHED_STATEMENT_PARAMS parameters; a longer issue
    statement would be parsed again at every ticket."""
    from psycopg import _queries  # PostgreSQL's driver, installed on both passes

    captured = []

    def capture(execute, sql, params, many, context):
        captured.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(capture):
        tickets.issue_ticket(world.services["DUKCAPIL-KTP"])
    if connection.vendor == "postgresql":
        sql, params = next((sql, params) for sql, params in captured if "INSERT INTO queueing_ticket" in sql)
        assert len(sql.encode()) <= _queries.MAX_CACHED_STATEMENT_LENGTH
        assert len(params) <= _queries.MAX_CACHED_STATEMENT_PARAMS
    assert compact(" SELECT  1\n\t FROM x ") == "SELECT 1 FROM x"
    with pytest.raises(ValueError):
        compact("SELECT 1 -- one\nFROM x")


def test_prepared_statements_keep_their_generic_plan_on_postgresql(db):
    """The hot statements are prepared once per connection and run with their generic plan (settings: the
    connection's ``plan_cache_mode``), not planned again at every request."""
    if connection.vendor != "postgresql":
        assert "OPTIONS" not in connection.settings_dict or "options" not in connection.settings_dict["OPTIONS"]
        return
    with connection.cursor() as cursor:
        cursor.execute("SHOW plan_cache_mode")
        assert cursor.fetchone()[0] == "force_generic_plan"
