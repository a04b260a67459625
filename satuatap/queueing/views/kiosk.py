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
from satuatap.queueing import estimates, idempotency, kiosk_menu, quota, snapshots, tickets
from satuatap.queueing.models import Ticket, TicketSource
from satuatap.queueing.where import where_to_go
from satuatap.refusal import Refused

PRIORITY_LABELS = {
    "lansia": gettext_lazy("Lansia (60+)"),
    "disabilitas": gettext_lazy("Penyandang disabilitas"),
    "ibu_hamil": gettext_lazy("Ibu hamil"),
    "anak": gettext_lazy("Anak"),
}
# The on-screen keyboard of the search screen (the kiosk has no physical one).
KEYBOARD_ROWS = ["1234567890", "QWERTYUIOP", "ASDFGHJKL", "ZXCVBNM"]
# The printed ticket goes back to the start screen after this many seconds.
KIOSK_RETURN_SECONDS = 20


def priority_label(code: str) -> str:
    return str(PRIORITY_LABELS.get(code, code.replace("_", " ").capitalize()))


def _services_with_state(mall: Mall, services):
    return [(service, quota.open_state(mall, service=service)) for service in services]


def _tile(agency: Agency, states: list) -> dict:
    issuing = [s for s in states if s.issuing]
    return {
        "agency": agency,
        "open": bool(issuing),
        "services_open": len(issuing),
        "services_total": len(states),
        "reason": "" if issuing else states[0].reason,
    }


def _priority_groups(mall: Mall) -> list[tuple[str, str]]:
    return [(code, priority_label(code)) for code in (mall.priority_groups or [])]


@kiosk_page
def kiosk_home(request, mall: Mall):
    """Categories (zones) first, the most used services as big buttons, the zone's agencies in pages."""
    services = Service.objects.active().filter(mall=mall).select_related("agency")
    state_of, by_agency = {}, {}
    for service, state in _services_with_state(mall, services):
        state_of[service.pk] = state
        by_agency.setdefault(service.agency_id, []).append(state)
    zones = kiosk_menu.zones_with_agencies(mall)
    zone = next((z for z in zones if z.code == request.GET.get("zone")), zones[0] if zones else None)
    agencies = kiosk_menu.agencies_in(mall, zone, by_agency.keys())
    page = kiosk_menu.page_of(
        [_tile(a, by_agency[a.pk]) for a in agencies],
        kiosk_menu.page_number(request.GET.get("page")),
        kiosk_menu.AGENCIES_PER_PAGE,
    )
    popular = [(s, state_of[s.pk]) for s in kiosk_menu.popular_services(mall) if s.pk in state_of]
    return render(
        request,
        "queueing/kiosk.html",
        {
            "mall": mall,
            "zones": zones,
            "zone": zone,
            "page": page,
            "popular": popular,
            "priority_groups": _priority_groups(mall),
            "mall_state": open_state(mall),
            "issue_key": idempotency.new_key(),  # one per screen: a retried tap gets the same ticket
        },
    )


@kiosk_page
def kiosk_agency(request, mall: Mall, agency_code):
    agency = get_object_or_404(Agency.objects.active().select_related("zone"), mall=mall, code=agency_code)
    services = list(Service.objects.active().filter(agency=agency).prefetch_related("counters"))
    # ?service=CODE (from search or a popular button) opens the page that holds it, marked.
    chosen = request.GET.get("service", "")
    position = next((i for i, s in enumerate(services) if s.code == chosen), None)
    number = (
        position // kiosk_menu.SERVICES_PER_PAGE + 1
        if position is not None
        else kiosk_menu.page_number(request.GET.get("page"))
    )
    page = kiosk_menu.page_of(services, number, kiosk_menu.SERVICES_PER_PAGE)
    # A regular ticket's wait per service on this page, all at once (a fixed number of queries).
    waits = estimates.estimate_services(mall, page.items)
    rows = [
        {
            "service": service,
            "state": state,
            "estimate": waits[service.pk],
            "chosen": service.code == chosen,
        }
        for service, state in _services_with_state(mall, page.items)
    ]
    return render(
        request,
        "queueing/kiosk_agency.html",
        {
            "mall": mall,
            "agency": agency,
            "rows": rows,
            "page": page,
            "priority_groups": _priority_groups(mall),
            "issue_key": idempotency.new_key(),  # one per screen: a retried tap gets the same ticket
        },
    )


@kiosk_page
def kiosk_search(request, mall: Mall):
    """Type part of a name on the on-screen keyboard; each hit opens its agency's page at the service."""
    query = request.GET.get("q", "").strip()[:60]
    results = kiosk_menu.search_services(mall, query) if query else []
    return render(
        request,
        "queueing/kiosk_search.html",
        {"mall": mall, "query": query, "results": results, "keyboard": KEYBOARD_ROWS},
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
            idempotency_key=idempotency.clean(request.POST.get("idempotency_key")),
        )
    except Refused as err:
        messages.error(request, err.message)
        return redirect("kiosk_agency", mall.slug, service.agency.code)
    return redirect("kiosk_ticket", mall.slug, ticket.public_code)


@kiosk_page
def kiosk_ticket(request, mall: Mall, public_code):
    ticket = get_object_or_404(
        Ticket.objects.select_related("service__agency__zone__building", "counter"), mall=mall, public_code=public_code
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
            "where": where_to_go(ticket.service.agency, snapshot["counters"]),
            "printed_wait": printed_wait,
            "priority_label": priority_label(ticket.priority_group) if ticket.priority_group else "",
            "issued_at": issued_local.strftime("%d-%m-%Y %H:%M"),
            "tz_label": mall.get_timezone_display(),
            "status_url": status_url,
            "qr_svg": qr_svg(status_url),
            "return_seconds": KIOSK_RETURN_SECONDS,
        },
    )
