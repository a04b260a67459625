"""The daily quota: open or closed with it counted, and the places other apps hold in it.

A walk-in stops short of the quota by the places held for people still to come (booked citizens
who have not checked in). The queue does not know who holds them: an app that holds places
registers a counter with ``hold_places`` in its ``AppConfig.ready`` (booking does).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from satuatap.directory import hours
from satuatap.directory.models import Counter, Mall, Service
from satuatap.queueing.models import QueueSequence

_holders: list[Callable[[Service, dt.date], int]] = []


def hold_places(counter: Callable[[Service, dt.date], int]) -> None:
    """Register ``counter(service, day)``: places of the day's quota held for people still to come."""
    if counter not in _holders:
        _holders.append(counter)


def held_places(service: Service, day: dt.date) -> int:
    """Places of the service's quota on ``day`` that walk-ins may not take."""
    return sum(counter(service, day) for counter in _holders)


def issued_on(service: Service, day: dt.date) -> int:
    """How many numbers the service's queue has issued on ``day`` (its sequence's last number)."""
    issued = QueueSequence.objects.filter(service=service, day=day).values_list("last_number", flat=True).first()
    return issued or 0


def open_state(
    mall: Mall,
    at: dt.datetime | None = None,
    *,
    service: Service | None = None,
    counter: Counter | None = None,
) -> hours.OpenState:
    """``directory.hours.open_state``, and for a service with a daily quota: is it used up today?"""
    if service is None or service.daily_quota is None:
        return hours.open_state(mall, at, service=service, counter=counter)
    now = hours.local_now(mall, at)
    issued = issued_on(service, now.date())
    return hours.open_state(mall, now, service=service, counter=counter, issued_today=issued)
