import datetime as dt

from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from satuatap.accounts.access import staff_mall
from satuatap.directory.hours import service_day
from satuatap.directory.models import Mall
from satuatap.reports.estimate_accuracy import day_accuracy
from satuatap.reports.floor import floor_snapshot


@login_required
def floor(request, mall: str):
    mall_obj = staff_mall(request.user, mall)
    return render(request, "reports/floor.html", {"mall": mall_obj, "snapshot": floor_snapshot(request.user, mall_obj)})


@login_required
def floor_snapshot_json(request, mall: str):
    return JsonResponse(floor_snapshot(request.user, staff_mall(request.user, mall)))


def _report_day(mall: Mall, raw: str | None) -> tuple[dt.date, str]:
    """The day asked for (YYYY-MM-DD), or today with a message when it is not a date."""
    today = service_day(mall)
    if not raw:
        return today, ""
    try:
        return dt.date.fromisoformat(raw.strip()), ""
    except ValueError:
        return today, _("Tanggal tidak valid (gunakan format TTTT-BB-HH); menampilkan hari ini.")


@login_required
def estimate_accuracy(request, mall: str):
    """Predicted vs actual wait of a day's tickets (the manager: the mall; a supervisor: their agency)."""
    mall_obj = staff_mall(request.user, mall)
    day, error = _report_day(mall_obj, request.GET.get("date"))
    result = day_accuracy(request.user, mall_obj, day)
    result.total.label = _("Semua layanan")
    return render(
        request,
        "reports/estimate_accuracy.html",
        {
            "mall": mall_obj,
            "day": day,
            "error": error,
            "rows": [s.as_dict() for s in result.services],
            "total": result.total.as_dict(),
            "without_prediction": result.without_prediction,
        },
    )
