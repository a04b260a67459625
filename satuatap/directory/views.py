"""Public pages of a mall: what it offers, where, when, and each service's published standard."""

from __future__ import annotations

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from satuatap.accounts.access import find_mall, public_mall_page
from satuatap.booking import policies
from satuatap.directory.hours import describe_hours, open_state, service_day
from satuatap.directory.models import Agency, Closure, Counter, Mall, OpeningHours, Service, Zone
from satuatap.queueing.snapshots import waiting_counts

FREE = gettext_noop("Gratis / Rp 0")
_FREE_SPELLINGS = {"", "0", "rp 0", "rp0", "rp 0,-", "gratis", "gratis / rp 0", "gratis/rp 0"}


def published_fee(fee: str) -> str:
    """A free service says so explicitly (PermenPANRB 15/2014): "Gratis / Rp 0"."""
    return _(FREE) if (fee or "").strip().lower() in _FREE_SPELLINGS else fee


def _lines(text: str) -> list[str]:
    return [line.strip(" -•\t") for line in (text or "").splitlines() if line.strip(" -•\t")]


def _week(mall: Mall) -> list[tuple[str, str]]:
    hours = {h.weekday: h for h in mall.hours.all()}
    return [(label, describe_hours(hours.get(day))) for day, label in OpeningHours.Weekday.choices]


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
                        own = open_state(mall, service=service, check_quota=False)
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
            "week": _week(mall),
            # "Pesan kunjungan" only when something can be booked (one query; see booking.policies).
            "offers_booking": policies.offers_booking(mall),
        },
    )


def standard_of(mall_slug: str, code: str) -> dict:
    """A live service of a live agency, its six published components and the counters serving it (or 404)."""
    mall = find_mall(mall_slug, with_hours=True)
    service = get_object_or_404(
        Service.objects.active().select_related("agency__zone__building"),
        mall=mall,
        code=code,
        agency__archived_at__isnull=True,
    )
    counters = Counter.objects.active().filter(services=service).select_related("building").order_by("number")
    components = [
        (_("Persyaratan"), _lines(service.requirements), True),
        (_("Sistem, mekanisme dan prosedur"), _lines(service.procedure), True),
        (_("Jangka waktu penyelesaian"), [service.duration or _("Belum dicantumkan")], False),
        (_("Biaya/tarif"), [published_fee(service.fee)], False),
        (_("Produk pelayanan"), [service.product or _("Belum dicantumkan")], False),
        (_("Penanganan pengaduan, saran dan masukan"), _lines(service.complaint_channel.replace("; ", "\n")), True),
    ]
    return {"mall": mall, "service": service, "components": components, "counters": counters}


def service_standard(request, mall: str, code: str):
    context = standard_of(mall, code)
    mall, service = context["mall"], context["service"]
    context["state"] = open_state(mall, service=service)
    context["waiting"] = waiting_counts(mall, service_day(mall), [service]).get(service.code, 0)
    return render(request, "directory/service_standard.html", context)
