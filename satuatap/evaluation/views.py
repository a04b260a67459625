"""The evaluation pages of a mall and year: the result (printable, beside last year's), the manager's
self-assessment form per indicator, and the evaluator's scoring form (every indicator 0-5 with a note).

Who: the result is read by the mall's manager, the ministry and the mall's evaluator (``access``); only the manager
fills the self-assessment; only an evaluator of the mall (or a superuser) scores."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from satuatap.accounts.access import (
    EVALUATION_READER_ROLES,
    evaluated_mall,
    evaluates_mall,
    managed_mall,
    staff_mall,
)
from satuatap.accounts.scoping import can_manage_mall
from satuatap.directory.hours import service_day
from satuatap.evaluation import assessment, evaluations
from satuatap.refusal import Refused

FIRST_YEAR, LAST_YEAR = 2000, 2099


def _year(year: int) -> int:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise Http404
    return year


def _may_score(user, mall) -> bool:
    return user.is_superuser or evaluates_mall(user, mall)


@login_required
def evaluation_current(request, mall: str):
    """This year's evaluation (the mall's local year)."""
    mall_obj = staff_mall(request.user, mall, roles=EVALUATION_READER_ROLES)
    return redirect("evaluation", mall=mall_obj.slug, year=service_day(mall_obj).year)


@login_required
def evaluation_page(request, mall: str, year: int):
    mall_obj = staff_mall(request.user, mall, roles=EVALUATION_READER_ROLES)
    result = evaluations.result(mall_obj, _year(year))
    return render(
        request,
        "evaluation/evaluation.html",
        {
            "mall": mall_obj,
            "result": result,
            "last_year": evaluations.previous(mall_obj, year),
            "previous_year": year - 1,
            "next_year": year + 1,
            "self_assessor": can_manage_mall(request.user, mall_obj),
            "evaluator": _may_score(request.user, mall_obj),
        },
    )


@login_required
@require_POST
def evaluation_save(request, mall: str, year: int):
    """One indicator: the manager's self-assessment, or (``role=evaluator``) the evaluator's score."""
    as_evaluator = request.POST.get("role") == "evaluator"
    if as_evaluator:
        mall_obj = evaluated_mall(request.user, mall)
    else:
        mall_obj = managed_mall(request.user, mall)
    _year(year)
    try:
        indicator_id = int(request.POST.get("indicator", ""))
    except ValueError:
        raise Http404 from None
    try:
        if as_evaluator:
            assessment.evaluate(
                mall_obj, year, indicator_id, request.POST.get("score", ""), request.POST.get("note", "")
            )
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


@login_required
def evaluation_score(request, mall: str, year: int):
    """The evaluator's form: every indicator with its rubric, the unit's own score and evidence, a score and a
    note; submitting saves them all (or, on any bad value, nothing) and opens the result."""
    mall_obj = evaluated_mall(request.user, mall)
    result = evaluations.result(mall_obj, _year(year))
    entries, error = {}, ""
    if request.method == "POST":
        entries = {
            i.id: (request.POST.get(f"score-{i.id}", ""), request.POST.get(f"note-{i.id}", ""))
            for i in result.indicators
        }
        try:
            assessment.submit_scores(mall_obj, year, entries, request.user)
        except Refused as refused:
            error = refused.message
        else:
            messages.success(request, _("Penilaian evaluator disimpan."))
            return redirect("evaluation", mall=mall_obj.slug, year=year)
    rows = [
        (
            i,
            entries.get(i.id, (i.evaluator_score if i.evaluator_score is not None else i.score, i.note))[0],
            entries.get(i.id, ("", i.note))[1],
        )
        for i in result.indicators
    ]
    status = 422 if error else 200
    context = {"mall": mall_obj, "result": result, "rows": rows, "error": error}
    return render(request, "evaluation/score.html", context, status=status)
