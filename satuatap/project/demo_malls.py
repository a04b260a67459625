"""The national demo (``manage.py demo --national``): two more malls beside Pekanbaru, of other sizes and time zones,
a year of generated history in every mall, and the accounts above the malls (``kementerian``, ``evaluator``).

Demo only, not real data. The history is written with bulk inserts (tickets, their events, SKM answers, complaints,
the bookings of the booked tickets and some never checked in),
a batch per month, so the whole load stays within a couple of minutes: it bypasses the service modules on purpose,
the way a migration of an old system's records would. Each mall's history ends the day before its local today, so
today's queue starts empty. Each mall has its own character (visitors per day, waits, how content people are), so
the national view has differences to show.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import holidays
from django.contrib.auth.hashers import make_password
from django.db import transaction
from simple_history.utils import bulk_create_with_history

from satuatap import personal_data
from satuatap.accounts.models import Role, User
from satuatap.booking.models import Booking, BookingStatus
from satuatap.complaints.models import Complaint, ComplaintStatus
from satuatap.directory import demo_catalogue as cat
from satuatap.directory.demo_services import services as service_specs
from satuatap.directory.hours import service_day
from satuatap.directory.models import Agency, Building, Counter, Mall, OpeningHours, Service, Zone
from satuatap.evaluation import assessment
from satuatap.evaluation.instrument import instrument_for
from satuatap.evaluation.models import Indicator
from satuatap.feedback.models import SurveyResponse, SurveySource
from satuatap.queueing.models import Ticket, TicketEvent, TicketSource, TicketStatus

ACTION = TicketEvent.Action


@dataclass(frozen=True)
class Character:
    """How a mall's generated days look."""

    visitors_per_day: int
    mean_wait_minutes: int
    mean_service_minutes: int
    content: float  # 0..1: how often an SKM answer is 4 rather than 3 (or 2)
    evaluated: float  # about the score the evaluator gave each indicator last year (0-5)
    survey_share: float  # share of finished tickets answered in the SKM
    complaints_per_week: int
    seed: int


@dataclass(frozen=True)
class MallSpec:
    slug: str
    name: str
    city: str
    timezone: str
    agencies: dict[str, int]  # agency code in the catalogue -> counters
    character: Character


PEKANBARU = Character(240, 22, 11, 0.62, 4.55, 0.22, 6, seed=1)
OTHER_MALLS = (
    MallSpec(
        "makassar",
        "MPP Kota Makassar",
        "Makassar",
        "Asia/Makassar",
        {"DUKCAPIL": 16, "DPMPTSP": 6, "POLRESTA": 4, "SAMSAT": 8, "BPJSKES": 4, "IMIGRASI": 6, "DJP": 2, "PLN": 2},
        Character(140, 31, 13, 0.48, 3.4, 0.18, 4, seed=2),
    ),
    MallSpec(
        "jayapura",
        "MPP Kota Jayapura",
        "Jayapura",
        "Asia/Jayapura",
        {"DUKCAPIL": 6, "DPMPTSP": 3, "SAMSAT": 4, "BPJSKES": 2, "IMIGRASI": 3},
        Character(55, 14, 9, 0.7, 4.1, 0.3, 2, seed=3),
    ),
)
NATIONAL_ACCOUNTS = (("kementerian", Role.MINISTRY, "Kementerian PANRB"), ("evaluator", Role.EVALUATOR, "Evaluator"))


def build_national_accounts(password_hash: str) -> None:
    User.objects.bulk_create(
        User(username=username, password=password_hash, role=role, first_name=name)
        for username, role, name in NATIONAL_ACCOUNTS
    )


