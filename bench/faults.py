"""Fault run: mixed load on the real processes while the machinery fails, then the invariants.

    .venv/bin/python bench/faults.py [--phase-seconds 8] [--kiosks 2] [--counters 4] [--workers 2] [--no-retry]

Starts its own PostgreSQL cluster (initdb in a temporary directory, a free port, fsync off) and its
own Redis (a free port, no persistence), then gunicorn + uvicorn through the browser tests' harness
(``tests/browser/stack.py``) on a database of that cluster, seeded with ``--counters`` Dukcapil
counters and a seated officer each (``bench/http_callnext.py``'s seed). Kiosk threads issue tickets
and officer threads loop call-next + finish through ``/api/v1/`` the whole time, while, one phase
each: nothing (baseline), a gunicorn worker is killed with SIGKILL, PostgreSQL restarts, Redis
restarts, the live process is killed (and started again).

Per phase it prints requests attempted / acknowledged (2xx) / failed (by status; 0 = connection
error; a 409 refusal is counted apart) and the recovery time (from the first failed answer to the
next acknowledged one; "-" when nothing failed). At the end,
the invariants, read from the database: every acknowledged ticket exists exactly once, ticket numbers
are unique and gapless per queue, no ticket was called twice, nothing is left stranded at a counter,
and how many tickets were saved although their issue request was answered with an error.
Everything is removed at the end. Exits 1 if an invariant fails. ``--phase-seconds 3`` is the short
version (about a minute); ``tests/test_fault_run.py`` runs it in the suite.

The clients behave as the kiosk and the console do: each issue, call and finish carries an
``Idempotency-Key`` and is sent again with the same key after a 503 or a connection error, so a
write whose answer was lost is answered (and not done twice) on the retry. ``--no-retry`` drops
the keys and retries: every failed answer then stands, as a client without them sees it.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter as Tally
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.http_callnext import EXTRA_SEED, FIRST_COUNTER, MALL, SERVICES, Client  # noqa: E402
from tests.browser.stack import PYTHON, Harness, Stack  # noqa: E402

PG_BIN = Path("/usr/lib/postgresql/15/bin")

CHECK = """
import json
from collections import Counter
from satuatap.queueing.models import Ticket, TicketEvent, TicketStatus

acknowledged = set(json.loads(open(ACK_FILE).read()))
ids = Counter(Ticket.objects.values_list("pk", flat=True))
calls = Counter(TicketEvent.objects.filter(action=TicketEvent.Action.CALLED).values_list("ticket_id", flat=True))
numbers_ok = True
for service, day in Ticket.objects.values_list("issued_service_id", "day").distinct():
    seqs = sorted(Ticket.objects.filter(issued_service_id=service, day=day).values_list("seq", flat=True))
    numbers_ok = numbers_ok and seqs == list(range(1, len(seqs) + 1))
print(json.dumps({
    "tickets": len(ids),
    "acknowledged": len(acknowledged),
    "acknowledged_missing": len(acknowledged - set(ids)),
    "duplicated": sum(1 for n in ids.values() if n > 1),
    "saved_but_answered_with_error": len(set(ids) - acknowledged),
    "numbers_unique_and_gapless": numbers_ok,
    "called_twice": sum(1 for n in calls.values() if n > 1),
    "stranded_at_a_counter": Ticket.objects.filter(status__in=[TicketStatus.CALLED, TicketStatus.SERVING]).count(),
}))
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def as_postgres_user() -> list[str]:
    """PostgreSQL's server programs refuse to run as root: run them as the postgres account then."""
    return ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []


class OwnPostgres:
    def __init__(self, workdir: Path):
        self.data, self.port = workdir / "pg", free_port()
        self.socket_dir = workdir
        if os.geteuid() == 0:
            shutil.chown(workdir, "postgres")
        subprocess.run(
            [*as_postgres_user(), PG_BIN / "initdb", "-D", self.data, "-U", "postgres", "-A", "trust", "--no-sync"],
            check=True,
            capture_output=True,
        )

    def _ctl(self, *args: str) -> None:
        options = f"-p {self.port} -k {self.socket_dir} -c listen_addresses=127.0.0.1 -c fsync=off"
        subprocess.run(
            [
                *as_postgres_user(),
                PG_BIN / "pg_ctl",
                "-D",
                self.data,
                "-o",
                options,
                "-l",
                self.data.parent / "pg.log",
                "-w",
                *args,
            ],
            check=True,
            capture_output=True,
        )

    def start(self) -> None:
        self._ctl("start")

    def restart(self) -> None:
        self._ctl("-m", "fast", "restart")

    def stop(self) -> None:
        self._ctl("-m", "immediate", "stop")

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/postgres"


