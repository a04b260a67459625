"""The live floor: every counter of the mall (or of one agency) and what it is doing now."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count
from django.utils import timezone

from satuatap.accounts.scoping import scope
from satuatap.directory.hours import open_state, service_day
from satuatap.directory.models import Counter, Mall
from satuatap.queueing.models import AT_COUNTER_STATUSES, Ticket, TicketStatus


def floor_snapshot(user, mall: Mall, now: dt.datetime | None = None) -> dict:
    now = now or timezone.now()
    day = service_day(mall, now)
    counters = list(
        scope(user, Counter.objects.filter(mall=mall, archived_at__isnull=True))
        .select_related("agency__zone", "officer")
        .order_by("agency__zone__code", "number")
    )
    holding = {
        t.counter_id: t
        for t in Ticket.objects.filter(counter__in=counters, status__in=AT_COUNTER_STATUSES).only(
            "counter_id", "number", "status"
        )
    }
    tickets_today = scope(user, Ticket.objects.filter(mall=mall, day=day))
    waiting = dict(
        tickets_today.filter(status=TicketStatus.WAITING)
        .values_list("service__agency__code")
        .annotate(n=Count("id"))
        .values_list("service__agency__code", "n")
    )
    served = dict(
        tickets_today.filter(status=TicketStatus.DONE)
        .values_list("service__agency__code")
        .annotate(n=Count("id"))
        .values_list("service__agency__code", "n")
    )
    mall_state = open_state(mall, now)
    zones: dict[str, dict] = {}
    for counter in counters:
        zone = counter.agency.zone
        entry = zones.setdefault(zone.code, {"code": zone.code, "name": zone.name, "counters": []})
        ticket = holding.get(counter.pk)
        entry["counters"].append(
            {
                "number": counter.number,
                "agency": counter.agency.code,
                "officer": counter.officer.get_full_name() or counter.officer.username if counter.officer else None,
                "ticket": ticket.number if ticket else None,
                "status": ticket.status if ticket else None,
            }
        )
    agencies = sorted({c.agency.code for c in counters})
    return {
        "mall": mall.slug,
        "now": now.isoformat(),
        "open": mall_state.serving,
        "reason": mall_state.reason,
        "staffed": sum(1 for c in counters if c.officer_id),
        "counters": len(counters),
        "waiting_total": sum(waiting.values()),
        "served_total": sum(served.values()),
        "agencies": [{"code": a, "waiting": waiting.get(a, 0), "served": served.get(a, 0)} for a in agencies],
        "zones": list(zones.values()),
    }
