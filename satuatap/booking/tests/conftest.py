"""Booking test helpers: a bookable world, valid NIKs and phones, a slot at a given time."""

from __future__ import annotations

import datetime as dt
import itertools
from zoneinfo import ZoneInfo

import pytest

from satuatap.booking import bookings, slots
from satuatap.booking.policies import policy_for
from satuatap.testing import MONDAY_MORNING

WIB = ZoneInfo("Asia/Jakarta")
# A Monday morning. Every booking test runs on a clock that starts there (``_clock_starts_at_now``),
# and the service calls here also pass it as ``now``: the calendar never makes a test flaky.
NOW = MONDAY_MORNING

_serial = itertools.count(1)
_phone = itertools.count(1)


def make_nik(*, day: int = 12, month: int = 3, yy: int = 90, female: bool = False, serial: int | None = None) -> str:
    """A NIK valid by its structure (region 14 71 01, Pekanbaru)."""
    serial = next(_serial) if serial is None else serial
    return f"147101{day + (40 if female else 0):02d}{month:02d}{yy:02d}{serial:04d}"


def make_phone() -> str:
    return f"08123{next(_phone):07d}"


def make_bookable(world, *codes: str):
    """Mark services bookable (the world's services are walk-in only by default); returns the mall's policy."""
    for code in codes or ("DUKCAPIL-KTP", "DUKCAPIL-KK", "IMIGRASI-PASPOR", "POLRESTA-SKCK"):
        service = world.services[code]
        service.bookable = True
        service.save(update_fields=["bookable"])
    return policy_for(world.mall)


def slot_at(service, day: dt.date, hour: int = 10, minute: int = 0, *, now=NOW):
    """The slot of ``day`` starting at hour:minute local time (asserts it is listed)."""
    found = slots.slots_for(service, day, now=now)
    for slot in found:
        if slot.start.hour == hour and slot.start.minute == minute:
            return slot
    raise AssertionError(f"no slot at {hour:02d}:{minute:02d} on {day}: {found.code} {found.reason}")


def tomorrow_slot(service, hour: int = 10, *, now=NOW):
    return slot_at(service, now.date() + dt.timedelta(days=1), hour, now=now)


def book(service, slot, *, nik=None, phone=None, name="Budi Santoso", now=NOW, **kwargs):
    start = slot.start if hasattr(slot, "start") else slot
    return bookings.book(
        service, start, nik=nik or make_nik(), name=name, phone=phone or make_phone(), now=now, **kwargs
    )


@pytest.fixture(autouse=True)
def _clock_starts_at_now(monday_morning):
    """Pages, the API and the services called without ``now`` read the same Monday morning as NOW."""
    assert monday_morning == NOW


@pytest.fixture
def bworld(world):
    """The test world with every service bookable and the mall's default booking policy."""
    make_bookable(world)
    return world


@pytest.fixture
def outbox_calls(monkeypatch):
    """Notices handed to the notify outbox: [(booking code, kind)] (after commit)."""
    from satuatap.booking import reminders

    calls = []
    monkeypatch.setattr(
        reminders, "enqueue_for_booking", lambda booking, kind, **kw: calls.append((booking.code, kind))
    )
    return calls