def build_mall(spec: MallSpec, password_hash: str) -> Mall:
    """A smaller mall from the catalogue's agencies and services: one building, the agencies' zones, real hours."""
    mall = Mall.objects.create(
        slug=spec.slug,
        name=spec.name,
        city=spec.city,
        timezone=spec.timezone,
        maklumat=cat.MAKLUMAT,
        maklumat_signed_by=f"Kepala DPMPTSP Kota {spec.city}",
    )
    OpeningHours.objects.bulk_create(
        OpeningHours(mall=mall, weekday=day, opens=opens, closes=closes, break_start=b_start, break_end=b_end)
        for day, (opens, closes, b_start, b_end) in cat.HOURS.items()
    )
    building = Building.objects.create(mall=mall, code="mpp", name="Gedung MPP", address=f"{spec.city} (alamat demo)")
    specs = [a for a in cat.AGENCIES if a.code in spec.agencies]
    zones = {
        code: Zone.objects.create(mall=mall, building=building, code=code, name=name, floor=floor)
        for code, name, _building, floor in cat.ZONES
        if any(a.zone == code for a in specs)
    }
    agencies = {
        a.code: a
        for a in bulk_create_with_history(
            [Agency(mall=mall, code=a.code, name=a.name, kind=a.kind, zone=zones[a.zone]) for a in specs], Agency
        )
    }
    letters = {code: iter("ABCDEFGHIJKLMNOPQRSTUVWXYZ") for code in agencies}
    by_code = {a.code: a for a in specs}
    services = bulk_create_with_history(
        [
            Service(
                mall=mall,
                agency=agencies[s.agency],
                complaint_channel=f"Meja pengaduan MPP Kota {spec.city}",
                **cat.service_fields(s, by_code[s.agency], letters[s.agency]),
            )
            for s in service_specs()
            if s.agency in agencies
        ],
        Service,
    )
    build_counters(mall, building, agencies, services, spec.agencies)
    build_staff(mall, agencies, password_hash)
    return mall


def build_counters(mall, building, agencies, services, counts) -> None:
    """Each agency's counters, each serving all of its services (a small mall's desks do everything)."""
    counters, number = [], 0
    for code, agency in agencies.items():
        for _desk in range(counts[code]):
            number += 1
            counters.append(Counter(mall=mall, building=building, agency=agency, number=number))
    counters = bulk_create_with_history(counters, Counter)
    through = Counter.services.through
    through.objects.bulk_create(
        through(counter_id=c.pk, service_id=s.pk) for c in counters for s in services if s.agency_id == c.agency_id
    )


def build_staff(mall, agencies, password_hash: str) -> None:
    """``<slug>_manager``, ``<slug>_kiosk``, ``<slug>_display``, ``<slug>_spv_<agency>``, ``<slug>_petugas<n>``."""
    slug = mall.slug

    def user(username, role, agency=None, **extra):
        return User(username=f"{slug}_{username}", password=password_hash, role=role, mall=mall, agency=agency, **extra)

    people = [user("manager", Role.MANAGER, first_name=f"Pengelola {mall.name}"), user("kiosk", Role.KIOSK)]
    people.append(user("display", Role.DISPLAY))
    people += [user(f"spv_{code.lower()}", Role.SUPERVISOR, agency) for code, agency in agencies.items()]
    people += [user(f"petugas{c.number}", Role.OFFICER, c.agency) for c in mall.counters.select_related("agency")]
    User.objects.bulk_create(people)


def working_days(mall: Mall, first: dt.date, last: dt.date) -> list[dt.date]:
    """Monday to Friday, without national holidays and cuti bersama."""
    off = holidays.country_holidays("ID", years=range(first.year, last.year + 1), categories=("public", "government"))
    days, day = [], first
    while day <= last:
        if day.weekday() < 5 and day not in off:
            days.append(day)
        day += dt.timedelta(days=1)
    return days


