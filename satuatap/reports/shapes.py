"""Report figures as plain values in the API contract's shapes: one source for the API, the page and the exports,
so the screen, the CSV, the spreadsheet and the JSON always carry the same numbers."""

from __future__ import annotations

from django.utils.translation import gettext as _

from satuatap.reports import attendance, case_figures, figures


def minutes(value: float | None) -> float | None:
    """Minutes shown with one decimal (reports, API and exports alike)."""
    return None if value is None else round(value, 1)


def share(value: float | None) -> float | None:
    """A share 0..1 with three decimals."""
    return None if value is None else round(value, 3)


def ticket_row(f: figures.TicketFigures) -> dict:
    """The ticket figures every row and every total carries."""
    return {
        "tickets_issued": f.tickets_issued,
        "served": f.served,
        "no_show": f.no_show,
        "cancelled": f.cancelled,
        "transferred": f.transferred,
        "avg_wait_minutes": minutes(f.avg_wait),
        "p50_wait_minutes": minutes(f.p50_wait),
        "p90_wait_minutes": minutes(f.p90_wait),
        "avg_service_minutes": minutes(f.avg_service),
        "within_target_share": share(f.within_target_share),
    }


def breakdown_row(label_name: str, label: str, f: figures.TicketFigures) -> dict:
    return {label_name: label, **ticket_row(f)}


def breakdown(selection: figures.Selection, by: str) -> list[dict]:
    """Rows per agency or service (by code), counter (number) or officer (username), sorted by label."""
    found = figures.ticket_figures(selection, by)
    names = figures.labels(by, found.keys())
    label_name = {"agency": "agency", "service": "service", "counter": "counter", "officer": "officer"}[by]
    none = _("(tanpa)")  # tickets never at a counter or with an officer (cancelled, still waiting)
    rows = [breakdown_row(label_name, names.get(k, none) if k is not None else none, f) for k, f in found.items()]
    return sorted(rows, key=lambda row: row[label_name])


def totals(f: figures.TicketFigures) -> dict:
    return {
        **ticket_row(f),
        "p50_service_minutes": minutes(f.p50_service),
        "walk_ins": f.walk_ins,
        "booked_tickets": f.bookings,
        "priority_share": share(f.priority_share),
    }


def period_figures(summary: figures.Summary) -> dict:
    """Every headline figure of one period (no breakdowns): the summary's body and its ``previous``."""
    selection = summary.selection
    return {
        "from": selection.first,
        "to": selection.last,
        **totals(summary.total),
        "bookings": {
            "booked": summary.funnel.booked,
            "checked_in": summary.funnel.checked_in,
            "called": summary.funnel.called,
            "finished": summary.funnel.finished,
            "cancelled": summary.funnel.cancelled,
        },
        "out_of_order_calls": sum(summary.out_of_order.values()),
        "out_of_order_by_reason": summary.out_of_order,
        "complaints": {
            "filed": summary.complaints.filed,
            "answered": summary.complaints.answered,
            "answered_in_time": summary.complaints.answered_in_time,
        },
        "ikm": None if summary.ikm.ikm is None else str(summary.ikm.ikm),
        "ikm_respondents": summary.ikm.respondents,
    }


def summary_body(summary: figures.Summary) -> dict:
    """``reports/summary``: the period's figures, its breakdowns and the previous period beside them."""
    return {
        **period_body(summary),
        "by_agency": breakdown(summary.selection, "agency"),
        "by_service": breakdown(summary.selection, "service"),
        "previous": period_body(summary.previous, current=False) if summary.previous else None,
    }


def daily_body(selection: figures.Selection) -> dict:
    """``reports/daily``: one day's ticket figures with their agency and service breakdowns."""
    return {
        "date": selection.first,
        **totals(figures.total(selection)),
        "by_agency": breakdown(selection, "agency"),
        "by_service": breakdown(selection, "service"),
    }


ATTENDANCE_COUNTS = ("working_days", "present_days", "absent_days", "served")


def attendance_row(row: attendance.OfficerAttendance) -> dict:
    per_day = row.served_per_present_day
    return {
        **{name: getattr(row, name) for name in ATTENDANCE_COUNTS},
        "avg_service_minutes": minutes(row.avg_service),
        "served_per_present_day": None if per_day is None else round(per_day, 1),
    }


def attendance_body(found: attendance.Attendance, *, by_officer: bool = True) -> dict:
    """The officers' days and work added up, with one row per officer (``by_officer``)."""
    body = {"officers": len(found.officers), **attendance_row(found.total())}
    if by_officer:
        body["by_officer"] = [{"officer": r.username, "name": r.name, **attendance_row(r)} for r in found.officers]
    return body


def case_row(f: case_figures.CaseFigures) -> dict:
    return {
        "opened": f.opened,
        "finished": f.finished,
        "finished_on_time": f.on_time,
        "on_time_share": share(f.on_time_share),
        "overdue_open": f.overdue_open,
    }


def cases_body(selection: figures.Selection, *, current: bool = True) -> dict:
    """The back office's figures; the current period adds the overdue count of today and the breakdowns."""
    body = case_row(case_figures.case_figures(selection, now=current))
    if current:
        for by in case_figures.GROUPS:
            body[f"by_{by}"] = [{by: code, **case_row(f)} for code, f in case_figures.case_breakdown(selection, by)]
    return body


def period_body(summary: figures.Summary, *, current: bool = True) -> dict:
    """``period_figures`` and the officers' attendance and the cases beside them (the page, its files, the API)."""
    selection = summary.selection
    return {
        **period_figures(summary),
        "attendance": attendance_body(attendance.attendance(selection), by_officer=current),
        "cases": cases_body(selection, current=current),
    }
