"""Benchmark the reports' figures (reports.figures, issue 13) on a year of tickets.

    .venv/bin/python bench/reports.py [--tickets 600000] [--runs 3]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/reports.py

Without DATABASE_URL a SQLite file in a temporary directory; with a PostgreSQL URL a database
``satuatap_bench_reports`` created next to it and dropped at the end (``throwaway_db``).

Setup (timed separately): migrate, the ``make_world`` mall, then ``--tickets`` finished tickets spread evenly over
2025 across its services, each with its ISSUED, CALLED and FINISHED events (one in ten called out of order with a
priority reason). Then it times, ``--runs`` times each, the ticket figures for a month and for the year by mall,
agency, day and hour, and the whole summary (with the previous period), and prints min and median in ms.
Only the service layer is timed here; pages and API add rendering on top.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import time
from pathlib import Path
from zoneinfo import ZoneInfo

from throwaway_db import prepare_database

ROOT = Path(__file__).resolve().parent.parent
BENCH_DB = "satuatap_bench_reports"
BATCH = 20_000
YEAR = 2025
TZ = ZoneInfo("Asia/Jakarta")


def fill(world, total: int, seed: int = 13) -> None:
    from django.db import transaction

    from satuatap.queueing.models import Ticket, TicketEvent

    rng = random.Random(seed)
    services, counters = list(world.services.values()), list(world.counters.values())
    days = (dt.date(YEAR + 1, 1, 1) - dt.date(YEAR, 1, 1)).days
    for start in range(0, total, BATCH):
        tickets = []
        for n in range(start, min(start + BATCH, total)):
            day = dt.date(YEAR, 1, 1) + dt.timedelta(days=n * days // total)
            service = rng.choice(services)
            issued = dt.datetime.combine(day, dt.time(rng.randint(7, 15), rng.randint(0, 59)), TZ)
            called = issued + dt.timedelta(minutes=rng.randint(1, 90))
            tickets.append(
                Ticket(
                    mall=world.mall,
                    issued_service=service,
                    service=service,
                    day=day,
                    seq=n + 1,
                    number=f"{service.prefix}{n}",
                    public_code=f"bench{n}",
                    status="done",
                    counter=rng.choice(counters),
                    issued_at=issued,
                    queued_at=issued,
                    called_at=called,
                    started_at=called,
                    finished_at=called + dt.timedelta(minutes=rng.randint(2, 30)),
                )
            )
        with transaction.atomic():
            created = Ticket.objects.bulk_create(tickets)
            TicketEvent.objects.bulk_create(
                TicketEvent(ticket=t, mall=world.mall, action=action, at=at, reason=reason)
                for t in created
                for action, at, reason in (
                    ("issued", t.issued_at, ""),
                    ("called", t.called_at, "priority:lansia" if t.seq % 10 == 0 else ""),
                    ("finished", t.finished_at, ""),
                )
            )


def timed(fn, runs: int) -> tuple[float, float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return min(times), statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tickets", type=int, default=600_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    where, cleanup = prepare_database(BENCH_DB)
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "satuatap.settings")
    try:
        import django

        django.setup()
        from django.core.management import call_command

        from satuatap.reports import figures
        from satuatap.testing import make_world

        print(f"database: {where}")
        start = time.perf_counter()
        call_command("migrate", verbosity=0)
        world = make_world()
        fill(world, args.tickets)
        print(f"setup: {args.tickets} tickets in {time.perf_counter() - start:.1f} s")
        for label, first, last in (
            ("month", dt.date(YEAR, 6, 1), dt.date(YEAR, 6, 30)),
            ("year", dt.date(YEAR, 1, 1), dt.date(YEAR, 12, 31)),
        ):
            selection = figures.Selection(world.mall, first, last)
            for by in ("mall", "agency", "day", "hour"):
                best, median = timed(lambda s=selection, b=by: figures.ticket_figures(s, b), args.runs)
                print(f"{label:5} ticket_figures by {by:7} min {best:8.0f} ms  median {median:8.0f} ms")
            best, median = timed(lambda s=selection: figures.summarize(s), args.runs)
            print(f"{label:5} summarize (with previous)  min {best:8.0f} ms  median {median:8.0f} ms")
    finally:
        cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main())
