"""The citizen's own ticket page: public, phone first, live.

The public code printed as a QR on the ticket is unguessable, so holding it
is the permission to see (and cancel) that one ticket.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from satuatap import ratelimit
from satuatap.queueing import snapshots, tickets
from satuatap.queueing.models import Ticket, TicketStatus
from satuatap.queueing.where import finished_note, where_to_go
from satuatap.refusal import Refused


def _ticket(public_code: str) -> Ticket | None:
    return (
        Ticket.objects.select_related("mall", "service__agency__zone__building", "counter")
        .filter(public_code=public_code)
        .first()
    )


def ticket_texts(snapshot: dict) -> dict:
    """What the page shows for a snapshot; the same words on first render and on live updates."""
    status = snapshot["status"]
    waiting = status == TicketStatus.WAITING
    counter_text = ""
    if status == TicketStatus.CALLED and snapshot["counter"]:
        counter_text = _("Silakan ke loket %(counter)s") % {"counter": snapshot["counter"]}
    elif status == TicketStatus.SERVING and snapshot["counter"]:
        counter_text = _("Sedang dilayani di loket %(counter)s") % {"counter": snapshot["counter"]}
    return {
        "status_label": snapshot["status_label"],
        "position": str(snapshot["position"]) if waiting else "—",
        "estimate": (_("± %(minutes)s menit") % {"minutes": snapshot["estimated_wait_minutes"]}) if waiting else "—",
        "counter": counter_text,
        "can_cancel": waiting,
    }


def _not_found(request):
    return render(request, "queueing/ticket_not_found.html", status=404)


def _limited(request, public_code: str, ticket: Ticket | None) -> bool:
    """A known code is limited per ticket (one phone follows one ticket, however many share the hall's
    NAT address); an unknown one per client address, which is what stops guessing."""
    if ticket is None:
        return ratelimit.public_page_limited(request, "ticket")
    return not ratelimit.hit("ticket-code", public_code, limit=settings.PUBLIC_RATE_LIMIT)


def _live_snapshot(ticket: Ticket) -> dict:
    """The ticket's snapshot with its position and wait read from its service's summary (shared by every phone)."""
    return snapshots.ticket_from_summary(ticket, snapshots.service_summary(ticket.service))


def ticket_status(request, public_code):
    ticket = _ticket(public_code)
    if _limited(request, public_code, ticket):
        return ratelimit.too_many_response()
    if ticket is None:
        return _not_found(request)
    snapshot = _live_snapshot(ticket)
    return render(
        request,
        "queueing/ticket.html",
        {
            "ticket": ticket,
            "mall": ticket.mall,
            "snapshot": snapshot,
            "texts": ticket_texts(snapshot),
            "where": where_to_go(ticket.service.agency, snapshot["counters"]),
            "finished_note": finished_note(ticket.status),
            "snapshot_url": reverse("ticket_snapshot", args=[ticket.public_code]),
            # The page words a wait it works out itself from a pushed summary (ticket.js) like the server does.
            "estimate_template": _("± %(minutes)s menit") % {"minutes": "{minutes}"},
        },
    )


def ticket_snapshot_json(request, public_code):
    ticket = _ticket(public_code)
    if _limited(request, public_code, ticket):
        return ratelimit.too_many_response()
    if ticket is None:
        return JsonResponse({"detail": _("Tiket tidak ditemukan."), "code": "not_found"}, status=404)
    data = _live_snapshot(ticket)
    data["mall"] = ticket.mall.slug
    data["texts"] = {**ticket_texts(data), "finished": finished_note(data["status"])}
    # Where to go follows the ticket: a transfer to another agency's service moves it to another zone.
    data["where"] = where_to_go(ticket.service.agency, data["counters"])
    return JsonResponse(data)


@require_POST
@ratelimit.limit_public_page("ticket")
def ticket_cancel(request, public_code):
    ticket = _ticket(public_code)
    if ticket is None:
        return _not_found(request)
    try:
        tickets.cancel(ticket, reason="citizen")
    except Refused as err:
        messages.error(request, err.message)
    else:
        messages.success(request, _("Tiket %(number)s sudah dibatalkan.") % {"number": ticket.number})
    return redirect("ticket_status", ticket.public_code)
