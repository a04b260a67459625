"""Who is calling the API, what they may do, and the API's own refusal type.

Private endpoints use ``bearer``: ``Authorization: Bearer <token>`` resolved by
``accounts.tokens.resolve_token`` (hashed, cached). Public endpoints use
``optional_bearer`` plus ``public_throttle``: anonymous callers are counted per
address; a caller with a valid token is not (a display board, an agency system)
and a bad token is refused rather than silently ignored.
"""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext as _
from ninja import Schema
from ninja.errors import AuthenticationError
from ninja.security import HttpBearer
from ninja.throttling import BaseThrottle

from satuatap import ratelimit
from satuatap.accounts.models import ApiToken, Role, User
from satuatap.accounts.tokens import resolve_token
from satuatap.directory.models import Mall


class Error(Schema):
    """Every 4xx answer (422 adds ``errors``)."""

    detail: str
    code: str


class FieldError(Schema):
    field: str
    message: str


class ValidationErrorOut(Error):
    errors: list[FieldError]


# What a public endpoint may refuse with (documented in the OpenAPI document).
PUBLIC_REFUSALS = {401: Error, 404: Error, 429: Error}


class ApiError(Exception):
    """A refusal answered as ``{"detail", "code"}`` (and ``errors`` for 422)."""

    def __init__(self, status: int, code: str, message: str, errors: list[dict] | None = None):
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.errors = errors


def not_found(code: str, message: str) -> ApiError:
    return ApiError(404, code, message)


def invalid_fields(errors: list[dict]) -> ApiError:
    """422 naming each bad field: ``errors`` is ``[{"field", "message"}]``."""
    fields = ", ".join(dict.fromkeys(e["field"] for e in errors))
    return ApiError(422, "invalid", _("Data tidak sah: %(fields)s.") % {"fields": fields}, errors)


def invalid(field: str, message: str) -> ApiError:
    return invalid_fields([{"field": field, "message": message}])


def forbidden(code: str, message: str) -> ApiError:
    return ApiError(403, code, message)


class _Anonymous:
    """``request.auth`` of a public call without a token (truthy, so ninja lets it through)."""

    user = None
    zone = None
    zone_id = None

    def __bool__(self):
        return True


ANONYMOUS = _Anonymous()


class BearerAuth(HttpBearer):
    def authenticate(self, request, token: str) -> ApiToken | None:
        return resolve_token(token.strip())


class OptionalBearerAuth(BearerAuth):
    """No header: anonymous. A header with a bad or revoked token: 401."""

    def __call__(self, request):
        if not request.headers.get(self.header):
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
    """The calling user if their role is one of ``roles``, else 403."""
    user = caller(request)
    if user.is_superuser or user.role in roles:
        return user
    raise forbidden("role_not_allowed", _("Peran Anda tidak boleh melakukan tindakan ini."))


def require_own_mall(user: User, mall: Mall) -> None:
    if not user.is_superuser and user.mall_id != mall.pk:
        raise forbidden("other_mall", _("Akun ini milik mal lain."))


def get_mall(slug: str, *, with_hours: bool = False) -> Mall:
    """An active mall by slug, or 404. ``with_hours`` prefetches what ``open_state`` reads."""
    malls = Mall.objects.active()
    if with_hours:
        malls = malls.prefetch_related("hours")
    mall = malls.filter(slug=slug).first()
    if mall is None:
        raise not_found("mall_not_found", _("Mal tidak ditemukan."))
    return mall


STAFF_ROLES = (Role.OFFICER, Role.SUPERVISOR, Role.MANAGER, Role.SYSTEM)
