"""Counter tablet mode: a screen at the counter that offers the SKM survey of the ticket just finished there.

Who may open it: a kiosk device bound to that counter (its token's
``counter``, set when the manager registers the tablet; signed in with a
pairing code at ``/device/``; the recommended set-up, since a kiosk session can
do nothing but take numbers if a citizen leaves the page; another counter's
tablet is refused), or staff whose scope holds the counter (an officer or
supervisor of its agency, the manager), e.g. the officer signed in a second
time on the tablet.

What it shows: the counter's most recently finished ticket, while it has no
answer, its survey link has not expired, it was finished less than
``SKM_TABLET_MINUTES`` (default 15) ago, and the officer has not started
serving the next citizen yet. Never an older ticket: the person in front of
the tablet is the one just served. The ticket's public code is never put in
the page (the form names the ticket by id, and the server checks it is still
the counter's current one). Answers go through ``skm.submit``, so one response
per ticket holds here too.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from satuatap.accounts.access import tablet_counter
from satuatap.directory.models import Counter
from satuatap.feedback import skm
from satuatap.feedback.elements import ELEMENTS
from satuatap.feedback.models import SurveyResponse, SurveySource
from satuatap.feedback.views import posted_profile, posted_scores, survey_context
from satuatap.queueing.models import Ticket, TicketStatus
from satuatap.refusal import Refused

POLL_SECONDS = 3
THANKS_SECONDS = 8


def window_minutes() -> int:
    return settings.SKM_TABLET_MINUTES


def current_ticket(counter: Counter, now: dt.datetime | None = None) -> Ticket | None:
    """The ticket whose survey the tablet offers now, or None (the tablet waits)."""
    now = now or timezone.now()
    since = now - dt.timedelta(minutes=window_minutes())
    # Bounded by the window, so a tablet polling every few seconds never sorts a counter's whole history.
    latest = (
        Ticket.objects.filter(counter=counter, status=TicketStatus.DONE, finished_at__gte=since)
        .select_related("mall", "service")
        .order_by("-finished_at", "-pk")
        .first()
    )
    if latest is None:
        return None
    if Ticket.objects.filter(counter=counter, status=TicketStatus.SERVING, started_at__gt=latest.finished_at).exists():
        return None  # the next citizen is being served: the one who just left does not answer here
    try:
        skm.check_open(latest, now)
    except Refused:
        return None
    return latest


def _to_login(request):
    return redirect_to_login(request.get_full_path())


def _unauthorized(request):
    return JsonResponse({"detail": _("Silakan masuk dulu."), "code": "unauthorized"}, status=401)


def _guard(request, mall: str, number: int, *, signed_out):
    """The counter if this session may run its tablet (one query); else ``signed_out(request)`` for a signed-out
    session, or 404 hiding the counter."""
    if not request.user.is_authenticated:
        return None, signed_out(request)
    return tablet_counter(request.user, mall, number, getattr(request, "device_token", None)), None


def _context(counter: Counter, ticket: Ticket | None, **extra) -> dict:
    return {
        "counter": counter,
        "mall": counter.mall,
        "state_url": reverse("skm_tablet_state", kwargs={"mall": counter.mall.slug, "number": counter.number}),
        "tablet_url": reverse("skm_tablet", kwargs={"mall": counter.mall.slug, "number": counter.number}),
        "current_id": ticket.pk if ticket else "",
        "poll_seconds": POLL_SECONDS,
        "thanks_seconds": THANKS_SECONDS,
        **extra,
    }


def _storage_key(counter: Counter, ticket_id) -> str:
    return f"skm-tablet:{counter.pk}:{ticket_id}"


def tablet(request, mall: str, number: int):
    counter, refusal = _guard(request, mall, number, signed_out=_to_login)
    if refusal is not None:
        return refusal
    if request.method == "POST":
        return _answer(request, counter)
    ticket = current_ticket(counter)
    if ticket is None:
        return render(request, "feedback/tablet_wait.html", _context(counter, None))
    context = survey_context(ticket, storage_key=_storage_key(counter, ticket.pk))
    return render(request, "feedback/tablet_survey.html", {**context, **_context(counter, ticket)})


def _answer(request, counter: Counter):
    ticket = current_ticket(counter)
    posted = request.POST.get("ticket", "")
    if ticket is None or str(ticket.pk) != posted:
        # Answered meanwhile (e.g. on the phone), expired, or the counter moved on: nothing saved.
        if (
            posted.isascii()
            and posted.isdecimal()  # not isdigit(): "²" is a digit int() refuses
            and len(posted) < 16
            and SurveyResponse.objects.filter(ticket_id=int(posted), ticket__counter=counter).exists()
        ):
            key = _storage_key(counter, posted)
            return render(request, "feedback/tablet_thanks.html", _context(counter, None, storage_key=key))
        context = _context(
            counter,
            None,
            error=_(
                "Survei ini tidak lagi tersedia di tablet "
                "(sudah diisi, kedaluwarsa, atau loket sudah melayani berikutnya)."
            ),
        )
        return render(request, "feedback/tablet_wait.html", context, status=409)
    chosen = posted_scores(request.POST)
    scores = [chosen.get(e.field) for e in ELEMENTS]
    storage_key = _storage_key(counter, ticket.pk)
    try:
        skm.submit(
            ticket,
            scores,
            comment=request.POST.get("comment", ""),
            profile=posted_profile(request.POST),
            source=SurveySource.TABLET,
        )
    except Refused as err:
        if err.code in ("not_finished", "expired", "already_answered"):
            context = _context(counter, None, error=err.message)
            return render(request, "feedback/tablet_wait.html", context, status=err.status)
        context = survey_context(ticket, chosen, request.POST, err.message, storage_key=storage_key)
        return render(request, "feedback/tablet_survey.html", {**context, **_context(counter, ticket)}, status=422)
    return render(request, "feedback/tablet_thanks.html", _context(counter, None, storage_key=storage_key))


def tablet_state(request, mall: str, number: int):
    """What the tablet should show: the current ticket's id, or null (waiting). Polled every few seconds."""
    counter, refusal = _guard(request, mall, number, signed_out=_unauthorized)
    if refusal is not None:
        return refusal
    ticket = current_ticket(counter)
    return JsonResponse({"ticket": ticket.pk if ticket else None}, headers={"Cache-Control": "no-store"})
