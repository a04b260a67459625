"""What the kiosk offers on one screen: categories (zones), the most used services, pages, search.

Read-only. The kiosk never scrolls (a citizen at a touch screen does not know it can), so every
list it shows is cut into pages of a size that fits 1080×1920 and 1280×1024 alike.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from django.db.models import Count, Q

from satuatap.directory.hours import service_day
from satuatap.directory.models import Agency, Mall, Service, Zone
from satuatap.queueing.models import Ticket

AGENCIES_PER_PAGE = 8  # 2 × 4 tiles upright, 4 × 2 on a landscape screen
SERVICES_PER_PAGE = 8  # 2 × 4 buttons
POPULAR_COUNT = 6  # 3 × 2 big buttons on the first screen
SEARCH_RESULTS = 8
POPULAR_DAYS = 30


@dataclass(frozen=True)
class Page:
    number: int
    count: int
    items: list

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.count


def page_of(items: list, number: int, size: int) -> Page:
    """A page of ``items``; a number out of range gives the nearest page, never an error."""
    count = max(1, math.ceil(len(items) / size))
    number = min(max(1, number), count)
    return Page(number=number, count=count, items=items[(number - 1) * size : number * size])


def page_number(raw: str | None) -> int:
    try:
        return int(raw or 1)
    except ValueError:
        return 1


def popular_services(mall: Mall, count: int = POPULAR_COUNT) -> list[Service]:
    """The services the manager pinned, then the most taken in the last 30 days, at most two per agency
    so the screen serves many.

    Before there is a history (a new mall), one per agency, the agencies with most counters first:
    counters are the mall's own forecast of demand (Disdukcapil gets 90 of them for a reason).
    """
    since = service_day(mall) - dt.timedelta(days=POPULAR_DAYS)
    taken = dict(
        Ticket.objects.filter(mall=mall, day__gte=since)
        .values("issued_service")
        .annotate(n=Count("id"))
        .order_by("-n")
        .values_list("issued_service", "n")[: count * 4]
    )
    services = (
        Service.objects.active()
        .filter(mall=mall, agency__archived_at__isnull=True)
        .annotate(n_counters=Count("counters", filter=Q(counters__archived_at__isnull=True)))
        .select_related("agency")
    )
    pinned = list(services.filter(kiosk_pinned=True).order_by("agency__name", "name")[:count])
    most_taken = sorted(services.filter(pk__in=taken, kiosk_pinned=False), key=lambda s: (-taken[s.pk], s.name))
    ranked = pinned + _at_most(most_taken, 2, count - len(pinned))
    if len(ranked) < count:
        others = services.exclude(pk__in=taken).filter(kiosk_pinned=False).order_by("-n_counters", "name")
        taken_agencies = {s.agency_id for s in ranked}
        ranked += _at_most([s for s in others if s.agency_id not in taken_agencies], 1, count - len(ranked))
    return ranked


def _at_most(services: list[Service], per_agency: int, count: int) -> list[Service]:
    chosen: list[Service] = []
    if count <= 0:
        return chosen
    per: dict[int, int] = {}
    for service in services:
        if per.get(service.agency_id, 0) < per_agency:
            chosen.append(service)
            per[service.agency_id] = per.get(service.agency_id, 0) + 1
        if len(chosen) == count:
            break
    return chosen


def zones_with_agencies(mall: Mall) -> list[Zone]:
    return list(
        Zone.objects.active()
        .filter(mall=mall, agencies__archived_at__isnull=True, agencies__services__archived_at__isnull=True)
        .distinct()
        .order_by("code")
    )


def agencies_in(mall: Mall, zone: Zone | None, agency_ids) -> list[Agency]:
    agencies = Agency.objects.active().filter(mall=mall, pk__in=agency_ids).select_related("zone")
    if zone is not None:
        agencies = agencies.filter(zone=zone)
    return list(agencies.order_by("name"))


def search_services(mall: Mall, query: str, limit: int = SEARCH_RESULTS) -> list[Service]:
    """Services whose name, or whose agency's name or code, holds every word typed."""
    words = query.split()
    if not words:
        return []
    services = Service.objects.active().filter(mall=mall, agency__archived_at__isnull=True)
    for word in words:
        services = services.filter(
            Q(name__icontains=word) | Q(agency__name__icontains=word) | Q(agency__code__icontains=word)
        )
    return list(services.select_related("agency").order_by("name")[:limit])
