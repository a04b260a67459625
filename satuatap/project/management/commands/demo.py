"""Build the demo mall: MPP Kota Pekanbaru with 33 agencies, 191 services, 266 counters; with ``--national`` (what
``make demo`` runs) also MPP Kota Makassar (WITA) and MPP Kota Jayapura (WIT), a year of generated history in all
three, and the accounts ``kementerian`` (the ministry) and ``evaluator`` (``satuatap/project/demo_malls.py``).

Demo only: the password is shared and printed, fees are plausible, not official.
Idempotent: if the mall exists, nothing changes.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Permission
from django.core.management.base import BaseCommand
from django.db import transaction
from django.db.models import Q
from simple_history.utils import bulk_create_with_history

from satuatap.accounts.models import Role, User
from satuatap.accounts.pairing import new_code, normalise
from satuatap.accounts.tokens import bind_counter, issue_token
from satuatap.audit.log import record
from satuatap.booking.models import BookingPolicy, Ordering
from satuatap.cases import demo as demo_cases
from satuatap.directory import demo_catalogue as cat
from satuatap.directory.demo_services import services as service_specs
from satuatap.directory.models import Agency, Building, Counter, Mall, OpeningHours, Service, Zone
from satuatap.project import demo_malls

SIGN_IN_URL = "http://127.0.0.1:8000/device/?code="
# Demo only: the printed pairing codes stay valid for a week, so the demo can be tried later
# (a real registration's code lasts DEVICE_PAIRING_MINUTES). Each code signs in one device once;
# `manage.py issue_token kiosk --pair PREFIX` prints a fresh one.
DEMO_PAIRING_MINUTES = 7 * 24 * 60


def manager_permissions():
    """Everything in the directory, device tokens and users; read-only views of tickets and the audit log."""
    return Permission.objects.filter(
        Q(content_type__app_label="directory")
        | Q(content_type__app_label="accounts", content_type__model__in=["apitoken", "user"])
        | Q(content_type__app_label="booking")  # booking rules, sessions; bookings themselves are read-only
        | Q(content_type__app_label="cases", content_type__model__in=["workflow", "workflowstate", "workflowaction"])
        | Q(content_type__app_label__in=["queueing", "audit"], codename__startswith="view_")
    )


class Command(BaseCommand):
    help = "Build the demo mall MPP Kota Pekanbaru (demo only; does nothing if it exists)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--hours",
            choices=["real", "always"],
            default="real",
            help="real: the catalogue's hours (Mon-Thu 08:00-15:30, Fri 08:00-16:00, breaks, weekends and "
            "national holidays closed); always: open around the clock, so the demo can be tried at any hour",
        )
        parser.add_argument(
            "--national",
            action="store_true",
            help="also the malls of Makassar (WITA) and Jayapura (WIT), the accounts kementerian and evaluator, "
            "and generated history in every mall (a minute or two)",
        )
        parser.add_argument(
            "--history-days", type=int, default=365, help="with --national: days of history, ending yesterday"
        )

    def handle(self, *args, hours: str, national: bool = False, history_days: int = 365, **options):
        if Mall.objects.filter(slug=cat.MALL["slug"]).exists():
            self.stdout.write(f"Mall '{cat.MALL['slug']}' already exists; nothing changed.")
            return
        with transaction.atomic():
            mall = build_mall(around_the_clock=hours == "always")
            build_users(mall)
            demo_booking_rules(mall)
            demo_cases.load(mall)  # the back office: a few hundred cases in every state, some overdue
            tokens = issue_device_tokens(mall)
            record("demo.created", mall_id=mall.pk, subject=mall.slug, data={"demo": True})
        self.report(mall, tokens)
        if national:
            self.national(mall, history_days)

    def national(self, pekanbaru: Mall, days: int) -> None:
        out = self.stdout.write
        for mall, tickets in demo_malls.load(pekanbaru, settings.DEMO_PASSWORD, days=days):
            record("demo.created", mall_id=mall.pk, subject=mall.slug, data={"demo": True, "history_days": days})
            out(f"  {mall.name} ({mall.timezone}): {mall.counters.count()} counters, {tickets} tickets of history")
        out("  Other malls' accounts: <mall>_manager, <mall>_spv_<agency code lower>, <mall>_petugas<n>")
        out("  Ministry (every mall, read-only): kementerian; PEKPPP evaluator: evaluator")
        out("  National view: http://127.0.0.1:8000/nasional/")

    def report(self, mall: Mall, tokens: list[tuple[str, str]]) -> None:
        out = self.stdout.write
        out(self.style.SUCCESS(f"{mall.name} built (DEMO ONLY, not real data)."))
        out(
            f"  {mall.agencies.count()} agencies, {mall.services.count()} services, "
            f"{mall.counters.count()} counters, {User.objects.filter(mall=mall).count()} users"
        )
        out(f"  Demo password for every account: {settings.DEMO_PASSWORD}")
        out("  manager (admin at /admin/), kiosk, display, spv_<agency code lower>, petugas1..petugas266")
        out(f"  Mall page: http://127.0.0.1:8000/m/{mall.slug}/")
        out(f"  Hours: {', '.join(str(h) for h in mall.hours.all())} (edit them in the admin)")
        out("  Booking: a slot can be booked until it starts and checked in at once; booked visitors go first")
        out("  Device pairing codes (one-time; open the link on the device and press Masuk):")
        for label, code in tokens:
            out(f"    {label}: {SIGN_IN_URL}{normalise(code)}  (code {code})")


def demo_booking_rules(mall: Mall) -> BookingPolicy:
    """Rules that let a visitor try book -> check in -> call in a few minutes.

    A slot may be booked until it starts (no hour ahead), check-in opens 45 minutes before it (so
    the next slot, at most 30 minutes away, can be checked in at once), and a checked-in booking is
    called at its slot time ahead of walk-ins who came later (``slot_priority``; the booking pages
    say so), which is what makes booking worth it. A real mall sets its own in the admin.
    """
    return BookingPolicy.objects.create(
        mall=mall, ordering=Ordering.SLOT_PRIORITY, min_lead_minutes=0, check_in_early_minutes=45
    )


def maklumat() -> dict:
    """The demo mall's maklumat pelayanan and who signs it."""
    return {"maklumat": cat.MAKLUMAT, "maklumat_signed_by": cat.MAKLUMAT_SIGNED_BY}


