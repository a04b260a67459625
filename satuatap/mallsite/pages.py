"""Public pages of a mall: what it offers, where, when, and each service's published standard.

They show the directory with the queue's waiting counts and the booking offer, so they sit
above queueing and booking (see docs/architecture.md); the directory's own reads are
``directory/views.py``, the templates stay in ``directory/templates/directory/``.
"""

from __future__ import annotations

from django.db.models import Prefetch
from django.shortcuts import render

from satuatap.accounts.access import find_mall, public_mall_page
from satuatap.booking import policies
from satuatap.directory.hours import open_state, service_day
from satuatap.directory.models import Agency, Closure, Mall, Service, Zone
from satuatap.directory.views import published_fee, standard_of, week
from satuatap.queueing import quota
from satuatap.queueing.snapshots import waiting_counts


@public_mall_page()
def mall_home(request, mall: Mall):
    state = open_state(mall)
    services = Service.objects.active().order_by("name")
    agencies = (
        Agency.objects.active()
        .filter(mall=mall)
        .order_by("name")
        .prefetch_related(Prefetch("services", queryset=services, to_attr="live_services"))
    )
    zones = list(
        Zone.objects.active()
        .filter(mall=mall)
        .select_related("building")
        .prefetch_related(Prefetch("agencies", queryset=agencies, to_attr="live_agencies"))
    )
    # open_state is the one answer; it only differs from the mall's for services under a closure.
    paused = {}
    if state.serving:
        closed_ids = set(
            Closure.objects.filter(mall=mall, lifted_at__isnull=True, service__isnull=False).values_list(
                "service_id", flat=True
            )
        )
        for zone in zones:
            for agency in zone.live_agencies:
                for service in agency.live_services:
                    if service.pk in closed_ids:
                        own = open_state(mall, service=service)
                        if not own.serving:
                            paused[service.pk] = own.reason
    for zone in zones:
        for agency in zone.live_agencies:
            for service in agency.live_services:
                service.paused_reason = paused.get(service.pk, "")
                service.published_fee = published_fee(service.fee)
    return render(
        request,
        "directory/mall_home.html",
        {
            "mall": mall,
            "state": state,
            "zones": zones,
            "week": week(mall),
            # "Pesan kunjungan" only when something can be booked (one query; see booking.policies).
            "offers_booking": policies.offers_booking(mall),
        },
    )


def service_standard(request, mall: str, code: str):
    context = standard_of(find_mall(mall, with_hours=True), code)
    mall, service = context["mall"], context["service"]
    context["state"] = quota.open_state(mall, service=service)
    context["waiting"] = waiting_counts(mall, service_day(mall), [service]).get(service.code, 0)
    return render(request, "directory/service_standard.html", context)
