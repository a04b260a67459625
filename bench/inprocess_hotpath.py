"""Issue, call-next and finish through the API in one process (Django's test client, no HTTP server).

    .venv/bin/python bench/inprocess_hotpath.py [--rounds 300] [--waiting 400]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/inprocess_hotpath.py

What one request costs the application itself: a throwaway database (``throwaway_db.py``), the
``make_world`` mall with ``--waiting`` tickets already waiting, officer1 at counter 1. Each round
issues one ticket as the kiosk, calls the next at counter 1 and finishes it; printed per
operation: median and p90 milliseconds, SQL statements (transaction control not counted) and the CPU
microseconds of this process, for the whole request and for the queue's own part of it (the same
rounds again, calling ``queueing.tickets`` and building the answer as the endpoints do, no HTTP layer).
Live hints go to LiveEvent rows (no Redis), as in the embedded mode; with ``--redis`` (and ``REDIS_URL``)
through Redis. ``--profile FILE`` writes a cProfile of the rounds after the first ten.

On PostgreSQL each operation also shows the CPU of the database server process that serves this
connection (its backend, read from ``/proc/<pid>/schedstat`` before and after the request; the server
runs on this machine). Only the backend: the WAL writer, checkpointer and autovacuum are not counted.
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import os
import statistics
import sys
import time
from functools import partial
from pathlib import Path

from throwaway_db import hotpath_world, prepare_database

ROOT = Path(__file__).resolve().parent.parent
CONTROL = ("SAVEPOINT", "RELEASE", "BEGIN", "COMMIT", "ROLLBACK")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=300)
    parser.add_argument("--waiting", type=int, default=400)
    parser.add_argument("--redis", action="store_true", help="keep REDIS_URL: live hints through Redis")
    parser.add_argument("--profile", metavar="FILE", help="write a cProfile of the timed rounds to FILE")
    parser.add_argument("--statements", action="store_true", help="print each statement's wall time (mean ms)")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "satuatap.settings")
    if not args.redis:
        os.environ.pop("REDIS_URL", None)
    where, cleanup = prepare_database("satuatap_inprocess_bench")
    try:
        import django

        django.setup()
        from django.db import connection
        from django.test import Client
        from django.test.utils import CaptureQueriesContext

        world, kiosk_token, officer_token = hotpath_world(args.waiting)
        client = Client()
        kiosk, officer = ({"Authorization": f"Bearer {token}"} for token in (kiosk_token, officer_token))
        api = "/api/v1/malls/pekanbaru"
        times: dict[str, list[float]] = {"issue": [], "call-next": [], "finish": []}
        counts: dict[str, list[int]] = {op: [] for op in times}
        cpu_of: dict[str, list[float]] = {op: [] for op in times}
        backend_of: dict[str, list[float]] = {op: [] for op in times}

        statement_ms: dict[tuple[str, str], list[float]] = {}

        def timing(op: str):
            def wrapper(execute, sql, params, many, context):
                t0 = time.perf_counter()
                try:
                    return execute(sql, params, many, context)
                finally:
                    statement_ms.setdefault((op, sql), []).append((time.perf_counter() - t0) * 1000)

            return connection.execute_wrapper(wrapper) if args.statements else contextlib.nullcontext()

        def timed(op: str, url: str, headers, data=None):
            with CaptureQueriesContext(connection) as captured, timing(op):
                b0 = backend_cpu(connection)
                t0, c0 = time.perf_counter(), time.process_time()
                response = client.post(url, data or {}, content_type="application/json", headers=headers)
                times[op].append(time.perf_counter() - t0)
                cpu_of[op].append(time.process_time() - c0)
                if b0 is not None:
                    backend_of[op].append(backend_cpu(connection) - b0)
            sql = [q["sql"] for q in captured.captured_queries if not q["sql"].lstrip().upper().startswith(CONTROL)]
            counts[op].append(len(sql))
            return response

        profiler = cProfile.Profile() if args.profile else None
        load = f"{os.getloadavg()[0]:.2f}"
        cpu0 = time.process_time()
        for round_number in range(args.rounds):
            if profiler and round_number == 10:  # the first rounds fill the caches
                profiler.enable()
            timed("issue", f"{api}/tickets", kiosk, {"service": "DUKCAPIL-KK"})
            called = timed("call-next", f"{api}/counters/1/call-next", officer).json()
            timed("finish", f"{api}/tickets/{called['id']}/finish", officer)
        cpu = (time.process_time() - cpu0) / (3 * args.rounds)
        if profiler:
            profiler.disable()
            profiler.dump_stats(args.profile)
        own = queue_own_cpu(world, args.rounds)
        live = "Redis" if os.environ.get("REDIS_URL") else "LiveEvent rows"
        print(f"database: {where}; live hints: {live}; {args.waiting} waiting at the start; {args.rounds} rounds")
        print(f"  load average before the rounds: {load}, after: {os.getloadavg()[0]:.2f}")
        for op, values in times.items():
            ms = sorted(v * 1000 for v in values[10:])  # the first rounds fill the caches
            backend = f", PostgreSQL backend {_mean_us(backend_of[op]):5.0f}" if backend_of[op] else ""
            print(
                f"  {op:10s} p50 {statistics.median(ms):6.2f} ms  p90 {ms[int(0.9 * len(ms))]:6.2f} ms  "
                f"statements: median {statistics.median(counts[op]):.0f}, max {max(counts[op][10:])}  "
                f"CPU µs: request {_mean_us(cpu_of[op]):5.0f}, queue's own {_mean_us(own[op]):5.0f}{backend}"
            )
        print(f"  CPU of this process: {cpu * 1000:.2f} ms per request (the rest is waiting on the database)")
        for (op, sql), ms in sorted(statement_ms.items(), key=lambda item: -sum(item[1])):
            print(f"  {op:10s} {statistics.mean(ms):6.2f} ms x{len(ms):4d}  {' '.join(sql.split())[:150]}")
        return 0
    finally:
        cleanup()


def backend_cpu(connection) -> float | None:
    """CPU seconds the PostgreSQL backend of this connection has used so far (None on SQLite).

    ``schedstat``'s first field is the nanoseconds on a CPU; ``stat``'s utime + stime (clock ticks) if absent."""
    if connection.vendor != "postgresql":
        return None
    connection.ensure_connection()
    pid = connection.connection.info.backend_pid  # known to the driver: no round trip
    try:
        return int(Path(f"/proc/{pid}/schedstat").read_text().split()[0]) / 1e9
    except OSError:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _mean_us(seconds: list[float]) -> float:
    return statistics.mean(seconds[10:]) * 1e6  # the first rounds fill the caches


def queue_own_cpu(world, rounds: int) -> dict[str, list[float]]:
    """CPU seconds per round of the queue's part of each endpoint: the service call and the answer it builds."""
    from satuatap.directory import cached
    from satuatap.queueing import tickets
    from satuatap.queueing.api import ticket_out

    kiosk, officer = world.users["kiosk"], world.users["officer1"]
    service, counter = world.services["DUKCAPIL-KK"], world.counters[1]
    mall = cached.mall(world.mall.slug)
    spent: dict[str, list[float]] = {"issue": [], "call-next": [], "finish": []}

    def cpu(op: str, work):
        c0 = time.process_time()
        result = work()
        spent[op].append(time.process_time() - c0)
        return result

    for _ in range(rounds):
        cpu("issue", lambda: ticket_out(tickets.issue_ticket(service, source="kiosk", actor=kiosk), mall))
        called = cpu("call-next", lambda: ticket_out(tickets.call_next(counter, officer), mall, counter))
        finished = partial(tickets.act_if_held, "finish", called["id"], mall.pk, officer, agency_id=officer.agency_id)
        cpu("finish", lambda finished=finished: ticket_out(finished(), mall))
    return spent


if __name__ == "__main__":
    sys.exit(main())
