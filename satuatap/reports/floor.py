"""The live floor: what a manager acts on, then every counter of the mall (or of one agency).

On top, the alerts: queues past the mall's target wait, agencies with people waiting and too few
officers. Then, per zone and agency, the queues with their waiting count and longest current
wait, and the counters open / idle / paused. The compact grid of counters comes last.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Min
from django.utils import timezone
from django.utils.translation import gettext as _

from satuatap.accounts.scoping import scope
from satuatap.directory.hours import mall_closures_on, open_state, service_day
from satuatap.directory.models import Counter, Mall
from satuatap.queueing.models import AT_COUNTER_STATUSES, Ticket, TicketStatus

# An agency with more people waiting than this per officer at a counter is short of staff.
WAITING_PER_OFFICER = 10


def _minutes(since: dt.datetime | None, now: dt.datetime) -> int:
    return max(0, int((now - since).total_seconds() // 60)) if since else 0


def _counter_state(counter: Counter, ticket: Ticket | None, paused: bool) -> str:
    if ticket is not None:
        return ticket.status
    if paused:
        return "paused"
    return "idle" if counter.officer_id else "closed"


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
    paused = set(
        mall_closures_on(mall, day)
        .filter(counter__in=counters, starts_at__lte=now)
        .values_list("counter_id", flat=True)
    )
    tickets_today = scope(user, Ticket.objects.filter(mall=mall, day=day))
    queues = list(
        tickets_today.filter(status=TicketStatus.WAITING)
        .values("service__code", "service__name", "service__agency__code")
        .annotate(n=Count("id"), oldest=Min("queued_at"))
        .order_by("oldest")
    )
    served = dict(
        tickets_today.filter(status=TicketStatus.DONE)
        .values_list("service__agency__code")
        .annotate(n=Count("id"))
        .values_list("service__agency__code", "n")
    )
    target = mall.target_wait_minutes
    services = [
        {
            "code": q["service__code"],
            "name": q["service__name"],
            "agency": q["service__agency__code"],
            "waiting": q["n"],
            "longest_wait_minutes": _minutes(q["oldest"], now),
            "past_target": _minutes(q["oldest"], now) > target,
        }
        for q in queues
    ]
    agencies = _agencies(counters, holding, paused, services, served)
    zones = _zones(counters, holding, paused, agencies)
    mall_state = open_state(mall, now)
    return {
        "mall": mall.slug,
        "now": now.isoformat(),
        "open": mall_state.serving,
        "reason": mall_state.reason,
        "target_wait_minutes": target,
        "staffed": sum(1 for c in counters if c.officer_id),
        "idle": sum(1 for c in counters if c.officer_id and c.pk not in holding and c.pk not in paused),
        "paused": len(paused),
        "counters": len(counters),
        "waiting_total": sum(s["waiting"] for s in services),
        "served_total": sum(served.values()),
        "longest_wait_minutes": max((s["longest_wait_minutes"] for s in services), default=0),
        "alerts": _alerts(services, agencies, target),
        "services": services,
        "agencies": list(agencies.values()),
        "zones": zones,
    }


def _agencies(counters, holding, paused, services, served) -> dict[str, dict]:
    agencies: dict[str, dict] = {}
    for counter in counters:
        a = agencies.setdefault(
            counter.agency.code,
            {
                "code": counter.agency.code,
                "name": counter.agency.name,
                "zone": counter.agency.zone.code,
                "counters": 0,
                "staffed": 0,
                "idle": 0,
                "paused": 0,
                "waiting": 0,
                "served": served.get(counter.agency.code, 0),
                "longest_wait_minutes": 0,
                "queues": [],
            },
        )
        a["counters"] += 1
        a["staffed"] += bool(counter.officer_id)
        state = _counter_state(counter, holding.get(counter.pk), counter.pk in paused)
        a["idle"] += state == "idle"
        a["paused"] += state == "paused"
    for service in services:
        a = agencies.get(service["agency"])
        if a is None:  # a queue of an agency without counters: it has nobody to call it
            continue
        a["waiting"] += service["waiting"]
        a["longest_wait_minutes"] = max(a["longest_wait_minutes"], service["longest_wait_minutes"])
        a["queues"].append(service)
    for a in agencies.values():
        a["queues"].sort(key=lambda s: -s["longest_wait_minutes"])
        a["short_of_staff"] = a["waiting"] > 0 and (
            a["staffed"] == 0 or a["waiting"] > WAITING_PER_OFFICER * a["staffed"]
        )
    return agencies


def _zones(counters, holding, paused, agencies) -> list[dict]:
    zones: dict[str, dict] = {}
    for counter in counters:
        zone = counter.agency.zone
        entry = zones.setdefault(zone.code, {"code": zone.code, "name": zone.name, "agencies": [], "counters": []})
        if counter.agency.code not in entry["agencies"]:
            entry["agencies"].append(counter.agency.code)
        ticket = holding.get(counter.pk)
        entry["counters"].append(
            {
                "number": counter.number,
                "agency": counter.agency.code,
                "officer": counter.officer.get_full_name() or counter.officer.username if counter.officer else None,
                "ticket": ticket.number if ticket else None,
                "status": ticket.status if ticket else None,
                "state": _counter_state(counter, ticket, counter.pk in paused),
            }
        )
    for entry in zones.values():
        entry["agencies"] = sorted((agencies[code] for code in entry["agencies"]), key=lambda a: a["name"])
    return list(zones.values())


def _alerts(services, agencies, target: int) -> list[dict]:
    """What needs the manager now, the worst first."""
    alerts = [
        {
            "kind": "past_target",
            "agency": s["agency"],
            "service": s["code"],
            "minutes": s["longest_wait_minutes"],
            "text": _("%(service)s (%(agency)s): %(waiting)s menunggu, terlama %(minutes)s menit (target %(target)s)")
            % {
                "service": s["name"],
                "agency": s["agency"],
                "waiting": s["waiting"],
                "minutes": s["longest_wait_minutes"],
                "target": target,
            },
        }
        for s in services
        if s["past_target"]
    ]
    alerts += [
        {
            "kind": "short_of_staff",
            "agency": a["code"],
            "service": "",
            "minutes": a["longest_wait_minutes"],
            "text": _(
                "%(agency)s kekurangan petugas: %(waiting)s menunggu, %(staffed)s dari %(counters)s loket bertugas"
            )
            % {"agency": a["name"], "waiting": a["waiting"], "staffed": a["staffed"], "counters": a["counters"]},
        }
        for a in agencies.values()
        if a["short_of_staff"]
    ]
    return sorted(alerts, key=lambda alert: -alert["minutes"])
