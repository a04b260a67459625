"""Booking in the API (see api-contract "Booking"): slots, book, cancel (public), check-in (kiosk).

Thin on purpose: every rule is ``booking.slots``/``booking.bookings``; their refusals
(``Refused``) become ``{detail, code}`` answers in ``satuatap.api`` (a 422 also
names the field: ``nik`` for ``invalid_nik``, ``phone`` for ``invalid_phone``).
"""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from satuatap.accounts.access import access_mall, find_mall
from satuatap.accounts.models import Role
from satuatap.apiauth import (
    BAD_INPUT,
    PUBLIC_REFUSALS,
    Error,
    ValidationErrorOut,
    bearer,
    caller,
    optional_bearer,
    public_throttle,
)
from satuatap.booking import bookings, slots
from satuatap.booking.models import Booking
from satuatap.booking.policies import bookable_services
from satuatap.booking.views import SUBMITS_PER_HOUR, submit_limited  # the limit is named here: a test lowers it
from satuatap.directory.hours import mall_tz
from satuatap.directory.models import Mall
from satuatap.queueing.api import TicketOut, ticket_out
from satuatap.refusal import Refused, invalid, not_found

router = Router(tags=["Pemesanan"])

PUBLIC = {"auth": optional_bearer, "throttle": public_throttle}
BOOKING_REFUSALS = {403: Error, 409: Error, 422: ValidationErrorOut, **PUBLIC_REFUSALS}


class SlotOut(Schema):
    start: dt.datetime
    end: dt.datetime
    capacity: int
    available: int
    bookable: bool = Field(description="Bisa dipesan sekarang (tidak penuh, tidak melewati batas waktu pesan)")
    reason: str = Field(description="Mengapa tidak bisa dipesan, atau kosong")


class BookingIn(Schema):
    service: str = Field(min_length=1, max_length=40, description="Kode layanan, mis. DUKCAPIL-KTP")
    start: dt.datetime = Field(description="Awal slot (ISO 8601 dengan zona; tanpa zona: waktu setempat mal)")
    nik: str = Field(min_length=1, max_length=32, description="NIK 16 digit")
    name: str = Field(min_length=1, max_length=100, description="Nama lengkap")
    phone: str = Field(min_length=1, max_length=20, description="Nomor HP, mis. 081234567890 atau +6281234567890")
    idempotency_key: str | None = Field(
        None,
        max_length=64,
        description="Kunci unik per pemesanan: kiriman ulang dengan kunci sama tidak memesan dua kali",
    )


class CancelIn(Schema):
    nik: str = Field(min_length=1, max_length=32, description="NIK pemesan")


class BookingOut(Schema):
    code: str
    service: str
    start: dt.datetime
    end: dt.datetime
    status: str


def _booking_out(booking: Booking, mall: Mall) -> dict:
    tz = mall_tz(mall)
    return {
        "code": booking.code,
        "service": booking.service.code,
        "start": booking.start.astimezone(tz),
        "end": booking.end.astimezone(tz),
        "status": booking.status,
    }


def _service(mall: Mall, code: str):
    """The bookable service; ``mall`` (fetched with its opening hours) becomes its ``mall``."""
    service = bookable_services(mall).filter(code=code).first()
    if service is None:
        raise not_found("service_not_found", _("Layanan tidak ditemukan atau tidak dapat dipesan daring."))
    service.mall = mall
    return service


def _booking(mall_slug: str, code: str) -> tuple[Mall, Booking]:
    mall = find_mall(mall_slug)
    booking = bookings.find(mall, code)  # Refused not_found -> 404
    return mall, booking


@router.get(
    "/malls/{mall}/services/{code}/slots",
    response={200: list[SlotOut], 422: ValidationErrorOut, **PUBLIC_REFUSALS},
    summary="Slot kunjungan satu hari",
    **PUBLIC,
)
def list_slots(request, mall: str, code: str, date: dt.date):
    """The day's slots still ahead with the places left; an empty list when the day has none
    (holiday, closure, outside the window, booking switched off)."""
    mall_obj = find_mall(mall, with_hours=True)
    service = _service(mall_obj, code)
    tz = mall_tz(mall_obj)
    return [
        {
            "start": s.start.astimezone(tz),
            "end": s.end.astimezone(tz),
            "capacity": s.capacity,
            "available": s.available,
            "bookable": s.bookable,
            "reason": s.reason,
        }
        for s in slots.slots_for(service, date)
    ]


@router.post(
    "/malls/{mall}/bookings", response={201: BookingOut, **BOOKING_REFUSALS}, summary="Pesan kunjungan", **PUBLIC
)
def create_booking(request, mall: str, payload: BookingIn):
    mall_obj = find_mall(mall, with_hours=True)
    service = _service(mall_obj, payload.service)
    start = payload.start  # without a zone: the mall's local time (bookings.book)
    if not 2000 <= start.year <= 9000:  # far outside any window, and near the calendar's ends (overflow)
        raise invalid("start", _("Waktu mulai di luar rentang yang mungkin."))
    if submit_limited(request, SUBMITS_PER_HOUR):
        raise Refused("rate_limited", _("Terlalu banyak pemesanan dari perangkat ini. Coba lagi nanti."), status=429)
    booking = bookings.book(
        service,
        start,
        nik=payload.nik,
        name=payload.name,
        phone=payload.phone,
        idempotency_key=payload.idempotency_key or None,
    )
    return Status(201, _booking_out(booking, mall_obj))


@router.post(
    "/malls/{mall}/bookings/{booking_code}/cancel",
    response={200: BookingOut, **BOOKING_REFUSALS},
    summary="Batalkan pemesanan (dengan NIK pemesan)",
    **PUBLIC,
)
def cancel_booking(request, mall: str, booking_code: str, payload: CancelIn):
    mall_obj, booking = _booking(mall, booking_code)
    if submit_limited(request, SUBMITS_PER_HOUR):
        raise Refused("rate_limited", _("Terlalu banyak permintaan dari perangkat ini. Coba lagi nanti."), status=429)
    booking = bookings.cancel(booking, nik=payload.nik, reason=_("Dibatalkan oleh pemesan"))
    return _booking_out(booking, mall_obj)


@router.post(
    "/malls/{mall}/bookings/{booking_code}/check-in",
    response={201: TicketOut, **BAD_INPUT, 401: Error, 403: Error, 404: Error, 409: Error, 422: ValidationErrorOut},
    summary="Check-in pemesanan di anjungan (menjadi tiket antrean)",
    auth=bearer,
)
def check_in_booking(request, mall: str, booking_code: str):
    """The kiosk of the mall. Idempotent: a second check-in answers the same ticket."""
    user = caller(request)
    mall_obj = access_mall(user, mall, Role.KIOSK)
    booking = bookings.find(mall_obj, booking_code)
    ticket = bookings.check_in(booking, actor=user)
    return Status(201, ticket_out(ticket, mall_obj))