class OwnRedis:
    def __init__(self):
        self.port, self.proc = free_port(), None

    def start(self) -> None:
        self.proc = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
        )
        for _ in range(50):
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", self.port)) == 0:
                    return
            time.sleep(0.1)

    def kill(self) -> None:
        if self.proc is not None:
            self.proc.kill()
            self.proc.wait()

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"


class Load:
    """Kiosks issuing and officers calling and finishing, until stopped; every answer is kept with its time."""

    def __init__(self, stack: Stack, kiosks: int, counters: int, retry: bool = True):
        self.stack, self.kiosks, self.counters, self.retry = stack, kiosks, counters, retry
        self.stopping = threading.Event()
        self.lock = threading.Lock()
        self.answers: list[tuple[float, str, int]] = []  # (time, endpoint, status)
        self.acknowledged: list[int] = []
        self.threads: list[threading.Thread] = []

    def _note(self, endpoint: str, status: int) -> None:
        with self.lock:
            self.answers.append((time.monotonic(), endpoint, status))

    def _send(self, client: Client, endpoint: str, path: str, token: str, body=None):
        """One intended action: with retry, its key is sent again after a 503 or a lost answer (as the screens do)."""
        headers = {"Idempotency-Key": uuid.uuid4().hex} if self.retry else None
        while True:
            status, answer, _elapsed = client.post(path, token, body, headers)
            self._note(endpoint, status)
            if not self.retry or status not in (0, 503):
                return status, answer
            time.sleep(0.2)

    def _kiosk(self, index: int) -> None:
        client, token, i = Client(self.stack.web_port), self.stack.tokens["kiosk"], index
        while not self.stopping.is_set():
            status, ticket = self._send(client, "issue", f"/malls/{MALL}/tickets", token, {"service": SERVICES[i % 2]})
            if status == 201 and ticket:
                with self.lock:
                    self.acknowledged.append(ticket["id"])
            i += 1
            time.sleep(0.05)
        client.close()

    def _officer(self, number: int, token: str) -> None:
        client = Client(self.stack.web_port)
        current = None
        while not self.stopping.is_set() or current is not None:
            if current is None:
                if self.stopping.is_set():
                    break
                status, ticket = self._send(client, "call-next", f"/malls/{MALL}/counters/{number}/call-next", token)
                if status == 200 and ticket:
                    current = ticket["id"]
                else:
                    time.sleep(0.1)
                continue
            status, _body = self._send(client, "finish", f"/malls/{MALL}/tickets/{current}/finish", token)
            if status == 200 or (status == 409 and self.stopping.is_set()):
                current = None
            else:
                time.sleep(0.2)  # an officer presses again
        client.close()

    def start(self) -> None:
        officers = self.stack.tokens["bench_officers"]
        targets = [(self._kiosk, (k,)) for k in range(self.kiosks)]
        targets += [(self._officer, (int(n), officers[n])) for n in sorted(officers)[: self.counters]]
        self.threads = [threading.Thread(target=t, args=a, daemon=True) for t, a in targets]
        for thread in self.threads:
            thread.start()

    def stop(self) -> None:
        self.stopping.set()
        for thread in self.threads:
            thread.join(timeout=60)

    def window(self, start: float, end: float) -> list[tuple[float, str, int]]:
        with self.lock:
            return [a for a in self.answers if start <= a[0] < end]


def kill_one_web_worker(stack: Stack) -> None:
    children = subprocess.run(["pgrep", "-P", str(stack.web.proc.pid)], capture_output=True, text=True).stdout.split()
    if children:
        os.kill(int(children[0]), signal.SIGKILL)


