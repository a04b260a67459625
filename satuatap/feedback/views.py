"""SKM pages: the citizen's survey (public, the ticket code is the permission).

The IKM report page, its downloads and its follow-up forms are in ``satuatap.reports.views``."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import redirect, render

from satuatap import ratelimit
from satuatap.feedback import skm
from satuatap.feedback.elements import ELEMENTS
from satuatap.feedback.models import PROFILE_QUESTIONS, SurveyResponse
from satuatap.queueing.models import Ticket
from satuatap.refusal import Refused


def _link_storage_key(ticket) -> str:
    """Where the survey page's answers wait in localStorage across a lost connection (the tablet has its own)."""
    return f"skm:{ticket.public_code}"


def survey_context(ticket, chosen=None, form=None, error="", storage_key=None):
    chosen = chosen or {}
    form = form or {}
    questions = [
        {"element": e, "field": e.field, "chosen": chosen.get(e.field), "options": list(enumerate(e.answers, 1))}
        for e in ELEMENTS
    ]
    profile = [
        {"field": f, "label": label, "choices": choices.choices, "chosen": form.get(f, "")}
        for f, label, choices in PROFILE_QUESTIONS
    ]
    return {
        "ticket": ticket,
        "mall": ticket.mall,
        "questions": questions,
        "profile": profile,
        "comment": form.get("comment", ""),
        "error": error,
        "storage_key": storage_key or _link_storage_key(ticket),
    }


def posted_scores(post) -> dict[str, int]:
    chosen = {}
    for element in ELEMENTS:
        raw = post.get(element.field, "")
        if raw in ("1", "2", "3", "4"):
            chosen[element.field] = int(raw)
    return chosen


def posted_profile(post) -> dict[str, str]:
    return {f: post.get(f, "") for f, _label, _choices in PROFILE_QUESTIONS}


@ratelimit.limit_public_page("ticket")
def survey(request, public_code: str):
    ticket = Ticket.objects.select_related("mall", "service__agency").filter(public_code=public_code).first()
    if ticket is None:
        raise Http404
    if SurveyResponse.objects.filter(ticket=ticket).exists():
        context = {"ticket": ticket, "mall": ticket.mall, "storage_key": _link_storage_key(ticket)}
        return render(request, "feedback/thanks.html", context)
    if request.method == "POST":
        chosen = posted_scores(request.POST)
        scores = [chosen.get(e.field) for e in ELEMENTS]
        try:
            skm.submit(ticket, scores, comment=request.POST.get("comment", ""), profile=posted_profile(request.POST))
        except Refused as err:
            context = survey_context(ticket, chosen, request.POST, err.message)
            if err.code in ("not_finished", "expired", "already_answered"):
                return render(request, "feedback/closed.html", context, status=err.status)
            return render(request, "feedback/survey.html", context, status=422)
        return redirect("skm_survey", public_code=ticket.public_code)
    try:
        skm.check_open(ticket)
    except Refused as err:
        return render(request, "feedback/closed.html", survey_context(ticket, error=err.message))
    return render(request, "feedback/survey.html", survey_context(ticket))
