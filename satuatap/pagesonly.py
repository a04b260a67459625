"""Middleware only pages need, skipped for the JSON API (``/api/``): the API's cost per request is the API's.

Every call under ``/api/`` is a django-ninja operation that authenticates with a bearer token or not at all
(``satuatap.apiauth``): no API operation reads a session, a signed-in ``request.user``, flash messages, a
CSRF token or htmx headers. So for those requests the session, authentication, message and htmx
middleware pass straight through, and so does simple_history's (it hands the request to the history rows for
their signed-in user; an API call has none, so its rows get no user either way). Their page behaviour is
unchanged. Besides their own time, the message
storage and the lazy user each hold the request in a reference cycle, so every API request was freed by
the garbage collector instead of on return (``bench/stack_cost.py --stock`` measures the difference: about
0.2 ms of CPU per token API call with ``satuatap.csp_header``, and far fewer collections).

What the API keeps: the request log with its id, the security headers, the Content-Security-Policy header,
host validation (``CommonMiddleware``), CSRF, language negotiation (``accounts.language``),
X-Frame-Options, and its own NUL guard and error handlers.

Each class here is a subclass of the one it replaces, so Django's checks (the admin needs sessions,
authentication and messages) still find them.

What this changes for a caller of the API: ``request.user`` is not set (the caller is ``request.auth``),
and a session cookie sent along is neither read nor refreshed. CSRF stays Django's own middleware (``check
--deploy`` looks for it by name); it checks nothing on ninja's operations, which are ``csrf_exempt``.
"""

from __future__ import annotations

from django.contrib.auth import middleware as auth
from django.contrib.messages import middleware as messages
from django.contrib.sessions import middleware as sessions
from django_htmx import middleware as htmx
from simple_history import middleware as history

from satuatap.outage import API_PREFIX  # the one prefix of the JSON API


def is_api(request) -> bool:
    return request.path_info.startswith(API_PREFIX)


class SkipsApi:
    """Mixin: the middleware's work is done for pages; an API request goes straight to the next layer."""

    def __call__(self, request):
        if is_api(request):
            return self.get_response(request)
        return super().__call__(request)


class SessionMiddleware(SkipsApi, sessions.SessionMiddleware):
    pass


class AuthenticationMiddleware(SkipsApi, auth.AuthenticationMiddleware):
    pass


class MessageMiddleware(SkipsApi, messages.MessageMiddleware):
    pass


class HtmxMiddleware(SkipsApi, htmx.HtmxMiddleware):
    pass


class HistoryRequestMiddleware:
    """simple_history's ``HistoryRequestMiddleware`` for pages only."""

    sync_capable, async_capable = True, False

    def __init__(self, get_response):
        self.get_response = get_response
        self.for_pages = history.HistoryRequestMiddleware(get_response)

    def __call__(self, request):
        if is_api(request):
            return self.get_response(request)
        return self.for_pages(request)
