"""Queue: issue tickets, call and serve them, follow them, show them.

Thin on purpose: parse, check the role and tenancy (``accounts.scoping``),
call ``queueing.tickets`` (the only writer) or ``queueing.snapshots`` (the
read side), answer. Issue and call-next are the busiest endpoints: they read
only what the answer needs (the mall comes with the counter or with its
opening hours, the service's code from the ticket already loaded).

The busy endpoints (issue, call-next, the counter's actions, transfer) answer
``ticket_out``'s dictionary rendered as ninja renders it, without ninja
validating it against ``TicketOut`` first: ``ticket_out`` builds exactly that
schema's fields with their types (``tests/test_api_hot_answers.py`` proves each
answer validates and renders the same), which stays the declared response.
"""

from __future__ import annotations

import datetime as dt
import json

from django.http import HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.responses import NinjaJSONEncoder

from satuatap.accounts.access import access_ticket, find_mall, find_zone, other_zone, require_own_mall
from satuatap.accounts.models import ApiToken, Role
from satuatap.accounts.scoping import scope
from satuatap.apiauth import (
    BAD_INPUT,
    PUBLIC_REFUSALS,
    Error,
    Header,
    ValidationErrorOut,
    bearer,
    officer_counter,
    optional_bearer,
    public_throttle,
    require_role,
)
from satuatap.directory import cached, stamp
from satuatap.directory.hours import mall_tz
from satuatap.directory.models import Counter, Mall, Service
from satuatap.instances import detached
from satuatap.queueing import idempotency, snapshots, tickets
from satuatap.queueing.models import Ticket, TicketSource
from satuatap.refusal import invalid, not_found

router = Router(tags=["Antrean"], auth=bearer)
JSON = "application/json; charset=utf-8"  # ninja's JSONRenderer: media type and charset

ISSUING_ROLES = (Role.KIOSK, Role.OFFICER, Role.SUPERVISOR, Role.MANAGER, Role.SYSTEM)
SOURCE_OF_ROLE = {Role.KIOSK: TicketSource.KIOSK, Role.SYSTEM: TicketSource.API}


class IssueIn(Schema):
    service: str = Field(min_length=1, max_length=40, description="Kode layanan, mis. DUKCAPIL-KTP")
    priority_group: str | None = Field(None, max_length=20, description="Salah satu kelompok prioritas mal, atau null")


class TransferIn(Schema):
    service: str = Field(min_length=1, max_length=40, description="Kode layanan tujuan")


class CallTicketIn(Schema):
    number: str = Field(min_length=1, max_length=12, description="Nomor antrean yang dipanggil, mis. A007")
    reason: str = Field(min_length=1, max_length=150, description="Alasan memanggil di luar urutan (dicatat)")


class TicketOut(Schema):
    id: int
    public_code: str
    number: str
    service: str
    status: str
    priority_group: str | None
    issued_at: dt.datetime
    called_at: dt.datetime | None
    counter: int | None
    position: int
    estimated_wait_minutes: int


class TicketStatusOut(TicketOut):
    mall: str
    service_name: str
    agency: str
    status_label: str
    counters: list[int]


class CallOut(Schema):
    event_id: int
    number: str
    counter: int | None
    service: str
    called_at: dt.datetime
    recall: bool


class DisplayOut(Schema):
    mall: str
    zone: str | None
    zone_name: str
    now: dt.datetime
    open: bool
    reason: str
    called: list[CallOut]
    waiting: dict[str, int]


# A client that lost an answer (503, network error) sends the same request again with the same key.
IDEMPOTENCY_KEY = Header(
    None,
    alias=idempotency.HEADER,
    description="Kunci unik per tindakan (8–80 karakter: huruf, angka, . _ : -). Permintaan ulang dengan kunci "
    "yang sama menjawab tiket dari permintaan pertama tanpa bertindak lagi (tanpa nomor baru, tanpa panggilan "
    "kedua). Kunci yang sama untuk tindakan lain: 422 idempotency_key_reused.",
)

REFUSALS = {**BAD_INPUT, 401: Error, 403: Error, 404: Error, 409: Error, 422: ValidationErrorOut}
PUBLIC = {"auth": optional_bearer, "throttle": public_throttle}


def _local(value, mall: Mall):
    """An aware datetime (or its ISO text) in the mall's own zone; None stays None."""
    if value is None:
        return None
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    return value.astimezone(mall_tz(mall))


