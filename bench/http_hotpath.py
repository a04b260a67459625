"""satuatap's hot path against a bare django-ninja app, in one run, with the same load generator.

    .venv/bin/python bench/http_hotpath.py [--seconds 15] [--connections 16] [--rounds 3] [--generator wrk]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres REDIS_URL=redis://127.0.0.1:6379/1 \\
        .venv/bin/python bench/http_hotpath.py

satuatap runs as the Procfile runs it (gunicorn, 2 workers, no gunicorn access log: the app writes one line
per request itself; the live process beside it) on a throwaway copy of the world (``tests/browser/stack.py``)
with 16 Dukcapil counters, each with its signed-in officer and token (``bench/http_callnext.py``'s seed).
The bare app (``bench/bare_ninja.py``) runs under the same gunicorn settings on the same
database server (its own tables in the same throwaway database, or its own SQLite file).

The load generator is wrk (``apt-get install wrk``) with ``bench/hotpath.lua``: one thread and one
HTTP/1.1 keep-alive connection per client, ``--connections`` clients. Both targets run under
gunicorn's default **sync** workers, as the Procfile serves satuatap: a sync worker answers
``Connection: close``, so wrk opens a new connection for each request on both targets alike (the
ratio is fair; a threaded or async worker class would keep them). Without wrk (or with
``--generator python``) one asyncio process plays the same clients on kept connections. Per target:

- ``mix``: each client loops issue, call-next at its own counter, finish of that ticket (1:1:1);
- ``issue``: issue only;
- ``call+finish``: call-next and finish of tickets issued before (each measured on its own).

Each phase prints requests/s, p50 and p99 per operation, non-2xx answers, and for satuatap the
ratio to the bare app's same phase. At the end, satuatap's database is checked: no ticket
called twice, numbers unique and gapless per queue-day. Exits 1 if the check fails.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import shutil
import subprocess
import sys
import time
from collections import Counter as Tally
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import proc_cpu  # noqa: E402
from bench.http_callnext import EXTRA_SEED, FIRST_COUNTER  # noqa: E402
from tests.browser.stack import PYTHON, VENV_BIN, Harness, Process, free_port, is_postgres  # noqa: E402

MALL = "pekanbaru"
SERVICES = ("DUKCAPIL-KTP", "DUKCAPIL-KK")

# wrk stops a client wherever it is, often with a call-next in flight whose answer it never reads: the next
# phase would find that counter busy. Between phases (not timed) every ticket left at a counter is finished
# through the service module, as its officer would.
FREE_COUNTERS = """
from satuatap.queueing import tickets
from satuatap.queueing.models import AT_COUNTER_STATUSES, Ticket

for ticket in Ticket.objects.filter(status__in=AT_COUNTER_STATUSES).select_related("counter", "officer"):
    tickets.finish(ticket, ticket.officer)
"""

# A month of history, as a live database has it: PostgreSQL plans the hot path's statements (kept for the
# session: prepared statements, PL/pgSQL, foreign-key checks) for tables of that size, not for a seed's few rows.
HISTORY = """
import datetime as dt
import sys

from django.db import connection
from django.utils import timezone

sys.path.insert(0, "bench")
from throwaway_db import load_history  # noqa: E402
from satuatap.directory.models import Mall, Service  # noqa: E402

if connection.vendor == "postgresql":
    mall = Mall.objects.get(slug="pekanbaru")
    with connection.cursor() as cursor:
        first_day = timezone.localdate() - dt.timedelta(days=HISTORY_DAYS + 1)
        load_history(cursor, mall_id=mall.pk, services=Service.objects.filter(mall=mall).count(),
                     total=HISTORY_DAYS * HISTORY_PER_DAY, per_day=HISTORY_PER_DAY, first_day=first_day)
"""
HISTORY_DAYS, HISTORY_PER_DAY = 30, 2_500  # Pekanbaru's target day

ANALYZE = """
from django.db import connection

with connection.cursor() as cursor:
    cursor.execute("ANALYZE")
"""

# With --vacuum, after every phase (not timed): what autovacuum does on a production server between bursts.
VACUUM = """
from django.db import connection

if connection.vendor == "postgresql":
    with connection.cursor() as cursor:
        cursor.execute("VACUUM")
"""

CHECK = """
import json
from django.db.models import Count
from satuatap.queueing.models import Ticket, TicketEvent

calls = TicketEvent.objects.filter(action="called").values("ticket_id").annotate(n=Count("id"))
twice = calls.filter(n__gt=1).count()
gapless, unique = True, True
for service, day in Ticket.objects.values_list("issued_service_id", "day").distinct():
    seqs = sorted(Ticket.objects.filter(issued_service_id=service, day=day).values_list("seq", flat=True))
    unique = unique and len(seqs) == len(set(seqs))
    gapless = gapless and seqs == list(range(1, len(seqs) + 1))
