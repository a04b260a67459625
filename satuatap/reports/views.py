import datetime as dt

from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from satuatap.accounts.models import Role
from satuatap.directory.hours import service_day
from satuatap.directory.models import Mall
from satuatap.reports.estimate_accuracy import day_accuracy
from satuatap.reports.floor import floor_snapshot

FLOOR_ROLES = (Role.MANAGER, Role.SUPERVISOR)


def _floor_mall(request, mall: str) -> Mall:
    mall_obj = get_object_or_404(Mall.objects.active(), slug=mall)
    user = request.user
    if not (user.is_superuser or (user.role in FLOOR_ROLES and user.mall_id == mall_obj.pk)):
        raise Http404
    return mall_obj


@login_required
def floor(request, mall: str):
    mall_obj = _floor_mall(request, mall)
    return render(request, "reports/floor.html", {"mall": mall_obj, "snapshot": floor_snapshot(request.user, mall_obj)})


@login_required
def floor_snapshot_json(request, mall: str):
    return JsonResponse(floor_snapshot(request.user, _floor_mall(request, mall)))


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
    mall_obj = _floor_mall(request, mall)
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