def ticket_out(ticket: Ticket, mall: Mall, counter: Counter | None = None) -> dict:
    """The API's ticket; ``counter`` is the one the caller already holds (saves a query)."""
    estimate = snapshots.estimate_for(ticket)
    if ticket.counter_id is None:
        counter_number = None
    elif counter is not None and counter.pk == ticket.counter_id:
        counter_number = counter.number
    else:
        counter_number = ticket.counter.number
    return {
        "id": ticket.pk,
        "public_code": ticket.public_code,
        "number": ticket.number,
        "service": ticket.service.code,
        "status": ticket.status,
        "priority_group": ticket.priority_group or None,
        "issued_at": _local(ticket.issued_at, mall),
        "called_at": _local(ticket.called_at, mall),
        "counter": counter_number,
        "position": estimate.position,
        "estimated_wait_minutes": estimate.minutes,
    }


def answer(request, data: dict, status: int = 200) -> HttpResponse:
    """``data``, already in its declared response schema, as ninja's JSON renderer renders it."""
    return HttpResponse(json.dumps(data, cls=NinjaJSONEncoder), status=status, content_type=JSON)


# (who asks, mall slug, service code) -> the service they may issue for, or None; see directory.stamp.
_issuable = stamp.Cache("issuable services")


def _issuable_service(user, mall_slug: str, code: str) -> Service | None:
    """The service with its mall (and the mall's hours, for open_state) and agency, from the process's cache."""

    def load():
        services = Service.objects.active().filter(mall__slug=mall_slug, mall__archived_at__isnull=True, code=code)
        if user.role != Role.KIOSK:
            services = scope(user, services)
        return services.select_related("mall", "agency").prefetch_related("mall__hours").first()

    key = (user.pk, user.role, user.mall_id, user.agency_id, user.is_superuser, mall_slug, code)
    found = _issuable.get(key, load)
    return detached(found) if found is not None else None


def _check_group(mall: Mall, group: str) -> None:
    if group and group not in (mall.priority_groups or []):
        raise invalid("priority_group", _("Kelompok prioritas tidak dikenal."))


@router.post("/malls/{mall}/tickets", response={201: TicketOut, **REFUSALS}, summary="Ambil nomor antrean")
def issue(request, mall: str, payload: IssueIn, idempotency_key: str | None = IDEMPOTENCY_KEY):
    """A kiosk of the mall issues for any service; agency staff for their agency's services.
    A retry with the same ``Idempotency-Key`` answers the ticket issued the first time (201 again)."""
    user = require_role(request, *ISSUING_ROLES)
    key = idempotency.clean(idempotency_key)
    group = payload.priority_group or ""
    service = _issuable_service(user, mall, payload.service)
    if service is None:  # say why, in the order of the checks: mall, own mall, priority group, service
        mall = find_mall(mall)
        require_own_mall(user, mall)
        _check_group(mall, group)
        raise not_found("service_not_found", _("Layanan tidak ditemukan."))
    mall = service.mall
    require_own_mall(user, mall)
    _check_group(mall, group)
    source = SOURCE_OF_ROLE.get(user.role, TicketSource.OFFICER)
    ticket = tickets.issue_ticket(service, priority_group=group, source=source, actor=user, idempotency_key=key)
    return answer(request, ticket_out(ticket, mall), 201)


@router.get(
    "/tickets/{public_code}", response={200: TicketStatusOut, **PUBLIC_REFUSALS}, summary="Status tiket", **PUBLIC
)
def ticket_status(request, public_code: str):
    ticket = Ticket.objects.select_related("mall", "service__agency", "counter").filter(public_code=public_code).first()
    if ticket is None:
        raise not_found("ticket_not_found", _("Tiket tidak ditemukan."))
    data = snapshots.ticket_snapshot(ticket)
    data["mall"] = ticket.mall.slug
    data["issued_at"] = _local(ticket.issued_at, ticket.mall)
    data["called_at"] = _local(ticket.called_at, ticket.mall)
    return data


@router.post(
    "/malls/{mall}/counters/{number}/call-next",
    response={200: TicketOut, 204: None, **REFUSALS},
    summary="Panggil antrean berikutnya",
)
def call_next(request, mall: str, number: int, idempotency_key: str | None = IDEMPOTENCY_KEY):
    """200 with the called ticket, 204 when nobody waits. Only the officer signed in at the counter.
    A retry with the same ``Idempotency-Key`` answers the ticket called the first time (no second call)."""
    key = idempotency.clean(idempotency_key)
    user, counter = officer_counter(request, mall, number)
    ticket = tickets.call_next(counter, user, idempotency_key=key)
    if ticket is None:
        return Status(204, None)
    return answer(request, ticket_out(ticket, counter.mall, counter))


@router.post(
    "/malls/{mall}/counters/{number}/call",
    response={200: TicketOut, **REFUSALS},
    summary="Panggil nomor tertentu di luar urutan (dengan alasan)",
)
def call_ticket(request, mall: str, number: int, payload: CallTicketIn, idempotency_key: str | None = IDEMPOTENCY_KEY):
    """Call one waiting ticket out of order; the reason is recorded on the call. 404 when that number
    is not waiting in this counter's queues, 422 without a reason."""
    key = idempotency.clean(idempotency_key)
    user, counter = officer_counter(request, mall, number)
    ticket = tickets.call_ticket(counter, user, payload.number, reason=payload.reason, idempotency_key=key)
    return answer(request, ticket_out(ticket, counter.mall, counter))