print(json.dumps({"tickets": Ticket.objects.count(), "called_twice": twice, "unique": unique, "gapless": gapless}))
"""


class Target:
    """Where to send each operation (path, token, body) for one system under test."""

    def __init__(self, name: str, port: int, tokens: dict | None = None):
        self.name, self.port, self.tokens = name, port, tokens or {}

    def issue(self, client: int):
        if self.name == "bare":
            return "/api/issue", None, None
        return f"/api/v1/malls/{MALL}/tickets", self.tokens["kiosk"], {"service": SERVICES[client % 2]}

    def call_next(self, client: int):
        if self.name == "bare":
            return "/api/call-next", None, None
        number = FIRST_COUNTER + client
        return f"/api/v1/malls/{MALL}/counters/{number}/call-next", self.tokens["bench_officers"][str(number)], None

    def finish(self, client: int, ticket: int):
        if self.name == "bare":
            return f"/api/finish/{ticket}", None, None
        number = FIRST_COUNTER + client
        return f"/api/v1/malls/{MALL}/tickets/{ticket}/finish", self.tokens["bench_officers"][str(number)], None


class Connection:
    """One client's HTTP/1.1 connection, kept between requests; opened again when the server closes it
    (gunicorn's sync workers answer ``Connection: close``, and then a reconnect is part of the request)."""

    def __init__(self, port: int):
        self.port = port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None

    async def post(self, path: str, token: str | None, body) -> tuple[int, dict | None, float]:
        data = json.dumps(body).encode() if body is not None else b""
        head = f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        if token:
            head += f"Authorization: Bearer {token}\r\n"
        head += f"Content-Length: {len(data)}\r\n\r\n"
        t0 = time.perf_counter()
        try:
            if self.writer is None:
                self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)
            self.writer.write(head.encode() + data)
            header = (await self.reader.readuntil(b"\r\n\r\n")).lower()
            fields = dict(line.split(b":", 1) for line in header.split(b"\r\n")[1:] if b":" in line)
            if fields.get(b"transfer-encoding", b"").strip() == b"chunked":
                payload = _dechunk(await self._read_chunks())
            else:
                payload = await self.reader.readexactly(int(fields.get(b"content-length", b"0")))
            if fields.get(b"connection", b"").strip() == b"close":
                self.close()
        except (OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError, ValueError):
            self.close()
            return 0, None, time.perf_counter() - t0
        elapsed = time.perf_counter() - t0
        try:
            status = int(header.split(b" ", 2)[1])
        except (IndexError, ValueError):
            return 0, None, elapsed
        try:
            answer = json.loads(payload) if payload else None
        except ValueError:
            answer = None
        return status, answer, elapsed

    async def _read_chunks(self) -> bytes:
        raw = b""
        while True:
            line = await self.reader.readuntil(b"\r\n")
            raw += line
            size = int(line.split(b";")[0].strip() or b"0", 16)
            raw += await self.reader.readexactly(size + 2)
            if size == 0:
                return raw


async def post(port: int, path: str, token: str | None, body) -> tuple[int, dict | None, float]:
    """One request on a connection of its own (the readiness check)."""
    connection = Connection(port)
    try:
        return await connection.post(path, token, body)
    finally:
        connection.close()


def _dechunk(body: bytes) -> bytes:
    out, rest = b"", body
    while rest:
        size, _, rest = rest.partition(b"\r\n")
        n = int(size.split(b";")[0] or b"0", 16)
        if n == 0:
            break
        out, rest = out + rest[:n], rest[n + 2 :]
    return out


class Tape:
    """Latencies and answers per operation for one phase."""

    def __init__(self):
        self.latency: dict[str, list[float]] = {}
        self.status: dict[str, Tally] = {}

    def add(self, op: str, status: int, elapsed: float) -> None:
        self.latency.setdefault(op, []).append(elapsed)
        self.status.setdefault(op, Tally())[status] += 1

    def total(self) -> int:
        return sum(len(v) for v in self.latency.values())

    def errors(self) -> int:
        return sum(n for t in self.status.values() for s, n in t.items() if not 200 <= s < 300)

    def pct(self, op: str | None, p: float) -> float:
        ms = sorted(x * 1000 for k, v in self.latency.items() if op in (None, k) for x in v)
        return ms[min(len(ms) - 1, max(0, round(p / 100 * len(ms) + 0.5) - 1))] if ms else float("nan")


