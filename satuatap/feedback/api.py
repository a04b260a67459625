"""SKM in the API: the citizen's survey answer (public). The IKM report endpoints are in ``satuatap.reports.api``."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from satuatap.apiauth import (
    PUBLIC_REFUSALS,
    Error,
    ValidationErrorOut,
    bearer,
    optional_bearer,
    public_throttle,
)
from satuatap.feedback import skm
from satuatap.feedback.models import COMMENT_MAX, SurveySource
from satuatap.queueing.models import Ticket
from satuatap.refusal import not_found

router = Router(tags=["Survei kepuasan"], auth=bearer)


class SurveyIn(Schema):
    scores: list[int] = Field(description="Sembilan nilai 1-4, unsur 1 sampai 9")
    comment: str = Field("", max_length=COMMENT_MAX, description="Saran dan masukan (boleh kosong)")


class SurveyOut(Schema):
    ticket: str
    answered_at: dt.datetime


@router.post(
    "/tickets/{public_code}/survey",
    response={201: SurveyOut, 409: Error, 410: Error, 422: ValidationErrorOut, **PUBLIC_REFUSALS},
    summary="Isi survei kepuasan",
    auth=optional_bearer,
    throttle=public_throttle,
)
def answer_survey(request, public_code: str, payload: SurveyIn):
    ticket = Ticket.objects.select_related("service").filter(public_code=public_code).first()
    if ticket is None:
        raise not_found("ticket_not_found", _("Tiket tidak ditemukan."))
    response = skm.submit(ticket, payload.scores, comment=payload.comment, source=SurveySource.API)
    return Status(201, {"ticket": public_code, "answered_at": response.answered_at})
