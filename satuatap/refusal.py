"""The one refusal type: every service module raises ``Refused`` when it will not do what it was asked.

``code`` is for machines (stable, snake_case), ``message`` for people (Bahasa Indonesia through
gettext), ``status`` is the HTTP answer, ``field`` the request field the refusal is about (a form
puts the message beside it, the API names it in a 422). The JSON API turns a refusal into
``{detail, code, errors?}`` in one handler (``satuatap.api``); pages that do not catch it get
the project's error page from ``RefusalMiddleware`` below.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.core.handlers.exception import response_for_exception
from django.http import Http404
from django.shortcuts import render

# The request field a refusal is about, when the code says it: one table for the API and the forms.
FIELD_OF_CODE = {
    "invalid_nik": "nik",
    "wrong_nik": "nik",
    "invalid_phone": "phone",
    "invalid_name": "name",
    "outside_window": "start",
    "no_slot": "start",
    "day_closed": "start",
    "bad_priority_group": "priority_group",
    "same_service": "service",
    "bad_scores": "scores",
    "bad_comment": "comment",
    "bad_profile": "comment",
}

# A 422 answers ``code: "invalid"`` with ``errors: [{field, message}]`` (the request has a bad field),
# except these refusals, whose own code the booking API has always answered beside the field (and the
# queue's reused Idempotency-Key, which a client must tell apart from a bad request).
OWN_CODE_422 = frozenset(
    {
        "invalid_nik",
        "invalid_phone",
        "invalid_name",
        "outside_window",
        "no_slot",
        "day_closed",
        "idempotency_key_reused",
    }
)


class Refused(Exception):
    """A refused operation: ``message`` is shown to people, ``code`` to machines."""

    def __init__(self, code: str, message: str, status: int = 409, field: str | None = None):
        super().__init__(message)
        self.code = code
        self.message = str(message)
        self.status = status
        self.field = field if field is not None else FIELD_OF_CODE.get(code)

    def __repr__(self) -> str:
        return f"Refused({self.code!r}, {self.message!r}, status={self.status}, field={self.field!r})"


def invalid(field: str, message: str) -> Refused:
    """422 about one field of the request."""
    return Refused("invalid", message, status=422, field=field)


def not_found(code: str, message: str) -> Refused:
    return Refused(code, message, status=404)


def forbidden(code: str, message: str) -> Refused:
    return Refused(code, message, status=403)


class RefusalMiddleware:
    """Pages: a refusal no view caught becomes the project's own 404/403 page, or a plain error page.

    A page that shows a refusal its own way (a form re-rendered with the message, a redirect with a
    flash message) catches ``Refused`` itself; everything else lands here. The JSON API has its own
    handler (``satuatap.api``) and never reaches this.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, Refused):
            return None
        if exception.status == 404:
            return response_for_exception(request, Http404(exception.message))
        if exception.status == 403:
            return response_for_exception(request, PermissionDenied(exception.message))
        return render(request, "refused.html", {"refusal": exception}, status=exception.status)