class History:
    """One mall's generated year, written a month at a time."""

    def __init__(self, mall: Mall, character: Character):
        self.mall, self.c = mall, character
        self.rng = random.Random(character.seed)  # noqa: S311 - demo data, repeatable on purpose
        self.tz = ZoneInfo(mall.timezone)
        counters = list(mall.counters.prefetch_related("services"))
        officer_rows = User.objects.filter(mall=mall, role=Role.OFFICER)
        officers = {u.username.rsplit("petugas", 1)[-1]: u.pk for u in officer_rows}  # petugas<n> sits at counter n
        self.services = list(mall.services.all())
        self.desks = {s.pk: [] for s in self.services}
        for c in counters:
            for s in c.services.all():
                self.desks[s.pk].append((c.pk, officers.get(str(c.number))))
        self.services = [s for s in self.services if self.desks[s.pk]]
        # A few services take most visitors, as in a real mall (ID cards, family cards, vehicle tax).
        self.weights = [self.rng.paretovariate(1.2) for _ in self.services]
        self.seq = 0
        self.sealed = personal_data.encrypt("(data demo)")  # one sealed placeholder: bookings are demo, not people

    def load(self, first: dt.date, last: dt.date) -> int:
        days = working_days(self.mall, first, last)
        for month in sorted({d.replace(day=1) for d in days}):
            with transaction.atomic():
                self.month([d for d in days if d.replace(day=1) == month])
        return self.seq

    def month(self, days: list[dt.date]) -> None:
        tickets, complaints = [], []
        for day in days:
            # Mondays are busiest; the mall grows a little over the year.
            volume = self.c.visitors_per_day * (1.25 if day.weekday() == 0 else 1.0) * (0.9 + day.month / 60)
            for _ in range(max(0, int(self.rng.gauss(volume, volume / 8)))):
                tickets.append(self.ticket(day))
            for _ in range(self.rng.randint(0, self.c.complaints_per_week * 2) // 5):
                complaints.append(self.complaint(day))
        tickets = Ticket.objects.bulk_create(tickets)
        TicketEvent.objects.bulk_create(event for t in tickets for event in self.events(t))
        SurveyResponse.objects.bulk_create(self.answer(t) for t in tickets if self.answers(t))
        Booking.objects.bulk_create(b for t in tickets if t.source == TicketSource.BOOKING for b in self.bookings(t))
        Complaint.objects.bulk_create(complaints)
        for complaint in complaints:  # created_at is set on insert: give it its day
            Complaint.objects.filter(pk=complaint.pk).update(created_at=complaint.filed_at)

    def ticket(self, day: dt.date) -> Ticket:
        rng, self.seq = self.rng, self.seq + 1
        service = rng.choices(self.services, self.weights)[0]
        counter, officer = rng.choice(self.desks[service.pk])
        issued = dt.datetime.combine(day, dt.time(8), self.tz) + dt.timedelta(minutes=rng.triangular(0, 420, 90))
        status = rng.choices([TicketStatus.DONE, TicketStatus.NO_SHOW, TicketStatus.CANCELLED], [88, 8, 4])[0]
        ticket = Ticket(
            mall=self.mall,
            issued_service=service,
            service=service,
            day=day,
            seq=self.seq,
            number=f"{service.prefix}{self.seq % 1000:03d}",
            public_code=f"demo-{self.mall.slug[:3]}-{self.seq}",
            status=status,
            priority_group="lansia" if rng.random() < 0.06 else "",
            source=rng.choices([TicketSource.KIOSK, TicketSource.BOOKING, TicketSource.OFFICER], [80, 12, 8])[0],
            issued_at=issued,
            queued_at=issued,
        )
        if status != TicketStatus.CANCELLED:
            called = issued + dt.timedelta(minutes=rng.expovariate(1 / self.c.mean_wait_minutes))
            ticket.counter_id, ticket.officer_id, ticket.called_at = counter, officer, called
            if status == TicketStatus.DONE:
                ticket.started_at = called + dt.timedelta(seconds=rng.randint(20, 120))
                service_minutes = max(1.0, rng.gauss(self.c.mean_service_minutes, self.c.mean_service_minutes / 3))
                ticket.finished_at = ticket.started_at + dt.timedelta(minutes=service_minutes)
        return ticket

    @staticmethod
    def events(t: Ticket) -> list[TicketEvent]:
        def event(action, at):
            return TicketEvent(ticket=t, mall_id=t.mall_id, action=action, at=at)

        found = [event(ACTION.ISSUED, t.issued_at)]
        if t.status == TicketStatus.CANCELLED:
            return [*found, event(ACTION.CANCELLED, t.issued_at + dt.timedelta(minutes=5))]
        found.append(event(ACTION.CALLED, t.called_at))
        if t.status == TicketStatus.NO_SHOW:
            return [*found, event(ACTION.NO_SHOW, t.called_at + dt.timedelta(minutes=3))]
        return [*found, event(ACTION.FINISHED, t.finished_at)]  # the start is on the ticket; no report reads its event

    def bookings(self, t: Ticket) -> list[Booking]:
        """The booking a booked ticket was checked in from, and now and then one for the same slot that was cancelled
        or never came (the booking funnel's other ends)."""
        found = [self.booking(t, BookingStatus.CHECKED_IN, checked_in_at=t.issued_at, ticket=t)]
        fate = self.rng.random()
        if fate < 0.10:
            found.append(self.booking(t, BookingStatus.CANCELLED, cancel_reason="Berhalangan (data demo)"))
        elif fate < 0.18:
            found.append(self.booking(t, BookingStatus.NO_SHOW))
        return found

    def booking(self, t: Ticket, status: str, **fields) -> Booking:
        self.seq += 1
        start = t.issued_at.replace(minute=t.issued_at.minute // 30 * 30, second=0, microsecond=0)
        created = start - dt.timedelta(days=self.rng.randint(1, 7), minutes=self.rng.randint(0, 600))
        nik, phone = f"1471{self.seq:012d}", f"0812{self.seq:08d}"
        if status == BookingStatus.CANCELLED:
            fields["cancelled_at"] = created + dt.timedelta(hours=self.rng.randint(1, 20))
        if status == BookingStatus.NO_SHOW:
            fields["no_show_at"] = start + dt.timedelta(minutes=30)
        return Booking(
            mall_id=t.mall_id,
            service_id=t.service_id,
            code=f"D{self.mall.pk % 100:02d}{self.seq:08d}",
            start=start,
            end=start + dt.timedelta(minutes=30),
            day=t.day,
            status=status,
            nik_hash=personal_data.hash_value("nik", nik),
            nik_encrypted=self.sealed,
            nik_masked=personal_data.mask_nik(nik),
            name_encrypted=self.sealed,
            phone_hash=personal_data.hash_value("phone", phone),
            phone_encrypted=self.sealed,
            phone_masked=personal_data.mask_phone(phone),
            created_at=created,
            **fields,
        )

    def answers(self, t: Ticket) -> bool:
        return t.status == TicketStatus.DONE and self.rng.random() < self.c.survey_share

    def answer(self, t: Ticket) -> SurveyResponse:
        rng = self.rng

        def score():
            return 4 if rng.random() < self.c.content else rng.choices([3, 2, 1], [80, 17, 3])[0]

        return SurveyResponse(
            ticket=t,
            mall_id=t.mall_id,
            agency_id=t.service.agency_id,
            service_id=t.service_id,
            answered_at=t.finished_at + dt.timedelta(minutes=rng.randint(1, 30)),
            source=rng.choice([SurveySource.TABLET, SurveySource.LINK]),
            **{f"u{i}": score() for i in range(1, 10)},
        )

    def complaint(self, day: dt.date) -> Complaint:
        rng, self.seq = self.rng, self.seq + 1
        filed = dt.datetime.combine(day, dt.time(rng.randint(8, 20), rng.randint(0, 59)), self.tz)
        follow_up_due = day + dt.timedelta(days=14)
        answered = filed + dt.timedelta(days=rng.choice([2, 5, 9, 13, 20])) if rng.random() < 0.9 else None
        complaint = Complaint(
            mall=self.mall,
            agency=rng.choice(self.services).agency,
            tracking_code=f"DEMO{self.mall.slug[:3].upper()}{self.seq}",
            subject=rng.choice(["Antrean terlalu lama", "Petugas kurang ramah", "Persyaratan tidak jelas"]),
            body="Pengaduan contoh (data demo).",
            status=ComplaintStatus.ANSWERED if answered else ComplaintStatus.IN_PROGRESS,
            verify_due=day + dt.timedelta(days=3),
            follow_up_due=follow_up_due,
            answer="Terima kasih, sudah kami tindak lanjuti (data demo)." if answered else "",
            answered_at=answered,
        )
        complaint.filed_at = filed
        return complaint


def load_history(mall: Mall, character: Character, days: int) -> int:
    """``days`` of history ending yesterday (the mall's local date); the number of tickets written."""
    yesterday = service_day(mall) - dt.timedelta(days=1)
    return History(mall, character).load(yesterday - dt.timedelta(days=days - 1), yesterday)


def evaluate_last_year(mall: Mall, character: Character, evaluator: User) -> None:
    """Last year's PEKPPP evaluation, scored and submitted by the demo evaluator (this year's is left to do)."""
    rng = random.Random(character.seed)  # noqa: S311 - demo data
    year = service_day(mall).year - 1
    indicators = Indicator.objects.filter(aspect__instrument=instrument_for(year)).values_list("pk", flat=True)
    entries = {
        pk: (f"{min(5.0, max(0.0, rng.gauss(character.evaluated, 0.3))):.2f}", "Dinilai dari bukti (data demo).")
        for pk in indicators
    }
    assessment.submit_scores(mall, year, entries, evaluator)


def load(pekanbaru: Mall, password: str, days: int = 365) -> list[tuple[Mall, int]]:
    """The other malls, the national accounts, every mall's history and last year's evaluation; (mall, tickets)."""
    password_hash = make_password(password)
    with transaction.atomic():
        build_national_accounts(password_hash)
        malls = [(pekanbaru, PEKANBARU)] + [(build_mall(spec, password_hash), spec.character) for spec in OTHER_MALLS]
    evaluator = User.objects.get(username="evaluator")
    for mall, character in malls:
        evaluate_last_year(mall, character, evaluator)
    return [(mall, load_history(mall, character, days)) for mall, character in malls]