def run(phase_seconds: float = 8.0, kiosks: int = 2, counters: int = 4, workers: int = 2, retry: bool = True):
    """The fault run: (per fault: name, attempted, acknowledged, failures by status, 409 refusals, recovery
    seconds or None when nothing failed, "never" when it did not recover), and the invariants read back."""
    workdir = Path(tempfile.mkdtemp(prefix="satuatap-faults-"))
    postgres, redis = OwnPostgres(workdir), OwnRedis()
    postgres.start()
    redis.start()
    saved_env = {name: os.environ.get(name) for name in ("DATABASE_URL", "REDIS_URL")}
    os.environ.update(DATABASE_URL=postgres.url, REDIS_URL=redis.url)
    seed = f"FIRST, COUNT = {FIRST_COUNTER}, {counters}\n" + EXTRA_SEED
    try:
        with Harness(extra_seed=seed, web_workers=workers) as harness:
            stack = harness.new_stack()
            load = Load(stack, kiosks, counters, retry=retry)
            faults = [
                ("baseline", lambda: None),
                ("web worker SIGKILL", lambda: kill_one_web_worker(stack)),
                ("PostgreSQL restart", postgres.restart),
                ("Redis restart", lambda: (redis.kill(), time.sleep(1), redis.start())),
                ("live process killed", lambda: (stack.stop_live(kill=True), time.sleep(1), stack.start_live())),
            ]
            load.start()
            phases = []
            for name, fault in faults:
                began = time.monotonic()
                fault()
                time.sleep(max(0.0, phase_seconds - (time.monotonic() - began)))
                phases.append((name, began, time.monotonic()))
            load.stop()
            rows = []
            for name, began, ended in phases:
                answers = load.window(began, ended)
                ok = [a for a in answers if 200 <= a[2] < 300]
                errors = Tally(a[2] for a in answers if not 200 <= a[2] < 300 and a[2] not in (409,))
                first_failure = next((a[0] for a in answers if not 200 <= a[2] < 300 and a[2] != 409), None)
                recovery = None
                if first_failure is not None:
                    back = next((a[0] for a in ok if a[0] > first_failure), None)
                    recovery = back - first_failure if back is not None else "never"
                refused = sum(1 for a in answers if a[2] == 409)
                rows.append((name, len(answers), len(ok), dict(sorted(errors.items())), refused, recovery))
            ack_file = workdir / "acknowledged.json"
            ack_file.write_text(json.dumps(load.acknowledged))
            code = "import django; django.setup()\nACK_FILE = " + repr(str(ack_file)) + "\n" + CHECK
            result = subprocess.run(
                [PYTHON, "-c", code], cwd=ROOT, env=stack.env(), capture_output=True, text=True, timeout=120
            )
            if result.returncode != 0:
                raise RuntimeError(f"invariant check failed to run: {result.stderr}")
            return rows, json.loads(result.stdout.strip().splitlines()[-1])
    finally:
        for name, value in saved_env.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        redis.kill()
        try:
            postgres.stop()
        except subprocess.CalledProcessError:
            pass
        shutil.rmtree(workdir, ignore_errors=True)


def broken_invariants(check: dict) -> list[str]:
    """The invariants that do not hold (empty: all hold)."""
    counts = ("acknowledged_missing", "duplicated", "called_twice", "stranded_at_a_counter")
    broken = [name for name in counts if check[name]]
    return broken + ([] if check["numbers_unique_and_gapless"] else ["numbers_unique_and_gapless"])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--phase-seconds", type=float, default=8.0)
    parser.add_argument("--kiosks", type=int, default=2)
    parser.add_argument("--counters", type=int, default=4)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--no-retry", action="store_true", help="clients without idempotency keys and retries")
    args = parser.parse_args()
    rows, check = run(args.phase_seconds, args.kiosks, args.counters, args.workers, retry=not args.no_retry)
    print(f"{'fault':<22} {'attempted':>9} {'acknowledged':>12} {'failed':>7}  {'recovery':>8}  failures")
    for name, attempted, acknowledged, errors, refused, recovery in rows:
        shown = "-" if recovery is None else recovery if isinstance(recovery, str) else f"{recovery:.2f} s"
        print(
            f"{name:<22} {attempted:>9} {acknowledged:>12} {sum(errors.values()):>7}  {shown:>8}  "
            f"{errors} (409 refusals: {refused})"
        )
    print("invariants:", json.dumps(check))
    failed = bool(broken_invariants(check))
    print("check:", "FAILED" if failed else "OK")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
