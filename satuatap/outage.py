"""The database is unreachable: answer 503 with Retry-After instead of an HTML 500.

A restart of PostgreSQL (or a locked SQLite file past its timeout) raises ``OperationalError``
or ``InterfaceError`` wherever the next query happens: in a view, in a middleware that loads the
session or a device token, or in the API. Nothing was written by the failed request (its
transaction never committed), so the client may try again: the API answers ``503`` JSON
``{detail, code: "unavailable"}``, pages a short Indonesian "coba lagi" page. Both carry
``Retry-After``.

Three doors lead here: ``DatabaseOutageMiddleware`` for page views, the API's exception handler
(``satuatap.api``) and ``server_error``, the project's ``handler500``, for failures in a
middleware (Django turns those into a 500 before any middleware of ours could catch them).
"""

from __future__ import annotations

import logging
import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views import defaults

log = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 5  # a database restart takes a few seconds
OUTAGE_ERRORS = (OperationalError, InterfaceError)
API_PREFIX = "/api/"


def is_outage(exc: BaseException | None) -> bool:
    return isinstance(exc, OUTAGE_ERRORS)


def unavailable_detail() -> str:
    return _("Layanan sedang tidak dapat dihubungi. Coba lagi dalam beberapa detik.")


def _mark(response: HttpResponse) -> HttpResponse:
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


def outage_response(request) -> HttpResponse:
    """503 for this request: JSON under the API, otherwise the "coba lagi" page."""
    if request.path_info.startswith(API_PREFIX):  # as satuatap.pagesonly.is_api: the path without SCRIPT_NAME
        return _mark(JsonResponse({"detail": unavailable_detail(), "code": "unavailable"}, status=503))
    # Rendered without the request: context processors would ask the database for the user. A page
    # that was only read reloads itself; a form sent is never sent again without the person.
    reload = request.method in ("GET", "HEAD")
    page = render_to_string("unavailable.html", {"retry_after": RETRY_AFTER_SECONDS, "reload": reload})
    return _mark(HttpResponse(page, status=503))


class DatabaseOutageMiddleware:
    """A view that meets an unreachable database answers 503, not 500."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not is_outage(exception):
            return None
        log.warning("database unavailable: %s %s: %s", request.method, request.path, exception)
        return outage_response(request)


def server_error(request, *args, **kwargs):
    """``handler500``: an outage raised outside a view is still a 503; anything else Django's 500."""
    if is_outage(sys.exc_info()[1]):
        return outage_response(request)
    return defaults.server_error(request, *args, **kwargs)
