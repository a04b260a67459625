"""Benchmark the IKM read side (feedback.ikm.compute) on a year of survey answers.

    .venv/bin/python bench/ikm.py [--responses 500000] [--runs 5]

Without DATABASE_URL it uses a SQLite file in a temporary directory (the
embedded default, same settings). With DATABASE_URL=postgres://... it creates
a database named ``satuatap_bench_ikm`` next to the one the URL names, runs
there, and drops it at the end.

Setup (timed separately): migrate, the ``demo`` command (the Pekanbaru mall),
then ``--responses`` finished tickets spread evenly over the year 2025 across
the mall's services, each with one SurveyResponse (scores 1..4 from a seeded
RNG). Then it times ``compute`` for the whole year mall-wide, for one agency,
for one service and for one month, ``--runs`` times each, and prints min and
median in ms with the IKM and the respondents.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import os
import random
import statistics
import sys
import time
from pathlib import Path
from zoneinfo import ZoneInfo

from throwaway_db import prepare_database

ROOT = Path(__file__).resolve().parent.parent
BENCH_DB = "satuatap_bench_ikm"
BATCH = 20_000
YEAR = 2025
TZ = ZoneInfo("Asia/Jakarta")


def fill(mall, total: int, seed: int = 2025) -> None:
    """``total`` done tickets over YEAR, one SurveyResponse each, in batches of BATCH rows."""
    from django.db import transaction

    from satuatap.feedback.models import SCORE_FIELDS, SurveyResponse
    from satuatap.queueing.models import Ticket, TicketStatus

    rng = random.Random(seed)
    services = list(mall.services.all().only("pk", "agency_id", "prefix"))
    first = dt.date(YEAR, 1, 1)
    days = (dt.date(YEAR + 1, 1, 1) - first).days
    seqs: dict[tuple[int, int], int] = {}
    next_pk = (Ticket.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    for start in range(0, total, BATCH):
        tickets, answers = [], []
        for i in range(start, min(start + BATCH, total)):
            day_index = i * days // total
            day = first + dt.timedelta(days=day_index)
            service = services[rng.randrange(len(services))]
            key = (service.pk, day_index)
            seqs[key] = seq = seqs.get(key, 0) + 1
            issued = dt.datetime.combine(day, dt.time(8), TZ) + dt.timedelta(seconds=rng.randrange(7 * 3600))
            finished = issued + dt.timedelta(minutes=rng.randrange(5, 60))
            pk = next_pk + i
            tickets.append(
                Ticket(
                    pk=pk,
                    mall_id=mall.pk,
                    issued_service_id=service.pk,
                    service_id=service.pk,
                    day=day,
                    seq=seq,
                    number=f"{service.prefix}{seq:03d}"[:12],
                    public_code=f"b{i}",
                    status=TicketStatus.DONE,
                    issued_at=issued,
                    queued_at=issued,
                    called_at=issued + dt.timedelta(minutes=2),
                    started_at=issued + dt.timedelta(minutes=3),
                    finished_at=finished,
                )
            )
            scores = {f: rng.randint(1, 4) for f in SCORE_FIELDS}
            answers.append(
                SurveyResponse(
                    ticket_id=pk,
                    mall_id=mall.pk,
                    agency_id=service.agency_id,
                    service_id=service.pk,
                    answered_at=finished + dt.timedelta(minutes=1),
                    **scores,
                )
            )
        with transaction.atomic():
            Ticket.objects.bulk_create(tickets, batch_size=2000)
            SurveyResponse.objects.bulk_create(answers, batch_size=2000)


def timed(runs: int, fn) -> tuple[list[float], object]:
    seconds, result = [], None
    for _ in range(runs):
        t0 = time.perf_counter()
        result = fn()
        seconds.append(time.perf_counter() - t0)
    return seconds, result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--responses", type=int, default=500_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    if args.responses < 1 or args.runs < 1:
        parser.error("--responses and --runs must be at least 1")

    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "satuatap.settings")
    where, cleanup = prepare_database(BENCH_DB)
    try:
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connection

        from satuatap.directory.models import Mall
        from satuatap.feedback import ikm
        from satuatap.feedback.models import SurveyResponse

        t0 = time.perf_counter()
        call_command("migrate", verbosity=0)
        call_command("demo", stdout=io.StringIO())
        mall = Mall.objects.get(slug="pekanbaru")
        t1 = time.perf_counter()
        fill(mall, args.responses)
        t2 = time.perf_counter()
        if connection.vendor == "postgresql":
            with connection.cursor() as cur:
                cur.execute("ANALYZE")
        t3 = time.perf_counter()
        print(f"database: {where}; {os.cpu_count()} CPUs")
        print(
            f"setup: migrate+demo {t1 - t0:.1f} s, {args.responses} tickets+responses {t2 - t1:.1f} s "
            f"({args.responses / (t2 - t1):.0f} pairs/s), ANALYZE {t3 - t2:.1f} s"
        )

        year = (dt.datetime(YEAR, 1, 1, tzinfo=TZ), dt.datetime(YEAR + 1, 1, 1, tzinfo=TZ))
        month = (dt.datetime(YEAR, 3, 1, tzinfo=TZ), dt.datetime(YEAR, 4, 1, tzinfo=TZ))
        agency = max(mall.agencies.all(), key=lambda a: a.services.count())
        service = mall.services.filter(agency=agency).order_by("pk").first()
        in_year = SurveyResponse.objects.filter(mall=mall, answered_at__gte=year[0], answered_at__lt=year[1]).count()
        print(
            f"mall {mall.slug}: {mall.agencies.count()} agencies, {mall.services.count()} services; "
            f"agency {agency.code} ({agency.services.count()} services); service {service.code}"
        )
        cases = [
            ("year, mall-wide", dict(start=year[0], end=year[1])),
            (f"year, agency {agency.code}", dict(start=year[0], end=year[1], agency=agency)),
            (f"year, service {service.code}", dict(start=year[0], end=year[1], service=service)),
            ("month (Mar), mall-wide", dict(start=month[0], end=month[1])),
        ]
        ok = True
        for label, kwargs in cases:
            seconds, result = timed(args.runs, lambda kw=kwargs: ikm.compute(mall, **kw))
            ms = sorted(s * 1000 for s in seconds)
            print(
                f"  {label:<34} min {ms[0]:8.1f} ms  median {statistics.median(ms):8.1f} ms  "
                f"IKM {result.ikm} ({result.mutu})  respondents {result.respondents}  visitors {result.visitors}"
            )
            if label == "year, mall-wide":
                ok = result.respondents == in_year == args.responses
        print(f"check: {'OK' if ok else 'FAILED'}: year respondents == {args.responses} (in DB: {in_year})")
        return 0 if ok else 1
    finally:
        cleanup()


if __name__ == "__main__":
    sys.exit(main())
