"""Cases in the API (the contract's "Cases (back office)"): open, list, read, act, and public tracking."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from satuatap.accounts.access import CASE_STAFF_ROLES, access_case, access_mall, access_service, access_ticket
from satuatap.accounts.models import Role, User
from satuatap.accounts.scoping import scope
from satuatap.apiauth import (
    BAD_INPUT,
    PUBLIC_REFUSALS,
    Error,
    ValidationErrorOut,
    bearer,
    caller,
    optional_bearer,
    public_throttle,
)
from satuatap.cases import services, sla, tracking
from satuatap.cases.models import NOTE_MAX, Case
from satuatap.directory.hours import service_day
from satuatap.queueing.models import Ticket
from satuatap.refusal import invalid, not_found

router = Router(tags=["Berkas permohonan"])
STAFF_REFUSALS = {**BAD_INPUT, 401: Error, 403: Error, 404: Error, 409: Error, 422: ValidationErrorOut}
LIST_LIMIT = 500


class CaseIn(Schema):
    service: str = Field(..., max_length=40, description="Kode layanan")
    ticket: int | None = Field(None, ge=1, le=2**62, description="Tiket yang sedang dilayani (boleh kosong)")
    nik: str = Field(..., max_length=32)
    name: str = Field(..., max_length=services.NAME_MAX)
    phone: str | None = Field(None, max_length=32, description="Nomor HP untuk kabar berkas (boleh kosong)")
    missing_requirements: list[str] = Field(default_factory=list, max_length=50)


class CaseSummaryOut(Schema):
    registration_number: str
    service: str
    status: str
    due_date: dt.date
    overdue: bool
    assigned_to: str | None


class StepOut(Schema):
    kind: str
    action: str
    from_status: str
    status: str
    at: dt.datetime
    by: str | None
    note: str


class ActionOut(Schema):
    action: str
    label: str
    to_status: str
    note_required: bool


class RequirementOut(Schema):
    label: str
    present: bool


class CaseOut(CaseSummaryOut):
    status_label: str
    received_on: dt.date
    state_due: dt.date | None
    fee: str
    paid: bool
    receipt_number: str
    ticket: int | None
    citizen_name: str = Field(description="Nama pemohon, disamarkan")
    citizen_nik: str = Field(description="NIK pemohon, disamarkan")
    requirements: list[RequirementOut]
    history: list[StepOut]
    actions: list[ActionOut]


class ActIn(Schema):
    action: str = Field(..., max_length=30, description="Kode tindakan, atau `assign` untuk menugaskan")
    note: str | None = Field(None, max_length=NOTE_MAX)
    assign_to: str | None = Field(None, max_length=150, description="Nama pengguna petugas (untuk `assign`)")


class ListQuery(Schema):
    status: str | None = Field(None, max_length=30)
    overdue: bool | None = None
    assigned: str | None = Field(None, pattern="^(me|none)$", description="`me` milik saya, `none` belum ditugaskan")


class SlaRowOut(Schema):
    service: str
    service_name: str
    finished: int
    on_time: int
    late: int
    on_time_share: float | None = Field(description="Persentase selesai tepat waktu, satu desimal")
    open: int
    overdue: int


class PublicStepOut(Schema):
    status: str
    label: str
    at: dt.datetime


class TrackOut(Schema):
    registration_number: str
    service: str
    status: str
    status_label: str
    due_date: dt.date
    next_step: str
    missing_requirements: list[str]
    history: list[PublicStepOut]


class TrackQuery(Schema):
    nik_last4: str = Field(..., max_length=4, description="4 angka terakhir NIK pemohon")


def _who(user) -> str | None:
    return (user.get_full_name() or user.username) if user else None


def _summary(case: Case, today) -> dict:
    return {
        "registration_number": case.registration_number,
        "service": case.service.code,
        "status": case.state.code,
        "due_date": case.due_date,
        "overdue": services.is_overdue(case, today),
        "assigned_to": case.assignee.username if case.assignee else None,
    }


def _full(user, case: Case) -> dict:
    case = Case.objects.select_related("mall", "service", "state", "assignee").get(pk=case.pk)
    history = [
        {
            "kind": e.kind,
            "action": e.action,
            "from_status": e.from_code,
            "status": e.to_code,
            "at": e.at,
            "by": _who(e.actor),
            "note": e.note,
        }
        for e in case.events.select_related("actor")
    ]
    actions = [
        {"action": a.code, "label": a.label, "to_status": a.to_state.code, "note_required": a.note_required}
        for a in services.allowed_actions(user, case)
    ]
    return {
        **_summary(case, service_day(case.mall)),
        "status_label": case.state.label,
        "received_on": case.received_on,
        "state_due": case.state_due,
        "fee": case.fee,
        "paid": case.paid,
        "receipt_number": case.receipt_number,
        "ticket": case.ticket_id,
        "citizen_name": case.name_masked,
        "citizen_nik": case.nik_masked,
        "requirements": [{"label": r.label, "present": r.present} for r in case.requirements.all()],
        "history": history,
        "actions": actions,
    }


@router.post(
    "/malls/{mall}/cases",
    response={201: CaseSummaryOut, **STAFF_REFUSALS},
    summary="Buka berkas permohonan",
    auth=bearer,
)
def open_case(request, mall: str, payload: CaseIn):
    user = caller(request)
    mall_obj = access_mall(user, mall, Role.OFFICER, Role.SUPERVISOR)
    service = access_service(user, mall_obj, payload.service)
    ticket = access_ticket(user, Ticket.objects.all(), mall, payload.ticket) if payload.ticket else None
    case = services.open_case(
        user,
        service,
        nik=payload.nik,
        name=payload.name,
        phone=payload.phone or "",
        ticket=ticket,
        missing=payload.missing_requirements,
    )
    return Status(201, _summary(case, case.received_on))


@router.get(
    "/malls/{mall}/cases",
    response={200: list[CaseSummaryOut], **STAFF_REFUSALS},
    summary="Daftar berkas instansi",
    auth=bearer,
)
def list_cases(request, mall: str, filters: Query[ListQuery]):
    user = caller(request)
    mall_obj = access_mall(user, mall, *CASE_STAFF_ROLES)
    today = service_day(mall_obj)
    rows = scope(user, Case.objects.filter(mall=mall_obj)).select_related("service", "state", "assignee")
    if filters.status:
        rows = rows.filter(state__code=filters.status)
    else:
        rows = rows.filter(closed_on__isnull=True)
    if filters.overdue is not None:
        late = {"due_date__lt": today, "paused_on__isnull": True, "closed_on__isnull": True}
        rows = rows.filter(**late) if filters.overdue else rows.exclude(**late)
    if filters.assigned == "me":
        rows = rows.filter(assignee=user)
    elif filters.assigned == "none":
        rows = rows.filter(assignee__isnull=True)
    return [_summary(c, today) for c in rows.order_by("due_date", "pk")[:LIST_LIMIT]]


@router.get(
    "/malls/{mall}/cases/{registration_number}",
    response={200: CaseOut, **STAFF_REFUSALS},
    summary="Satu berkas dengan riwayat dan tindakan yang boleh",
    auth=bearer,
)
def read_case(request, mall: str, registration_number: str):
    user, case = _staff_case(request, mall, registration_number)
    return _full(user, case)


def _staff_case(request, mall: str, registration_number: str) -> tuple:
    """The caller and the case, refused as the access layer says (another agency's case: 404)."""
    user = caller(request)
    access_mall(user, mall, *CASE_STAFF_ROLES)
    return user, access_case(user, Case.objects.all(), mall, registration_number)


@router.post(
    "/malls/{mall}/cases/{registration_number}/actions",
    response={200: CaseOut, **STAFF_REFUSALS},
    summary="Lakukan tindakan pada berkas",
    description="`action`: kode tindakan alur kerja (lihat `actions` pada berkas), atau `assign` dengan `assign_to`.",
    auth=bearer,
)
def act_on_case(request, mall: str, registration_number: str, payload: ActIn):
    user, case = _staff_case(request, mall, registration_number)
    if payload.action == "assign":
        officer = None
        if payload.assign_to:
            officer = User.objects.filter(username=payload.assign_to).first()
            if officer is None:
                raise invalid("assign_to", _("Petugas tidak ditemukan di instansi ini."))
        services.assign(user, case, officer)
    else:
        services.act(user, case, payload.action, note=payload.note or "")
    return _full(user, case)


@router.get(
    "/malls/{mall}/sla/cases",
    response={200: list[SlaRowOut], **STAFF_REFUSALS},
    summary="Ketepatan waktu berkas per layanan",
    description="Waktu berkas dikembalikan ke pemohon tidak dihitung. Supervisor: instansinya; pengelola: seluruh mal.",
    auth=bearer,
)
def case_sla(request, mall: str):
    user = caller(request)
    mall_obj = access_mall(user, mall, Role.SUPERVISOR, Role.MANAGER)
    return sla.per_service(user, mall_obj, service_day(mall_obj))


@router.get(
    "/cases/{registration_number}",
    response={200: TrackOut, 422: ValidationErrorOut, **PUBLIC_REFUSALS},
    summary="Lacak berkas (publik)",
    description="Nomor registrasi dan 4 angka terakhir NIK; yang salah dijawab sama dengan nomor yang tidak ada.",
    auth=optional_bearer,
    throttle=public_throttle,
)
def track_case(request, registration_number: str, query: Query[TrackQuery]):
    case = tracking.find(registration_number, query.nik_last4)
    if case is None:
        raise not_found("case_not_found", _("Berkas tidak ditemukan."))
    view = tracking.public_view(case)
    return {key: view[key] for key in TrackOut.model_fields}
