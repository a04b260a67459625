"""The JSON API v1 (see shared api-contract): one NinjaAPI, a router per app.

Every 4xx answers ``{"detail": <message>, "code": <machine code>}``; a 422 adds
``errors: [{field, message}]`` naming each bad field. That holds for ninja's
own refusals too (401, 404 of an unknown path, 405, 429, bad JSON), which is
why the default exception handlers are replaced here.
"""

from __future__ import annotations

import functools

from django.http import Http404, HttpResponseNotAllowed
from django.urls import re_path
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, AuthorizationError, HttpError, Throttled, ValidationError

from satuatap import outage
from satuatap.apiauth import BearerAuth, OptionalBearerAuth
from satuatap.refusal import OWN_CODE_422, Refused


def _error_body(code: str, message: str, errors: list[dict] | None = None) -> dict:
    body = {"detail": message, "code": code}
    if errors is not None:
        body["errors"] = errors
    return body


def _invalid_detail(errors: list[dict]) -> str:
    fields = ", ".join(dict.fromkeys(e["field"] for e in errors))
    return _("Data tidak sah: %(fields)s.") % {"fields": fields}


def _has_nul(request) -> bool:
    if "\x00" in request.path or "%00" in request.META.get("QUERY_STRING", ""):
        return True
    if request.method in ("POST", "PUT", "PATCH"):
        body = request.body
        return b"\x00" in body or b"\\u0000" in body
    return False


class SatuatapAPI(NinjaAPI):
    def _get_urls(self):
        urls = super()._get_urls()
        for pattern in urls:
            callback = getattr(pattern, "callback", None)
            if callback is not None:
                pattern.callback = self._guard(callback)
        # Anything else under /api/v1/ is a JSON 404, not Django's HTML page.
        urls.append(re_path(r"^.*$", self._unknown_path, name="unknown-path"))
        return urls

    def _guard(self, view):
        """Refuse NUL characters before any query (PostgreSQL cannot take them); 405 as JSON."""

        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            if _has_nul(request):
                return self.error(request, 400, "bad_characters", _("Permintaan berisi karakter yang tidak sah."))
            try:
                response = view(request, *args, **kwargs)
            except Http404:  # ninja's API root view raises it
                return self._unknown_path(request)
            if isinstance(response, HttpResponseNotAllowed):
                allowed = response["Allow"]
                response = self.error(request, 405, "method_not_allowed", _("Metode HTTP ini tidak didukung."))
                response["Allow"] = allowed
            return response

        return wrapper

    def get_openapi_schema(self, *args, **kwargs):
        """Every operation may answer 503 ``unavailable`` while the database is unreachable. Public endpoints take a
        bearer token but do not need one: in OpenAPI, ``security: [{}, {BearerAuth}]`` (``{}`` = no authentication),
        instead of a second, required-looking scheme of their own."""
        schema = super().get_openapi_schema(*args, **kwargs)
        unavailable = {
            "description": "Service Unavailable: the database cannot be reached; nothing changed, retry after "
            "the seconds in Retry-After",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
        }
        optional = OptionalBearerAuth.__name__
        for methods in schema.get("paths", {}).values():
            for operation in methods.values():
                operation["responses"].setdefault(503, unavailable)
                if operation.get("security") == [{optional: []}]:
                    operation["security"] = [{}, {BearerAuth.__name__: []}]
        schemes = schema.get("components", {}).get("securitySchemes", {})
        schemes.pop(optional, None)
        return schema

    def _unknown_path(self, request, *args, **kwargs):
        return self.error(request, 404, "not_found", _("Alamat API tidak ditemukan."))

    def error(self, request, status: int, code: str, message: str, errors: list[dict] | None = None):
        return self.create_response(request, _error_body(code, message, errors), status=status)


api = SatuatapAPI(
    title="satuatap API",
    version="1",
    urls_namespace="api",
    description="Direktori, antrean dan petugas Mal Pelayanan Publik. Lihat api-contract.",
)

_HTTP_CODES = {
    401: ("unauthorized", lambda: _("Token tidak ada, tidak dikenal, atau sudah dicabut.")),
    403: ("forbidden", lambda: _("Anda tidak boleh melakukan tindakan ini.")),
    404: ("not_found", lambda: _("Tidak ditemukan.")),
    429: ("rate_limited", lambda: _("Terlalu banyak permintaan. Coba lagi sebentar lagi.")),
}


