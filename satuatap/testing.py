"""A small mall with named people, shared by the tests (healthchecks' alice/bob idea).

Two buildings, two zones, three agencies; every role has a persona:
``manager``, ``kiosk``, ``display_a`` (zone A token), ``sup_dukcapil``,
``sup_imigrasi``, ``officer1``..``officer4``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from satuatap.accounts.models import Role, User
from satuatap.directory.models import Agency, Building, Counter, Mall, OpeningHours, Service, Zone

PASSWORD = "rahasia-uji-123"
# A fixed instant for tests that need one: a Monday 09:00 in Pekanbaru (WIB), far from midnight, the
# end of a month and any national holiday. The root conftest's ``monday_morning`` starts the clock there.
MONDAY_MORNING = dt.datetime(2026, 11, 23, 9, 0, tzinfo=ZoneInfo("Asia/Jakarta"))


@dataclass
class World:
    mall: Mall
    zones: dict[str, Zone] = field(default_factory=dict)
    agencies: dict[str, Agency] = field(default_factory=dict)
    services: dict[str, Service] = field(default_factory=dict)
    counters: dict[int, Counter] = field(default_factory=dict)
    users: dict[str, User] = field(default_factory=dict)


def make_world(slug="pekanbaru", timezone="Asia/Jakarta", always_open=True, **mall_fields) -> World:
    mall = Mall.objects.create(
        slug=slug,
        name=f"MPP {slug.title()}",
        city=slug.title(),
        timezone=timezone,
        issue_cutoff_minutes=0 if always_open else 30,
        observes_national_holidays=not always_open,
        **mall_fields,
    )
    for weekday in range(7 if always_open else 5):
        if always_open:
            OpeningHours.objects.create(mall=mall, weekday=weekday, opens=dt.time(0, 0), closes=dt.time(23, 59, 59))
        elif weekday == 4:
            OpeningHours.objects.create(
                mall=mall,
                weekday=weekday,
                opens=dt.time(8),
                closes=dt.time(16),
                break_start=dt.time(11, 30),
                break_end=dt.time(13, 30),
            )
        else:
            OpeningHours.objects.create(
                mall=mall,
                weekday=weekday,
                opens=dt.time(8),
                closes=dt.time(15, 30),
                break_start=dt.time(12),
                break_end=dt.time(13),
            )
    world = World(mall=mall)
    main = Building.objects.create(mall=mall, code="mpp", name="Gedung MPP")
    annex = Building.objects.create(mall=mall, code="dukcapil", name="Gedung Disdukcapil")
    world.zones["A"] = Zone.objects.create(
        mall=mall, building=annex, code="A", name="Zona A Disdukcapil", floor="Lantai 1"
    )
    world.zones["B"] = Zone.objects.create(
        mall=mall, building=main, code="B", name="Zona B Imigrasi & Polri", floor="Lantai 2"
    )
    for code, name, kind, zone in [
        ("DUKCAPIL", "Dinas Kependudukan dan Pencatatan Sipil", Agency.Kind.REGIONAL, "A"),
        ("IMIGRASI", "Kantor Imigrasi Kelas I TPI Pekanbaru", Agency.Kind.CENTRAL, "B"),
        ("POLRESTA", "Polresta Pekanbaru", Agency.Kind.CENTRAL, "B"),
    ]:
        world.agencies[code] = Agency.objects.create(mall=mall, code=code, name=name, kind=kind, zone=world.zones[zone])
    for code, name, agency, prefix, fee in [
        ("DUKCAPIL-KTP", "KTP-el baru", "DUKCAPIL", "A", "Gratis / Rp 0"),
        ("DUKCAPIL-KK", "Kartu Keluarga baru", "DUKCAPIL", "B", "Gratis / Rp 0"),
        ("IMIGRASI-PASPOR", "Paspor baru 48 halaman", "IMIGRASI", "C", "Rp 350.000"),
        ("POLRESTA-SKCK", "SKCK baru", "POLRESTA", "D", "Rp 30.000"),
    ]:
        world.services[code] = Service.objects.create(
            mall=mall,
            agency=world.agencies[agency],
            code=code,
            name=name,
            prefix=prefix,
            fee=fee,
            kind=Service.Kind.KEPENDUDUKAN if agency == "DUKCAPIL" else Service.Kind.NON_PERIZINAN,
            requirements="KTP-el asli",
            procedure="Ambil nomor, serahkan berkas",
            duration="1 hari kerja",
            completion_working_days=1,
            product="Dokumen",
            complaint_channel="Meja pengaduan MPP",
        )
    for number, agency, building, services in [
        (1, "DUKCAPIL", annex, ["DUKCAPIL-KTP", "DUKCAPIL-KK"]),
        (2, "DUKCAPIL", annex, ["DUKCAPIL-KTP", "DUKCAPIL-KK"]),
        (3, "IMIGRASI", main, ["IMIGRASI-PASPOR"]),
        (4, "POLRESTA", main, ["POLRESTA-SKCK"]),
    ]:
        counter = Counter.objects.create(mall=mall, building=building, agency=world.agencies[agency], number=number)
        counter.services.set([world.services[c] for c in services])
        world.counters[number] = counter

    def user(username, role, agency=None):
        u = User.objects.create_user(
            username=username,
            password=PASSWORD,
            role=role,
            mall=mall,
            agency=world.agencies[agency] if agency else None,
            first_name=username.title(),
        )
        world.users[username] = u
        return u

    user("manager", Role.MANAGER)
    user("kiosk", Role.KIOSK)
    user("display_a", Role.DISPLAY)
    user("sup_dukcapil", Role.SUPERVISOR, "DUKCAPIL")
    user("sup_imigrasi", Role.SUPERVISOR, "IMIGRASI")
    for n, agency in [(1, "DUKCAPIL"), (2, "DUKCAPIL"), (3, "IMIGRASI"), (4, "POLRESTA")]:
        user(f"officer{n}", Role.OFFICER, agency)
    return world


def seat(world: World, number: int) -> User:
    """Sign officer<number> in at counter <number> and return the officer."""
    from satuatap.queueing.tickets import sign_in

    officer = world.users[f"officer{number}"]
    world.counters[number] = sign_in(world.counters[number], officer)
    return officer


def signed_in(username: str, password: str = PASSWORD):
    """A test client with ``username`` signed in by password, as a person at a browser would be."""
    from django.test import Client

    client = Client()
    assert client.login(username=username, password=password)
    return client


def bearer(user: User, zone: Zone | None = None) -> dict[str, str]:
    """Headers carrying a fresh API token for the user (a display's bound to the zone)."""
    from satuatap.accounts.tokens import issue_token

    _, raw = issue_token(user, zone=zone)
    return {"Authorization": f"Bearer {raw}"}


def bearer_as(world: World, username: str) -> dict[str, str]:
    """API headers for a persona; the display persona's token is bound to zone A."""
    user = world.users[username]
    return bearer(user, world.zones["A"] if user.role == Role.DISPLAY else None)


def assert_api_error(response, status: int, code: str | None = None) -> dict:
    """The contract's error body: the status, a message and a machine code."""
    assert response.status_code == status, response.content
    body = response.json()
    assert body["detail"] and body["code"]
    if code:
        assert body["code"] == code
    return body


def national_users(evaluated_malls=()) -> dict[str, User]:
    """The accounts above the malls: ``kementerian`` (the ministry, read-only) and ``evaluator`` (scores the
    ``evaluated_malls``, every mall when none), both with ``PASSWORD`` and no mall of their own."""
    ministry = User.objects.create_user("kementerian", password=PASSWORD, role=Role.MINISTRY)
    evaluator = User.objects.create_user("evaluator", password=PASSWORD, role=Role.EVALUATOR)
    evaluator.evaluated_malls.set(evaluated_malls)
    return {"kementerian": ministry, "evaluator": evaluator}
