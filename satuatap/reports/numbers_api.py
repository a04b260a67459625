"""The reports part of the API contract: ``reports/daily`` and ``reports/summary`` (supervisor for their agency,
manager for the whole mall). Figures come from ``reports.figures``; shapes from ``reports.shapes``."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from satuatap.accounts.access import REPORT_READER_ROLES, access_mall
from satuatap.apiauth import BAD_INPUT, Error, ValidationErrorOut, bearer, caller
from satuatap.directory.hours import service_day
from satuatap.feedback import periods
from satuatap.refusal import invalid
from satuatap.reports import figures, memo, shapes
from satuatap.reports.report_unit import report_unit

router = Router(tags=["Laporan"], auth=bearer)
REFUSALS = {**BAD_INPUT, 401: Error, 403: Error, 404: Error, 422: ValidationErrorOut}
PERCENTILE = (
    "Menit; persentil kontinu (interpolasi linear). Hari yang sudah lewat dihitung dari nilai yang dibulatkan ke "
    "setengah menit terdekat (resolusi 30 detik), hari ini tepat ke detik"
)


class DailyQuery(Schema):
    date: dt.date | None = Field(None, description="Hari layanan (YYYY-MM-DD, tanggal lokal mal); bawaan: hari ini")


class SummaryQuery(Schema):
    start: dt.date | None = Field(None, alias="from", description="Tanggal awal (YYYY-MM-DD); bawaan: bulan ini")
    end: dt.date | None = Field(None, alias="to", description="Tanggal akhir (YYYY-MM-DD), termasuk")
    agency: str | None = Field(None, max_length=40, description="Kode instansi")
    service: str | None = Field(None, max_length=40, description="Kode layanan")


class BreakdownOut(Schema):
    tickets_issued: int
    served: int
    no_show: int
    cancelled: int
    transferred: int
    avg_wait_minutes: float | None
    p50_wait_minutes: float | None = Field(description=PERCENTILE)
    p90_wait_minutes: float | None = Field(description=PERCENTILE)
    avg_service_minutes: float | None
    within_target_share: float | None


class AgencyRowOut(BreakdownOut):
    agency: str


class ServiceRowOut(BreakdownOut):
    service: str


class TotalsOut(Schema):
    tickets_issued: int
    served: int
    no_show: int
    cancelled: int
    transferred: int
    avg_wait_minutes: float | None = Field(description="Menit dari ambil nomor (atau check-in) ke panggilan pertama")
    p50_wait_minutes: float | None = Field(description=PERCENTILE)
    p90_wait_minutes: float | None = Field(description=PERCENTILE)
    avg_service_minutes: float | None
    p50_service_minutes: float | None = Field(description=PERCENTILE)
    within_target_share: float | None = Field(description="Bagian tiket terpanggil dengan tunggu <= target (0..1)")
    walk_ins: int
    booked_tickets: int = Field(description="Tiket dari pemesanan daring (check-in)")
    priority_share: float | None


class DailyOut(TotalsOut):
    date: dt.date
    by_agency: list[AgencyRowOut]
    by_service: list[ServiceRowOut]


class FunnelOut(Schema):
    booked: int
    checked_in: int
    called: int
    finished: int
    cancelled: int


class ComplaintsOut(Schema):
    filed: int
    answered: int
    answered_in_time: int


class OutOfOrderOut(Schema):
    priority: int
    priority_streak_bound: int
    officer: int
    other: int


class AttendanceFiguresOut(Schema):
    working_days: int = Field(description="Hari kerja mal dalam periode sampai hari ini (libur dan hari depan tidak)")
    present_days: int = Field(description="Hari petugas memanggil atau melayani tiket")
    absent_days: int = Field(description="Hari kerja yang sudah lewat tanpa kehadiran")
    served: int
    avg_service_minutes: float | None
    served_per_present_day: float | None


class OfficerAttendanceOut(AttendanceFiguresOut):
    officer: str
    name: str


class AttendanceTotalsOut(AttendanceFiguresOut):
    officers: int


class AttendanceOut(AttendanceTotalsOut):
    by_officer: list[OfficerAttendanceOut]


class CaseFiguresOut(Schema):
    opened: int = Field(description="Berkas diterima dalam periode")
    finished: int = Field(description="Berkas selesai (diserahkan atau ditolak) dalam periode")
    finished_on_time: int = Field(description="Selesai paling lambat pada batas hari kerjanya")
    on_time_share: float | None
    overdue_open: int | None = Field(description="Berkas terbuka melewati batas hari ini (periode lalu: null)")


class AgencyCasesOut(CaseFiguresOut):
    agency: str


class ServiceCasesOut(CaseFiguresOut):
    service: str


class CasesOut(CaseFiguresOut):
    by_agency: list[AgencyCasesOut]
    by_service: list[ServiceCasesOut]


class PeriodOut(TotalsOut):
    start: dt.date = Field(alias="from")
    end: dt.date = Field(alias="to")
    bookings: FunnelOut
    out_of_order_calls: int
    out_of_order_by_reason: OutOfOrderOut
    complaints: ComplaintsOut
    ikm: str | None
    ikm_respondents: int
    attendance: AttendanceTotalsOut
    cases: CaseFiguresOut


class SummaryOut(PeriodOut):
    attendance: AttendanceOut
    cases: CasesOut
    by_agency: list[AgencyRowOut]
    by_service: list[ServiceRowOut]
    previous: PeriodOut | None


def check_dates(start: dt.date, end: dt.date) -> None:
    """Refuse (422, naming the field) dates outside the reports' range or a period that ends before it starts."""
    for name, day in (("from", start), ("to", end)):
        if not periods.in_range(day):
            message = _("Tanggal harus antara %(first)s dan %(last)s.")
            raise invalid(name, message % {"first": periods.EARLIEST, "last": periods.LATEST})
    if start > end:
        raise invalid("from", _("Tanggal awal harus sebelum tanggal akhir."))


@router.get(
    "/malls/{mall}/reports/daily",
    response={200: DailyOut, **REFUSALS},
    summary="Laporan harian antrean",
    by_alias=True,
)
def daily_report(request, mall: str, filters: Query[DailyQuery]):
    """One local day: tickets, waits and service times, per agency and per service. A supervisor sees their agency."""
    user = caller(request)
    mall_obj = access_mall(user, mall, *REPORT_READER_ROLES)
    day = filters.date or service_day(mall_obj)
    check_dates(day, day)
    agency, _service = report_unit(user, mall_obj, None, None)
    with memo.one_report():
        return shapes.daily_body(figures.Selection(mall_obj, day, day, agency=agency))


@router.get(
    "/malls/{mall}/reports/summary",
    response={200: SummaryOut, **REFUSALS},
    summary="Ringkasan laporan per periode",
    by_alias=True,
)
def summary_report(request, mall: str, filters: Query[SummaryQuery]):
    """Any period (this month by default): the daily figures summed up, the median wait, the within-target share,
    the booking funnel, out-of-order calls, complaints and IKM, the officers' attendance (``attendance``, by officer)
    and the back office's cases (``cases``, by agency and service), with the period of the same length before it."""
    user = caller(request)
    mall_obj = access_mall(user, mall, *REPORT_READER_ROLES)
    month = periods.bounds("month", service_day(mall_obj))
    start, end = filters.start or month[0], filters.end or month[1]
    check_dates(start, end)
    agency, service = report_unit(user, mall_obj, filters.agency, filters.service)
    with memo.one_report():
        return shapes.summary_body(figures.summarize(figures.Selection(mall_obj, start, end, agency, service)))
