"""Directory (public): malls, agencies, services, zones, counters.

Read-only and public, so every endpoint carries the public rate limit.
Archived master data is not listed.
"""

from __future__ import annotations

from django.db.models import Prefetch
from django.utils import timezone
from ninja import Router, Schema

from satuatap.accounts.access import find_mall
from satuatap.apiauth import PUBLIC_REFUSALS, optional_bearer, public_throttle
from satuatap.directory.hours import open_state
from satuatap.directory.models import Agency, Closure, Counter, Mall, Service, Zone

router = Router(tags=["Direktori"], auth=optional_bearer, throttle=public_throttle)

# OpenAPI operation ids as they were before the move from ``satuatap.directory.api``: clients generated from the
# document name their methods after them.
_OPERATION_ID = "satuatap_directory_api_{}"


class MallOut(Schema):
    slug: str
    name: str
    city: str
    timezone: str


class AgencyOut(Schema):
    code: str
    name: str


class ServiceOut(Schema):
    code: str
    name: str
    agency: str
    kind: str
    requirements: str
    procedure: str
    duration: str
    fee: str
    product: str
    complaint_channel: str
    bookable: bool
    # The standard's completion time in working days; None when the service ends at the counter.
    completion_working_days: int | None = None


class ZoneOut(Schema):
    code: str
    name: str
    building: str
    agencies: list[str]


class CounterOut(Schema):
    number: int
    building: str
    zone: str
    agency: str
    services: list[str]
    open: bool
    reason: str


@router.get(
    "/malls",
    response={200: list[MallOut], **PUBLIC_REFUSALS},
    summary="Daftar mal",
    operation_id=_OPERATION_ID.format("list_malls"),
)
def list_malls(request):
    # In the order they were added: the installation's first mall (the demo's Pekanbaru) stays first.
    return list(Mall.objects.active().order_by("pk"))


@router.get(
    "/malls/{mall}/agencies",
    response={200: list[AgencyOut], **PUBLIC_REFUSALS},
    summary="Instansi di mal",
    operation_id=_OPERATION_ID.format("list_agencies"),
)
def list_agencies(request, mall: str):
    mall = find_mall(mall)
    return list(Agency.objects.active().filter(mall=mall).order_by("name").values("code", "name"))


@router.get(
    "/malls/{mall}/services",
    response={200: list[ServiceOut], **PUBLIC_REFUSALS},
    summary="Layanan dan standarnya",
    operation_id=_OPERATION_ID.format("list_services"),
)
def list_services(request, mall: str):
    mall = find_mall(mall)
    services = Service.objects.active().filter(mall=mall).select_related("agency").order_by("agency__name", "name")
    return [
        {
            "code": s.code,
            "name": s.name,
            "agency": s.agency.code,
            "kind": s.kind,
            "requirements": s.requirements,
            "procedure": s.procedure,
            "duration": s.duration,
            "fee": s.fee,
            "product": s.product,
            "complaint_channel": s.complaint_channel,
            "bookable": s.bookable,
            "completion_working_days": s.completion_working_days,
        }
        for s in services
    ]


@router.get(
    "/malls/{mall}/zones",
    response={200: list[ZoneOut], **PUBLIC_REFUSALS},
    summary="Zona (papan tampilan)",
    operation_id=_OPERATION_ID.format("list_zones"),
)
def list_zones(request, mall: str):
    mall = find_mall(mall)
    agencies = Prefetch("agencies", queryset=Agency.objects.active().order_by("code"))
    zones = Zone.objects.active().filter(mall=mall).select_related("building").prefetch_related(agencies)
    return [
        {"code": z.code, "name": z.name, "building": z.building.code, "agencies": [a.code for a in z.agencies.all()]}
        for z in zones
    ]


@router.get(
    "/malls/{mall}/counters",
    response={200: list[CounterOut], **PUBLIC_REFUSALS},
    summary="Loket dan status buka",
    operation_id=_OPERATION_ID.format("list_counters"),
)
def list_counters(request, mall: str):
    mall = find_mall(mall, with_hours=True)
    now = timezone.now()
    services = Prefetch("services", queryset=Service.objects.active().order_by("code"))
    counters = (
        Counter.objects.active()
        .filter(mall=mall)
        .select_related("building", "agency__zone")
        .prefetch_related(services)
        .order_by("number")
    )
    # A counter without a closure of its own is exactly as open as the mall:
    # ask open_state once for the mall, and once more per counter that has one.
    mall_state = open_state(mall, now)
    with_closures = set(
        Closure.objects.filter(mall=mall, counter__isnull=False, lifted_at__isnull=True).values_list(
            "counter_id", flat=True
        )
    )
    rows = []
    for c in counters:
        state = open_state(mall, now, counter=c) if c.pk in with_closures else mall_state
        rows.append(
            {
                "number": c.number,
                "building": c.building.code,
                "zone": c.agency.zone.code,
                "agency": c.agency.code,
                "services": [s.code for s in c.services.all()],
                "open": state.serving,
                "reason": state.reason,
            }
        )
    return rows