def build_mall(around_the_clock: bool = False, slug: str = "") -> Mall:
    """The catalogue's mall; ``slug`` gives it another one (the browser tests load it beside their own)."""
    fields = {**cat.MALL, "slug": slug or cat.MALL["slug"], **maklumat()}
    if around_the_clock:
        mall = Mall.objects.create(**fields, issue_cutoff_minutes=0, observes_national_holidays=False)
        hours = {day: (dt.time(0), dt.time(23, 59, 59), None, None) for day in range(7)}
    else:
        mall = Mall.objects.create(**fields)
        hours = cat.HOURS
    for weekday, (opens, closes, break_start, break_end) in hours.items():
        OpeningHours.objects.create(
            mall=mall, weekday=weekday, opens=opens, closes=closes, break_start=break_start, break_end=break_end
        )
    buildings = {
        code: Building.objects.create(mall=mall, code=code, name=name, address=address)
        for code, name, address in cat.BUILDINGS
    }
    zones = {
        code: Zone.objects.create(mall=mall, building=buildings[building], code=code, name=name, floor=floor)
        for code, name, building, floor in cat.ZONES
    }
    agencies = bulk_create_with_history(
        [Agency(mall=mall, code=a.code, name=a.name, kind=a.kind, zone=zones[a.zone]) for a in cat.AGENCIES], Agency
    )
    by_code = {a.code: a for a in agencies}
    specs = {a.code: a for a in cat.AGENCIES}
    letters = {code: iter("ABCDEFGHIJKLMNOPQRSTUVWXYZ") for code in by_code}
    services = []
    for s in service_specs():
        agency = specs[s.agency]
        services.append(
            Service(
                mall=mall,
                agency=by_code[s.agency],
                complaint_channel=cat.complaint_channel_for(agency),
                daily_quota=cat.QUOTAS.get(s.code),
                bookable=s.code in cat.BOOKABLE,
                **cat.service_fields(s, agency, letters[s.agency]),
            )
        )
    services = bulk_create_with_history(services, Service)
    build_counters(mall, by_code, services, buildings)
    return mall


