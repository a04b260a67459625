"""The kiosk in the hall: pick an agency, pick a service, take (and print) a number."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from satuatap.accounts.access import kiosk_page
from satuatap.directory.hours import local_now, open_state
from satuatap.directory.models import Agency, Mall, Service
from satuatap.qr import qr_svg
from satuatap.queueing import estimates, quota, snapshots, tickets
from satuatap.queueing.models import Ticket, TicketSource
from satuatap.refusal import Refused

PRIORITY_LABELS = {
    "lansia": gettext_lazy("Lansia (60+)"),
    "disabilitas": gettext_lazy("Penyandang disabilitas"),
    "ibu_hamil": gettext_lazy("Ibu hamil"),
    "anak": gettext_lazy("Anak"),
}
# The printed ticket goes back to the start screen after this many seconds.
KIOSK_RETURN_SECONDS = 20


def priority_label(code: str) -> str:
    return str(PRIORITY_LABELS.get(code, code.replace("_", " ").capitalize()))


def _services_with_state(mall: Mall, services):
    return [(service, quota.open_state(mall, service=service)) for service in services]


@kiosk_page
def kiosk_home(request, mall: Mall):
    services = Service.objects.active().filter(mall=mall).select_related("agency")
    by_agency: dict[int, list] = {}
    for service, state in _services_with_state(mall, services):
        by_agency.setdefault(service.agency_id, []).append(state)
    agencies = Agency.objects.active().filter(mall=mall, pk__in=by_agency.keys()).select_related("zone")
    tiles = []
    for agency in agencies:
        states = by_agency[agency.pk]
        issuing = [s for s in states if s.issuing]
        tiles.append(
            {
                "agency": agency,
                "open": bool(issuing),
                "services_open": len(issuing),
                "services_total": len(states),
                "reason": "" if issuing else states[0].reason,
            }
        )
    mall_state = open_state(mall)
    return render(request, "queueing/kiosk.html", {"mall": mall, "tiles": tiles, "mall_state": mall_state})


@kiosk_page
def kiosk_agency(request, mall: Mall, agency_code):
    agency = get_object_or_404(Agency.objects.active().select_related("zone"), mall=mall, code=agency_code)
    services = list(Service.objects.active().filter(agency=agency).prefetch_related("counters"))
    # A regular ticket's wait per service, for all of them at once (a fixed number of queries).
    waits = estimates.estimate_services(mall, services)
    rows = [
        {
            "service": service,
            "state": state,
            "counters": [c.number for c in service.counters.all() if not c.archived_at],
            "estimate": waits[service.pk],
        }
        for service, state in _services_with_state(mall, services)
    ]
    groups = [(code, priority_label(code)) for code in (mall.priority_groups or [])]
    return render(
        request,
        "queueing/kiosk_agency.html",
        {"mall": mall, "agency": agency, "rows": rows, "priority_groups": groups},
    )


@require_POST
@kiosk_page
def kiosk_issue(request, mall: Mall):
    code = request.POST.get("service", "").strip()
    service = Service.objects.active().filter(mall=mall, code=code).select_related("agency").first()
    if service is None:
        messages.error(request, _("Layanan tidak ditemukan. Silakan pilih lagi."))
        return redirect("kiosk", mall.slug)
    service.mall = mall  # the kiosk's mall, hours prefetched: issue_ticket's open_state and estimate share them
    try:
        ticket = tickets.issue_ticket(
            service,
            priority_group=request.POST.get("priority_group", "").strip(),
            source=TicketSource.KIOSK,
            actor=request.user,
        )
    except Refused as err:
        messages.error(request, err.message)
        return redirect("kiosk_agency", mall.slug, service.agency.code)
    return redirect("kiosk_ticket", mall.slug, ticket.public_code)


@kiosk_page
def kiosk_ticket(request, mall: Mall, public_code):
    ticket = get_object_or_404(
        Ticket.objects.select_related("service__agency", "counter"), mall=mall, public_code=public_code
    )
    # The paper shows the wait stamped at issue: the one the estimate report measures (a live one only
    # for a ticket issued before waits were stamped).
    printed_wait = ticket.predicted_wait_minutes
    snapshot = snapshots.ticket_snapshot(ticket, with_estimate=printed_wait is None)
    if printed_wait is None:
        printed_wait = snapshot["estimated_wait_minutes"]
    status_url = request.build_absolute_uri(reverse("ticket_status", args=[ticket.public_code]))
    issued_local = local_now(mall, ticket.issued_at)
    return render(
        request,
        "queueing/kiosk_ticket.html",
        {
            "mall": mall,
            "ticket": ticket,
            "snapshot": snapshot,
            "printed_wait": printed_wait,
            "priority_label": priority_label(ticket.priority_group) if ticket.priority_group else "",
            "issued_at": issued_local.strftime("%d-%m-%Y %H:%M"),
            "tz_label": mall.get_timezone_display(),
            "status_url": status_url,
            "qr_svg": qr_svg(status_url),
            "return_seconds": KIOSK_RETURN_SECONDS,
        },
    )
