"""Load run of the JSON API's hot path over real HTTP: issue tickets, then call-next + finish.

    .venv/bin/python bench/http_callnext.py [--tickets 1000] [--threads 8] [--counters 16] [--workers 2]

Starts the real processes (gunicorn + uvicorn) on a throwaway database with the browser
tests' harness (``tests/browser/stack.py``): a SQLite file in a temp dir, or a fresh
PostgreSQL database when ``DATABASE_URL`` is a PostgreSQL URL; everything is removed at
the end. On top of the ``make_world`` mall it seeds ``--counters`` Dukcapil counters
(numbers 11 and up, both Dukcapil queues, one seated officer each) and a bearer token
per officer.

Phase 1: ``--threads`` kiosk threads issue ``--tickets`` tickets with
``POST /api/v1/malls/pekanbaru/tickets`` (alternating the two queues, one in seven
``lansia``). Phase 2: ``--threads`` officer threads share the counters and loop
``POST .../counters/{n}/call-next`` then ``POST .../tickets/{id}/finish`` until every
counter answers 204. One ``http.client`` connection per thread, loopback only, each
phase stops at ``--limit`` seconds. Afterwards the database is read (``manage.py shell``)
to check every ticket was called exactly once and is done. Exits 1 if the check fails.
"""

from __future__ import annotations

import argparse
import http.client
import itertools
import json
import os
import sys
import threading
import time
from collections import Counter as Tally
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.browser.stack import PYTHON, Harness, Stack, is_postgres  # noqa: E402

MALL = "pekanbaru"
SERVICES = ("DUKCAPIL-KTP", "DUKCAPIL-KK")
FIRST_COUNTER = 11

# Run on the template database after the world's seed; the last line joins the harness's tokens.
EXTRA_SEED = """
import json
import django

django.setup()
from satuatap.accounts.models import Role, User
from satuatap.accounts.tokens import issue_token
from satuatap.directory.models import Counter, Mall, Service
from satuatap.queueing.tickets import sign_in

mall = Mall.objects.get(slug="pekanbaru")
services = list(Service.objects.filter(mall=mall, code__in=["DUKCAPIL-KTP", "DUKCAPIL-KK"]))
first = Counter.objects.get(mall=mall, number=1)
tokens = {}
for number in range(FIRST, FIRST + COUNT):
    counter = Counter.objects.create(mall=mall, building=first.building, agency=first.agency, number=number)
    counter.services.set(services)
    officer = User(username=f"bench{number}", role=Role.OFFICER, mall=mall, agency=first.agency)
    officer.set_unusable_password()
    officer.save()
    sign_in(counter, officer)
    tokens[str(number)] = issue_token(officer, label="bench")[1]
print(json.dumps({"bench_officers": tokens}))
"""

CHECK = """
import json
from collections import Counter
from satuatap.queueing.models import Ticket, TicketEvent, TicketStatus

calls = Counter(TicketEvent.objects.filter(action=TicketEvent.Action.CALLED).values_list("ticket_id", flat=True))
ids = set(Ticket.objects.values_list("pk", flat=True))
gapless = True
for service in Ticket.objects.values_list("issued_service_id", flat=True).distinct():
    seqs = sorted(Ticket.objects.filter(issued_service_id=service).values_list("seq", flat=True))
    gapless = gapless and seqs == list(range(1, len(seqs) + 1))
print(json.dumps({
    "tickets": len(ids),
    "called_once": sum(1 for pk in ids if calls[pk] == 1),
    "called_twice": sum(1 for n in calls.values() if n > 1),
    "never_called": sum(1 for pk in ids if calls[pk] == 0),
    "not_done": Ticket.objects.exclude(status=TicketStatus.DONE).count(),
    "numbers_gapless": gapless,
}))
"""


