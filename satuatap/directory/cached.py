"""Master data as the hot path reads it: from this process's memory, dropped when the stamp moves.

Each function answers what one query would, from a cache filled by that query on first use
(``directory.stamp`` says when the answers are dropped). Instances are copies: a caller may set
attributes on them without touching the shared entry.
"""

from __future__ import annotations

import datetime as dt

from satuatap.directory import stamp
from satuatap.directory.hours import mall_closures_on
from satuatap.directory.models import Closure, Mall, Service
from satuatap.instances import detached

_malls = stamp.Cache("malls")
_services = stamp.Cache("services")
_counter_services = stamp.Cache("counter services")
_closures = stamp.Cache("closures")


def mall(slug: str) -> Mall | None:
    """The active mall of ``slug`` with its opening hours (what ``open_state`` reads), or None."""
    found = _malls.get(slug, lambda: Mall.objects.active().prefetch_related("hours").filter(slug=slug).first())
    return detached(found) if found is not None else None


def with_hours(found: Mall) -> Mall:
    """The mall as given if its hours are loaded, else the cached copy that has them (same row)."""
    if "hours" in getattr(found, "_prefetched_objects_cache", {}):
        return found
    return mall(found.slug) or found


def service(service_id: int) -> Service | None:
    """A service (archived or not) with its agency and mall (the mall with its hours)."""

    def load():
        return (
            Service.objects.select_related("agency", "mall")
            .prefetch_related("mall__hours")
            .filter(pk=service_id)
            .first()
        )

    found = _services.get(service_id, load)
    return detached(found) if found is not None else None


def counter_service_ids(counter_id: int) -> tuple[int, ...]:
    """The ids of the active services a counter calls for."""
    through = Service.counters.through

    def load():
        rows = through.objects.filter(counter_id=counter_id, service__archived_at__isnull=True)
        return tuple(sorted(rows.values_list("service_id", flat=True)))

    return _counter_services.get(counter_id, load)


def closures_on(mall: Mall, day: dt.date) -> list[Closure]:
    """``hours.mall_closures_on(mall, day)`` as a list, for ``open_state(..., closures=...)``."""
    return _closures.get((mall.pk, day), lambda: list(mall_closures_on(mall, day)))


_mall_counter_services = stamp.Cache("counter services of malls")


def mall_counter_services(mall_id: int) -> tuple[tuple[int, int, str], ...]:
    """(counter id, service id, the service's published duration) of the mall's live counters and services."""
    through = Service.counters.through

    def load():
        rows = through.objects.filter(
            counter__mall_id=mall_id, counter__archived_at__isnull=True, service__archived_at__isnull=True
        )
        return tuple(
            rows.order_by("counter_id", "service_id").values_list("counter_id", "service_id", "service__duration")
        )

    return _mall_counter_services.get(mall_id, load)
