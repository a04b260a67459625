"""The only writer of SKM responses: checks the ticket and the answers, stores one response per ticket."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from satuatap.feedback.models import COMMENT_MAX, PROFILE_QUESTIONS, SCORE_FIELDS, SurveyResponse, SurveySource
from satuatap.queueing.models import Ticket, TicketStatus
from satuatap.refusal import Refused

PROFILE_CHOICES = {field: choices for field, _label, choices in PROFILE_QUESTIONS}


def expires_at(ticket: Ticket) -> dt.datetime | None:
    if ticket.finished_at is None:
        return None
    return ticket.finished_at + dt.timedelta(hours=settings.SKM_LINK_HOURS)


def check_open(ticket: Ticket, now: dt.datetime | None = None) -> None:
    """Raise ``Refused`` unless the ticket's survey can be answered now."""
    now = now or timezone.now()
    if ticket.status != TicketStatus.DONE or ticket.finished_at is None:
        raise Refused("not_finished", _("Survei dapat diisi setelah layanan Anda selesai."), status=409)
    if now > expires_at(ticket):
        raise Refused("expired", _("Tautan survei ini sudah kedaluwarsa."), status=410)
    if SurveyResponse.objects.filter(ticket=ticket).exists():
        raise Refused("already_answered", _("Survei untuk tiket ini sudah diisi. Terima kasih."), status=409)


def clean_scores(scores) -> list[int]:
    message = _("Jawab kesembilan pertanyaan dengan nilai 1 sampai 4.")
    if not isinstance(scores, list | tuple) or len(scores) != len(SCORE_FIELDS):
        raise Refused("bad_scores", message, status=422)
    for score in scores:
        if isinstance(score, bool) or not isinstance(score, int) or not 1 <= score <= 4:
            raise Refused("bad_scores", message, status=422)
    return list(scores)


def clean_profile(profile: dict | None) -> dict:
    cleaned = {}
    for key, value in (profile or {}).items():
        choices = PROFILE_CHOICES.get(key)
        if choices is None or (value and value not in choices.values):
            raise Refused("bad_profile", _("Data profil responden tidak sah."), status=422)
        cleaned[key] = value or ""
    return cleaned


def clean_comment(comment) -> str:
    comment = comment or ""
    if not isinstance(comment, str) or len(comment.strip()) > COMMENT_MAX:
        raise Refused(
            "bad_comment", _("Saran dan masukan paling banyak %(n)s karakter.") % {"n": COMMENT_MAX}, status=422
        )
    return comment.strip()


def submit(
    ticket: Ticket,
    scores,
    comment: str = "",
    profile: dict | None = None,
    now=None,
    source: str = SurveySource.LINK,
) -> SurveyResponse:
    """Store the citizen's answers for a finished ticket; refuse with ``Refused``, changing nothing.

    ``source`` records where the answer came from (tablet at the counter, link or QR, API).
    """
    now = now or timezone.now()
    source = SurveySource(source)
    scores = clean_scores(scores)
    comment = clean_comment(comment)
    profile = clean_profile(profile)
    check_open(ticket, now)
    service = ticket.service
    response = SurveyResponse(
        ticket=ticket,
        mall_id=ticket.mall_id,
        agency_id=service.agency_id,
        service_id=service.pk,
        answered_at=now,
        comment=comment,
        source=source,
        **dict(zip(SCORE_FIELDS, scores, strict=True)),
        **profile,
    )
    try:
        with transaction.atomic():
            response.save(force_insert=True)
    except IntegrityError:  # a second answer raced the first one: the unique ticket decides
        raise Refused("already_answered", _("Survei untuk tiket ini sudah diisi. Terima kasih."), status=409) from None
    return response