@api.exception_handler(Refused)
def _refused(request, exc: Refused):
    """The one place a service's refusal becomes an answer: ``{detail, code}``; a 422 names its field in ``errors``."""
    if exc.status != 422:
        return api.error(request, exc.status, exc.code, exc.message)
    errors = [{"field": exc.field or "__all__", "message": exc.message}]
    if exc.code in OWN_CODE_422:
        return api.error(request, 422, exc.code, exc.message, errors)
    return api.error(request, 422, "invalid", _invalid_detail(errors), errors)


def _unavailable(request, exc):
    """The database is unreachable: nothing was saved, try again (``satuatap.outage``)."""
    response = api.error(request, 503, "unavailable", outage.unavailable_detail())
    response["Retry-After"] = str(outage.RETRY_AFTER_SECONDS)
    return response


for _outage_error in outage.OUTAGE_ERRORS:
    api.exception_handler(_outage_error)(_unavailable)


@api.exception_handler(Http404)
def _not_found(request, exc):
    return api.error(request, 404, "not_found", _("Tidak ditemukan."))


@api.exception_handler(HttpError)
def _http_error(request, exc: HttpError):
    if isinstance(exc, AuthenticationError):
        code, message = _HTTP_CODES[401]
    elif isinstance(exc, AuthorizationError):
        code, message = _HTTP_CODES[403]
    elif isinstance(exc, Throttled):
        code, message = _HTTP_CODES[429]
    else:
        code, message = _HTTP_CODES.get(exc.status_code, ("error", lambda: str(exc)))
    if exc.status_code == 400:  # ninja's "Cannot parse request body"
        return api.error(request, 400, "malformed_body", _("Badan permintaan bukan JSON yang sah."))
    return api.error(request, exc.status_code, code, message())


def _field_name(loc) -> str:
    """``("body", "payload", "service")`` -> ``service``; ``("query", "zone")`` -> ``zone``."""
    parts = [str(p) for p in loc]
    if parts and parts[0] == "body":
        parts = parts[2:] if len(parts) > 2 else ["__body__"]
    elif parts:
        parts = parts[1:]
    return ".".join(parts) or "__all__"


def _field_message(error: dict) -> str:
    kind = error.get("type", "")
    if kind == "missing":
        return _("Wajib diisi.")
    if kind.startswith("string"):
        return _("Harus berupa teks.")
    if kind.startswith(("int", "float")):
        return _("Harus berupa bilangan.")
    if kind.startswith("bool"):
        return _("Harus berupa true atau false.")
    if kind.startswith(("model", "dict")):
        return _("Harus berupa objek JSON.")
    return _("Nilai tidak sah.")


@api.exception_handler(ValidationError)
def _validation_error(request, exc: ValidationError):
    errors = [{"field": _field_name(e.get("loc", ())), "message": _field_message(e)} for e in exc.errors]
    return api.error(request, 422, "invalid", _invalid_detail(errors), errors)


def _register_routers() -> None:
    from satuatap.booking.api import router as booking_router
    from satuatap.cases.api import router as cases_router
    from satuatap.complaints.api import router as complaint_router
    from satuatap.evaluation.api import router as evaluation_router
    from satuatap.evaluation.national_api import router as national_router
    from satuatap.feedback.api import router as feedback_router
    from satuatap.mallsite.api import router as directory_router
    from satuatap.queueing.api import router as queue_router
    from satuatap.queueing.staff_api import router as staff_router
    from satuatap.reports.api import router as reports_router
    from satuatap.reports.numbers_api import router as numbers_router
    from satuatap.reports.open_data_api import router as open_data_router

    api.add_router("/", directory_router)
    api.add_router("/", staff_router)
    api.add_router("/", queue_router)
    api.add_router("/", feedback_router)
    api.add_router("/", reports_router)
    api.add_router("/", numbers_router)
    api.add_router("/", open_data_router)
    api.add_router("/", evaluation_router)
    api.add_router("/", national_router)
    api.add_router("/", complaint_router)
    api.add_router("/", booking_router)
    api.add_router("/", cases_router)


_register_routers()
