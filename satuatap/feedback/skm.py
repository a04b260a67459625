"""The only writer of SKM responses: checks the ticket and the answers, stores one response per ticket."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from satuatap.feedback.models import COMMENT_MAX, PROFILE_QUESTIONS, SCORE_FIELDS, SurveyResponse, SurveySource
from satuatap.queueing.models import Ticket, TicketStatus

PROFILE_CHOICES = {field: choices for field, _label, choices in PROFILE_QUESTIONS}


class SurveyError(Exception):
    """A refused survey answer; ``status`` is what the API answers."""

    STATUS = {"not_finished": 409, "expired": 410, "already_answered": 409, "bad_scores": 422, "bad_profile": 422}

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = self.STATUS.get(code, 422)


def expires_at(ticket: Ticket) -> dt.datetime | None:
    if ticket.finished_at is None:
        return None
    return ticket.finished_at + dt.timedelta(hours=settings.SKM_LINK_HOURS)


def check_open(ticket: Ticket, now: dt.datetime | None = None) -> None:
    """Raise ``SurveyError`` unless the ticket's survey can be answered now."""
    now = now or timezone.now()
    if ticket.status != TicketStatus.DONE or ticket.finished_at is None:
        raise SurveyError("not_finished", _("Survei dapat diisi setelah layanan Anda selesai."))
    if now > expires_at(ticket):
        raise SurveyError("expired", _("Tautan survei ini sudah kedaluwarsa."))
    if SurveyResponse.objects.filter(ticket=ticket).exists():
        raise SurveyError("already_answered", _("Survei untuk tiket ini sudah diisi. Terima kasih."))


def clean_scores(scores) -> list[int]:
    message = _("Jawab kesembilan pertanyaan dengan nilai 1 sampai 4.")
    if not isinstance(scores, list | tuple) or len(scores) != len(SCORE_FIELDS):
        raise SurveyError("bad_scores", message)
    for score in scores:
        if isinstance(score, bool) or not isinstance(score, int) or not 1 <= score <= 4:
            raise SurveyError("bad_scores", message)
    return list(scores)


def clean_profile(profile: dict | None) -> dict:
    cleaned = {}
    for key, value in (profile or {}).items():
        choices = PROFILE_CHOICES.get(key)
        if choices is None or (value and value not in choices.values):
            raise SurveyError("bad_profile", _("Data profil responden tidak sah."))
        cleaned[key] = value or ""
    return cleaned


def clean_comment(comment) -> str:
    comment = comment or ""
    if not isinstance(comment, str) or len(comment.strip()) > COMMENT_MAX:
        raise SurveyError("bad_comment", _("Saran dan masukan paling banyak %(n)s karakter.") % {"n": COMMENT_MAX})
    return comment.strip()


def submit(
    ticket: Ticket,
    scores,
    comment: str = "",
    profile: dict | None = None,
    now=None,
    source: str = SurveySource.LINK,
) -> SurveyResponse:
    """Store the citizen's answers for a finished ticket; refuse with ``SurveyError``, changing nothing.

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
        raise SurveyError("already_answered", _("Survei untuk tiket ini sudah diisi. Terima kasih.")) from None
    return response
