"""Refuse NUL characters in a page request before any query runs.

PostgreSQL cannot store or compare text containing NUL, so a ``%00`` in a
path, a query string or a form field would otherwise end in a 500 from the
first lookup that uses it (ticket codes, zone and service codes, form fields).
The JSON API has its own guard in ``satuatap.api``, which answers in the API's
error shape, so ``/api/`` is left to it.
"""

from __future__ import annotations

from django.http import HttpResponseBadRequest
from django.utils.translation import gettext as _


def _has_nul(request) -> bool:
    if "\x00" in request.path_info or "%00" in request.META.get("QUERY_STRING", ""):
        return True
    forms = [request.GET, request.POST] if request.method == "POST" else [request.GET]
    return any("\x00" in key or any("\x00" in v for v in values) for form in forms for key, values in form.lists())


class RefuseNulMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path_info.startswith("/api/") and _has_nul(request):
            return HttpResponseBadRequest(
                _("Permintaan berisi karakter yang tidak sah."), content_type="text/plain; charset=utf-8"
            )
        return self.get_response(request)
