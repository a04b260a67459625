"""The manager's switch for online booking, and who may see or use it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from satuatap.booking import bookings
from satuatap.booking.models import Booking, BookingPolicy, BookingStatus, ServiceBookingSetting
from satuatap.directory.hours import mall_tz, service_day
from satuatap.directory.models import Service
from satuatap.queueing import tickets

pytestmark = pytest.mark.django_db

NIK = "1471011203900001"
PHONE = "081234567890"


@pytest.fixture
def bookable(world):
    Service.objects.filter(code__in=["DUKCAPIL-KTP", "IMIGRASI-PASPOR"]).update(bookable=True)
    return {s.code: s for s in Service.objects.select_related("mall", "agency").filter(bookable=True)}


def as_user(world, persona) -> Client:
    client = Client()
    client.force_login(world.users[persona])
    return client


def url(world) -> str:
    return reverse("booking_manage", args=[world.mall.slug])


def later_today_or_tomorrow(world, hhmm="10:00") -> dt.datetime:
    day = service_day(world.mall) + dt.timedelta(days=1)
    return dt.datetime.combine(day, dt.time.fromisoformat(hhmm), tzinfo=mall_tz(world.mall))


@pytest.fixture
def booked(world, bookable):
    return bookings.book(bookable["DUKCAPIL-KTP"], later_today_or_tomorrow(world), nik=NIK, name="Siti", phone=PHONE)


def test_the_manager_sees_the_switches(world, bookable):
    page = as_user(world, "manager").get(url(world))
    assert page.status_code == 200
    body = page.content.decode()
    assert (
        'id="mall-switch"' in body
        and 'data-service="DUKCAPIL-KTP"' in body
        and 'data-service="IMIGRASI-PASPOR"' in body
    )


def test_a_supervisor_reads_their_agencys_part_only(world, bookable):
    client = as_user(world, "sup_dukcapil")
    page = client.get(url(world))
    body = page.content.decode()
    assert page.status_code == 200 and 'id="read-only"' in body
    assert 'data-service="DUKCAPIL-KTP"' in body and "IMIGRASI-PASPOR" not in body
    assert 'id="mall-switch"' not in body
    response = client.post(url(world), {"enabled": "0", "existing": "honour"})
    assert response.status_code == 404
    assert BookingPolicy.objects.filter(mall=world.mall, enabled=False).count() == 0


@pytest.mark.parametrize("persona", ["officer1", "kiosk", "display_a"])
def test_others_get_a_404(world, bookable, persona):
    assert as_user(world, persona).get(url(world)).status_code == 404
    assert as_user(world, persona).post(url(world), {"enabled": "0"}).status_code == 404


def test_anonymous_is_sent_to_sign_in(world, client):
    response = client.get(url(world))
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_switching_the_mall_off_honouring_existing_bookings(world, booked):
    response = as_user(world, "manager").post(url(world), {"enabled": "0", "existing": "honour"})
    assert response.status_code == 302
    assert BookingPolicy.objects.get(mall=world.mall).enabled is False
    booked.refresh_from_db()
    assert booked.status == BookingStatus.ACTIVE
    # Walk-in service goes on.
    assert tickets.issue_ticket(world.services["DUKCAPIL-KTP"]).number


def test_switching_one_service_off_cancelling_with_notice(world, booked, bookable):
    manager = as_user(world, "manager")
    response = manager.post(url(world), {"service": "DUKCAPIL-KTP", "enabled": "0", "existing": "cancel"})
    assert response.status_code == 302
    assert ServiceBookingSetting.objects.get(service=bookable["DUKCAPIL-KTP"]).enabled is False
    booked.refresh_from_db()
    assert booked.status == BookingStatus.CANCELLED
    page = manager.get(url(world)).content.decode()
    assert "1 pemesanan dibatalkan" in page
    on = manager.post(url(world), {"service": "DUKCAPIL-KTP", "enabled": "1"})
    assert on.status_code == 302
    assert ServiceBookingSetting.objects.get(service=bookable["DUKCAPIL-KTP"]).enabled is True


@pytest.mark.parametrize(
    "data",
    [
        {"enabled": "maybe"},
        {"enabled": "0", "existing": "explode"},
        {"enabled": "0", "existing": "honour", "service": "DUKCAPIL-KK"},
        {"enabled": "0", "existing": "honour", "service": "TIDAK-ADA"},
    ],
)
def test_bad_switch_input_changes_nothing(world, booked, data):
    response = as_user(world, "manager").post(url(world), data)
    assert response.status_code == 422
    assert 'id="manage-error"' in response.content.decode()
    assert not BookingPolicy.objects.filter(mall=world.mall, enabled=False).exists()
    assert not ServiceBookingSetting.objects.filter(enabled=False).exists()
    assert Booking.objects.get().status == BookingStatus.ACTIVE


def test_todays_bookings_are_listed_masked(world, bookable):
    today = service_day(world.mall)
    start = dt.datetime.combine(today, dt.time(23), tzinfo=mall_tz(world.mall))
    booking = bookings.book(
        bookable["DUKCAPIL-KTP"], start, nik=NIK, name="Siti", phone=PHONE, now=start - dt.timedelta(hours=2)
    )
    body = as_user(world, "manager").get(url(world)).content.decode()
    assert booking.code in body and "1471**********01" in body and "0812******90" in body
    assert NIK not in body and PHONE not in body
    assert booking.code not in as_user(world, "sup_imigrasi").get(url(world)).content.decode()
