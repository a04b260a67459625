"""Read-side state of queues for screens and the API (no writes here)."""

from __future__ import annotations

import datetime as dt
import math

from django.core.cache import cache
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


def ticket_snapshot(ticket: Ticket, *, with_estimate: bool = True, position_of: dict | None = None) -> dict:
    """The ticket for its page and screens; ``with_estimate=False`` leaves ``estimated_wait_minutes`` None
    and counts only the position (for a page that shows the wait stamped at issue), or reads it from
    ``position_of``, the service's summary (``service_summary``)."""
    if position_of is not None:
        ahead, wait = _summary_position(ticket, position_of), None
    elif with_estimate:
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


def _summary_position(ticket: Ticket, summary: dict) -> int:
    if ticket.status != TicketStatus.WAITING or ticket.pk not in summary["waiting"]:
        return 0
    return summary["waiting"].index(ticket.pk)


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
    state = open_state(mall, now)
    return {**_board_body(mall, zone, limit=limit, now=now), "open": state.serving, "reason": state.reason}


def _board_body(mall: Mall, zone: Zone | None, *, limit: int = 8, now: dt.datetime) -> dict:
    """The board without its open state (which changes with the clock): the part a change rebuilds."""
    day = service_day(mall, now)
    calls = TicketEvent.objects.filter(
        mall=mall, action__in=[TicketEvent.Action.CALLED, TicketEvent.Action.RECALLED], ticket__day=day
    )
    services = Service.objects.filter(mall=mall, archived_at__isnull=True)
    if zone is not None:
        calls = calls.filter(zone=zone)
        services = services.filter(agency__zone=zone)
    rows = calls.select_related("ticket__service", "counter", "zone").order_by("-id")[:limit]
    # Each service with its waiting count, in one query.
    waiting_today = Q(tickets__day=day, tickets__status=TicketStatus.WAITING)
    service_rows = list(
        services.annotate(waiting=Count("tickets", filter=waiting_today))
        .order_by("agency__name", "name")
        .values_list("code", "name", "waiting", "agency__code")
    )
    return {
        "mall": mall.slug,
        "mall_name": mall.name,
        "timezone": mall.timezone,
        "zone": zone.code if zone else None,
        "zone_name": zone.name if zone else mall.name,
        "now": now.isoformat(),
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
        "waiting": {code: n for code, _, n, _ in service_rows if n},
        # The agency tells apart services of the same name (two BPJS offices) on the whole-mall board.
        "services": [
            {"code": code, "name": name, "waiting": n, "agency": agency} for code, name, n, agency in service_rows
        ],
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


# ---- Shared documents: built once per change, read by every screen ------------------------------
#
# A zone's board is the same for every board of that zone, and a service's queue is the same for
# every phone following it. The live process builds each once per change and pushes it in the
# WebSocket message (``queueing/hub.py``); the HTTP snapshots (first load, reconnect, slow poll)
# read the same documents from the cache, keyed by the mall's version (its newest ticket event),
# so a hall of screens costs one build per change, not one per screen. Changes that leave no ticket
# event (a closure, a break starting) reach cached documents within DOCUMENT_SECONDS.

DOCUMENT_SECONDS = 10


def mall_version(mall_id: int) -> int:
    """The newest ticket event of the mall: every change a screen shows writes one (one indexed read)."""
    return TicketEvent.objects.filter(mall_id=mall_id).order_by("-id").values_list("id", flat=True).first() or 0


def _cached(key: str, build) -> dict:
    document = cache.get(key)
    if document is None:
        document = build()
        cache.set(key, document, DOCUMENT_SECONDS)
    return document


def board_document(mall: Mall, zone: Zone | None, *, version: int | None = None) -> dict:
    """``display_snapshot`` of a zone (or the whole mall), built once per change of the mall."""
    version = mall_version(mall.pk) if version is None else version
    key = f"live:board:{mall.pk}:{zone.pk if zone else 0}:{version}"
    return _cached(key, lambda: {**_board_body(mall, zone, now=timezone.now()), "version": version})


def served_board(mall: Mall, zone: Zone | None) -> dict:
    """A zone's board as served now: the document of this change, with the time of the answer (boards
    order answers by it) and the mall's open state of this moment (hours and closures change without
    a ticket event)."""
    now = timezone.now()
    state = open_state(mall, now)
    return {
        **board_document(mall, zone),
        "now": now.isoformat(),
        "open": state.serving,
        "reason": state.reason,
        "notices": board_notices(mall),
    }


def board_notices(mall: Mall) -> list[str]:
    """The mall's own notices for its boards, one a line (blank lines dropped). Read with the mall on
    every served board, not cached with the calls: an edit shows at the board's next snapshot."""
    return [line.strip() for line in mall.board_notices.splitlines() if line.strip()]


def service_summary(service: Service, *, version: int | None = None, now: dt.datetime | None = None) -> dict:
    """What every phone following ``service`` needs, built once per change: the waiting tickets in call
    order (a phone's position is its index), the tickets at a counter, and the figures of the wait
    estimate (``wait_at`` turns a position into minutes, here and in ``ticket.js`` alike)."""
    version = mall_version(service.mall_id) if version is None else version
    key = f"live:service:{service.pk}:{version}"
    return _cached(key, lambda: {**_build_service_summary(service, now), "version": version})


def _build_service_summary(service: Service, now: dt.datetime | None) -> dict:
    now = now or timezone.now()
    mall = service.mall
    day = service_day(mall, now)
    rows = list(
        Ticket.objects.filter(
            service=service, day=day, status__in=[TicketStatus.WAITING, TicketStatus.CALLED, TicketStatus.SERVING]
        )
        .order_by("queued_at", "id")
        .values_list("id", "status", "priority_group", "counter__number")
    )
    waiting = [row for row in rows if row[1] == TicketStatus.WAITING]
    # The queue's own order (as ``position``): priority groups first, then first come.
    order = [row[0] for row in waiting if row[2]] + [row[0] for row in waiting if not row[2]]
    new = estimates.estimate_services(mall, [service], now=now)[service.pk]
    return {
        "kind": "service",
        "service": service.code,
        "now": now.isoformat(),
        "waiting": order,
        "at_counter": {str(row[0]): {"status": row[1], "counter": row[3]} for row in rows if row[1] != "waiting"},
        "estimate": _estimate_figures(new, len(order)),
    }


def _estimate_figures(new: estimates.Estimate, waiting: int) -> dict:
    """The estimate of a ticket joining now, as figures a position can be scaled by."""
    others = max(0.0, new.ahead - waiting)  # other services' tickets these counters take first
    staffed = max(new.staffed, 1)
    raw = (new.ahead - new.free + 0.5) * new.service_minutes / staffed
    # What estimates adds on top of the plain formula (priority arrivals, breaks), as a factor and minutes.
    factor = min(2.0, max(1.0, (new.minutes - new.pause_minutes) / raw)) if raw > 0 and new.minutes else 1.0
    return {
        "waiting": waiting,
        "others": round(others, 3),
        "free": new.free,
        "staffed": staffed,
        "service_minutes": round(new.service_minutes, 3),
        "factor": round(factor, 3),
        "pause_minutes": round(new.pause_minutes, 3),
    }


def wait_at(figures: dict, position: int) -> int:
    """Minutes until the ticket at ``position`` is called (``ticket.js`` has the same arithmetic).

    The estimate formula of ``estimates`` with the other services' share of the tickets ahead
    taken in proportion to the position.
    """
    waiting = figures["waiting"]
    ahead = position + (figures["others"] * position / waiting if waiting else 0.0)
    if ahead < figures["free"]:
        return 0
    wait = (ahead - figures["free"] + 0.5) * figures["service_minutes"] / figures["staffed"] * figures["factor"]
    return max(1, math.floor(wait + figures["pause_minutes"] + 0.5))


def ticket_from_summary(ticket: Ticket, summary: dict) -> dict:
    """``ticket_snapshot`` with the position and estimate read from the service's summary (no count, no estimate)."""
    data = ticket_snapshot(ticket, with_estimate=False, position_of=summary)
    if ticket.status == TicketStatus.WAITING:
        data["estimated_wait_minutes"] = wait_at(summary["estimate"], data["position"])
    return data
