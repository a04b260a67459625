"""Booking in the API: slots, book, cancel (public) and check-in (kiosk), with the contract's shapes."""

from __future__ import annotations

import datetime as dt

import pytest

from satuatap.booking import bookings
from satuatap.booking.models import Booking, BookingPolicy, BookingStatus
from satuatap.directory.hours import mall_tz, service_day
from satuatap.directory.models import Service
from satuatap.queueing.models import Ticket, TicketSource
from satuatap.testing import assert_api_error
from satuatap.testing import bearer_as as as_

pytestmark = pytest.mark.django_db

API = "/api/v1/malls/pekanbaru"
NIK = "1471011203900001"
OTHER_NIK = "1471015505920002"
PHONE = "081234567890"
TICKET_FIELDS = {
    "id",
    "public_code",
    "number",
    "service",
    "status",
    "priority_group",
    "issued_at",
    "called_at",
    "counter",
    "position",
    "estimated_wait_minutes",
}


@pytest.fixture
def ktp(world):
    Service.objects.filter(pk=world.services["DUKCAPIL-KTP"].pk).update(bookable=True)
    return Service.objects.select_related("mall", "agency").get(pk=world.services["DUKCAPIL-KTP"].pk)


def tomorrow(world) -> dt.date:
    return service_day(world.mall) + dt.timedelta(days=1)


def at(world, hhmm="10:00", day=None) -> dt.datetime:
    return dt.datetime.combine(day or tomorrow(world), dt.time.fromisoformat(hhmm), tzinfo=mall_tz(world.mall))


def post(client, url, data, headers=None):
    return client.post(url, data, content_type="application/json", headers=headers or {})


def booking_body(world, **fields) -> dict:
    body = {"service": "DUKCAPIL-KTP", "start": at(world).isoformat(), "nik": NIK, "name": "Siti", "phone": PHONE}
    body.update(fields)
    return body


def test_slots_of_a_day(client, world, ktp):
    response = client.get(f"{API}/services/DUKCAPIL-KTP/slots", {"date": tomorrow(world).isoformat()})
    assert response.status_code == 200, response.content
    slots = response.json()
    assert slots and {"start", "end", "capacity", "available"} <= set(slots[0])
    first = slots[0]
    assert dt.datetime.fromisoformat(first["start"]).utcoffset() == dt.timedelta(hours=7)  # the mall's own zone
    assert first["available"] <= first["capacity"]


def test_slots_show_a_booked_place(client, world, ktp):
    bookings.book(ktp, at(world), nik=NIK, name="Siti", phone=PHONE)
    slots = client.get(f"{API}/services/DUKCAPIL-KTP/slots", {"date": tomorrow(world).isoformat()}).json()
    ten = next(s for s in slots if dt.datetime.fromisoformat(s["start"]) == at(world))
    assert ten["available"] == ten["capacity"] - 1


def test_slots_refusals(client, world, ktp):
    assert_api_error(client.get(f"{API}/services/DUKCAPIL-KTP/slots"), 422)
    body = assert_api_error(client.get(f"{API}/services/DUKCAPIL-KTP/slots", {"date": "2026-02-30"}), 422)
    assert body["errors"][0]["field"] == "date"
    assert_api_error(client.get(f"{API}/services/DUKCAPIL-KK/slots", {"date": "2026-01-01"}), 404, "service_not_found")
    assert_api_error(
        client.get("/api/v1/malls/tidak-ada/services/DUKCAPIL-KTP/slots", {"date": "2026-01-01"}), 404, "mall_not_found"
    )
    past = client.get(f"{API}/services/DUKCAPIL-KTP/slots", {"date": "2020-01-01"})
    assert past.status_code == 200 and past.json() == []


def test_book_answers_201_with_the_contract_shape(client, world, ktp):
    response = post(client, f"{API}/bookings", booking_body(world))
    assert response.status_code == 201, response.content
    body = response.json()
    assert set(body) == {"code", "service", "start", "end", "status"}
    booking = Booking.objects.get()
    assert body["code"] == booking.code and body["service"] == "DUKCAPIL-KTP" and body["status"] == "active"
    assert dt.datetime.fromisoformat(body["start"]) == at(world)
    assert dt.datetime.fromisoformat(body["end"]) == at(world, "10:30")


def test_book_is_idempotent_on_its_key(client, world, ktp):
    first = post(client, f"{API}/bookings", booking_body(world, idempotency_key="abc"))
    second = post(client, f"{API}/bookings", booking_body(world, idempotency_key="abc"))
    assert first.status_code == second.status_code == 201
    assert first.json()["code"] == second.json()["code"]
    assert Booking.objects.count() == 1


@pytest.mark.parametrize(
    ("fields", "code", "field"),
    [
        ({"nik": "1471011203900000"}, "invalid_nik", "nik"),
        ({"nik": "147101120390000"}, "invalid_nik", "nik"),
        ({"phone": "12345"}, "invalid_phone", "phone"),
        ({"name": "   "}, "invalid_name", "name"),
    ],
)
def test_bad_personal_data_is_a_422_naming_the_field(client, world, ktp, fields, code, field):
    body = assert_api_error(post(client, f"{API}/bookings", booking_body(world, **fields)), 422, code)
    assert body["errors"] == [{"field": field, "message": body["detail"]}]
    assert not Booking.objects.exists()


