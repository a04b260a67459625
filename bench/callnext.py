"""Benchmark issuing and call-next on a throwaway mall in a throwaway database.

    .venv/bin/python bench/callnext.py [--tickets 2000] [--counters 16] [--threads 8]

Without DATABASE_URL it uses a SQLite file in a temporary directory (the
embedded default, same settings: WAL, IMMEDIATE transactions). With
DATABASE_URL=postgres://... it creates a database named ``satuatap_bench`` next
to the one the URL names, runs there, and drops it at the end.

Phase 1: ``--threads`` kiosks issue ``--tickets`` tickets at once across the two
Dukcapil queues (one in seven for a priority group). Phase 2: ``--counters``
Dukcapil counters, each with its own officer, serving both queues (the hottest
case: every counter competes for the same rows), worked by ``--threads`` threads
doing call_next + finish as fast as they can until every queue is empty. It
prints throughput, call_next latency percentiles, and checks that no ticket was
called twice.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import threading
import time
from collections import Counter as Tally
from pathlib import Path

from throwaway_db import prepare_database

ROOT = Path(__file__).resolve().parent.parent
BENCH_DB = "satuatap_bench"


def percentile(sorted_values: list[float], p: float) -> float:
    if not sorted_values:
        return float("nan")
    k = min(len(sorted_values) - 1, max(0, round(p / 100 * len(sorted_values) + 0.5) - 1))
    return sorted_values[k]


def latency_line(label: str, seconds: list[float]) -> str:
    ms = sorted(s * 1000 for s in seconds)
    return (
        f"{label}: n={len(ms)} p50={percentile(ms, 50):.2f} ms p95={percentile(ms, 95):.2f} ms "
        f"p99={percentile(ms, 99):.2f} ms max={ms[-1]:.2f} ms mean={statistics.fmean(ms):.2f} ms"
    )


def run_threads(target, per_thread_args) -> float:
    from django.db import connection

    errors: list[BaseException] = []

    def wrapper(*args):
        try:
            target(*args)
        except BaseException as exc:  # reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=wrapper, args=args) for args in per_thread_args]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - start
    if errors:
        raise RuntimeError(f"{len(errors)} thread(s) failed, first: {errors[0]!r}") from errors[0]
    return elapsed


def setup_mall(counters: int):
    from satuatap.accounts.models import Role, User
    from satuatap.directory.models import Counter
    from satuatap.queueing import tickets
    from satuatap.testing import make_world, seat

    world = make_world(slug="bench")
    services = [world.services["DUKCAPIL-KTP"], world.services["DUKCAPIL-KK"]]
    seated = [(world.counters[n], seat(world, n)) for n in (1, 2)][:counters]
    for number in range(5, 5 + counters - len(seated)):
        counter = Counter.objects.create(
            mall=world.mall, building=world.counters[1].building, agency=world.agencies["DUKCAPIL"], number=number
        )
        counter.services.set(services)
        officer = User.objects.create_user(
            username=f"bench{number}", role=Role.OFFICER, mall=world.mall, agency=world.agencies["DUKCAPIL"]
        )
        seated.append((tickets.sign_in(counter, officer), officer))
    return world, services, seated


def issue_phase(services, total: int, threads: int) -> tuple[float, list[float]]:
    from satuatap.queueing import tickets

    latencies: list[float] = []
    lock = threading.Lock()
    shares = [total // threads + (1 if i < total % threads else 0) for i in range(threads)]

    def kiosk(index: int, count: int):
        mine = []
        for i in range(count):
            group = "lansia" if (index + i) % 7 == 0 else ""
            t0 = time.perf_counter()
            tickets.issue_ticket(services[(index + i) % 2], priority_group=group)
            mine.append(time.perf_counter() - t0)
        with lock:
            latencies.extend(mine)

    return run_threads(kiosk, list(enumerate(shares))), latencies


def call_phase(seated, threads: int) -> tuple[float, list[float], list[float], Tally]:
    from satuatap.queueing import tickets
    from satuatap.refusal import Refused

    call_lat: list[float] = []
    finish_lat: list[float] = []
    refused: Tally = Tally()
    lock = threading.Lock()
    groups = [seated[i::threads] for i in range(threads)]

    def officer_thread(pairs):
        calls, finishes, mine_refused = [], [], Tally()
        active = list(pairs)
        while active:
            for pair in list(active):
                counter, officer = pair
                t0 = time.perf_counter()
                try:
                    ticket = tickets.call_next(counter, officer)
                except Refused as err:
                    mine_refused[err.code] += 1
                    continue
                calls.append(time.perf_counter() - t0)
                if ticket is None:
                    active.remove(pair)
                    continue
                t0 = time.perf_counter()
                tickets.finish(ticket, officer)
                finishes.append(time.perf_counter() - t0)
        with lock:
            call_lat.extend(calls)
            finish_lat.extend(finishes)
            refused.update(mine_refused)

    elapsed = run_threads(officer_thread, [(g,) for g in groups if g])
    return elapsed, call_lat, finish_lat, refused


def check(total: int) -> tuple[bool, str]:
    from satuatap.queueing.models import Ticket, TicketEvent, TicketStatus

    calls = Tally(TicketEvent.objects.filter(action=TicketEvent.Action.CALLED).values_list("ticket_id", flat=True))
    twice = sum(1 for n in calls.values() if n > 1)
    never = Ticket.objects.exclude(pk__in=list(calls)).count()
    not_done = Ticket.objects.exclude(status=TicketStatus.DONE).count()
    seqs_ok = all(
        sorted(Ticket.objects.filter(issued_service_id=s).values_list("seq", flat=True))
        == list(range(1, Ticket.objects.filter(issued_service_id=s).count() + 1))
        for s in Ticket.objects.values_list("issued_service_id", flat=True).distinct()
    )
    ok = twice == 0 and never == 0 and not_done == 0 and len(calls) == total and seqs_ok
    return ok, (
        f"tickets={Ticket.objects.count()} called={len(calls)} called_twice={twice} never_called={never} "
        f"not_done={not_done} numbers_gapless={seqs_ok}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tickets", type=int, default=2000)
    parser.add_argument("--counters", type=int, default=16)
    parser.add_argument("--threads", type=int, default=8)
    args = parser.parse_args()
    if args.tickets < 1 or args.counters < 1 or args.threads < 1:
        parser.error("--tickets, --counters and --threads must be at least 1")

    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "satuatap.settings")
    where, cleanup = prepare_database(BENCH_DB)
    try:
        import django

        django.setup()
        from django.conf import settings
        from django.core.management import call_command

        settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
        call_command("migrate", verbosity=0)
        world, services, seated = setup_mall(args.counters)
        live = "Redis channel layer" if settings.REDIS_URL else "embedded (LiveEvent rows)"
        print(f"database: {where}; live hints: {live}")
        print(
            f"mall {world.mall.slug}: {len(seated)} counters on 2 queues, {args.threads} threads, {os.cpu_count()} CPUs"
        )

        issue_s, issue_lat = issue_phase(services, args.tickets, args.threads)
        print(
            f"issue: {args.tickets} tickets by {args.threads} kiosk threads in {issue_s:.2f} s "
            f"= {args.tickets / issue_s:.0f} tickets issued/s"
        )
        print("  " + latency_line("issue_ticket latency", issue_lat))

        call_s, call_lat, finish_lat, refused = call_phase(seated, min(args.threads, len(seated)))
        print(
            f"call: {args.tickets} tickets called+finished in {call_s:.2f} s = {args.tickets / call_s:.0f} calls/s "
            f"({len(call_lat)} call_next incl. {len(call_lat) - args.tickets} empty)"
        )
        print("  " + latency_line("call_next latency", call_lat))
        print("  " + latency_line("finish latency", finish_lat))
        print(f"  refused calls (retried): {dict(refused) or 'none'}")
        ok, detail = check(args.tickets)
        print(f"check: {'OK' if ok else 'FAILED'}: no ticket called twice, every ticket called once and done: {detail}")
        return 0 if ok else 1
    finally:
        cleanup()


if __name__ == "__main__":
    sys.exit(main())
