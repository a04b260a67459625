"""``manage.py demo`` builds a mall the size of MPP Kota Pekanbaru, once."""

import re
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db.models import Count

from satuatap.accounts.models import ApiToken, Role, User
from satuatap.directory.models import Agency, Counter, Mall, OpeningHours, Service

pytestmark = pytest.mark.django_db


def run_demo() -> str:
    out = StringIO()
    call_command("demo", stdout=out)
    return out.getvalue()


@pytest.fixture
def demo():
    output = run_demo()
    return Mall.objects.get(slug="pekanbaru"), output


def test_demo_builds_33_agencies_191_services_and_266_counters(demo):
    mall, _ = demo
    assert mall.name == "MPP Kota Pekanbaru" and mall.city == "Pekanbaru" and mall.timezone == "Asia/Jakarta"
    assert Agency.objects.filter(mall=mall).count() == 33
    assert Service.objects.filter(mall=mall).count() == 191
    assert Service.objects.filter(mall=mall, agency__code="DUKCAPIL").count() == 22
    numbers = sorted(Counter.objects.filter(mall=mall).values_list("number", flat=True))
    assert numbers == list(range(1, 267))
    assert set(Agency.objects.filter(mall=mall).values_list("kind", flat=True)) == set(Agency.Kind.values)


def test_demo_has_two_buildings_five_zones_and_the_weekly_hours(demo):
    mall, _ = demo
    assert sorted(mall.buildings.values_list("code", flat=True)) == ["dukcapil", "mpp"]
    zones = {z.code: z.building.code for z in mall.zones.select_related("building")}
    assert zones == {"A": "dukcapil", "B": "mpp", "C": "mpp", "D": "mpp", "E": "mpp"}
    # The slip names the floor: every zone has one.
    assert all(mall.zones.values_list("floor", flat=True))
    assert Agency.objects.get(mall=mall, code="DUKCAPIL").zone.code == "A"
    hours = {h.weekday: h for h in mall.hours.all()}
    assert sorted(hours) == [0, 1, 2, 3, 4]  # Saturday and Sunday closed
    monday, friday = hours[OpeningHours.Weekday.MONDAY], hours[OpeningHours.Weekday.FRIDAY]
    assert (f"{monday.opens:%H:%M}", f"{monday.closes:%H:%M}", f"{monday.break_start:%H:%M}") == (
        "08:00",
        "15:30",
        "12:00",
    )
    assert (f"{friday.closes:%H:%M}", f"{friday.break_start:%H:%M}", f"{friday.break_end:%H:%M}") == (
        "16:00",
        "11:30",
        "13:30",
    )


def test_every_service_publishes_its_standard_and_has_a_unique_short_prefix(demo):
    mall, _ = demo
    services = list(Service.objects.filter(mall=mall))
    prefixes = [s.prefix for s in services]
    assert len(set(prefixes)) == len(prefixes)
    assert all(re.fullmatch(r"[A-Z]{1,3}", p) for p in prefixes)
    for s in services:
        assert s.requirements and s.procedure and s.duration and s.fee and s.product and s.complaint_channel, s.code
        assert not re.fullmatch(r"Layanan \d+", s.name)
    ktp = Service.objects.get(mall=mall, code="DUKCAPIL-KTP-BARU")
    assert len(ktp.prefix) == 1 and ktp.fee == "Gratis / Rp 0"
    assert all(s.fee.startswith("Gratis / Rp 0") for s in services if s.agency.code in ("DUKCAPIL", "BPJSKES", "DJP"))
    assert any(s.daily_quota for s in services) and any(s.bookable for s in services)
    assert len({s.kind for s in services}) >= 3


