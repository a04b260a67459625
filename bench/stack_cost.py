"""What the Django stack costs per token API request: satuatap's WSGI application against the bare app, in process.

    .venv/bin/python bench/stack_cost.py [--rounds 500] [--waiting 200] [--profile] [--redis]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/stack_cost.py

No HTTP server and no test client: the script calls ``satuatap.wsgi.application`` itself with hand-built
WSGI environs (issue as the kiosk, call-next at counter 1 and finish as officer1, bearer tokens), as
gunicorn would, and closes each response (``request_finished`` runs). The same loop then runs, in a
child process (a process has one set of settings), against ``bench/bare_ninja.py``'s application on the
same database server: the same-run reference. Printed per operation: CPU µs per request
(``time.process_time``, mean and median; this process only, the database server's work is not in it),
wall ms, and the garbage collector's share (a full collection is rare but long: the mean shows it, the
median does not). The CPU is split in two: the queue's own work (``queueing.tickets``' service functions
and ``snapshots.estimate_for``, which other benches measure) and the rest, the stack: the server interface,
middleware, URL resolving, ninja, authentication, the endpoint's own lines, the live hint's send
(``live.send_now``, counted in the stack although it runs inside the service function's commit).

``--stock`` runs, alternating request by request with satuatap's own, a second handler with the stock
classes that ``satuatap.pagesonly`` and ``satuatap.csp_header`` replace: what they save, on the same machine
at the same moment. ``--profile`` adds a pass timing each middleware (its own part, not the layers inside
it, wall clock, medians) and a pass under cProfile timed in CPU (``--profile-file`` keeps it for ``pstats``).
Live hints go to LiveEvent rows (no Redis) unless ``--redis`` (keeps ``REDIS_URL``).
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import io
import json
import os
import pstats
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

WARMUP = 20  # rounds that fill the caches, not counted
# ``--stock``: satuatap's middleware classes and the stock ones they stand in for.
STOCK_MIDDLEWARE = {
    "satuatap.csp_header.CSPMiddleware": "csp.middleware.CSPMiddleware",
    "satuatap.pagesonly.SessionMiddleware": "django.contrib.sessions.middleware.SessionMiddleware",
    "satuatap.pagesonly.AuthenticationMiddleware": "django.contrib.auth.middleware.AuthenticationMiddleware",
    "satuatap.pagesonly.MessageMiddleware": "django.contrib.messages.middleware.MessageMiddleware",
    "satuatap.pagesonly.HtmxMiddleware": "django_htmx.middleware.HtmxMiddleware",
    "satuatap.pagesonly.HistoryRequestMiddleware": "simple_history.middleware.HistoryRequestMiddleware",
}
OPS = ("issue", "call-next", "finish")
# The queue's own work (other benches' subject): CPU inside these is "queue", the rest of a request "stack".
QUEUE_WORK = {
    "satuatap.queueing.tickets": (
        "issue_ticket",
        "call_next",
        "call_ticket",
        "act_if_held",
        "recall",
        "start_service",
        "finish",
        "no_show",
        "transfer",
    ),
    "satuatap.queueing.snapshots": ("estimate_for",),
}
# Called from inside the queue's work but the stack's (this bench's subject): taken back out of "queue".
STACK_INSIDE_QUEUE = {"satuatap.live": ("send_now",)}


class QueueClock:
    """CPU spent in the queue's own work (``QUEUE_WORK``, outermost calls only) during one request."""

    def __init__(self):
        self.spent, self._depth = 0.0, 0

    def install(self) -> None:
        import importlib

        for module_name, names in QUEUE_WORK.items():
            module = importlib.import_module(module_name)
            for name in names:
                setattr(module, name, self._counted(getattr(module, name), +1))
        for module_name, names in STACK_INSIDE_QUEUE.items():
            module = importlib.import_module(module_name)
            for name in names:
                setattr(module, name, self._counted(getattr(module, name), -1))

    def _counted(self, function, sign: int):
        def counted(*args, **kwargs):
            if (self._depth > 0) == (sign > 0):  # nested queue work, or stack work outside the queue's
                return function(*args, **kwargs)
            self._depth += sign
            started = time.process_time()
            try:
                return function(*args, **kwargs)
            finally:
                self.spent += sign * (time.process_time() - started)
                self._depth -= sign

        counted.__wrapped__ = function
        return counted


