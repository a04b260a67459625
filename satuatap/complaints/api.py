"""Complaints in the API: filing one and following it by its tracking code (both public)."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from satuatap import ratelimit
from satuatap.accounts.access import find_mall
from satuatap.apiauth import PUBLIC_REFUSALS, ValidationErrorOut, optional_bearer, public_throttle
from satuatap.complaints import complaints
from satuatap.complaints.models import BODY_MAX, CONTACT_MAX, SUBJECT_MAX, Complaint
from satuatap.directory.models import Agency
from satuatap.refusal import Refused, invalid, not_found

router = Router(tags=["Pengaduan"], auth=optional_bearer)
# OpenAPI operation ids as they were before the move from ``satuatap.feedback.complaint_api``: clients generated
# from the document name their methods after them.
_OPERATION_ID = "satuatap_feedback_complaint_api_{}"


class ComplaintIn(Schema):
    agency: str | None = Field(None, max_length=40, description="Kode instansi (boleh kosong)")
    subject: str = Field(..., max_length=SUBJECT_MAX, description="Perihal")
    body: str = Field(..., max_length=BODY_MAX, description="Isi pengaduan")
    contact: str | None = Field(None, max_length=CONTACT_MAX, description="Email atau nomor HP (boleh kosong)")


class FiledOut(Schema):
    tracking_code: str
    status: str


class StepOut(Schema):
    status: str
    label: str
    at: dt.datetime
    note: str


class ComplaintOut(Schema):
    tracking_code: str
    status: str
    history: list[StepOut]
    answer: str | None = None


@router.post(
    "/malls/{mall}/complaints",
    response={201: FiledOut, 422: ValidationErrorOut, **PUBLIC_REFUSALS},
    summary="Sampaikan pengaduan",
    description=(
        "Badan permintaan berupa JSON. Lampiran (foto JPEG/PNG atau PDF) hanya dapat dikirim lewat formulir web "
        "pengaduan (`/m/{mall}/pengaduan/`), tidak lewat API ini."
    ),
    throttle=public_throttle,
    operation_id=_OPERATION_ID.format("file_complaint"),
)
def file_complaint(request, mall: str, payload: ComplaintIn):
    mall_obj = find_mall(mall)
    agency = None
    if payload.agency:
        agency = Agency.objects.filter(mall=mall_obj, code=payload.agency).first()
        if agency is None:
            raise invalid("agency", _("Instansi tidak dikenal di mal ini."))
    if not complaints.filing_allowed(ratelimit.client_address(request)):
        raise Refused("rate_limited", _("Terlalu banyak pengaduan dari perangkat ini. Coba lagi nanti."), status=429)
    complaint = complaints.file_complaint(
        mall_obj, payload.subject, payload.body, agency=agency, contact=payload.contact or ""
    )
    return Status(201, {"tracking_code": complaint.tracking_code, "status": complaint.status})


@router.get(
    "/complaints/{tracking_code}",
    response={200: ComplaintOut, **PUBLIC_REFUSALS},
    summary="Status pengaduan",
    throttle=public_throttle,
    operation_id=_OPERATION_ID.format("complaint_status"),
)
def complaint_status(request, tracking_code: str):
    complaint = Complaint.objects.filter(tracking_code=tracking_code).first()
    if complaint is None:
        raise not_found("complaint_not_found", _("Pengaduan tidak ditemukan."))
    history = [
        {"status": e.to_status, "label": e.get_to_status_display(), "at": e.at, "note": e.note}
        for e in complaint.events.all()
    ]
    return {
        "tracking_code": complaint.tracking_code,
        "status": complaint.status,
        "history": history,
        "answer": complaint.answer or None,
    }