async def run_phase(target: Target, phase: str, connections: int, seconds: float) -> tuple[Tape, float]:
    tape = Tape()
    deadline = time.monotonic() + seconds

    async def client(i: int):
        connection = Connection(target.port)
        try:
            await loop(i, connection)
        finally:
            connection.close()

    async def loop(i: int, connection: Connection):
        post = connection.post
        while time.monotonic() < deadline:
            if phase in ("mix", "issue"):
                status, _, elapsed = await post(*target.issue(i))
                tape.add("issue", status, elapsed)
                if phase == "issue":
                    continue
            status, ticket, elapsed = await post(*target.call_next(i))
            tape.add("call-next", status, elapsed)
            if status != 200 or not ticket:
                if status == 204:
                    return  # nobody left to call
                continue
            status, _, elapsed = await post(*target.finish(i, ticket["id"]))
            tape.add("finish", status, elapsed)

    t0 = time.perf_counter()
    await asyncio.gather(*(client(i) for i in range(connections)))
    return tape, time.perf_counter() - t0


def run_wrk(target: Target, phase: str, connections: int, seconds: float) -> tuple[Tape, float]:
    """The phase through wrk and ``bench/hotpath.lua`` (one thread and connection per client)."""
    if target.name == "bare":
        kiosk, officers = "-", ["-"] * connections
    else:
        kiosk = target.tokens["kiosk"]
        officers = [target.tokens["bench_officers"][str(FIRST_COUNTER + i)] for i in range(connections)]
    args = ["wrk", f"-t{connections}", f"-c{connections}", f"-d{seconds:g}s", "--timeout", "10s"]
    args += ["-s", str(ROOT / "bench" / "hotpath.lua"), f"http://127.0.0.1:{target.port}", "--"]
    args += [phase, target.name, MALL, str(FIRST_COUNTER), kiosk, *officers]
    out = subprocess.run(args, capture_output=True, text=True, timeout=seconds + 60, check=True).stdout
    result = json.loads(next(line for line in out.splitlines() if line.startswith("RESULT "))[7:])
    tape = Tape()
    for op, values in result["latency"].items():
        tape.latency[op] = [ms / 1000 for ms in values] if values else []
        if not values:
            del tape.latency[op]
    for key, n in result["statuses"].items():
        op, status = key.rsplit(" ", 1)
        tape.status.setdefault(op, Tally())[int(status)] += n
    if result["socket_errors"]:
        tape.status.setdefault("socket", Tally())[0] += result["socket_errors"]
    return tape, result["seconds"]


def report(name: str, phase: str, tape: Tape, seconds: float, bare: float | None) -> float:
    rate = tape.total() / seconds
    ratio = f"  {rate / bare:.2f}x bare" if bare else ""
    ops = ", ".join(
        f"{op} {len(v) / seconds:.0f}/s p50 {tape.pct(op, 50):.1f} p99 {tape.pct(op, 99):.1f} ms"
        for op, v in sorted(tape.latency.items())
    )
    print(
        f"  {name:9s} {phase:12s} {rate:7.0f} req/s  p50 {tape.pct(None, 50):6.1f} ms  p99 {tape.pct(None, 99):6.1f} ms"
        f"  errors {tape.errors()}{ratio}   [{ops}]"
    )
    failed = {
        f"{op} {status}": n for op, t in tape.status.items() for status, n in t.items() if not 200 <= status < 300
    }
    if failed:
        print(f"    non-2xx (0: connection error): {failed}")
    return rate


def start_bare(db_env: dict[str, str], workdir: Path, workers: int) -> tuple[Process, int]:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(db_env, BARE_SQLITE=str(workdir / "bare.sqlite3"), PYTHONUNBUFFERED="1")
    subprocess.run([PYTHON, "bench/bare_ninja.py", "setup"], cwd=ROOT, env=env, check=True, timeout=60)
    port = free_port()
    args = [str(VENV_BIN / "gunicorn"), "bench.bare_ninja:application", "-b", f"127.0.0.1:{port}", "-w", str(workers)]
    # gunicorn's access log: the bare app's one line per request, as satuatap's own request line.
    args += ["--access-logfile", "-", "--no-control-socket"]
    process = Process("bare gunicorn", args, env, workdir / "bare.log")
    process.start()
    for _ in range(100):
        try:
            status, _, _ = asyncio.run(post(port, "/api/call-next", None, None))
            if status in (200, 204):
                return process, port
        except OSError:
            pass
        time.sleep(0.2)
    process.stop(kill=True)
    raise RuntimeError("the bare app did not start: " + (workdir / "bare.log").read_text()[-2000:])


