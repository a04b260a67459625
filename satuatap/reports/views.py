from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, render

from satuatap.accounts.models import Role
from satuatap.directory.models import Mall
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