def _held_ticket(request, mall_slug: str, ticket_id: int) -> tuple:
    """The officer and a ticket of their agency (another agency's is 404, not 403)."""
    user = require_role(request, Role.OFFICER)
    return user, access_ticket(user, Ticket.objects.all(), mall_slug, ticket_id)


def _acted(request, ticket: Ticket, before: Ticket) -> HttpResponse:
    return answer(request, ticket_out(ticket, before.mall, before.counter))


def _counter_action(request, mall_slug: str, ticket_id: int, name: str, raw_key: str | None) -> HttpResponse:
    """One statement when the ticket is at the caller's counter in a state the action allows (the usual case);
    else the lookups and checks of ``_held_ticket`` and ``tickets.<name>``, which refuse with the reason
    (or answer the earlier request with the same ``Idempotency-Key``)."""
    key = idempotency.clean(raw_key)
    user = require_role(request, Role.OFFICER)
    mall = cached.mall(mall_slug)
    if mall is not None and user.agency_id is not None and user.mall_id == mall.pk and not user.is_superuser:
        done = tickets.act_if_held(name, ticket_id, mall.pk, user, agency_id=user.agency_id, idempotency_key=key)
        if done is not None:
            return answer(request, ticket_out(done, mall, done.counter))
    user, ticket = _held_ticket(request, mall_slug, ticket_id)
    return _acted(request, getattr(tickets, COUNTER_ACTIONS[name])(ticket, user, idempotency_key=key), ticket)


COUNTER_ACTIONS = {"recall": "recall", "start": "start_service", "finish": "finish", "no_show": "no_show"}


@router.post("/malls/{mall}/tickets/{id}/recall", response={200: TicketOut, **REFUSALS}, summary="Panggil ulang")
def recall(request, mall: str, id: int, idempotency_key: str | None = IDEMPOTENCY_KEY):
    return _counter_action(request, mall, id, "recall", idempotency_key)


@router.post("/malls/{mall}/tickets/{id}/start", response={200: TicketOut, **REFUSALS}, summary="Mulai melayani")
def start(request, mall: str, id: int, idempotency_key: str | None = IDEMPOTENCY_KEY):
    return _counter_action(request, mall, id, "start", idempotency_key)


@router.post("/malls/{mall}/tickets/{id}/finish", response={200: TicketOut, **REFUSALS}, summary="Selesai")
def finish(request, mall: str, id: int, idempotency_key: str | None = IDEMPOTENCY_KEY):
    return _counter_action(request, mall, id, "finish", idempotency_key)


@router.post("/malls/{mall}/tickets/{id}/no-show", response={200: TicketOut, **REFUSALS}, summary="Tidak hadir")
def no_show(request, mall: str, id: int, idempotency_key: str | None = IDEMPOTENCY_KEY):
    return _counter_action(request, mall, id, "no_show", idempotency_key)


@router.post("/malls/{mall}/tickets/{id}/transfer", response={200: TicketOut, **REFUSALS}, summary="Alihkan")
def transfer(request, mall: str, id: int, payload: TransferIn, idempotency_key: str | None = IDEMPOTENCY_KEY):
    """Into another service's queue (any agency of the mall); the number stays with the citizen.
    A retry with the same ``Idempotency-Key`` answers the first transfer (within the officer's agency:
    a ticket sent to another agency's queue is that agency's, and its retry is a 404)."""
    key = idempotency.clean(idempotency_key)
    user, ticket = _held_ticket(request, mall, id)
    target = tickets.transfer_target(ticket.mall_id, payload.service)
    return _acted(request, tickets.transfer(ticket, user, target, idempotency_key=key), ticket)


@router.get(
    "/malls/{mall}/display",
    response={200: DisplayOut, 403: Error, **PUBLIC_REFUSALS},
    summary="Papan tampilan",
    **PUBLIC,
)
def display(request, mall: str, zone: str | None = None):
    """Public. A display board's token reads its own zone only (and defaults to it)."""
    mall = find_mall(mall, with_hours=True)
    token = request.auth
    if isinstance(token, ApiToken) and token.user.role == Role.DISPLAY:
        require_own_mall(token.user, mall)
        if token.zone_id is not None:
            if zone is None:
                zone = token.zone.code
            elif zone != token.zone.code:
                raise other_zone()
    zone_obj = find_zone(mall, zone)
    snap = snapshots.display_snapshot(mall, zone_obj)
    snap["now"] = _local(snap["now"], mall)
    for call in snap["called"]:
        call["called_at"] = _local(call["called_at"], mall)
    return snap
