"""The manager's admin at millions of tickets: the ticket list, its day filter and a search, timed on PostgreSQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/admin_tickets.py \\
        [--tickets 5000000] [--runs 5]

A throwaway PostgreSQL database (``throwaway_db.py``: ``satuatap_admin_bench``, created and dropped),
migrated, with the simulated Pekanbaru mall of ``wait_estimates.py`` (9 services, 18 counters).
``--tickets`` done tickets are loaded in one ``INSERT .. SELECT FROM generate_series`` (the server
makes the rows: nothing crosses the socket, faster than COPY from here): 7,000 a day over the
days before 2026-11-24, the 9 services in turn, numbers A001.. per queue-day, every index of
the table in place; then ANALYZE, as autovacuum would.

Timed through Django's test client as a superuser (the whole request: the changelist's
queries, rendering 100 rows), ``--runs`` times each after one warm-up, median and max:
the list, the day filter (the last 7 days and this month, as the filter's links send them),
a search by number (``F123``: one ticket a day for two years) and by public code.
For comparison, what the old list paid per request: ``COUNT(*)`` of the table (twice: the
paginator and the full count) and the ``icontains`` search.
"""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import os
import statistics
import sys
import time
from pathlib import Path

from throwaway_db import load_history, prepare_database
from wait_estimates import DAY, build_world, counters_for

ROOT = Path(__file__).resolve().parent.parent
BENCH_DB = "satuatap_admin_bench"
PER_DAY = 7_000
TARGET_MS = 300


class SqlClock:
    """Statements and their milliseconds, through ``connection.execute_wrapper``."""

    def __init__(self):
        self.count, self.ms = 0, 0.0

    def __call__(self, execute, sql, params, many, context):
        t0 = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.count += 1
            self.ms += (time.perf_counter() - t0) * 1000


DEFERRABLE_INDEXES = """
SELECT i.relname, pg_get_indexdef(i.oid) FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid
WHERE x.indrelid = 'queueing_ticket'::regclass
    AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.oid)
"""


def timed(client, url: str, params: dict, runs: int) -> tuple[float, float, float, float, int, int]:
    """Median and max milliseconds of ``runs`` requests after a warm-up, the medians of this process's
    CPU milliseconds and of the SQL milliseconds, the statements of one request and the rows listed."""
    from django.db import connection

    page = client.get(url, params)
    took, sql, cpu = [], [], []
    for _ in range(runs):
        if page.status_code != 200:
            raise RuntimeError(f"{url} {params}: HTTP {page.status_code}")
        clock = SqlClock()
        with connection.execute_wrapper(clock):
            t0, c0 = time.perf_counter(), time.process_time()
            page = client.get(url, params)
            took.append((time.perf_counter() - t0) * 1000)
            cpu.append((time.process_time() - c0) * 1000)
        sql.append(clock.ms)
    rows = len(page.context["cl"].result_list)
    return statistics.median(took), max(took), statistics.median(cpu), statistics.median(sql), clock.count, rows


def once_ms(work) -> float:
    t0 = time.perf_counter()
    work()
    return (time.perf_counter() - t0) * 1000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tickets", type=int, default=5_000_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    if "postgres" not in os.environ.get("DATABASE_URL", ""):
        parser.error("set DATABASE_URL to a PostgreSQL server (a throwaway database is made there)")
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "satuatap.settings")
    os.environ.pop("REDIS_URL", None)
    where, cleanup = prepare_database(BENCH_DB)
    try:
        import django

        django.setup()
        from django.conf import settings
        from django.core.management import call_command
        from django.db import connection
        from django.db.models import Q
        from django.test import Client
        from django.test.utils import setup_test_environment
        from django.urls import reverse

        from satuatap.accounts.models import User
        from satuatap.queueing.models import Ticket

        setup_test_environment()  # the test client then sees each page's context (the rows listed)
        settings.ALLOWED_HOSTS = ["*"]
        logging.getLogger("satuatap.request").setLevel(logging.WARNING)  # a line per request is noise here
        settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
        call_command("migrate", verbosity=0)
        print(f"database: {where}; load average {os.getloadavg()[0]:.1f}")
        world = build_world(counters_for(1))
        days = -(-args.tickets // PER_DAY)
        first_day = DAY - dt.timedelta(days=days - 1)
        t0 = time.perf_counter()
        with connection.cursor() as cursor:
            # Plain indexes are built once after the load (faster than row by row); constraints stay.
            cursor.execute(DEFERRABLE_INDEXES)
            indexes = cursor.fetchall()
            cursor.execute("SET maintenance_work_mem = '256MB'")
            for name, _definition in indexes:
                cursor.execute(f'DROP INDEX "{name}"')
            load_history(
                cursor,
                mall_id=world.mall.pk,
                services=len(world.services),
                total=args.tickets,
                per_day=PER_DAY,
                first_day=first_day,
            )
            for _name, definition in indexes:
                cursor.execute(definition)
            cursor.execute("ANALYZE queueing_ticket")
        print(
            f"loaded {args.tickets:,} tickets ({days} days of {PER_DAY:,}, {first_day} to {DAY}) "
            f"and built its {len(indexes)} indexes (constraints kept through the load) "
            f"in {time.perf_counter() - t0:.0f} s"
        )

        admin = User.objects.create_superuser("bench-admin", password="x")  # noqa: S106 (a throwaway database)
        client = Client()
        client.force_login(admin)
        url = reverse("admin:queueing_ticket_changelist")
        week = {"day__gte": (DAY - dt.timedelta(days=6)).isoformat(), "day__lt": (DAY + dt.timedelta(1)).isoformat()}
        month = {"day__gte": DAY.replace(day=1).isoformat(), "day__lt": dt.date(DAY.year, DAY.month + 1, 1).isoformat()}
        code = Ticket.objects.filter(day=DAY).values_list("public_code", flat=True).first()
        cases = [
            ("list, newest first", {}),
            ("day filter: last 7 days", week),
            ("day filter: this month", month),
            ("search by number F123", {"q": "F123"}),
            ("search by number, lower case f123", {"q": "f123"}),
            ("search by public code", {"q": code}),
            ("search F123 + this month", {"q": "F123", **month}),
        ]
        head = f"{'admin ticket list (whole request)':<36}{'median':>9}{'max':>9}{'CPU':>9}{'SQL':>9}"
        print(f"{head}  stmts rows  (target {TARGET_MS} ms)")
        worst = 0.0
        for label, params in cases:
            median, most, cpu, sql, statements, rows = timed(client, url, params, args.runs)
            worst = max(worst, median)
            print(f"{label:<36}{median:>7.0f} ms{most:>6.0f} ms{cpu:>6.0f} ms{sql:>6.0f} ms  {statements:>5} {rows:>4}")
        print("what the old list paid, each once:")
        print(f"  COUNT(*) of the table (paginator; again for the full count): {once_ms(Ticket.objects.count):.0f} ms")
        contains = Ticket.objects.filter(Q(number__icontains="F123") | Q(public_code__icontains="F123"))
        print(f"  icontains search F123, its count: {once_ms(contains.count):.0f} ms")
        print(f"slowest median {worst:.0f} ms: {'within' if worst < TARGET_MS else 'OVER'} the {TARGET_MS} ms target")
        return 0 if worst < TARGET_MS else 1
    finally:
        cleanup()


if __name__ == "__main__":
    sys.exit(main())
