"""Who is calling the API, what they may do, and the schemas of its refusals.

Private endpoints use ``bearer``: ``Authorization: Bearer <token>`` resolved by
``accounts.tokens.resolve_token`` (hashed, cached). Public endpoints use
``optional_bearer`` plus ``public_throttle``: anonymous callers are counted per
address; a caller with a valid token is not (a display board, an agency system)
and a bad token is refused rather than silently ignored.
"""

from __future__ import annotations

from django.conf import settings
from ninja import Schema
from ninja.errors import AuthenticationError
from ninja.params import models as param_models
from ninja.params.models import HeaderModel
from ninja.security import HttpBearer
from ninja.throttling import BaseThrottle

from satuatap import ratelimit
from satuatap.accounts import access
from satuatap.accounts.models import ApiToken, Role, User
from satuatap.accounts.tokens import resolve_token


class Error(Schema):
    """Every 4xx answer (422 adds ``errors``)."""

    detail: str
    code: str


class FieldError(Schema):
    field: str
    message: str


class ValidationErrorOut(Error):
    errors: list[FieldError]


# What every endpoint may refuse with: 400 for characters PostgreSQL cannot take (``satuatap.api``).
BAD_INPUT = {400: Error}
# What a public endpoint may refuse with (documented in the OpenAPI document).
PUBLIC_REFUSALS = {**BAD_INPUT, 401: Error, 404: Error, 429: Error}


class _Anonymous:
    """``request.auth`` of a public call without a token (truthy, so ninja lets it through)."""

    user = None
    zone = None
    zone_id = None

    def __bool__(self):
        return True


ANONYMOUS = _Anonymous()


class BearerAuth(HttpBearer):
    def __call__(self, request):
        """ninja's HttpBearer, reading the header from ``META``: ``request.headers`` would build a dict of
        every header on each call only to look up this one."""
        value = request.META.get("HTTP_AUTHORIZATION")
        if not value:
            return None
        scheme, _, token = value.partition(" ")
        if scheme.lower() != self.openapi_scheme:
            return None
        return self.authenticate(request, token)

    def authenticate(self, request, token: str) -> ApiToken | None:
        return resolve_token(token.strip())


class MetaHeaderModel(HeaderModel):
    """ninja's header parameters read from ``META`` by their WSGI name: ``request.headers`` would build a dict of
    every header on each call only to look up one."""

    @classmethod
    def get_request_data(cls, request, api, path_params):
        meta = request.META
        data = {}
        for name in cls.__ninja_flatten_map__:
            key = name.upper().replace("-", "_")
            value = meta.get(key if key in ("CONTENT_TYPE", "CONTENT_LENGTH") else "HTTP_" + key)
            if value is not None:
                data[name] = value
        return data


class Header(param_models.Header):
    """``ninja.Header`` (same name: ninja documents the parameter ``in: header`` after it) reading ``META``."""

    _model = MetaHeaderModel


class OptionalBearerAuth(BearerAuth):
    """No header: anonymous. A header with a bad or revoked token: 401."""

    def __call__(self, request):
        if not request.META.get("HTTP_AUTHORIZATION"):
            return ANONYMOUS
        result = super().__call__(request)
        if not result:
            raise AuthenticationError()
        return result


bearer = BearerAuth()
optional_bearer = OptionalBearerAuth()


class PublicRateThrottle(BaseThrottle):
    """``settings.PUBLIC_RATE_LIMIT`` requests a minute per client address, anonymous callers only."""

    scope = "public"
    window = 60

    def allow_request(self, request) -> bool:
        if isinstance(getattr(request, "auth", None), ApiToken):
            return True
        return ratelimit.hit(self.scope, ratelimit.client_address(request), limit=settings.PUBLIC_RATE_LIMIT)

    def wait(self) -> float:
        return ratelimit.retry_after(self.window)


public_throttle = PublicRateThrottle()


def caller(request) -> User:
    return request.auth.user


def require_role(request, *roles: str) -> User:
    """The calling user if their role is one of ``roles``, else 403 (``accounts.access.require_role``)."""
    return access.require_role(caller(request), *roles)


def officer_counter(request, mall_slug: str, number: int):
    """The calling officer and a counter of their agency in that mall (another agency's: 404).

    From the process's cache (``access.access_counter_cached``): its ``officer_id`` may be stale.
    """
    user = require_role(request, Role.OFFICER)
    return user, access.access_counter_cached(user, mall_slug, number)


STAFF_ROLES = (Role.OFFICER, Role.SUPERVISOR, Role.MANAGER, Role.SYSTEM)
