"""The reports page (managing by numbers): the manager sees the whole mall, a supervisor their agency; a period
picker (month, quarter, semester, year or any dates), every figure beside the previous period, a breakdown per
agency, service, counter or officer, server-side SVG charts, and the same figures as CSV and spreadsheet."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from satuatap.reports import mayor_pdf, memo, numbers_data, numbers_export
from satuatap.reports.figures import Selection
from satuatap.reports.views import report_query, report_scope


def _data(request, mall: str):
    rs = report_scope(request, mall)
    by = request.GET.get("by")
    by = by if by in numbers_data.BREAKDOWNS else "agency"
    selection = Selection(rs.mall, rs.period.first, rs.period.last, rs.agency, rs.service)
    with memo.one_report():
        return rs, numbers_data.build(selection, by)


@login_required
def numbers_report(request, mall: str):
    rs, data = _data(request, mall)
    context = {
        **rs.picker(request),
        "data": data,
        "breakdowns": numbers_data.BREAKDOWNS.items(),
        "columns": numbers_data.BREAKDOWN_COLUMNS,
        "breakdown_label": numbers_data.BREAKDOWNS[data.by],
        "attendance_columns": numbers_data.ATTENDANCE_COLUMNS,
        "case_columns": numbers_data.CASE_COLUMNS,
        "case_tables": [(by, numbers_data.BREAKDOWNS[by], data.cases[f"by_{by}"]) for by in ("agency", "service")],
        "query": report_query(request, "by"),
    }
    return render(request, "reports/numbers.html", context)


@login_required
def numbers_csv(request, mall: str):
    return numbers_export.download(_data(request, mall)[1], "csv")


@login_required
def numbers_xlsx(request, mall: str):
    return numbers_export.download(_data(request, mall)[1], "xlsx")


@login_required
def numbers_pdf(request, mall: str):
    """The monthly report for the mayor (any period the page shows), with its charts."""
    return mayor_pdf.download(_data(request, mall)[1])