def build_counters(mall, agencies, services, buildings) -> None:
    """Counters 1..266: Disdukcapil first in its own building, then the others zone by zone."""
    service_codes = {}
    for s in services:
        service_codes.setdefault(s.agency_id, []).append(s.code)
    service_ids = {s.code: s.pk for s in services}
    counters, desks = [], []
    number = 0
    zone_building = {code: building for code, _, building, _ in cat.ZONES}
    for spec in sorted(cat.AGENCIES, key=lambda a: a.zone):
        agency = agencies[spec.code]
        for desk in cat.counter_desks(service_codes[agency.pk], spec.counters):
            number += 1
            building = buildings[zone_building[spec.zone]]
            counters.append(Counter(mall=mall, building=building, agency=agency, number=number))
            desks.append(desk)
    counters = bulk_create_with_history(counters, Counter)
    through = Counter.services.through
    through.objects.bulk_create(
        [
            through(counter_id=counter.pk, service_id=service_ids[code])
            for counter, desk in zip(counters, desks, strict=True)
            for code in desk
        ]
    )


def build_users(mall: Mall) -> None:
    """Hash the demo password once: ~300 accounts share it."""
    password = make_password(settings.DEMO_PASSWORD)
    agencies = {a.code: a for a in mall.agencies.all()}

    def user(username, role, agency=None, first_name="", **extra):
        return User(
            username=username,
            password=password,
            role=role,
            mall=mall,
            agency=agency,
            first_name=first_name or username,
            **extra,
        )

    people = [
        user("manager", Role.MANAGER, first_name="Pengelola MPP", is_staff=True),
        user("kiosk", Role.KIOSK, first_name="Anjungan"),
        user("display", Role.DISPLAY, first_name="Papan panggilan"),
    ]
    people += [
        user(f"spv_{code.lower()}", Role.SUPERVISOR, agency, first_name=f"Supervisor {code}")
        for code, agency in agencies.items()
    ]
    people += [
        user(f"petugas{c.number}", Role.OFFICER, agencies[c.agency.code], first_name=f"Petugas loket {c.number}")
        for c in mall.counters.select_related("agency").order_by("number")
    ]
    User.objects.bulk_create(people)
    User.objects.get(mall=mall, username="manager").user_permissions.set(manager_permissions())


def issue_device_tokens(mall: Mall) -> list[tuple[str, str]]:
    """Tokens for the kiosk, the survey tablet of counter 1 and each zone's board, with a pairing code each
    (the raw tokens are never printed: a device signs in with its code)."""
    kiosk = User.objects.get(username="kiosk")
    display = User.objects.get(username="display")
    codes = []

    def pair(label, token):
        codes.append((label, new_code(token, minutes=DEMO_PAIRING_MINUTES)[1]))

    pair("kiosk", issue_token(kiosk, label="Anjungan lobi")[0])
    tablet, _ = issue_token(kiosk, label="Tablet survei loket 1")
    bind_counter(tablet, mall.counters.get(number=1))
    pair("survey tablet counter 1", tablet)
    for zone in mall.zones.order_by("code"):
        pair(f"display zone {zone.code}", issue_token(display, label=f"Papan {zone.name}", zone=zone)[0])
    return codes
