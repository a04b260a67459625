"""Read-side state of queues for screens and the API (no writes here)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q
from django.utils import timezone

from satuatap.directory.hours import open_state, service_day
from satuatap.directory.models import Counter, Mall, Service, Zone
from satuatap.queueing import estimates
from satuatap.queueing.models import Ticket, TicketEvent, TicketStatus
from satuatap.queueing.speech import utterance


def _issue_estimate(ticket: Ticket) -> estimates.Estimate | None:
    """The estimate ``issue_ticket`` left on a just-issued (waiting) ticket instance, else None."""
    if ticket.status != TicketStatus.WAITING:
        return None
    return getattr(ticket, "issue_estimate", None)


def estimate_for(ticket: Ticket, now: dt.datetime | None = None) -> estimates.Estimate:
    """The ticket's estimate: the one stamped at issue on a just-issued instance, else the live one.

    Its ``position`` is ``position(ticket)`` (same count), its ``minutes`` ``estimated_wait_minutes(ticket)``.
    """
    fresh = _issue_estimate(ticket)
    if fresh is not None:  # just issued: the estimate issue_ticket computed is the live one
        return fresh
    return estimates.estimate_ticket(ticket, now=now)


def position(ticket: Ticket) -> int:
    """How many waiting tickets of the same queue will be called before this one (FIFO with priority first).

    One count; ``estimate_for(ticket).position`` is the same number when the estimate is needed too.
    """
    if ticket.status != TicketStatus.WAITING:
        return 0
    fresh = _issue_estimate(ticket)
    if fresh is not None:  # just issued: issue_ticket counted it already
        return fresh.position
    same_queue = Ticket.objects.filter(service_id=ticket.service_id, day=ticket.day, status=TicketStatus.WAITING)
    earlier = Q(queued_at__lt=ticket.queued_at) | Q(queued_at=ticket.queued_at, id__lt=ticket.pk)
    if ticket.priority_group:
        return same_queue.filter(earlier).exclude(priority_group="").count()
    return same_queue.filter(Q(earlier) | ~Q(priority_group="")).count()


def estimated_wait_minutes(ticket: Ticket, now: dt.datetime | None = None) -> int:
    """Minutes until the ticket is called (formula: ``satuatap.queueing.estimates``).

    It counts the tickets ahead over every queue the ticket's counters serve, not just its own.
    """
    return estimate_for(ticket, now).minutes


def ticket_snapshot(ticket: Ticket, *, with_estimate: bool = True) -> dict:
    """The ticket for its page and screens; ``with_estimate=False`` leaves ``estimated_wait_minutes`` None
    and counts only the position (for a page that shows the wait stamped at issue)."""
    if with_estimate:
        estimate = estimate_for(ticket)
        ahead, wait = estimate.position, estimate.minutes
    else:
        ahead, wait = position(ticket), None
    return {
        "id": ticket.pk,
        "public_code": ticket.public_code,
        "number": ticket.number,
        "service": ticket.service.code,
        "service_name": ticket.service.name,
        "agency": ticket.service.agency.name,
        "status": ticket.status,
        "status_label": str(ticket.get_status_display()),
        "priority_group": ticket.priority_group or None,
        "issued_at": ticket.issued_at.isoformat(),
        "position": ahead,
        "estimated_wait_minutes": wait,
        "counter": ticket.counter.number if ticket.counter_id else None,
        "counters": list(ticket.service.counters.filter(archived_at__isnull=True).values_list("number", flat=True)),
    }


def waiting_counts(mall: Mall, day: dt.date, services) -> dict[str, int]:
    rows = (
        Ticket.objects.filter(mall=mall, day=day, status=TicketStatus.WAITING, service__in=services)
        .values("service__code")
        .annotate(n=Count("id"))
    )
    return {row["service__code"]: row["n"] for row in rows}


def display_snapshot(mall: Mall, zone: Zone | None = None, *, limit: int = 8, now: dt.datetime | None = None) -> dict:
    """Last calls (and recalls) of a zone's counters today, and waiting counts of its services.

    Each call carries the sentence the board speaks (``utterance``), so boards
    need no pronunciation logic; a recall is its own event (its own ``event_id``).
    """
    now = now or timezone.now()
    day = service_day(mall, now)
    calls = TicketEvent.objects.filter(
        mall=mall, action__in=[TicketEvent.Action.CALLED, TicketEvent.Action.RECALLED], ticket__day=day
    )
    services = Service.objects.filter(mall=mall, archived_at__isnull=True)
    if zone is not None:
        calls = calls.filter(zone=zone)
        services = services.filter(agency__zone=zone)
    rows = calls.select_related("ticket__service", "counter", "zone").order_by("-id")[:limit]
    service_rows = list(services.order_by("agency__name", "name").values_list("code", "name"))
    waiting = waiting_counts(mall, day, services)
    state = open_state(mall, now)
    return {
        "mall": mall.slug,
        "mall_name": mall.name,
        "timezone": mall.timezone,
        "zone": zone.code if zone else None,
        "zone_name": zone.name if zone else mall.name,
        "now": now.isoformat(),
        "open": state.serving,
        "reason": state.reason,
        "called": [
            {
                "event_id": e.pk,
                "number": e.ticket.number,
                "counter": e.counter.number if e.counter else None,
                "service": e.ticket.service.name,
                "service_code": e.ticket.service.code,
                "zone": e.zone.code if e.zone else None,
                "called_at": e.at.isoformat(),
                "recall": e.action == TicketEvent.Action.RECALLED,
                "utterance": utterance(e.ticket.number, e.counter.number) if e.counter else "",
            }
            for e in rows
        ],
        "waiting": waiting,
        "services": [{"code": code, "name": name, "waiting": waiting.get(code, 0)} for code, name in service_rows],
    }


def console_snapshot(counter: Counter, now: dt.datetime | None = None) -> dict:
    now = now or timezone.now()
    mall = counter.mall
    day = service_day(mall, now)
    services = list(counter.services.filter(archived_at__isnull=True).order_by("name"))
    current = (
        Ticket.objects.filter(counter=counter, status__in=[TicketStatus.CALLED, TicketStatus.SERVING])
        .select_related("service")
        .first()
    )
    counts = waiting_counts(mall, day, services)
    served_today = Ticket.objects.filter(counter=counter, day=day, status=TicketStatus.DONE).count()
    state = open_state(mall, now, counter=counter)
    return {
        "counter": counter.number,
        "agency": counter.agency.code,
        "open": state.serving,
        "reason": state.reason,
        "current": None
        if current is None
        else {
            "id": current.pk,
            "number": current.number,
            "service": current.service.name,
            "status": current.status,
            "status_label": str(current.get_status_display()),
            "priority_group": current.priority_group or None,
        },
        "services": [{"code": s.code, "name": s.name, "waiting": counts.get(s.code, 0)} for s in services],
        "waiting_total": sum(counts.values()),
        "served_today": served_today,
    }
