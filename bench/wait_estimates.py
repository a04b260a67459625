"""Measure the wait estimates on a simulated working day, through the real service modules.

    .venv/bin/python bench/wait_estimates.py [--seed 20261124] [--scale 1.0] [--database-url postgres://...]
    .venv/bin/python bench/wait_estimates.py --visits 2500     # a busy Pekanbaru day, counters scaled along

A throwaway database (a temporary SQLite file, or with ``--database-url`` /
``DATABASE_URL`` a PostgreSQL database ``satuatap_wait_bench`` created and dropped),
a Pekanbaru-sized mall (9 services of 6 agencies, 18 counters, one of them shared by
three Dukcapil services), and one working day 08:00-15:30 WIB (break 12:00-13:00,
numbers until 15:00) simulated event by event with explicit ``now=`` values:

- Arrivals: a non-homogeneous Poisson process per service (thinning), with a morning
  peak (about twice the rate at 09:00 as at 08:00, falling through the afternoon),
  none during the break or after the cutoff; one in twelve for a priority group.
- Every arrival takes a number through ``tickets.issue_ticket(now=t)``: the real code
  stamps the real estimate (``queueing.estimates``) on the ticket, as a kiosk would.
- Officers sign in at their start time (two arrive late), call next with
  ``tickets.call_next(now=t)`` when free (a short pause after each finish; an idle
  counter notices a new number within a minute and a half), start after the citizen
  walks up, finish after a log-normal service time per service; 4 % of the called are
  no-shows (recalled once, then marked). Counters stop at the break and at closing.
- At the end ``reports.estimate_accuracy.measure`` (the report page's code) compares
  each ticket's stamped prediction with its first call; the figures are printed, with
  those of the previous formula, ceil((own-queue position + 1) x median s / staffed), for comparison.

The same seed gives the same day (arrivals and service times); the seed is printed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import heapq
import itertools
import math
import os
import random
import sys
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo

from throwaway_db import prepare_database

ROOT = Path(__file__).resolve().parent.parent
BENCH_DB = "satuatap_wait_bench"
TZ = ZoneInfo("Asia/Jakarta")
DAY = dt.date(2026, 11, 24)  # a Tuesday, no holiday
OPENS, CLOSES, CUTOFF = dt.time(8), dt.time(15, 30), dt.time(15)
BREAK = (dt.time(12), dt.time(13))
# Relative arrival rate per half hour from 08:00 (the break's two half hours are 0; none after 15:00).
RATE = [1.0, 1.8, 2.0, 1.9, 1.7, 1.5, 1.3, 1.0, 0.0, 0.0, 1.2, 1.1, 0.9, 0.6]
PRIORITY_SHARE = 1 / 12
PEKANBARU_VISITS = 2500  # a busy Pekanbaru day (--visits 2500 simulates about that many)
NATIONAL_MALLS = 208  # MPPs in Indonesia, for the projection
NO_SHOW_SHARE = 0.04

# (agency, name, kind)
AGENCIES = {
    "DUKCAPIL": ("Dinas Kependudukan dan Pencatatan Sipil", "regional"),
    "IMIGRASI": ("Kantor Imigrasi Kelas I TPI Pekanbaru", "central"),
    "POLRESTA": ("Polresta Pekanbaru", "central"),
    "SAMSAT": ("UPT Samsat Pekanbaru Kota", "regional"),
    "BPJS": ("BPJS Kesehatan Cabang Pekanbaru", "bumn"),
    "DPMPTSP": ("DPMPTSP Kota Pekanbaru", "regional"),
}


@dataclass(frozen=True)
class ServiceSpec:
    agency: str
    code: str
    name: str
    prefix: str
    per_day: float  # expected arrivals on the day (scaled by --scale)
    median_minutes: float  # log-normal service time (call to finish) ...
    sigma: float  # ... and its shape


SERVICES = [
    ServiceSpec("DUKCAPIL", "DUKCAPIL-KTP", "KTP-el", "A", 120, 6.0, 0.45),
    ServiceSpec("DUKCAPIL", "DUKCAPIL-KK", "Kartu Keluarga", "B", 65, 9.0, 0.45),
    ServiceSpec("DUKCAPIL", "DUKCAPIL-AKTA", "Akta kelahiran", "C", 30, 8.0, 0.4),
    ServiceSpec("IMIGRASI", "IMIGRASI-PASPOR", "Paspor", "D", 75, 12.0, 0.35),
    ServiceSpec("POLRESTA", "POLRESTA-SKCK", "SKCK", "E", 110, 5.0, 0.35),
    ServiceSpec("SAMSAT", "SAMSAT-PKB", "Pajak kendaraan tahunan", "F", 200, 4.0, 0.3),
    ServiceSpec("BPJS", "BPJS-KES", "Kepesertaan BPJS Kesehatan", "G", 55, 10.0, 0.5),
    ServiceSpec("DPMPTSP", "DPMPTSP-NIB", "Perizinan berusaha (NIB)", "H", 35, 14.0, 0.6),
    ServiceSpec("DPMPTSP", "DPMPTSP-PBG", "Persetujuan bangunan gedung", "I", 16, 18.0, 0.4),
]
# (counter number, agency, services it serves, officer's start time)
COUNTERS = [
    (1, "DUKCAPIL", ["DUKCAPIL-KTP", "DUKCAPIL-KK", "DUKCAPIL-AKTA"], dt.time(8)),
    (2, "DUKCAPIL", ["DUKCAPIL-KTP", "DUKCAPIL-KK", "DUKCAPIL-AKTA"], dt.time(8)),
    (3, "DUKCAPIL", ["DUKCAPIL-KTP", "DUKCAPIL-KK", "DUKCAPIL-AKTA"], dt.time(8)),
    (4, "DUKCAPIL", ["DUKCAPIL-KTP", "DUKCAPIL-KK", "DUKCAPIL-AKTA"], dt.time(8, 20)),
    (5, "DUKCAPIL", ["DUKCAPIL-KTP"], dt.time(8)),
    (6, "IMIGRASI", ["IMIGRASI-PASPOR"], dt.time(8)),
    (7, "IMIGRASI", ["IMIGRASI-PASPOR"], dt.time(8)),
    (8, "IMIGRASI", ["IMIGRASI-PASPOR"], dt.time(8)),
    (9, "POLRESTA", ["POLRESTA-SKCK"], dt.time(8)),
    (10, "POLRESTA", ["POLRESTA-SKCK"], dt.time(8)),
    (11, "SAMSAT", ["SAMSAT-PKB"], dt.time(8)),
    (12, "SAMSAT", ["SAMSAT-PKB"], dt.time(8)),
    (13, "SAMSAT", ["SAMSAT-PKB"], dt.time(8, 45)),
    (14, "BPJS", ["BPJS-KES"], dt.time(8)),
    (15, "BPJS", ["BPJS-KES"], dt.time(8)),
    (16, "DPMPTSP", ["DPMPTSP-NIB", "DPMPTSP-PBG"], dt.time(8)),
    (17, "DPMPTSP", ["DPMPTSP-NIB"], dt.time(8)),
    (18, "DPMPTSP", ["DPMPTSP-PBG"], dt.time(8)),
]


EXPECTED_VISITS = sum(spec.per_day for spec in SERVICES)  # at scale 1


def counters_for(copies: int) -> list[tuple]:
    """COUNTERS, each ``copies`` times (numbers 1..18, 19..36, ...): a bigger mall of the same shape."""
    return [
        (number + len(COUNTERS) * copy, agency, codes, start)
        for copy in range(copies)
        for number, agency, codes, start in COUNTERS
    ]


def at(clock: dt.time, day: dt.date = DAY) -> dt.datetime:
    return dt.datetime.combine(day, clock, tzinfo=TZ)


def minutes(m: float) -> dt.timedelta:
    return dt.timedelta(minutes=m)


def arrivals(rng: random.Random, spec: ServiceSpec, scale: float) -> list[dt.datetime]:
    """Arrival instants of one service: a non-homogeneous Poisson process by thinning."""
    slot_minutes = 30
    total_weight = sum(RATE) * slot_minutes
    peak = max(RATE) * spec.per_day * scale / total_weight  # arrivals per minute at the peak
    start = at(OPENS)
    t, out = 0.0, []
    horizon = len(RATE) * slot_minutes
    while True:
        t += rng.expovariate(peak)
        if t >= horizon:
            return out
        if rng.random() < RATE[int(t // slot_minutes)] / max(RATE):
            out.append(start + minutes(t))


def previous_formula(finished: list[tuple[dt.datetime, dt.datetime]], fresh) -> int:
    """The estimate before queueing.estimates: ceil((own-queue position + 1) x median s / staffed),
    s the median call-to-finish minutes of the service's last 20 finished today (6 without).

    ``finished``: the service's (called, finished) instants so far, oldest first. The simulation keeps
    them as it finishes tickets (the rows the database holds): a query per issue cost the bench as much
    as the issue itself."""
    import statistics

    minutes = [(end - start).total_seconds() / 60 for start, end in finished[-20:]]
    per_ticket = statistics.median(minutes) if minutes else 6.0
    return math.ceil((fresh.position + 1) * per_ticket / fresh.staffed)


@dataclass(order=True)
class Event:
    at: dt.datetime
    order: int
    kind: str = field(compare=False)
    data: dict = field(compare=False, default_factory=dict)


class Simulation:
    def __init__(self, rng: random.Random, world, scale: float):
        self.rng = rng
        self.world = world
        self.scale = scale
        self.queue: list[Event] = []
        self.seq = itertools.count()
        self.idle: set[int] = set()  # counters with nobody to call
        self.baseline: dict[int, int] = {}  # ticket id -> the previous formula's minutes
        self.finished: dict[int, list] = defaultdict(list)  # service id -> (called, finished) of its done tickets
        self.calls = self.no_shows = self.closed_refusals = 0

    def push(self, when: dt.datetime, kind: str, **data) -> None:
        heapq.heappush(self.queue, Event(when, next(self.seq), kind, data))

    def service_minutes(self, code: str) -> float:
        spec = self.world.specs[code]
        return spec.median_minutes * math.exp(self.rng.gauss(0, spec.sigma))

    def run(self) -> int:
        for spec in SERVICES:
            for when in arrivals(self.rng, spec, self.scale):
                group = (
                    self.rng.choice(["lansia", "disabilitas", "ibu_hamil"])
                    if self.rng.random() < PRIORITY_SHARE
                    else ""
                )
                self.push(when, "arrive", service=spec.code, group=group)
        for number, _agency, _codes, start in self.world.counter_specs:
            self.push(at(start), "sign_in", counter=number)
        issued = 0
        while self.queue:
            event = heapq.heappop(self.queue)
            issued += getattr(self, f"on_{event.kind}")(event.at, **event.data) or 0
        return issued

    # -- events -------------------------------------------------------------------------------

    def on_sign_in(self, now, counter):
        from satuatap.queueing import tickets

        self.world.counters[counter] = tickets.sign_in(self.world.counters[counter], self.world.officers[counter])
        self.push(now, "call", counter=counter)

    def on_arrive(self, now, service, group):
        from satuatap.queueing import tickets
        from satuatap.refusal import Refused

        try:
            ticket = tickets.issue_ticket(self.world.services[service], priority_group=group, now=now)
        except Refused:
            return 0
        fresh = ticket.issue_estimate
        self.baseline[ticket.pk] = previous_formula(self.finished[ticket.service_id], fresh)
        for number in sorted(self.idle):
            if service in self.world.serves[number]:
                self.idle.discard(number)
                self.push(now + minutes(self.rng.uniform(0.2, 1.5)), "call", counter=number)
        return 1

    def on_call(self, now, counter):
        from satuatap.queueing import tickets
        from satuatap.refusal import Refused

        try:
            ticket = tickets.call_next(self.world.counters[counter], self.world.officers[counter], now=now)
        except Refused as err:
            if err.code != "closed":
                raise
            self.closed_refusals += 1
            if now < at(BREAK[1]):  # the break (or before opening): come back after it
                self.push(max(at(BREAK[1]), now) + minutes(self.rng.uniform(0, 3)), "call", counter=counter)
            return 0
        if ticket is None:
            self.idle.add(counter)
            return 0
        self.calls += 1
        walk = self.rng.uniform(0.3, 1.5)
        if self.rng.random() < NO_SHOW_SHARE:
            self.push(now + minutes(1.0), "recall", counter=counter, ticket=ticket)
            return 0
        self.push(now + minutes(walk), "start", counter=counter, ticket=ticket)
        return 0

    def on_recall(self, now, counter, ticket):
        from satuatap.queueing import tickets

        tickets.recall(ticket, self.world.officers[counter], now=now)
        self.push(now + minutes(1.5), "no_show", counter=counter, ticket=ticket)

    def on_no_show(self, now, counter, ticket):
        from satuatap.queueing import tickets

        tickets.no_show(ticket, self.world.officers[counter], now=now)
        self.no_shows += 1
        self.push(now + minutes(self.rng.uniform(0.1, 0.5)), "call", counter=counter)

    def on_start(self, now, counter, ticket):
        from satuatap.queueing import tickets

        tickets.start_service(ticket, self.world.officers[counter], now=now)
        # The service time is measured from the call: the walk-up is part of it.
        spent = (now - ticket.called_at).total_seconds() / 60
        rest = max(0.5, self.service_minutes(ticket.service.code) - spent)
        self.push(now + minutes(rest), "finish", counter=counter, ticket=ticket)

    def on_finish(self, now, counter, ticket):
        from satuatap.queueing import tickets

        done = tickets.finish(ticket, self.world.officers[counter], now=now)
        self.finished[done.service_id].append((done.called_at, done.finished_at))
        self.push(now + minutes(self.rng.uniform(0.1, 0.8)), "call", counter=counter)


@dataclass
class World:
    mall: object
    counter_specs: list  # (number, agency, service codes, officer's start), as COUNTERS
    specs: dict = field(default_factory=dict)
    services: dict = field(default_factory=dict)
    counters: dict = field(default_factory=dict)
    officers: dict = field(default_factory=dict)
    serves: dict = field(default_factory=dict)


def build_world(counter_specs: list[tuple]) -> World:
    from satuatap.accounts.models import Role, User
    from satuatap.directory.models import Agency, Building, Counter, Mall, OpeningHours, Service, Zone

    mall = Mall.objects.create(
        slug="pekanbaru-sim",
        name="MPP Pekanbaru (simulasi)",
        city="Pekanbaru",
        timezone="Asia/Jakarta",
        issue_cutoff_minutes=30,
        observes_national_holidays=False,
    )
    for weekday in range(5):
        OpeningHours.objects.create(
            mall=mall, weekday=weekday, opens=OPENS, closes=CLOSES, break_start=BREAK[0], break_end=BREAK[1]
        )
    building = Building.objects.create(mall=mall, code="mpp", name="Gedung MPP")
    zone = Zone.objects.create(mall=mall, building=building, code="A", name="Lantai 1")
    agencies = {
        code: Agency.objects.create(mall=mall, code=code, name=name, kind=kind, zone=zone)
        for code, (name, kind) in AGENCIES.items()
    }
    world = World(mall=mall, counter_specs=counter_specs)
    for spec in SERVICES:
        world.specs[spec.code] = spec
        service = Service.objects.create(
            mall=mall, agency=agencies[spec.agency], code=spec.code, name=spec.name, prefix=spec.prefix
        )
        world.services[spec.code] = service
    for number, agency, codes, _start in world.counter_specs:
        counter = Counter.objects.create(mall=mall, building=building, agency=agencies[agency], number=number)
        counter.services.set([world.services[c] for c in codes])
        world.counters[number] = counter
        world.serves[number] = set(codes)
        world.officers[number] = User.objects.create_user(
            username=f"petugas{number}", role=Role.OFFICER, mall=mall, agency=agencies[agency]
        )
    # What a kiosk's view hands issue_ticket: the service with its mall and the mall's hours loaded.
    loaded = Service.objects.filter(mall=mall).select_related("mall", "agency").prefetch_related("mall__hours")
    world.services = {s.code: s for s in loaded}
    return world


def fmt(value) -> str:
    return "—" if value is None else f"{value:.1f}"


def report(world, sim: Simulation, issued: int, elapsed: float, cpu: float) -> None:
    from satuatap.queueing.models import Ticket, TicketStatus
    from satuatap.reports.estimate_accuracy import Accuracy, actual_wait, first_call_at, measure, percentile

    tickets = Ticket.objects.filter(mall=world.mall, day=DAY)
    services, total, without = measure(tickets)
    left = tickets.filter(status=TicketStatus.WAITING).count()
    print(
        f"day {DAY} simulated in {elapsed:.1f} s (this process's CPU {cpu:.1f} s; load average "
        f"{os.getloadavg()[0]:.1f}): {issued} numbers issued, {sim.calls} calls, "
        f"{sim.no_shows} no-shows, {left} still waiting at closing, {without} without prediction"
    )
    header = (
        f"{'service':<17}{'issued':>7}{'meas.':>6}{'pred p50':>9}{'act p50':>8}{'act p90':>8}"
        f"{'|err| p50':>10}{'|err| p90':>10}{'|err| mean':>11}{'bias':>7}"
    )
    print(header)
    for row in [*services, total]:
        label = row.code or "ALL"
        print(
            f"{label:<17}{row.issued:>7}{row.measured:>6}{fmt(row.median_predicted):>9}{fmt(row.median_actual):>8}"
            f"{fmt(percentile(row.actual, 90)):>8}{fmt(row.median_abs_error):>10}{fmt(row.p90_abs_error):>10}"
            f"{fmt(row.mean_abs_error):>11}{fmt(row.mean_error):>7}"
        )
    within = {m: sum(1 for e in total.abs_errors if e <= m) / max(1, total.measured) for m in (2, 5, 10)}
    print(
        "share of measured tickets within ±2 / ±5 / ±10 min: "
        + " / ".join(f"{100 * within[m]:.0f} %" for m in (2, 5, 10))
    )
    # Every ticket with its actual wait (one query), for the two tables below.
    rows = [
        (pk, predicted, issued_at, actual_wait(issued_at, first_call))
        for pk, predicted, issued_at, first_call in tickets.annotate(first_call=first_call_at()).values_list(
            "pk", "predicted_wait_minutes", "issued_at", "first_call"
        )
    ]
    by_hour: dict[int, Accuracy] = {}
    for _pk, predicted, issued_at, actual in rows:
        by_hour.setdefault(issued_at.astimezone(TZ).hour, Accuracy(label="")).add(predicted, actual)
    print("by hour of issue: hour n pred-p50 act-p50 |err|-p50 |err|-p90 bias")
    for hour, row in sorted(by_hour.items()):
        print(
            f"  {hour:02d}:00 {row.measured:>4} {fmt(row.median_predicted):>6} {fmt(row.median_actual):>6} "
            f"{fmt(row.median_abs_error):>6} {fmt(row.p90_abs_error):>6} {fmt(row.mean_error):>6}"
        )
    # The previous formula, on the same tickets and the same first calls.
    old = Accuracy(label="previous")
    for pk, _predicted, _issued_at, actual in rows:
        old.add(sim.baseline[pk], actual)
    print(
        f"previous formula ceil((position + 1) x median s / staffed): |err| p50 {fmt(old.median_abs_error)}, "
        f"p90 {fmt(old.p90_abs_error)}, mean {fmt(old.mean_abs_error)}, bias {fmt(old.mean_error)} min"
    )
    for label, seconds in (("wall time", elapsed), ("CPU time", cpu)):
        per_visit = seconds / max(1, issued)
        print(
            f"projection at {1000 * per_visit:.1f} ms a visit ({label} of this run, one process): a Pekanbaru day "
            f"of {PEKANBARU_VISITS:,} visits {PEKANBARU_VISITS * per_visit:.1f} s; a national day of "
            f"{NATIONAL_MALLS} such malls {NATIONAL_MALLS * PEKANBARU_VISITS * per_visit / 60:.0f} min"
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=20261124)
    parser.add_argument("--scale", type=float, default=1.0, help="multiply every service's arrivals")
    parser.add_argument(
        "--visits",
        type=int,
        default=0,
        help=f"about this many numbers: --scale visits/{EXPECTED_VISITS:g}, the counters copied round(scale) times",
    )
    parser.add_argument("--database-url", default="", help="a PostgreSQL URL (default: DATABASE_URL, else SQLite)")
    args = parser.parse_args()
    if args.visits:
        args.scale = args.visits / EXPECTED_VISITS
    if args.scale <= 0:
        parser.error("--scale and --visits must be positive")
    copies = max(1, round(args.scale)) if args.visits else 1
    if args.database_url:
        os.environ["DATABASE_URL"] = args.database_url

    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "satuatap.settings")
    os.environ.pop("REDIS_URL", None)  # live hints as LiveEvent rows: nothing leaves this process
    where, cleanup = prepare_database(BENCH_DB)
    try:
        import django

        django.setup()
        from django.conf import settings
        from django.core.management import call_command

        settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
        call_command("migrate", verbosity=0)
        print(f"database: {where}")
        specs = counters_for(copies)
        print(f"seed: {args.seed}  scale: {args.scale:.2f}  counters: {len(specs)}")
        world = build_world(specs)
        rng = random.Random(args.seed)
        sim = Simulation(rng, world, args.scale)
        started, cpu = time.perf_counter(), time.process_time()
        issued = sim.run()
        report(world, sim, issued, time.perf_counter() - started, time.process_time() - cpu)
        return 0
    finally:
        cleanup()


if __name__ == "__main__":
    sys.exit(main())
