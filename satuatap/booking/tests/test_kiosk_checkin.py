"""Check-in at the kiosk: the booking code (typed, or typed by a QR scanner) becomes a printed ticket."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from satuatap.booking import bookings
from satuatap.booking.models import Booking, BookingPolicy, BookingStatus
from satuatap.directory.hours import mall_tz, service_day
from satuatap.directory.models import Agency, Building, Counter, Mall, OpeningHours, Service, Zone
from satuatap.queueing.models import Ticket, TicketSource

pytestmark = pytest.mark.django_db

NIK = "1471011203900001"
PHONE = "081234567890"
# Wider than any distance from now to tomorrow 10:00: the check-in window is open now.
OPEN_NOW_MINUTES = 36 * 60


@pytest.fixture
def ktp(world):
    Service.objects.filter(pk=world.services["DUKCAPIL-KTP"].pk).update(bookable=True)
    return Service.objects.select_related("mall", "agency").get(pk=world.services["DUKCAPIL-KTP"].pk)


def tomorrow_at(world, hhmm="10:00") -> dt.datetime:
    day = service_day(world.mall) + dt.timedelta(days=1)
    return dt.datetime.combine(day, dt.time.fromisoformat(hhmm), tzinfo=mall_tz(world.mall))


@pytest.fixture
def booking(world, ktp):
    return bookings.book(ktp, tomorrow_at(world), nik=NIK, name="Siti Aminah", phone=PHONE)


@pytest.fixture
def window_open(world):
    BookingPolicy.objects.update_or_create(mall=world.mall, defaults={"check_in_early_minutes": OPEN_NOW_MINUTES})


@pytest.fixture
def kiosk(client, world):
    client.force_login(world.users["kiosk"])
    return client


def check_in_url(world) -> str:
    return reverse("kiosk_check_in", args=[world.mall.slug])


def test_the_kiosk_home_offers_check_in(world, kiosk):
    page = kiosk.get(reverse("kiosk", args=[world.mall.slug])).content.decode()
    assert check_in_url(world) in page and "Sudah pesan? Check-in" in page


def test_the_check_in_screen_has_a_big_code_field_and_a_keypad(world, kiosk):
    response = kiosk.get(check_in_url(world))
    page = response.content.decode()
    assert response.status_code == 200
    assert 'id="check-in-code"' in page and "autofocus" in page and 'id="check-in-keys"' in page
    assert "booking/check_in.js" in page  # the keypad (a module file: no inline script under the CSP)


def test_only_a_kiosk_of_the_mall_or_its_manager_checks_in(world, client, booking, window_open):
    response = client.post(check_in_url(world), {"code": booking.code})
    assert response.status_code == 302 and response["Location"] == reverse("device_sign_in")
    client.force_login(world.users["officer1"])
    assert client.post(check_in_url(world), {"code": booking.code})["Location"] == reverse("device_sign_in")
    booking.refresh_from_db()
    assert booking.status == BookingStatus.ACTIVE and not Ticket.objects.exists()


def test_check_in_issues_the_ticket_and_shows_it_on_the_kiosk_ticket_page(world, kiosk, booking, window_open):
    response = kiosk.post(check_in_url(world), {"code": booking.code})
    assert response.status_code == 302
    ticket = Ticket.objects.get()
    assert response["Location"] == reverse("kiosk_ticket", args=[world.mall.slug, ticket.public_code])
    assert ticket.source == TicketSource.BOOKING and ticket.service_id == booking.service_id
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CHECKED_IN and booking.ticket_id == ticket.pk
    assert ticket.number in kiosk.get(response["Location"]).content.decode()


def test_checking_in_twice_gives_the_same_ticket(world, kiosk, booking, window_open, client):
    first = kiosk.post(check_in_url(world), {"code": booking.code})
    # A scanner types the code with a dash and in lower case; a second kiosk does it again.
    second = kiosk.post(check_in_url(world), {"code": f" {booking.code[:4].lower()}-{booking.code[4:]} "})
    assert first["Location"] == second["Location"]
    assert Ticket.objects.count() == 1


def test_too_early_is_refused_with_the_window_and_changes_nothing(world, kiosk, booking):
    response = kiosk.post(check_in_url(world), {"code": booking.code})
    assert response.status_code == 422
    page = response.content.decode()
    assert 'id="check-in-error"' in page and "Terlalu awal" in page
    assert 'id="check-in-window"' in page and "09:30" in page and "10:45" in page
    assert f'value="{booking.code}"' in page  # the code stays in the field
    booking.refresh_from_db()
    assert booking.status == BookingStatus.ACTIVE and not Ticket.objects.exists()


def test_too_late_is_refused_with_the_window(world, kiosk, ktp):
    yesterday = tomorrow_at(world) - dt.timedelta(days=2)
    late = bookings.book(ktp, yesterday, nik=NIK, name="Siti", phone=PHONE, now=yesterday - dt.timedelta(hours=3))
    response = kiosk.post(check_in_url(world), {"code": late.code})
    assert response.status_code == 422
    page = response.content.decode()
    assert "sudah lewat" in page and 'id="check-in-window"' in page
    late.refresh_from_db()
    assert late.status == BookingStatus.ACTIVE and not Ticket.objects.exists()


@pytest.mark.parametrize("code", ["", "TIDAKADA", "!!!!"])
def test_an_unknown_code_is_refused(world, kiosk, booking, code):
    response = kiosk.post(check_in_url(world), {"code": code})
    assert response.status_code == 422
    assert 'id="check-in-error"' in response.content.decode()
    assert not Ticket.objects.exists()


def test_a_cancelled_booking_cannot_check_in(world, kiosk, booking, window_open):
    bookings.cancel(booking, nik=NIK)
    response = kiosk.post(check_in_url(world), {"code": booking.code})
    assert response.status_code == 422 and "dibatalkan" in response.content.decode()
    assert not Ticket.objects.exists()


def other_mall_service() -> Service:
    """A bookable service of a second, always-open mall (no personas: usernames are unique)."""
    mall = Mall.objects.create(slug="dumai", name="MPP Dumai", city="Dumai", issue_cutoff_minutes=0)
    for weekday in range(7):
        OpeningHours.objects.create(mall=mall, weekday=weekday, opens=dt.time(0), closes=dt.time(23, 59, 59))
    building = Building.objects.create(mall=mall, code="mpp", name="Gedung MPP")
    zone = Zone.objects.create(mall=mall, building=building, code="A", name="Zona A")
    agency = Agency.objects.create(
        mall=mall, code="DUKCAPIL", name="Disdukcapil Dumai", kind=Agency.Kind.REGIONAL, zone=zone
    )
    service = Service.objects.create(
        mall=mall, agency=agency, code="DUKCAPIL-KTP", name="KTP", prefix="A", bookable=True
    )
    counter = Counter.objects.create(mall=mall, building=building, agency=agency, number=1)
    counter.services.set([service])
    return Service.objects.select_related("mall").get(pk=service.pk)


def test_another_malls_booking_is_unknown_here(world, kiosk, window_open):
    service = other_mall_service()
    start = dt.datetime.combine(
        service_day(service.mall) + dt.timedelta(days=1), dt.time(10), tzinfo=mall_tz(service.mall)
    )
    theirs = bookings.book(service, start, nik=NIK, name="Siti", phone=PHONE)
    response = kiosk.post(check_in_url(world), {"code": theirs.code})
    assert response.status_code == 422
    assert "tidak ditemukan" in response.content.decode()
    assert Booking.objects.get(pk=theirs.pk).status == BookingStatus.ACTIVE
