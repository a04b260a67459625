"""The SKM report in the API: the IKM, its follow-up items and the printable document (supervisor, manager)."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from satuatap.accounts.access import access_mall
from satuatap.accounts.models import Role
from satuatap.accounts.scoping import scope
from satuatap.apiauth import BAD_INPUT, Error, ValidationErrorOut, bearer, caller
from satuatap.directory.hours import local_now, service_day
from satuatap.feedback import follow_up, ikm, periods
from satuatap.feedback.models import FollowUpItem
from satuatap.refusal import invalid
from satuatap.reports import skm_export
from satuatap.reports.report_unit import report_unit

# The survey's tag: these endpoints were listed with it before they moved here from ``feedback.api``.
router = Router(tags=["Survei kepuasan"], auth=bearer)
# OpenAPI operation ids as they were before the move from ``satuatap.feedback.api``: clients generated
# document name their methods after them.
_OPERATION_ID = "satuatap_feedback_api_{}"

REPORT_REFUSALS = {**BAD_INPUT, 401: Error, 403: Error, 404: Error, 422: ValidationErrorOut}


class IkmQuery(Schema):
    start: dt.date | None = Field(None, alias="from", description="Tanggal awal (YYYY-MM-DD); bawaan: bulan ini")
    end: dt.date | None = Field(None, alias="to", description="Tanggal akhir (YYYY-MM-DD), termasuk")
    agency: str | None = Field(None, max_length=40, description="Kode instansi")
    service: str | None = Field(None, max_length=40, description="Kode layanan")


class DocumentQuery(IkmQuery):
    format: Literal["pdf", "xlsx"] = Field("pdf", description="pdf atau xlsx")


class ElementOut(Schema):
    unsur: int
    name: str
    nrr: str


class SourceOut(Schema):
    source: str = Field(description="tablet, tautan (link atau QR), api; kosong: tidak tercatat")
    respondents: int


class IkmOut(Schema):
    ikm: str | None
    mutu: str | None
    kinerja: str | None
    respondents: int
    visitors: int
    sample_required: int
    sample_reached: bool
    start: dt.date
    end: dt.date
    elements: list[ElementOut]
    sources: list[SourceOut]


class PeriodOut(Schema):
    kind: str
    start: dt.date
    end: dt.date


class FollowUpItemOut(Schema):
    id: int
    unsur: int
    name: str
    period: PeriodOut
    agency: str | None
    service: str | None
    nrr: str | None
    action: str
    owner: str
    due: dt.date
    done_at: dt.datetime | None
    done_note: str
    overdue: bool


class FollowUpReportOut(Schema):
    start: dt.date
    end: dt.date
    total: int
    done: int
    overdue: int
    share_done: str | None = Field(description="Persentase selesai, satu desimal")
    average_days: str | None = Field(description="Rata-rata hari dari dibuat sampai selesai")
    items: list[FollowUpItemOut]


@router.get(
    "/malls/{mall}/reports/ikm",
    response={200: IkmOut, **REPORT_REFUSALS},
    summary="IKM per periode",
    operation_id=_OPERATION_ID.format("ikm_report"),
)
def ikm_report(request, mall: str, filters: Query[IkmQuery]):
    """Supervisors see their agency only (another agency: 404); the manager the whole mall."""
    mall_obj, start, end, agency_obj, service_obj = _report_scope(request, mall, filters)
    window = periods.as_datetimes(mall_obj, start, end)
    result = ikm.compute(mall_obj, *window, agency=agency_obj, service=service_obj)
    return {
        "ikm": None if result.ikm is None else str(result.ikm),
        "mutu": result.mutu,
        "kinerja": result.kinerja,
        "respondents": result.respondents,
        "visitors": result.visitors,
        "sample_required": result.sample_required,
        "sample_reached": result.sample_reached,
        "start": start,
        "end": end,
        "elements": [{"unsur": e.number, "name": e.name, "nrr": str(e.nrr_display)} for e in result.elements],
        "sources": [
            {"source": value, "respondents": n}
            for value, _name, n in ikm.sources(mall_obj, *window, agency=agency_obj, service=service_obj)
        ],
    }


@router.get(
    "/malls/{mall}/reports/ikm/follow-up",
    response={200: FollowUpReportOut, **REPORT_REFUSALS},
    summary="Tindak lanjut SKM per periode",
    operation_id=_OPERATION_ID.format("follow_up_report"),
)
def follow_up_report(request, mall: str, filters: Query[IkmQuery]):
    """The follow-up items of every period lying wholly inside ``from``..``to`` (by default this month, so a
    quarter's or a year's items need dates that cover the quarter or the year), scoped like the IKM report."""
    mall_obj, start, end, agency_obj, service_obj = _report_scope(request, mall, filters)
    found = follow_up.items_within(
        scope(caller(request), FollowUpItem.objects.all()), mall_obj, start, end, agency_obj, service_obj
    )
    items = list(found)
    summary = follow_up.summarize(items, mall_obj)
    today = service_day(mall_obj)
    return {
        "start": start,
        "end": end,
        "total": summary.total,
        "done": summary.done,
        "overdue": summary.overdue,
        "share_done": None if summary.share_done is None else str(summary.share_done),
        "average_days": None if summary.average_days is None else str(summary.average_days),
        "items": [
            {
                "id": item.pk,
                "unsur": item.element,
                "name": str(item.element_name),
                "period": {"kind": item.period_kind, "start": item.period_start, "end": item.period_end},
                "agency": item.agency.code if item.agency else None,
                "service": item.service.code if item.service else None,
                "nrr": None if item.nrr is None else str(item.nrr),
                "action": item.action,
                "owner": item.owner,
                "due": item.due,
                "done_at": item.done_at,
                "done_note": item.done_note,
                "overdue": item.is_overdue(today),
            }
            for item in items
        ],
    }


@router.get(
    "/malls/{mall}/reports/ikm/document",
    response=REPORT_REFUSALS,
    summary="Laporan SKM (PDF atau spreadsheet)",
    openapi_extra={
        "responses": {
            "200": {
                "description": "Laporan SKM seperti yang diserahkan instansi",
                "content": {skm_export.PDF_CONTENT_TYPE: {}, skm_export.XLSX_CONTENT_TYPE: {}},
            }
        }
    },
    operation_id=_OPERATION_ID.format("ikm_document"),
)
def ikm_document(request, mall: str, filters: Query[DocumentQuery]):
    """The printable SKM report of ``from``..``to`` (a whole month, quarter, semester or year is named so), the same
    document as the report page's downloads, scoped like the IKM report."""
    mall_obj, start, end, agency_obj, service_obj = _report_scope(request, mall, filters)
    period = periods.Period(periods.kind_of(start, end), start, end)
    items = follow_up.items_for(
        scope(caller(request), FollowUpItem.objects.all()), mall_obj, period, agency_obj, service_obj
    )
    data = skm_export.build(mall_obj, period, items, agency=agency_obj, service=service_obj)
    return skm_export.download(data, filters.format)


def _report_scope(request, mall: str, filters: IkmQuery):
    """The mall, the dates (this month by default) and the agency or service a report asks for, in the user's scope."""
    start, end, agency, service = filters.start, filters.end, filters.agency, filters.service
    user = caller(request)
    mall_obj = access_mall(user, mall, Role.SUPERVISOR, Role.MANAGER)
    if start is None or end is None:
        month = periods.bounds("month", local_now(mall_obj).date())
        start, end = start or month[0], end or month[1]
    for field, day in (("from", start), ("to", end)):
        if not periods.in_range(day):
            raise invalid(
                field,
                _("Tanggal harus antara %(first)s dan %(last)s.") % {"first": periods.EARLIEST, "last": periods.LATEST},
            )
    if start > end:
        raise invalid("from", _("Tanggal awal harus sebelum tanggal akhir."))
    agency_obj, service_obj = report_unit(user, mall_obj, agency, service)
    return mall_obj, start, end, agency_obj, service_obj
