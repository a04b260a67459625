"""Benchmark the reports (issue 13) on a year of a Pekanbaru-sized mall: every report page, endpoint and export.

    .venv/bin/python bench/reports.py [--tickets 600000] [--answers 500000] [--bookings 50000] [--runs 3]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/reports.py

Without DATABASE_URL a SQLite file in a temporary directory; with a PostgreSQL URL a database
``satuatap_bench_reports`` (or ``$BENCH_DB``) created next to it and dropped at the end (``throwaway_db``);
``--keep`` keeps it, and ``--reuse`` times it again (migrated, summary tables rolled again) without loading.

Setup (timed separately): migrate, the ``make_world`` mall, then a year (2025) of ``--tickets`` tickets spread
over the days and services (done, no-show, cancelled; some booked, some priority, one call in ten out of order)
with their events, ``--answers`` SKM answers and ``--bookings`` bookings, loaded in bulk (``COPY`` on
PostgreSQL, ``executemany`` on SQLite). Then the roll-up of the closed days
(``reports.rollup.ensure``, as the worker does),
timed on its own.
Then each page, API endpoint and export for a month and for the year, ``--runs`` times
each, through Django's test client (rendering included), beside the same run's references: a trivial query and
the open-data services file. Prints min and median in ms and the load average.
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
from urllib.parse import urlsplit, urlunsplit
from zoneinfo import ZoneInfo

from throwaway_db import prepare_database

ROOT = Path(__file__).resolve().parent.parent
BENCH_DB = os.environ.get("BENCH_DB", "satuatap_bench_reports")
YEAR = 2025
TZ = ZoneInfo("Asia/Jakarta")
STATUSES = ["done"] * 17 + ["no_show", "cancelled", "cancelled"]  # 85 % served


def load(model, rows) -> int:
    """Insert dicts of field values in bulk (COPY on PostgreSQL); fields left out take their defaults."""
    from django.db import connection

    fields = model._meta.concrete_fields
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)

    defaults = {f.attname: f.get_default() for f in fields}
    if connection.vendor == "postgresql":  # psycopg adapts dates, times and None itself: no per-value preparation

        def values(row):
            return [row.get(f.attname, defaults[f.attname]) for f in fields]
    else:

        def values(row):
            return [f.get_db_prep_save(row.get(f.attname, defaults[f.attname]), connection) for f in fields]

    count = 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {model._meta.db_table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(values(row))
                    count += 1
        else:
            marks = ", ".join(["%s"] * len(fields))
            insert = f"INSERT INTO {model._meta.db_table} ({columns}) VALUES ({marks})"  # noqa: S608 - model names only
            batch = []
            for row in rows:
                batch.append(values(row))
                if len(batch) == 10_000:
                    cursor.executemany(insert, batch)
                    count, batch = count + len(batch), []
            if batch:
                cursor.executemany(insert, batch)
                count += len(batch)
    return count


def tickets(world, total: int, seed: int = 13):
    """Ticket rows with ids 1..total over the year, each with the events of its life (issued, called, end)."""
    rng = random.Random(seed)
    services = list(world.services.values())
    counters = list(world.counters.values())
    officers = [u for u in world.users.values() if u.role == "officer"] or [None]
    days = (dt.date(YEAR + 1, 1, 1) - dt.date(YEAR, 1, 1)).days
    for n in range(1, total + 1):
        day = dt.date(YEAR, 1, 1) + dt.timedelta(days=(n - 1) * days // total)
        service = rng.choice(services)
        status = rng.choice(STATUSES)
        issued = dt.datetime.combine(day, dt.time(rng.randint(7, 15), rng.randint(0, 59), rng.randint(0, 59)), TZ)
        called = issued + dt.timedelta(seconds=rng.randint(30, 90 * 60)) if status != "cancelled" else None
        finished = called + dt.timedelta(seconds=rng.randint(120, 30 * 60)) if status == "done" else None
        counter = rng.choice(counters) if called else None
        yield {
            "id": n,
            "mall_id": world.mall.pk,
            "issued_service_id": service.pk,
            "service_id": service.pk,
            "day": day,
            "seq": n,
            "number": f"{service.prefix}{n}",
            "public_code": f"bench{n}",
            "status": status,
            "priority_group": "lansia" if n % 10 == 3 else "",
            "source": "booking" if n % 12 == 0 else "kiosk",
            "counter_id": counter.pk if counter else None,
            "officer_id": rng.choice(officers).pk if called and officers[0] else None,
            "issued_at": issued,
            "queued_at": issued,
            "called_at": called,
            "started_at": called,
            "finished_at": finished,
        }


def events(ticket_rows):
    n = 0
    for t in ticket_rows:
        life = [("issued", t["issued_at"], "")]
        if t["called_at"]:
            life.append(("called", t["called_at"], "priority:lansia" if t["id"] % 10 == 0 else ""))
        end = {"done": t["finished_at"], "no_show": t["called_at"], "cancelled": t["issued_at"]}[t["status"]]
        life.append(({"done": "finished"}.get(t["status"], t["status"]), end, ""))
        for action, at, reason in life:
            n += 1
            yield {"id": n, "ticket_id": t["id"], "mall_id": t["mall_id"], "action": action, "at": at, "reason": reason}


def numbered(ticket_rows, limit: int, keep, build):
    """Rows made by ``build(i, ticket)`` for the first ``limit`` tickets that ``keep``, numbered from 1."""
    kept = (t for t in ticket_rows if keep(t))
    return (build(i, t) for i, t in zip(range(1, limit + 1), kept, strict=False))


def fill(world, args) -> None:
    from django.core.management.color import no_style
    from django.db import connection, transaction

    from satuatap.booking.models import Booking
    from satuatap.feedback.models import SurveyResponse
    from satuatap.queueing.models import Ticket, TicketEvent

    agency_of = {s.pk: s.agency_id for s in world.services.values()}
    with transaction.atomic():
        print(f"  tickets {load(Ticket, tickets(world, args.tickets))}", flush=True)
        print(f"  events {load(TicketEvent, events(tickets(world, args.tickets)))}", flush=True)
        answers = numbered(
            tickets(world, args.tickets),
            args.answers,
            lambda t: t["status"] == "done",
            lambda i, t: {
                "id": i,
                "ticket_id": t["id"],
                "mall_id": t["mall_id"],
                "agency_id": agency_of[t["service_id"]],
                "service_id": t["service_id"],
                "answered_at": t["finished_at"] + dt.timedelta(minutes=3),
                "source": "tablet",
                **{f"u{k}": 3 + (t["id"] + k) % 2 for k in range(1, 10)},
            },
        )
        print(f"  survey answers {load(SurveyResponse, answers)}", flush=True)
        bookings = numbered(
            tickets(world, args.tickets),
            args.bookings,
            lambda t: t["source"] == "booking",
            lambda i, t: {
                "id": i,
                "mall_id": t["mall_id"],
                "service_id": t["service_id"],
                "code": f"B{i:08d}",
                "start": t["issued_at"],
                "end": t["issued_at"] + dt.timedelta(minutes=30),
                "day": t["day"],
                "status": "checked_in",
                "nik_hash": f"n{i}",
                "nik_encrypted": "x",
                "nik_masked": "x",
                "name_encrypted": "x",
                "phone_hash": f"p{i}",
                "phone_encrypted": "x",
                "phone_masked": "x",
                "ticket_id": t["id"],
                "created_at": t["issued_at"] - dt.timedelta(days=2),
                "checked_in_at": t["issued_at"],
            },
        )
        print(f"  bookings {load(Booking, bookings)}", flush=True)
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), [Ticket, TicketEvent, SurveyResponse, Booking]):
                cursor.execute(sql)


def reused_world():
    """The world of a kept database, its summary tables emptied so the roll-up is timed again."""
    from satuatap.accounts.models import User
    from satuatap.directory.models import Mall
    from satuatap.reports.models import RolledDay, RolledMonth
    from satuatap.reports.rollup import SUMMARY_TABLES
    from satuatap.testing import World

    for model in (RolledDay, RolledMonth, *SUMMARY_TABLES):
        model.objects.all().delete()
    mall = Mall.objects.get(slug="pekanbaru")
    return World(mall=mall, users={u.username: u for u in User.objects.filter(mall=mall)})


def timed(fn, runs: int) -> tuple[float, float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return min(times), statistics.median(times)


def profile(fn, top: int = 8) -> None:
    """The statements of one call: how many, their total time, and the slowest ones."""
    from django.db import connection

    spent: list[tuple[float, str]] = []

    def clock(execute, sql, params, many, context):
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            spent.append(((time.perf_counter() - start) * 1000, sql))

    with connection.execute_wrapper(clock):
        fn()
    print(f"    {len(spent)} statements, {sum(ms for ms, _ in spent):.0f} ms in the database")
    for ms, sql in sorted(spent, reverse=True)[:top]:
        print(f"    {ms:7.1f} ms  {' '.join(sql.split())[:160]}")


def endpoints() -> list[tuple[str, str, str]]:
    """(label, who, url): the pages and exports as the manager signed in, the API with the manager's token."""
    page, api = "/m/pekanbaru", "/api/v1/malls/pekanbaru/reports"
    found = [("reference: open-data services.json", "anon", "/api/v1/open/malls/pekanbaru/services.json")]
    for label, period, first, last in (
        ("month", "period=month&date=2025-06-10", "2025-06-01", "2025-06-30"),
        ("year", "period=year&date=2025-06-10", "2025-01-01", "2025-12-31"),
    ):
        found += [
            (f"{label:5} page laporan", "page", f"{page}/laporan/?{period}"),
            (f"{label:5} page laporan by officer", "page", f"{page}/laporan/?{period}&by=officer"),
            (f"{label:5} laporan.csv", "page", f"{page}/laporan/laporan.csv?{period}"),
            (f"{label:5} laporan.xlsx", "page", f"{page}/laporan/laporan.xlsx?{period}"),
            (f"{label:5} laporan.pdf (mayor)", "page", f"{page}/laporan/laporan.pdf?{period}"),
            (f"{label:5} page SKM", "page", f"{page}/skm/?{period}"),
            (f"{label:5} API reports/summary", "api", f"{api}/summary?from={first}&to={last}"),
            (f"{label:5} API reports/malls", "ministry", f"/api/v1/reports/malls?from={first}&to={last}"),
        ]
    found += [
        ("day   API reports/daily", "api", f"{api}/daily?date=2025-06-10"),
        ("year  open-data monthly.json", "anon", "/api/v1/open/malls/pekanbaru/monthly.json?year=2025"),
    ]
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tickets", type=int, default=600_000)
    parser.add_argument("--answers", type=int, default=500_000)
    parser.add_argument("--bookings", type=int, default=50_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--profile", action="append", default=[], metavar="LABEL", help="print the queries of it")
    parser.add_argument("--keep", action="store_true", help="PostgreSQL: keep the loaded database for --reuse")
    parser.add_argument("--reuse", action="store_true", help="PostgreSQL: time the database a --keep run left")
    args = parser.parse_args()
    if args.reuse:  # the same database, migrated to this code; its summary tables rolled again
        url = urlsplit(os.environ["DATABASE_URL"])
        os.environ["DATABASE_URL"] = urlunsplit(url._replace(path=f"/{BENCH_DB}"))
        where, cleanup = f"PostgreSQL database {BENCH_DB} (reused)", lambda: None
    else:
        where, cleanup = prepare_database(BENCH_DB)
    if args.keep:
        where, cleanup = f"{where.split(' (')[0]} (kept for --reuse)", lambda: None
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "satuatap.settings")
    try:
        import django

        django.setup()
        from django.conf import settings
        from django.core.management import call_command
        from django.db import connection
        from django.test import Client

        from satuatap.accounts.models import Role, User
        from satuatap.reports import rollup
        from satuatap.testing import bearer, bearer_as, make_world, national_users

        settings.ALLOWED_HOSTS = ["*"]
        print(f"database: {where}")
        start = time.perf_counter()
        call_command("migrate", verbosity=0)
        if args.reuse:
            world = reused_world()
        else:
            world = make_world()
            fill(world, args)
        if connection.vendor == "postgresql":  # statistics as a live database has them (autovacuum is slow to come)
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        print(f"setup: {time.perf_counter() - start:.1f} s")
        start = time.perf_counter()
        rollup.ensure(world.mall, dt.date(YEAR - 1, 1, 1), dt.date(YEAR, 12, 31))  # the year and the one before
        print(f"roll-up of 2024 and 2025 (as the worker does, once): {time.perf_counter() - start:.1f} s")
        page = Client()
        page.force_login(world.users["manager"])
        ministry = User.objects.filter(role=Role.MINISTRY).first() or national_users()["kementerian"]
        clients = {
            "page": (page, {}),
            "api": (Client(), bearer_as(world, "manager")),
            "ministry": (Client(), bearer(ministry)),  # reports/malls is the ministry's
            "anon": (Client(), {}),
        }

        def trivial():
            with connection.cursor() as cursor:
                cursor.execute("SELECT 1")

        best, median = timed(trivial, args.runs)
        print(f"{'reference: SELECT 1':42} min {best:7.0f} ms  median {median:7.0f} ms")
        for label, who, url in endpoints():
            client, headers = clients[who]
            status = client.get(url, headers=headers).status_code  # the first answer: its status only
            best, median = timed(lambda c=client, u=url, h=headers: c.get(u, headers=h), args.runs)
            print(f"{label:42} min {best:7.0f} ms  median {median:7.0f} ms  ({status})", flush=True)
            if label.strip() in args.profile:
                profile(lambda c=client, u=url, h=headers: c.get(u, headers=h))
        print(f"load average: {os.getloadavg()}")
    finally:
        cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main())