class Client:
    """One persistent loopback connection (reopened by http.client when the server closes it)."""

    def __init__(self, port: int):
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)

    def post(
        self, path: str, token: str, body: dict | None = None, extra_headers: dict | None = None
    ) -> tuple[int, dict | None, float]:
        data = json.dumps(body).encode() if body is not None else b""
        headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json", **(extra_headers or {})}
        t0 = time.perf_counter()
        try:
            self.conn.request("POST", "/api/v1" + path, body=data, headers=headers)
            response = self.conn.getresponse()
            raw = response.read()
        except (OSError, http.client.HTTPException):
            self.conn.close()
            return 0, None, time.perf_counter() - t0  # status 0: connection error
        elapsed = time.perf_counter() - t0
        try:
            payload = json.loads(raw) if raw else None
        except ValueError:
            payload = None
        return response.status, payload, elapsed

    def close(self) -> None:
        self.conn.close()


class Recorder:
    """Latencies and status codes per endpoint, merged from every thread."""

    def __init__(self):
        self.lock = threading.Lock()
        self.latency: dict[str, list[float]] = {}
        self.statuses: dict[str, Tally] = {}

    def merge(self, endpoint: str, latencies: list[float], statuses: Tally) -> None:
        with self.lock:
            self.latency.setdefault(endpoint, []).extend(latencies)
            self.statuses.setdefault(endpoint, Tally()).update(statuses)

    def errors(self, endpoint: str) -> Tally:
        return Tally({s: n for s, n in self.statuses.get(endpoint, Tally()).items() if not 200 <= s < 300})

    def line(self, endpoint: str) -> str:
        ms = sorted(s * 1000 for s in self.latency.get(endpoint, []))
        if not ms:
            return f"{endpoint}: no requests"

        def pct(p: float) -> float:
            return ms[min(len(ms) - 1, max(0, round(p / 100 * len(ms) + 0.5) - 1))]

        errors = self.errors(endpoint)
        return (
            f"{endpoint}: n={len(ms)} p50={pct(50):.1f} p95={pct(95):.1f} p99={pct(99):.1f} max={ms[-1]:.1f} ms; "
            f"answers {dict(sorted(self.statuses[endpoint].items()))}; non-2xx {sum(errors.values())}"
        )


def run_threads(target, per_thread_args, limit: float) -> float:
    failures: list[BaseException] = []

    def wrapper(*args):
        try:
            target(*args)
        except BaseException as exc:  # reported below
            failures.append(exc)

    threads = [threading.Thread(target=wrapper, args=args, daemon=True) for args in per_thread_args]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=limit + 60)  # a request may still be in flight at the deadline (30 s timeout)
    elapsed = time.perf_counter() - start
    if failures:
        raise RuntimeError(f"{len(failures)} thread(s) failed, first: {failures[0]!r}") from failures[0]
    return elapsed


def issue_phase(stack: Stack, total: int, threads: int, limit: float, rec: Recorder) -> tuple[float, int]:
    token = stack.tokens["kiosk"]
    numbers = itertools.count()
    lock = threading.Lock()
    deadline = time.monotonic() + limit
    issued = Tally()

    def kiosk():
        client, lat, statuses = Client(stack.web_port), [], Tally()
        while time.monotonic() < deadline:
            with lock:
                i = next(numbers)
            if i >= total:
                break
            body = {"service": SERVICES[i % 2]}
            if i % 7 == 0:
                body["priority_group"] = "lansia"
            status, _, elapsed = client.post(f"/malls/{MALL}/tickets", token, body)
            lat.append(elapsed)
            statuses[status] += 1
        client.close()
        rec.merge("issue", lat, statuses)
        with lock:
            issued.update(statuses)

    elapsed = run_threads(kiosk, [()] * threads, limit)
    return elapsed, issued[201]