def test_missing_fields_are_named(client, world, ktp):
    body = assert_api_error(post(client, f"{API}/bookings", {"service": "DUKCAPIL-KTP"}), 422)
    assert {e["field"] for e in body["errors"]} >= {"start", "nik", "name", "phone"}


def test_a_start_that_is_no_slot_is_refused(client, world, ktp):
    body = assert_api_error(
        post(client, f"{API}/bookings", booking_body(world, start=at(world, "10:07").isoformat())), 422
    )
    assert body["errors"][0]["field"] == "start"


@pytest.mark.parametrize("start", ["0001-01-01T00:00:00", "9999-12-31T23:59:00-12:00", "besok pagi"])
def test_a_start_out_of_any_range_is_a_422(client, world, ktp, start):
    body = assert_api_error(post(client, f"{API}/bookings", booking_body(world, start=start)), 422)
    assert body["errors"][0]["field"] == "start"
    assert not Booking.objects.exists()


def test_anti_hoarding_refusals_keep_their_codes(client, world, ktp):
    assert post(client, f"{API}/bookings", booking_body(world)).status_code == 201
    again = post(client, f"{API}/bookings", booking_body(world, start=at(world, "11:00").isoformat()))
    assert_api_error(again, 409, "duplicate_day")


def test_a_full_slot_is_a_409(client, world, ktp):
    from satuatap.booking import slots

    capacity = next(s.capacity for s in slots.slots_for(ktp, tomorrow(world)) if s.start == at(world))
    for n in range(capacity):
        bookings.book(ktp, at(world), nik=f"147101120390{n + 10:04d}", name="X", phone=f"08123456{n:04d}")
    assert_api_error(post(client, f"{API}/bookings", booking_body(world)), 409, "slot_full")


def test_booking_switched_off_is_refused(client, world, ktp):
    bookings.set_booking_enabled(world.mall, False, actor=world.users["manager"])
    assert_api_error(post(client, f"{API}/bookings", booking_body(world)), 409, "booking_closed")


def test_cancel_with_the_nik(client, world, ktp):
    booking = bookings.book(ktp, at(world), nik=NIK, name="Siti", phone=PHONE)
    url = f"{API}/bookings/{booking.code}/cancel"
    assert_api_error(post(client, url, {"nik": OTHER_NIK}), 403, "wrong_nik")
    assert Booking.objects.get().status == BookingStatus.ACTIVE
    response = post(client, url, {"nik": NIK})
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "cancelled"
    assert_api_error(post(client, url, {"nik": NIK}), 409, "already_cancelled")
    assert_api_error(post(client, f"{API}/bookings/TIDAKADA/cancel", {"nik": NIK}), 404, "not_found")
    assert_api_error(post(client, url, {}), 422)


def test_public_posts_are_rate_limited(client, world, ktp, monkeypatch):
    from satuatap.booking import api

    monkeypatch.setattr(api, "SUBMITS_PER_HOUR", 1)
    post(client, f"{API}/bookings", booking_body(world, nik="1"))
    assert_api_error(post(client, f"{API}/bookings", booking_body(world)), 429, "rate_limited")
    assert not Booking.objects.exists()


def test_the_kiosk_checks_in_and_gets_the_ticket_twice_the_same(client, world, ktp):
    BookingPolicy.objects.update_or_create(mall=world.mall, defaults={"check_in_early_minutes": 36 * 60})
    booking = bookings.book(ktp, at(world), nik=NIK, name="Siti", phone=PHONE)
    url = f"{API}/bookings/{booking.code}/check-in"
    first = post(client, url, {}, as_(world, "kiosk"))
    assert first.status_code == 201, first.content
    assert set(first.json()) == TICKET_FIELDS
    second = post(client, url, {}, as_(world, "kiosk"))
    assert second.status_code == 201 and second.json()["id"] == first.json()["id"]
    ticket = Ticket.objects.get()
    assert ticket.source == TicketSource.BOOKING and first.json()["service"] == "DUKCAPIL-KTP"


def test_check_in_too_early_says_the_window(client, world, ktp):
    booking = bookings.book(ktp, at(world), nik=NIK, name="Siti", phone=PHONE)
    body = assert_api_error(
        post(client, f"{API}/bookings/{booking.code}/check-in", {}, as_(world, "kiosk")), 409, "too_early"
    )
    assert "09:30" in body["detail"] and "10:45" in body["detail"]
    assert not Ticket.objects.exists()


@pytest.mark.parametrize("persona", ["officer1", "manager", "display_a", "sup_dukcapil"])
def test_only_a_kiosk_checks_in(client, world, ktp, persona):
    booking = bookings.book(ktp, at(world), nik=NIK, name="Siti", phone=PHONE)
    assert_api_error(post(client, f"{API}/bookings/{booking.code}/check-in", {}, as_(world, persona)), 403)
    assert_api_error(post(client, f"{API}/bookings/{booking.code}/check-in", {}), 401)
    assert not Ticket.objects.exists()