def _generator_cpu() -> float:
    """CPU seconds of this process and its finished children (wrk): the load generator's share."""
    me, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + children.ru_utime + children.ru_stime


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=15, help="per phase")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--rounds", type=int, default=3, help="alternating rounds of both targets")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (both targets)")
    parser.add_argument(
        "--vacuum",
        action="store_true",
        help="PostgreSQL: VACUUM the database after every phase, not timed (autovacuum's work between bursts)",
    )
    parser.add_argument(
        "--generator",
        choices=("wrk", "python"),
        default="wrk" if shutil.which("wrk") else "python",
        help="wrk with bench/hotpath.lua (the default when installed), or the asyncio client",
    )
    args = parser.parse_args()
    if args.connections < 1 or args.connections > 16 or args.seconds <= 0 or args.rounds < 1:
        parser.error("--connections 1..16 (one seeded counter each), --seconds and --rounds positive")
    # The seed ends with the statistics a live database has (``throwaway_db.analyze``).
    seed = f"FIRST, COUNT = {FIRST_COUNTER}, {args.connections}\n" + EXTRA_SEED
    seed += f"HISTORY_DAYS, HISTORY_PER_DAY = {HISTORY_DAYS}, {HISTORY_PER_DAY}\n" + HISTORY + ANALYZE
    database = "PostgreSQL" if is_postgres(os.environ.get("DATABASE_URL", "")) else "SQLite file (WAL)"
    live = "Redis" if os.environ.get("REDIS_URL") else "embedded (LiveEvent rows)"
    with Harness(extra_seed=seed, web_workers=args.workers, access_log=False) as harness:
        stack = harness.new_stack()
        bare_process, bare_port = start_bare(stack.db.env, stack.db.var_dir, args.workers)
        try:
            print(
                f"database: {database}; live hints: {live}; gunicorn {args.workers} workers each; "
                f"{os.cpu_count()} CPUs; {args.connections} connections, {args.seconds:g} s per phase, "
                f"load generator {args.generator} (keep-alive; sync workers close after each answer), "
                f"load average {os.getloadavg()[0]:.1f}"
            )
            generate = run_wrk if args.generator == "wrk" else lambda *a: asyncio.run(run_phase(*a))

            def free_counters(target: Target) -> None:
                harness._run([PYTHON, "manage.py", "shell", "-c", FREE_COUNTERS], stack.db.env, "free counters")

            def drive(target: Target, *phase) -> tuple[Tape, float]:
                measured = generate(target, *phase)
                if target.name == "satuatap":
                    free_counters(target)
                return measured

            targets = [Target("bare", bare_port), Target("satuatap", stack.web_port, stack.tokens)]
            # This run's processes only (the machine may run other servers): ports, the throwaway database's name.
            database_name = urlsplit(stack.db.env.get("DATABASE_URL", "")).path.lstrip("/")
            ours = tuple(f":{port}" for port in (bare_port, stack.web_port)) + (f" {stack.live_port}",)
            ours += (f" {database_name} ",) if database_name else ()
            for target in targets:  # warm up: connections to the database, each worker's caches
                drive(target, "mix", args.connections, min(2.0, args.seconds))
            for round_number in range(1, args.rounds + 1):
                print(f"round {round_number} (load average {os.getloadavg()[0]:.1f})")
                for phase in ("mix", "issue", "call+finish"):
                    bare_rate = None
                    for target in targets:
                        cpu0, processes = _generator_cpu(), proc_cpu.reading(ours)
                        tape, seconds = generate(target, phase, args.connections, args.seconds)
                        processes = proc_cpu.spent(processes, proc_cpu.reading(ours))
                        busy = (_generator_cpu() - cpu0) / seconds
                        rate = report(target.name, phase, tape, seconds, bare_rate)
                        verdict = ": it may be the bottleneck" if busy > 0.8 else ""
                        cost = proc_cpu.per_request(processes, tape.total())
                        print(f"    (load generator: {busy:.0%} of a core{verdict}; {cost})")
                        if target.name == "satuatap":
                            free_counters(target)
                        if args.vacuum:
                            harness._run([PYTHON, "manage.py", "shell", "-c", VACUUM], stack.db.env, "vacuum")
                        bare_rate = bare_rate or rate
            out = harness._run([PYTHON, "manage.py", "shell", "-c", CHECK], stack.db.env, "check")
            result = json.loads(out.strip().splitlines()[-1])
            ok = result["called_twice"] == 0 and result["unique"] and result["gapless"]
            print(f"check: {'OK' if ok else 'FAILED'}: no ticket called twice, numbers unique and gapless: {result}")
        finally:
            bare_process.stop(kill=True)
            harness.release(stack)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
