"""Live screens at a hall's scale: N screens follow the queue while an officer calls at a steady pace.

    .venv/bin/python bench/live_fanout.py [--screens 0,20,100,300] [--calls 10] [--pace 2]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres REDIS_URL=redis://127.0.0.1:6379/2 \\
        .venv/bin/python bench/live_fanout.py

For each N it starts the real processes as the Procfile does (gunicorn 2 workers + uvicorn,
through the browser tests' harness ``tests/browser/stack.py``) on a fresh copy of a throwaway
database (SQLite file, or PostgreSQL when ``DATABASE_URL`` says so; Redis when ``REDIS_URL``
is set, else the embedded relay), and connects N screens of zone A: up to 20 display boards,
the rest ticket pages of waiting tickets. Each screen does what the shipped JS does
(``live.js`` with ``display.js`` / ``ticket.js``): it reads its snapshot on load and on each
(re)connect, uses the document a hint carries when it can (a board: its zone's board; a phone:
its queue's summary, reading its own snapshot only when its status changed), otherwise reads
its snapshot (one at a time, one more queued while one is in flight), and polls every 20 s
when no document came meanwhile.

The officer at counter 1 (zone A) calls next every ``--pace`` seconds and finishes half a pace
later. Printed per N: call-to-screen p50/p95/p99 (from the call-next response until the screen
shows the call: a board lists the called number, a phone's position drops), call-next and
finish p50/p95, and snapshot requests per call.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import websockets  # noqa: E402

from tests.browser.stack import Harness, is_postgres  # noqa: E402

MALL = "pekanbaru"
BOARDS_AT_MOST = 20
POLL_SECONDS = 20
FINAL = {"done", "no_show", "cancelled"}

# On the template database after the world's seed: officer1 at counter 1, and waiting tickets.
EXTRA_SEED = """
import json
import django

django.setup()
from satuatap.accounts.models import User
from satuatap.accounts.tokens import issue_token
from satuatap.directory.models import Counter, Mall, Service
from satuatap.queueing.tickets import issue_ticket, sign_in

