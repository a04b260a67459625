"""The evaluation page of a mall and year: the result (printable) and, for the mall's manager, the
self-assessment form per indicator; a superuser (the evaluator, until that role exists) scores."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from satuatap.accounts.access import managed_mall
from satuatap.directory.hours import service_day
from satuatap.evaluation import assessment, evaluations
from satuatap.refusal import Refused

FIRST_YEAR, LAST_YEAR = 2000, 2099


def _year(year: int) -> int:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise Http404
    return year


@login_required
def evaluation_current(request, mall: str):
    """This year's evaluation (the mall's local year)."""
    mall_obj = managed_mall(request.user, mall)
    return redirect("evaluation", mall=mall_obj.slug, year=service_day(mall_obj).year)


@login_required
def evaluation_page(request, mall: str, year: int):
    mall_obj = managed_mall(request.user, mall)
    result = evaluations.result(mall_obj, _year(year))
    return render(
        request,
        "evaluation/evaluation.html",
        {
            "mall": mall_obj,
            "result": result,
            "previous_year": year - 1,
            "evaluator": request.user.is_superuser,
        },
    )


@login_required
@require_POST
def evaluation_save(request, mall: str, year: int):
    mall_obj = managed_mall(request.user, mall)
    _year(year)
    try:
        indicator_id = int(request.POST.get("indicator", ""))
    except ValueError:
        raise Http404 from None
    try:
        if request.POST.get("role") == "evaluator" and request.user.is_superuser:
            assessment.evaluate(mall_obj, year, indicator_id, request.POST.get("score", ""))
        else:
            assessment.self_assess(
                mall_obj,
                year,
                indicator_id,
                request.POST.get("score", ""),
                request.POST.get("evidence", ""),
                request.POST.get("evidence_url", ""),
            )
        messages.success(request, _("Nilai disimpan."))
    except Refused as refused:
        messages.error(request, refused.message)
    return redirect("evaluation", mall=mall_obj.slug, year=year)
