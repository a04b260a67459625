"""Benchmark the back office's reads with many cases: the desk, a case page and public tracking.

    .venv/bin/python bench/cases_desk.py [--cases 200000] [--runs 20]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/cases_desk.py

Without DATABASE_URL a SQLite file in a temporary directory; with a PostgreSQL DATABASE_URL the database
``satuatap_bench_cases`` on that server, dropped at the end. Setup (timed separately): migrate, the
``make_world`` mall, then ``--cases`` cases over its four services (three agencies) in every state,
inserted in batches (bench data: one encrypted NIK shared by all rows). Then each page is requested
``--runs`` times through Django's test client and min / median are printed in ms.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import time
from pathlib import Path

from throwaway_db import prepare_database

ROOT = Path(__file__).resolve().parent.parent
BENCH_DB = "satuatap_bench_cases"
BATCH = 20_000
NIK = "1471011203900001"


def fill(world, total: int) -> str:
    from django.utils import timezone

    from satuatap import personal_data
    from satuatap.cases import services
    from satuatap.cases.models import Case, WorkflowState

    nik_encrypted = personal_data.encrypt(NIK)
    name_encrypted = personal_data.encrypt("Warga")
    svc = list(world.services.values())
    states = {s.pk: list(WorkflowState.objects.filter(workflow=services.workflow_for(s))) for s in svc}
    officers = {
        agency.pk: [u for u in world.users.values() if u.agency_id == agency.pk and u.role == "officer"]
        for agency in world.agencies.values()
    }
    now = timezone.now()
    today = now.date()
    seqs: dict[int, int] = {}
    last = ""
    for start in range(0, total, BATCH):
        rows = []
        for i in range(start, min(start + BATCH, total)):
            service = svc[i % len(svc)]
            state = states[service.pk][i % len(states[service.pk])]
            seqs[service.agency_id] = seq = seqs.get(service.agency_id, 0) + 1
            received = today - dt.timedelta(days=i % 400)
            people = officers[service.agency_id]
            number = services.registration_number(world.mall, service.agency, 2026, seq)
            rows.append(
                Case(
                    mall=world.mall,
                    agency_id=service.agency_id,
                    service=service,
                    registration_number=number,
                    year=2026,
                    seq=seq,
                    state=state,
                    nik_hash="x",
                    nik_encrypted=nik_encrypted,
                    nik_masked="1471**********01",
                    name_encrypted=name_encrypted,
                    name_masked="W****",
                    fee=service.fee,
                    assignee=people[i % len(people)] if i % 3 else None,
                    received_on=received,
                    due_date=received + dt.timedelta(days=7),
                    closed_on=received + dt.timedelta(days=5) if state.kind == "final" else None,
                    created_at=now,
                    updated_at=now,
                )
            )
            last = number
        Case.objects.bulk_create(rows)
    return last


def timed(runs: int, request) -> tuple[float, float]:
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        response = request()
        samples.append((time.perf_counter() - start) * 1000)
        if response.status_code != 200:
            raise RuntimeError(f"answered {response.status_code}")
    return min(samples), statistics.median(samples)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=200_000)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    where, cleanup = prepare_database(BENCH_DB)
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "satuatap.settings")
    try:
        import django

        django.setup()
        from django.conf import settings
        from django.core.management import call_command
        from django.db import connection
        from django.test import Client

        from satuatap.cases.models import Case
        from satuatap.testing import make_world

        settings.ALLOWED_HOSTS = ["*"]
        settings.PUBLIC_RATE_LIMIT = 10**9
        started = time.perf_counter()
        call_command("migrate", verbosity=0)
        world = make_world()
        number = fill(world, args.cases)
        with connection.cursor() as cursor:  # fresh statistics, as autovacuum would have them in production
            cursor.execute("ANALYZE")
        print(f"{where}: {Case.objects.count()} cases loaded in {time.perf_counter() - started:.1f} s")
        officer, supervisor, manager, public = Client(), Client(), Client(), Client()
        officer.force_login(world.users["officer1"])
        supervisor.force_login(world.users["sup_dukcapil"])
        manager.force_login(world.users["manager"])
        mall = world.mall.slug
        dukcapil = (
            Case.objects.filter(agency__code="DUKCAPIL")
            .order_by("-pk")
            .values_list("registration_number", flat=True)[0]
        )
        checks = [
            # The same-run reference: a page that reads no case (the empty tracking form). On a shared machine
            # compare each figure with it, not with another run's.
            ("reference: tracking form (GET)", lambda: public.get("/lacak-berkas/")),
            ("desk, officer (my open cases)", lambda: officer.get(f"/m/{mall}/berkas/")),
            ("desk, supervisor (all open)", lambda: supervisor.get(f"/m/{mall}/berkas/?tab=semua")),
            ("desk, supervisor (late)", lambda: supervisor.get(f"/m/{mall}/berkas/?tab=terlambat")),
            ("desk, supervisor (page 5)", lambda: supervisor.get(f"/m/{mall}/berkas/?tab=semua&hal=5")),
            ("desk, manager (all agencies, open)", lambda: manager.get(f"/m/{mall}/berkas/?tab=semua")),
            ("case page", lambda: officer.get(f"/m/{mall}/berkas/{dukcapil}/")),
            ("tracking page (POST)", lambda: public.post("/lacak-berkas/", {"nomor": number, "nik4": NIK[-4:]})),
            ("tracking API", lambda: public.get(f"/api/v1/cases/{number}?nik_last4={NIK[-4:]}")),
        ]
        for label, request in checks:
            request()  # warm up
            low, median = timed(args.runs, request)
            print(f"  {label:<34} min {low:7.1f} ms   median {median:7.1f} ms")
    finally:
        cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main())