mall = Mall.objects.get(slug="pekanbaru")
officer = User.objects.get(username="officer1")
sign_in(Counter.objects.get(mall=mall, number=1), officer)
services = [Service.objects.get(mall=mall, code=c) for c in ("DUKCAPIL-KTP", "DUKCAPIL-KK")]
made = [issue_ticket(services[i % 2]) for i in range(TICKETS)]
print(json.dumps({
    "officer1": issue_token(officer, label="bench")[1],
    "waiting": [[t.pk, t.public_code, t.service.code] for t in made],
}))
"""


def pct(values: list[float], p: float) -> float:
    ms = sorted(values)
    if not ms:
        return float("nan")
    return ms[min(len(ms) - 1, max(0, round(p / 100 * len(ms) + 0.5) - 1))]


async def http(port: int, method: str, path: str, token: str = "") -> tuple[int, dict | None]:
    """One request on its own connection (as a browser's fetch may): status and JSON body."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    auth = f"Authorization: Bearer {token}\r\n" if token else ""
    body = b"{}" if method == "POST" else b""
    head = (
        f"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n{auth}Content-Type: application/json\r\n"
        f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n"
    )
    writer.write(head.encode() + body)
    await writer.drain()
    raw = await reader.read()
    writer.close()
    status_line, _, rest = raw.partition(b"\r\n")
    status = int(status_line.split()[1])
    headers, _, content = rest.partition(b"\r\n\r\n")
    if b"transfer-encoding: chunked" in headers.lower():
        content = dechunk(content)
    try:
        return status, json.loads(content) if content else None
    except ValueError:
        return status, None


def dechunk(data: bytes) -> bytes:
    out = b""
    while data:
        size_line, _, data = data.partition(b"\r\n")
        size = int(size_line.split(b";")[0] or b"0", 16)
        if size == 0:
            break
        out, data = out + data[:size], data[size + 2 :]
    return out


class Screen:
    """live.js with a board's or a phone's onHint; records when it first shows each call."""

    def __init__(self, run: Run, ws_path: str, snapshot_path: str):
        self.run, self.ws_path, self.snapshot_path = run, ws_path, snapshot_path
        self.inflight: asyncio.Task | None = None
        self.again = False
        self.fresh = False
        self.connected = False
        self.loaded = False
        self.first_seen: dict = {}  # what it shows (a called number, a position) -> when it first did

    async def refresh(self) -> None:
        if self.inflight is not None:
            self.again = True
            return
        self.inflight = asyncio.ensure_future(self._fetch())

    async def _fetch(self) -> None:
        try:
            self.run.requests += 1
            status, data = await http(self.run.port, "GET", self.snapshot_path)
            if status == 200 and data:
                self.on_snapshot(data)
                self.loaded = True
        except OSError:
            pass
        finally:
            self.inflight = None
            if self.again:
                self.again = False
                await self.refresh()

    def mark(self, key) -> None:
        self.first_seen.setdefault(key, time.perf_counter())

    async def follow(self) -> None:
        await self.refresh()
        asyncio.ensure_future(self.poll())
        while not self.run.stopping:
            try:
                async with websockets.connect(self.run.ws_base + self.ws_path, origin=self.run.origin) as ws:
                    self.connected = True
                    await self.refresh()
                    async for text in ws:
                        message = json.loads(text)
                        handled = self.on_hint(message)
                        if handled:
                            self.fresh = True
                        else:
                            kind = "with doc" if message.get("doc") else "bare"
                            self.run.why[f"{type(self).__name__}: {message.get('event')} {kind}"] += 1
                            await self.refresh()
            except (OSError, websockets.WebSocketException):
                self.run.why[f"{type(self).__name__}: reconnect"] += 1
                await asyncio.sleep(0.5)

    async def poll(self) -> None:
        while not self.run.stopping:
            await asyncio.sleep(POLL_SECONDS)
            if self.fresh:
                self.fresh = False
            else:
                self.run.why[f"{type(self).__name__}: poll"] += 1
                await self.refresh()


class Board(Screen):
    def on_snapshot(self, data: dict) -> None:
        for call in data.get("called", []):
            self.mark(call["number"])

    def on_hint(self, message: dict) -> bool:
        if message.get("board") is False:
            return True
        doc = message.get("doc")
        if not doc or doc.get("zone") != "A":
            return False
        self.on_snapshot(doc)
        return True


class Phone(Screen):
    def __init__(self, run: Run, ticket_id: int, code: str, service: str):
        super().__init__(run, f"/ws/service/{MALL}/{service}/", f"/t/{code}/snapshot.json")
        self.ticket_id, self.service = ticket_id, service
        self.status: str | None = None
        self.counter = None
        self.start_position: int | None = None

    def moved(self, position: int) -> None:
        if self.start_position is None:
            self.start_position = position
        self.mark(position)

    def on_snapshot(self, data: dict) -> None:
        self.status, self.counter = data["status"], data["counter"]
        if self.status == "waiting":
            self.moved(data["position"])

    def on_hint(self, message: dict) -> bool:
        doc = message.get("doc")
        if not doc or doc.get("kind") != "service" or doc.get("service") != self.service or self.status is None:
            return False
        if self.status in FINAL:
            return True
        if self.ticket_id in doc["waiting"] and self.status == "waiting":
            self.moved(doc["waiting"].index(self.ticket_id))
            return True
        here = doc["at_counter"].get(str(self.ticket_id))
        return bool(here and here["status"] == self.status and here["counter"] == self.counter)


class Run:
    def __init__(self, stack, waiting: list, screens: int):
        self.port = stack.web_port
        self.ws_base = f"ws://127.0.0.1:{stack.live_port}"
        self.origin = f"http://127.0.0.1:{stack.web_port}"
        self.token = stack.tokens["officer1"]
        self.stopping = False
        self.requests = 0
        self.why: Counter = Counter()  # why screens read their snapshot (after the first loads)
        self.calls: list[tuple[str, str, float]] = []  # (number, service, call-next answered at)
        self.call_next: list[float] = []
        self.finish: list[float] = []
        boards = min(BOARDS_AT_MOST, screens)
        phones = waiting[len(waiting) - (screens - boards) :] if screens > boards else []
        snapshot = f"/m/{MALL}/display/A/snapshot.json"
        self.screens: list[Screen] = [Board(self, f"/ws/zone/{MALL}/A/", snapshot) for _ in range(boards)]
        self.screens += [Phone(self, pk, code, service) for pk, code, service in phones]

    def delays(self) -> list[float]:
        """Per screen and call it shows: from the call-next answer until the screen first showed the call
        (a push read before the answer counts 0). A board shows the called number; a phone's position
        drops by one per call of its own queue (no ticket of it leaves otherwise)."""
        delays = []
        for screen in self.screens:
            if isinstance(screen, Phone):
                if screen.start_position is None:
                    continue
                own = [answered for _, service, answered in self.calls if service == screen.service]
                for index, answered in enumerate(own, start=1):
                    seen = [t for pos, t in screen.first_seen.items() if pos <= screen.start_position - index]
                    if seen:
                        delays.append(max(0.0, min(seen) - answered))
                continue
            for number, _, answered in self.calls:
                if number in screen.first_seen:
                    delays.append(max(0.0, screen.first_seen[number] - answered))
        return delays

    def expected(self) -> int:
        """Calls each screen should show: every call on a board, its own queue's on a phone."""
        total = 0
        for screen in self.screens:
            if isinstance(screen, Phone):
                total += sum(1 for _, service, _ in self.calls if service == screen.service)
            else:
                total += len(self.calls)
        return total

    async def officer(self, calls: int, pace: float) -> None:
        for _ in range(calls):
            started = time.perf_counter()
            status, ticket = await http(self.port, "POST", f"/api/v1/malls/{MALL}/counters/1/call-next", self.token)
            answered = time.perf_counter()
            self.call_next.append(answered - started)
            if status != 200 or not ticket:
                raise RuntimeError(f"call-next answered {status}")
            self.calls.append((ticket["number"], ticket["service"], answered))
            await asyncio.sleep(max(0.0, started + pace / 2 - time.perf_counter()))
            t0 = time.perf_counter()
            status, _ = await http(self.port, "POST", f"/api/v1/malls/{MALL}/tickets/{ticket['id']}/finish", self.token)
            self.finish.append(time.perf_counter() - t0)
            await asyncio.sleep(max(0.0, started + pace - time.perf_counter()))

    async def go(self, calls: int, pace: float) -> dict:
        tasks = [asyncio.ensure_future(s.follow()) for s in self.screens]
        # First loads settle: every screen connected, its snapshot read, nothing in flight (30 s at most).
        for _ in range(300):
            await asyncio.sleep(0.1)
            if all(s.connected and s.loaded and s.inflight is None and not s.again for s in self.screens):
                break
        await asyncio.sleep(0.5)
        self.requests = 0
        self.why.clear()
        await self.officer(calls, pace)
        await asyncio.sleep(pace)  # the last call's stragglers
        requests = self.requests
        self.stopping = True
        for task in tasks:
            task.cancel()
        expected = self.expected()
        ms = [d * 1000 for d in self.delays()]
        return {
            "screens": len(self.screens),
            "shown": f"{len(ms)}/{expected}",
            "call shown p50/p95/p99 ms": f"{pct(ms, 50):.0f} / {pct(ms, 95):.0f} / {pct(ms, 99):.0f}" if ms else "—",
            "call-next p50/p95 ms": f"{pct([c * 1000 for c in self.call_next], 50):.0f} / "
            f"{pct([c * 1000 for c in self.call_next], 95):.0f}",
            "finish p50/p95 ms": f"{pct([c * 1000 for c in self.finish], 50):.0f} / "
            f"{pct([c * 1000 for c in self.finish], 95):.0f}",
            "snapshot requests per call": f"{requests / calls:.1f}",
            "why": dict(self.why) or "-",
        }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--screens", default="0,20,100,300", help="comma-separated N")
    parser.add_argument("--calls", type=int, default=10, help="calls per N")
    parser.add_argument("--pace", type=float, default=2.0, help="seconds between calls (finish at half)")
    args = parser.parse_args()
    counts = [int(n) for n in args.screens.split(",")]
    if min(counts) < 0 or args.calls < 1 or args.pace <= 0:
        parser.error("--screens must be >= 0, --calls and --pace positive")
    boards = min(BOARDS_AT_MOST, max(counts))
    tickets = args.calls * len(counts) + max(counts) - boards + 10
    seed = f"TICKETS = {tickets}\n" + EXTRA_SEED
    database = "PostgreSQL" if is_postgres(os.environ.get("DATABASE_URL", "")) else "SQLite file (WAL)"
    live = "Redis" if os.environ.get("REDIS_URL") else "embedded (relay + doorbell)"
    print(f"database: {database}; live: {live}; {os.cpu_count()} CPUs; {args.calls} calls every {args.pace} s per N")
    rows = []
    with Harness(extra_seed=seed) as harness:
        for n in counts:
            stack = harness.new_stack()
            try:
                run = Run(stack, harness.databases.tokens["waiting"], n)
                rows.append(asyncio.run(run.go(args.calls, args.pace)))
            finally:
                harness.release(stack)
            print(" | ".join(f"{k}: {v}" for k, v in rows[-1].items()), flush=True)
    print()
    keys = list(rows[0])
    print("| " + " | ".join(keys) + " |")
    print("|" + " --- |" * len(keys))
    for row in rows:
        print("| " + " | ".join(str(row[k]) for k in keys) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