QUEUE_CLOCK = QueueClock()


def environ(path: str, token: str | None, body: dict | None = None) -> dict:
    data = json.dumps(body).encode() if body is not None else b""
    env = {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SCRIPT_NAME": "",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "HTTP_HOST": "127.0.0.1:8000",
        "CONTENT_TYPE": "application/json",
        "CONTENT_LENGTH": str(len(data)),
        "wsgi.input": io.BytesIO(data),
        "wsgi.url_scheme": "http",
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
        "wsgi.version": (1, 0),
    }
    if token:
        env["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    return env


class Caller:
    """Calls a WSGI application as a server would and records CPU and wall time per operation."""

    def __init__(self, application):
        self.application = application
        self.cpu: dict[str, list[float]] = defaultdict(list)
        self.queue: dict[str, list[float]] = defaultdict(list)
        self.wall: dict[str, list[float]] = defaultdict(list)

    def post(self, op: str, path: str, token: str | None = None, body: dict | None = None) -> dict | None:
        status: list[str] = []
        env = environ(path, token, body)
        QUEUE_CLOCK.spent = 0.0
        c0, w0 = time.process_time(), time.perf_counter()
        result = self.application(env, lambda s, headers, exc_info=None: status.append(s))
        try:
            payload = b"".join(result)
        finally:
            if hasattr(result, "close"):
                result.close()
        self.cpu[op].append(time.process_time() - c0)
        self.queue[op].append(QUEUE_CLOCK.spent)
        self.wall[op].append(time.perf_counter() - w0)
        if not status[0].startswith("2"):
            raise RuntimeError(f"{op} {path}: {status[0]} {payload[:300]!r}")
        return json.loads(payload) if payload else None

    def summary(self) -> dict[str, dict[str, float]]:
        out = {}
        for op in OPS:
            cpu, wall, queue = self.cpu[op][WARMUP:], self.wall[op][WARMUP:], self.queue[op][WARMUP:]
            out[op] = {
                "cpu_us": statistics.mean(cpu) * 1e6,
                "queue_us": statistics.mean(queue) * 1e6,
                "stack_us": statistics.mean(c - q for c, q in zip(cpu, queue, strict=True)) * 1e6,
                "cpu_median_us": statistics.median(cpu) * 1e6,
                "wall_ms": statistics.median(wall) * 1e3,
            }
        return out


class GcClock:
    """CPU spent in the garbage collector while it runs, per generation (``gc.callbacks``)."""

    def __init__(self):
        self.spent, self.runs, self._started = [0.0, 0.0, 0.0], [0, 0, 0], 0.0

    def __enter__(self):
        gc.callbacks.append(self._tick)
        return self

    def __exit__(self, *exc):
        gc.callbacks.remove(self._tick)

    def _tick(self, phase, info):
        if phase == "start":
            self._started = time.process_time()
        else:
            self.spent[info["generation"]] += time.process_time() - self._started
            self.runs[info["generation"]] += 1

    def report(self, requests: int) -> str:
        per_generation = ", ".join(f"gen{g} {self.runs[g]} runs" for g in range(3))
        return f"{sum(self.spent) / requests * 1e6:.0f} µs per request ({per_generation})"


def run_bare(rounds: int) -> dict:
    """The child process: bare_ninja's application, same loop."""
    import bare_ninja

    bare_ninja.setup()
    caller = Caller(bare_ninja.application)
    for _ in range(rounds):
        caller.post("issue", "/api/issue")
        called = caller.post("call-next", "/api/call-next")
        caller.post("finish", f"/api/finish/{called['id']}")
    return caller.summary()


class LayerTimer:
    """Times each middleware of a loaded handler: inclusive time per layer, own time = minus the next layer."""

    def __init__(self, handler):
        self.names: list[str] = []
        self.inclusive: dict[str, list[float]] = defaultdict(list)
        layer = handler._middleware_chain
        while True:
            instance = getattr(layer, "__wrapped__", None)  # convert_exception_to_response's wrapper
            if instance is None or not hasattr(instance, "get_response"):
                break
            self.names.append(type(instance).__module__ + "." + type(instance).__name__)
            layer = instance.get_response
        self.names.append("view (URL resolving, ninja, the endpoint)")
        self._wrap(handler)

    def _wrap(self, handler):
        layer, index = handler._middleware_chain, 0
        while index < len(self.names) - 1:
            instance = layer.__wrapped__
            inner = instance.get_response
            instance.get_response = self._timed(inner, self.names[index + 1])
            layer, index = inner, index + 1
        handler._middleware_chain = self._timed(handler._middleware_chain, self.names[0])

    def _timed(self, function, name):
        def timed(request):
            t0 = time.perf_counter()
            try:
                return function(request)
            finally:
                self.inclusive[name].append(time.perf_counter() - t0)

        return timed

    def report(self, skip: int, count: int) -> list[tuple[str, float]]:
        """Medians over requests ``skip`` to ``count`` (the pass the timers were meant for)."""
        rows = []
        for index, name in enumerate(self.names):
            mine = self.inclusive[name][skip:count]
            last = index + 1 == len(self.names)
            inner = [0.0] * len(mine) if last else self.inclusive[self.names[index + 1]][skip:count]
            rows.append((name, statistics.median(a - b for a, b in zip(mine, inner, strict=True)) * 1e6))
        return rows


def stock_handler(settings):
    """A second WSGI handler whose middleware are the stock classes of ``STOCK_MIDDLEWARE``."""
    from django.core.handlers.wsgi import WSGIHandler
    from django.test.utils import override_settings

    with override_settings(MIDDLEWARE=[STOCK_MIDDLEWARE.get(m, m) for m in settings.MIDDLEWARE]):
        return WSGIHandler()  # loads its middleware now


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=500)
    parser.add_argument("--waiting", type=int, default=200)
    parser.add_argument("--redis", action="store_true", help="keep REDIS_URL: live hints through Redis")
    parser.add_argument("--profile", action="store_true", help="per-middleware times and a cProfile")
    parser.add_argument("--profile-file", metavar="FILE", help="with --profile: also write the cProfile to FILE")
    parser.add_argument(
        "--stock", action="store_true", help="also the stock middleware classes, alternating (satuatap.pagesonly)"
    )
    parser.add_argument("--bare-child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.bare_child:
        print(json.dumps(run_bare(args.rounds)))
        return 0

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "satuatap.settings")
    os.environ.setdefault("SATUATAP_DEMO", "1")
    if not args.redis:
        os.environ.pop("REDIS_URL", None)
    from throwaway_db import prepare_database

    where, cleanup = prepare_database("satuatap_stack_bench")
    try:
        import django

        django.setup()
        from django.conf import settings
        from throwaway_db import hotpath_world

        world, kiosk, officer = hotpath_world(args.waiting)

        from satuatap.wsgi import application

        QUEUE_CLOCK.install()

        api = "/api/v1/malls/pekanbaru"

        def rounds(*callers: Caller, profiler: cProfile.Profile | None = None) -> None:
            for round_number in range(args.rounds):
                if profiler and round_number == WARMUP:
                    profiler.enable()
                for caller in callers:  # with --stock: alternating, so both meet the same machine
                    caller.post("issue", f"{api}/tickets", kiosk, {"service": "DUKCAPIL-KK"})
                    called = caller.post("call-next", f"{api}/counters/1/call-next", officer)
                    caller.post("finish", f"{api}/tickets/{called['id']}/finish", officer)
            if profiler:
                profiler.disable()

        caller = Caller(application)
        stock = Caller(stock_handler(settings)) if args.stock else None
        with GcClock() as collector:
            rounds(caller, *([stock] if stock else []))
        mine = caller.summary()
        layers = profiler = None
        if args.profile:  # more passes: the timers and the profiler must not weigh on the figures above
            layers = LayerTimer(application)
            rounds(Caller(application))
            profiler = cProfile.Profile(time.process_time)
            rounds(Caller(application), profiler=profiler)

        with tempfile.TemporaryDirectory(prefix="stack-cost-") as tmp:
            env = dict(os.environ, BARE_SQLITE=str(Path(tmp) / "bare.sqlite3"))
            child = subprocess.run(
                [sys.executable, __file__, "--bare-child", "--rounds", str(args.rounds)],
                env=env,
                cwd=ROOT,
                capture_output=True,
                text=True,
                check=True,
            )
        bare = json.loads(child.stdout.strip().splitlines()[-1])

        live = "Redis" if os.environ.get("REDIS_URL") else "LiveEvent rows"
        print(f"database: {where}; live hints: {live}; {args.waiting} waiting; {args.rounds} rounds ({WARMUP} warm-up)")
        print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
        head = ("CPU mean", "median", "bare mean", "median", "ratio", "wall p50", "bare p50")
        print(
            f"{'satuatap':10s} {head[0]:>11s} {head[1]:>9s} {head[2]:>11s} {head[3]:>9s} {head[4]:>6s} "
            f"{head[5]:>10s} {head[6]:>9s}"
        )
        for op in OPS:
            s, b = mine[op], bare[op]
            print(
                f"{op:10s} {s['cpu_us']:8.0f} µs {s['cpu_median_us']:6.0f} µs {b['cpu_us']:8.0f} µs "
                f"{b['cpu_median_us']:6.0f} µs {s['cpu_us'] / b['cpu_us']:5.1f}x "
                f"{s['wall_ms']:7.2f} ms {b['wall_ms']:6.2f} ms"
            )
        mean_s = statistics.mean(mine[op]["cpu_us"] for op in OPS)
        mean_b = statistics.mean(bare[op]["cpu_us"] for op in OPS)
        print(f"{'mix 1:1:1':10s} {mean_s:8.0f} µs {'':9s} {mean_b:8.0f} µs {'':9s} {mean_s / mean_b:5.1f}x")
        print("satuatap's CPU split: the queue's own work (QUEUE_WORK) and the stack around it (the rest):")
        for op in OPS:
            s = mine[op]
            print(f"  {op:10s} queue {s['queue_us']:6.0f} µs   stack {s['stack_us']:6.0f} µs")
        stack_mean = statistics.mean(mine[op]["stack_us"] for op in OPS)
        queue_mean = statistics.mean(mine[op]["queue_us"] for op in OPS)
        print(f"  {'mix 1:1:1':10s} queue {queue_mean:6.0f} µs   stack {stack_mean:6.0f} µs")
        both = " (both handlers)" if stock else ""
        print(
            f"garbage collector in satuatap's rounds{both}: {collector.report(3 * args.rounds * (2 if stock else 1))}"
        )
        if stock:
            theirs = stock.summary()
            print("--stock: the same application with the stock middleware classes, request by request alternating:")
            for op in OPS:
                gain = theirs[op]["cpu_us"] - mine[op]["cpu_us"]
                print(
                    f"  {op:10s} stock {theirs[op]['cpu_us']:6.0f} µs (median {theirs[op]['cpu_median_us']:5.0f}, "
                    f"stack {theirs[op]['stack_us']:5.0f}), satuatap's {mine[op]['cpu_us']:6.0f} µs (median "
                    f"{mine[op]['cpu_median_us']:5.0f}, stack {mine[op]['stack_us']:5.0f}): {gain:+5.0f} µs saved"
                )
        if layers:
            print("\nown time per request by layer (median µs, wall clock, all three operations; a pass of its own):")
            rows = layers.report(skip=3 * WARMUP, count=3 * args.rounds)
            for name, us in rows:
                print(f"  {us:8.1f}  {name}")
            print(f"  {sum(us for _name, us in rows[:-1]):8.1f}  all the middleware")
            out = io.StringIO()
            if args.profile_file:
                profiler.dump_stats(args.profile_file)
            stats = pstats.Stats(profiler, stream=out)
            stats.sort_stats("cumulative").print_stats(60)
            stats.sort_stats("tottime").print_stats(40)
            print("\ncProfile of satuatap's second pass (CPU; cumulative, then own time):")
            print(out.getvalue())
        return 0
    finally:
        cleanup()


if __name__ == "__main__":
    sys.exit(main())