def call_phase(stack: Stack, threads: int, limit: float, rec: Recorder) -> tuple[float, int, bool]:
    officers = sorted(stack.tokens["bench_officers"].items(), key=lambda item: int(item[0]))
    groups = [officers[i::threads] for i in range(threads)]
    deadline = time.monotonic() + limit
    lock = threading.Lock()
    served = Tally()

    def officer_thread(counters):
        client = Client(stack.web_port)
        lat = {"call-next": [], "finish": []}
        statuses = {"call-next": Tally(), "finish": Tally()}
        active, failures, done = list(counters), Tally(), 0
        while active and time.monotonic() < deadline:
            for number, token in list(active):
                status, ticket, elapsed = client.post(f"/malls/{MALL}/counters/{number}/call-next", token)
                lat["call-next"].append(elapsed)
                statuses["call-next"][status] += 1
                if status == 204:
                    active.remove((number, token))
                    continue
                if status != 200 or not ticket:
                    failures[number] += 1
                    if failures[number] >= 20:  # a counter that keeps failing stops; the check will tell
                        active.remove((number, token))
                    continue
                status, _, elapsed = client.post(f"/malls/{MALL}/tickets/{ticket['id']}/finish", token)
                lat["finish"].append(elapsed)
                statuses["finish"][status] += 1
                done += status == 200
        client.close()
        for endpoint in lat:
            rec.merge(endpoint, lat[endpoint], statuses[endpoint])
        with lock:
            served["done"] += done
            served["unfinished_counters"] += len(active)

    elapsed = run_threads(officer_thread, [(g,) for g in groups if g], limit)
    return elapsed, served["done"], served["unfinished_counters"] == 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tickets", type=int, default=1000)
    parser.add_argument("--threads", type=int, default=8, help="client threads per phase")
    parser.add_argument("--counters", type=int, default=16, help="Dukcapil counters seeded for the run")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--limit", type=float, default=120, help="seconds per phase at most")
    args = parser.parse_args()
    if min(args.tickets, args.threads, args.counters, args.workers) < 1 or args.limit <= 0:
        parser.error("--tickets, --threads, --counters, --workers and --limit must be positive")

    seed = f"FIRST, COUNT = {FIRST_COUNTER}, {args.counters}\n" + EXTRA_SEED
    database = "PostgreSQL" if is_postgres(os.environ.get("DATABASE_URL", "")) else "SQLite file (WAL)"
    live = "Redis" if os.environ.get("REDIS_URL") else "embedded (LiveEvent rows)"
    t0 = time.perf_counter()
    with Harness(extra_seed=seed, web_workers=args.workers) as harness:
        stack = harness.new_stack()
        print(
            f"database: {database}; live hints: {live}; gunicorn {args.workers} workers at {stack.base_url}; "
            f"{os.cpu_count()} CPUs; setup {time.perf_counter() - t0:.1f} s"
        )
        print(f"mall {MALL}: {args.counters} Dukcapil counters on 2 queues, {args.threads} client threads per phase")
        rec = Recorder()

        issue_s, issued = issue_phase(stack, args.tickets, args.threads, args.limit, rec)
        print(
            f"issue: {issued} of {args.tickets} tickets issued (201) in {issue_s:.2f} s "
            f"= {len(rec.latency.get('issue', [])) / issue_s:.0f} requests/s"
        )
        print("  " + rec.line("issue"))

        call_s, done, drained = call_phase(stack, min(args.threads, args.counters), args.limit, rec)
        print(
            f"call: {done} tickets called+finished in {call_s:.2f} s = {done / call_s:.0f} calls/s "
            f"(call-next + finish pairs; queues drained: {drained})"
        )
        print("  " + rec.line("call-next"))
        print("  " + rec.line("finish"))

        out = harness._run([PYTHON, "manage.py", "shell", "-c", CHECK], stack.db.env, "check")
        result = json.loads(out.strip().splitlines()[-1])
        errors = sum(sum(rec.errors(e).values()) for e in ("issue", "call-next", "finish"))
        ok = (
            result["tickets"] == issued == done
            and result["called_once"] == result["tickets"]
            and result["called_twice"] == result["never_called"] == result["not_done"] == 0
            and result["numbers_gapless"]
            and drained
        )
        print(f"errors: {errors} non-2xx answers (status 0 = connection error)")
        print(f"check: {'OK' if ok else 'FAILED'}: each ticket called exactly once and done: {result}")
        harness.release(stack)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
