"""The manager's booking admin: own mall only, switches through actions, bookings masked and read-only."""

import datetime as dt

import pytest
from django.urls import reverse

from satuatap.accounts.models import User
from satuatap.audit.models import AuditEntry
from satuatap.booking.models import Booking, BookingPolicy, BookingStatus, ServiceBookingSetting, SlotSession
from satuatap.booking.policies import policy_for
from satuatap.booking.tests.conftest import book
from satuatap.directory.models import Agency, Building, Mall, Service, Zone
from satuatap.project.management.commands.demo import manager_permissions

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, bworld):
    user = bworld.users["manager"]
    user.is_staff = True
    user.save()
    user.user_permissions.set(manager_permissions())
    client.force_login(User.objects.get(pk=user.pk))
    return client


def _future_booking(world, hour=10):
    """A booking made 'now' for tomorrow (real time: admin actions run at the real clock)."""
    from django.utils import timezone

    from satuatap.booking import slots
    from satuatap.directory.hours import local_now

    service = world.services["DUKCAPIL-KTP"]
    now = timezone.now()
    day = local_now(world.mall, now).date() + dt.timedelta(days=1)
    slot = next(s for s in slots.slots_for(service, day, now=now) if s.start.hour == hour)
    return book(service, slot, nik="1471011203900001", phone="081234567890", now=now)


def test_every_booking_admin_page_loads_and_shows_only_the_managers_mall(admin_client, bworld):
    other_mall = Mall.objects.create(slug="dumai", name="MPP Kota Dumai", city="Dumai")
    building = Building.objects.create(mall=other_mall, code="mpp", name="Gedung MPP Dumai")
    zone = Zone.objects.create(mall=other_mall, building=building, code="A", name="Zona A Dumai")
    agency = Agency.objects.create(mall=other_mall, code="SAMSAT", name="Samsat Dumai", kind="regional", zone=zone)
    other_service = Service.objects.create(
        mall=other_mall, agency=agency, code="SAMSAT-PKB", name="Pajak kendaraan", prefix="A", bookable=True
    )
    policy_for(other_mall)
    SlotSession.objects.create(
        service=bworld.services["DUKCAPIL-KK"], weekday=0, starts=dt.time(9), ends=dt.time(11), capacity=3
    )
    SlotSession.objects.create(service=other_service, weekday=0, starts=dt.time(9), ends=dt.time(11), capacity=3)
    _future_booking(bworld)
    for name in ["bookingpolicy", "servicebookingsetting", "slotsession", "booking", "noshowsuspension"]:
        page = admin_client.get(reverse(f"admin:booking_{name}_changelist"))
        assert page.status_code == 200, name
    policies = admin_client.get(reverse("admin:booking_bookingpolicy_changelist"))
    assert policies.context["cl"].result_count == 1  # created on first visit, their mall's only
    sessions = admin_client.get(reverse("admin:booking_slotsession_changelist"))
    assert sessions.context["cl"].result_count == 1
    other_policy = BookingPolicy.objects.get(mall=other_mall)
    assert admin_client.get(reverse("admin:booking_bookingpolicy_change", args=[other_policy.pk])).status_code == 302
    assert admin_client.get(reverse("admin:booking_slotsession_add")).status_code == 200
    form = admin_client.get(reverse("admin:booking_slotsession_add")).context["adminform"].form
    assert set(form.fields["service"].queryset) == set(bworld.services.values())


def test_bookings_are_listed_masked_and_read_only(admin_client, bworld):
    booking = _future_booking(bworld)
    page = admin_client.get(reverse("admin:booking_booking_changelist"))
    html = page.content.decode()
    assert "1471**********01" in html and "0812******90" in html
    assert "1471011203900001" not in html and "081234567890" not in html
    detail = admin_client.get(reverse("admin:booking_booking_change", args=[booking.pk]))
    assert detail.status_code == 200
    text = detail.content.decode()
    assert "1471011203900001" not in text and booking.nik_encrypted not in text
    assert 'name="_save"' not in text
    assert admin_client.get(reverse("admin:booking_booking_add")).status_code == 403
    assert admin_client.get(reverse("admin:booking_booking_delete", args=[booking.pk])).status_code == 403


def test_policy_edit_and_switch_off_actions(admin_client, bworld):
    booking = _future_booking(bworld)
    policy = policy_for(bworld.mall)
    url = reverse("admin:booking_bookingpolicy_changelist")
    response = admin_client.post(url, {"action": "disable_honour", "_selected_action": [policy.pk]}, follow=True)
    assert response.status_code == 200
    policy.refresh_from_db()
    booking.refresh_from_db()
    assert policy.enabled is False and booking.status == BookingStatus.ACTIVE
    admin_client.post(url, {"action": "enable", "_selected_action": [policy.pk]})
    policy.refresh_from_db()
    assert policy.enabled is True
    admin_client.post(url, {"action": "disable_cancel", "_selected_action": [policy.pk]})
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED
    assert [e.actor for e in AuditEntry.objects.filter(action__startswith="booking.")].count("manager") >= 3
    # The rules are edited in the form; `enabled` only through the actions.
    change = reverse("admin:booking_bookingpolicy_change", args=[policy.pk])
    data = {
        "window_days": 7,
        "min_lead_minutes": 120,
        "slot_minutes": 20,
        "walk_in_share_percent": 40,
        "max_per_nik_per_week": 2,
        "max_per_phone_per_week": 4,
        "no_show_threshold": 2,
        "suspension_days": 14,
        "ordering": "slot_priority",
        "check_in_early_minutes": 20,
        "check_in_late_minutes": 10,
        "reminder_turn_near_places": 2,
        "enabled": "on",
    }
    assert admin_client.post(change, data).status_code == 302
    policy.refresh_from_db()
    assert (policy.window_days, policy.ordering, policy.enabled) == (7, "slot_priority", False)


def test_service_switch_action(admin_client, bworld):
    ktp = bworld.services["DUKCAPIL-KTP"]
    booking = _future_booking(bworld)
    setting = ServiceBookingSetting.objects.create(service=ktp)
    url = reverse("admin:booking_servicebookingsetting_changelist")
    admin_client.post(url, {"action": "disable_cancel", "_selected_action": [setting.pk]})
    setting.refresh_from_db()
    booking.refresh_from_db()
    assert setting.enabled is False and booking.status == BookingStatus.CANCELLED
    assert Booking.objects.filter(status=BookingStatus.ACTIVE).count() == 0
