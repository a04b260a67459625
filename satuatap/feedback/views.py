"""SKM pages: the citizen's survey (public, the ticket code is the permission) and the IKM report."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from satuatap import ratelimit
from satuatap.accounts.models import Role
from satuatap.accounts.scoping import scope
from satuatap.directory.hours import local_now
from satuatap.directory.models import Agency, Mall, Service
from satuatap.feedback import ikm, periods, skm
from satuatap.feedback.elements import ELEMENTS
from satuatap.feedback.models import AgeBand, Education, Occupation, Sex, SurveyResponse
from satuatap.queueing.models import Ticket

PROFILE_FIELDS = (
    ("age_band", gettext_lazy("Umur"), AgeBand),
    ("sex", gettext_lazy("Jenis kelamin"), Sex),
    ("education", gettext_lazy("Pendidikan"), Education),
    ("occupation", gettext_lazy("Pekerjaan"), Occupation),
)


def _survey_context(ticket, chosen=None, form=None, error=""):
    chosen = chosen or {}
    form = form or {}
    questions = [
        {"element": e, "field": e.field, "chosen": chosen.get(e.field), "options": list(enumerate(e.answers, 1))}
        for e in ELEMENTS
    ]
    profile = [
        {"field": f, "label": label, "choices": choices.choices, "chosen": form.get(f, "")}
        for f, label, choices in PROFILE_FIELDS
    ]
    return {
        "ticket": ticket,
        "mall": ticket.mall,
        "questions": questions,
        "profile": profile,
        "comment": form.get("comment", ""),
        "error": error,
    }


def _posted_scores(post) -> dict[str, int]:
    chosen = {}
    for element in ELEMENTS:
        raw = post.get(element.field, "")
        if raw in ("1", "2", "3", "4"):
            chosen[element.field] = int(raw)
    return chosen


def survey(request, public_code: str):
    if ratelimit.public_page_limited(request, "ticket"):
        return ratelimit.too_many_response()
    ticket = Ticket.objects.select_related("mall", "service__agency").filter(public_code=public_code).first()
    if ticket is None:
        raise Http404
    if SurveyResponse.objects.filter(ticket=ticket).exists():
        return render(request, "feedback/thanks.html", {"ticket": ticket, "mall": ticket.mall})
    if request.method == "POST":
        chosen = _posted_scores(request.POST)
        scores = [chosen.get(e.field) for e in ELEMENTS]
        profile = {f: request.POST.get(f, "") for f, _label, _c in PROFILE_FIELDS}
        try:
            skm.submit(ticket, scores, comment=request.POST.get("comment", ""), profile=profile)
        except skm.SurveyError as err:
            context = _survey_context(ticket, chosen, request.POST, err.message)
            if err.code in ("not_finished", "expired", "already_answered"):
                return render(request, "feedback/closed.html", context, status=err.status)
            return render(request, "feedback/survey.html", context, status=422)
        return redirect("skm_survey", public_code=ticket.public_code)
    try:
        skm.check_open(ticket)
    except skm.SurveyError as err:
        return render(request, "feedback/closed.html", _survey_context(ticket, error=err.message))
    return render(request, "feedback/survey.html", _survey_context(ticket))


REPORT_ROLES = (Role.MANAGER, Role.SUPERVISOR)


def report_mall(user, slug: str) -> Mall:
    mall = get_object_or_404(Mall.objects.active(), slug=slug)
    if not (user.is_superuser or (user.role in REPORT_ROLES and user.mall_id == mall.pk)):
        raise Http404
    return mall


def _date(raw: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(raw) if raw else None
    except ValueError:
        return None


def chosen_period(mall, params) -> tuple[str, dt.date, dt.date, str]:
    """(kind, first day, last day, error) from the request's period selector; bad input -> this month."""
    today = local_now(mall).date()
    kind = params.get("period") or "month"
    error = ""
    if kind == "custom":
        first, last = _date(params.get("from")), _date(params.get("to"))
        if first and last and first <= last:
            return kind, first, last, ""
        error = _("Rentang tanggal tidak sah; menampilkan bulan ini.")
    elif kind in periods.KINDS:
        day = _date(params.get("date")) if params.get("date") else today
        if day is not None:
            return (kind, *periods.bounds(kind, day), "")
        error = _("Tanggal tidak sah; menampilkan bulan ini.")
    else:
        error = _("Jenis periode tidak dikenal; menampilkan bulan ini.")
    return ("month", *periods.bounds("month", today), error)


@login_required
def report(request, mall: str):
    mall_obj = report_mall(request.user, mall)
    kind, first, last, error = chosen_period(mall_obj, request.GET)
    agencies = scope(request.user, Agency.objects.filter(mall=mall_obj)).order_by("name")
    services = scope(request.user, Service.objects.filter(mall=mall_obj)).order_by("name")
    agency = service = None
    if request.GET.get("agency"):
        agency = agencies.filter(code=request.GET["agency"]).first()
        if agency is None:
            raise Http404
    elif request.user.role == Role.SUPERVISOR and not request.user.is_superuser:
        agency = request.user.agency
    if request.GET.get("service"):
        service = services.filter(code=request.GET["service"]).first()
        if service is None:
            raise Http404
    start, end = periods.as_datetimes(mall_obj, first, last)
    result = ikm.compute(mall_obj, start, end, agency=agency, service=service)
    context = {
        "mall": mall_obj,
        "result": result,
        "kinds": periods.KINDS.items(),
        "kind": kind,
        "first": first,
        "last": last,
        "error": error,
        "agencies": agencies,
        "services": services,
        "agency": agency,
        "service": service,
        "date": request.GET.get("date", ""),
    }
    return render(request, "feedback/report.html", context)