def test_every_service_has_a_counter_of_its_own_agency(demo):
    mall, _ = demo
    assert not Service.objects.filter(mall=mall).annotate(n=Count("counters")).filter(n=0).exists()
    through = Counter.services.through.objects.select_related("counter", "service")
    assert all(row.counter.agency_id == row.service.agency_id for row in through)
    per_agency = dict(Counter.objects.filter(mall=mall).values_list("agency__code").annotate(n=Count("id")))
    assert per_agency["DUKCAPIL"] == max(per_agency.values())
    assert min(per_agency.values()) >= 1 and per_agency["ORI"] <= 2
    assert not Counter.objects.filter(mall=mall, agency__code="DUKCAPIL").exclude(building__code="dukcapil").exists()
    assert not Counter.objects.filter(mall=mall).exclude(agency__code="DUKCAPIL").exclude(building__code="mpp").exists()


def test_demo_creates_one_officer_per_counter_and_a_supervisor_per_agency(demo):
    mall, _ = demo
    for counter in Counter.objects.filter(mall=mall).select_related("agency"):
        officer = User.objects.get(username=f"petugas{counter.number}")
        assert officer.role == Role.OFFICER and officer.agency_id == counter.agency_id and officer.mall_id == mall.pk
    assert User.objects.filter(mall=mall, role=Role.OFFICER).count() == 266
    for agency in Agency.objects.filter(mall=mall):
        supervisor = User.objects.get(username=f"spv_{agency.code.lower()}")
        assert supervisor.role == Role.SUPERVISOR and supervisor.agency_id == agency.pk
    assert User.objects.get(username="kiosk").role == Role.KIOSK
    assert User.objects.get(username="display").role == Role.DISPLAY


def test_manager_can_use_the_admin_with_the_demo_password(demo):
    manager = User.objects.get(username="manager")
    assert manager.role == Role.MANAGER and manager.is_staff and not manager.is_superuser
    assert manager.check_password(settings.DEMO_PASSWORD)
    assert User.objects.get(username="petugas1").check_password(settings.DEMO_PASSWORD)
    for perm in ["directory.change_service", "directory.add_closure", "accounts.add_apitoken", "queueing.view_ticket"]:
        assert manager.has_perm(perm), perm
    assert not manager.has_perm("queueing.change_ticket")


def test_demo_issues_and_prints_device_tokens_marked_demo_only(demo):
    mall, output = demo
    assert "demo only" in output.lower()
    assert settings.DEMO_PASSWORD in output
    assert "sat_" not in output  # devices sign in with one-time pairing codes, never a token in a URL
    codes = re.findall(r"http://127\.0\.0\.1:8000/device/\?code=([A-Z0-9]{8}) ", output)
    assert len(codes) == 7
    kiosk_tokens = ApiToken.objects.filter(user__username="kiosk")
    assert kiosk_tokens.count() == 2
    assert list(kiosk_tokens.exclude(counter=None).values_list("counter__number", flat=True)) == [1]
    displays = ApiToken.objects.filter(user__username="display")
    assert sorted(displays.values_list("zone__code", flat=True)) == ["A", "B", "C", "D", "E"]


def test_running_the_demo_twice_changes_nothing(demo):
    def counts():
        return [m.objects.count() for m in (Mall, Agency, Service, Counter, User, ApiToken)]

    before = counts()
    output = run_demo()
    assert "already exists" in output
    assert counts() == before


@pytest.mark.django_db
def test_demo_can_open_around_the_clock_for_trying_it_at_any_hour():
    import datetime as dt

    from satuatap.directory.hours import open_state
    from satuatap.directory.models import Mall

    call_command("demo", "--hours", "always", stdout=StringIO())
    mall = Mall.objects.get(slug="pekanbaru")
    sunday_night = dt.datetime(2026, 12, 27, 22, 0, tzinfo=dt.UTC)
    christmas = dt.datetime(2026, 12, 25, 3, 0, tzinfo=dt.UTC)
    assert open_state(mall, sunday_night).issuing
    assert open_state(mall, christmas).issuing
    assert mall.hours.count() == 7


def test_demo_booking_can_be_tried_at_once_and_booked_visitors_go_first(demo):
    mall, output = demo
    policy = mall.booking_policy  # read through the relation: the directory does not import booking
    assert policy.ordering == "slot_priority"
    assert policy.min_lead_minutes == 0
    assert policy.check_in_early_minutes >= policy.slot_minutes  # the next slot can be checked in now
    assert "checked in at once" in output
