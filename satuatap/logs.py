"""Logs: one line per request with a request id, and no token, NIK or phone number in any line.

- ``RedactFilter`` (on every handler, ``settings.LOGGING``) rewrites a record's message and traceback:
  a device/API token (``sat_…``), a ``Bearer`` value, a 16-digit NIK and an Indonesian phone number
  become placeholders. It is the last guard, not the first: code never logs those on purpose.
- ``RequestLogMiddleware`` takes ``X-Request-ID`` from the proxy (nginx ``$request_id``) or makes one,
  answers it back, and logs ``request method=… path=… status=… ms=…`` when the response leaves
  (the path only: a query string may carry what must not be logged).
- The id lives in a context variable, so every line logged while the request runs carries it
  (``RequestIdFilter``); the live process takes it from the WebSocket handshake
  (``RequestIdASGIMiddleware``) and the worker binds one per tick (``bind``).
"""

from __future__ import annotations

import contextlib
import contextvars
import json
import logging
import re
import time
import uuid

from django.core.signals import request_finished

_request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")

# What an incoming X-Request-ID may look like (anything else is replaced, never logged as given).
_GOOD_ID = re.compile(r"[A-Za-z0-9._:-]{1,64}")

_PATTERNS = [
    # An API/device token: "sat_" + 40 url-safe characters; its 6-character prefix is fine to show.
    (re.compile(r"\bsat_([A-Za-z0-9_-]{6})[A-Za-z0-9_-]+"), r"sat_\1…[token]"),
    (re.compile(r"(?i)\b(bearer\s+)\S+"), r"\1[token]"),
    # A NIK: 16 digits (not part of a longer number).
    (re.compile(r"(?<!\d)\d{16}(?!\d)"), "[nik]"),
    # An Indonesian mobile number: 08…, 628…, +62 8…, with optional spaces, dots or dashes.
    (re.compile(r"(?<![\w+])(?:\+62|62|0)[\s.-]?8(?:[\s.-]?\d){7,11}(?!\d)"), "[phone]"),
]


# Matches wherever any pattern above could (a superset: "sat_", "bearer", nine digits in a row with single
# separators, which both a NIK and a phone number need): most lines have none, and one search is a
# quarter of the four substitutions.
_MAYBE = re.compile(r"sat_|(?i:bearer)|\d(?:[\s.-]?\d){8}")


def redact(text: str) -> str:
    if not _MAYBE.search(text):
        return text
    for pattern, placeholder in _PATTERNS:
        text = pattern.sub(placeholder, text)
    return text


class RedactFilter(logging.Filter):
    """Rewrite the record in place (message with its arguments, and the traceback) with ``redact``."""

    _formatter = logging.Formatter()

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken format string: keep the template, never the arguments
            message = str(record.msg)
        record.msg, record.args = redact(message), None
        if record.exc_info and not record.exc_text:
            record.exc_text = self._formatter.formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True


class UvicornRedactFilter(RedactFilter):
    """``RedactFilter`` for uvicorn's own loggers, which also carry a coloured copy of the message to drop."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.__dict__.pop("color_message", None)
        return super().filter(record)


class RequestIdFilter(logging.Filter):
    """Give every record ``request_id`` (``-`` outside a request)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = _request_id.get()
        return True


class TextFormatter(logging.Formatter):
    """``logging.Formatter`` whose ``asctime`` has its date and time formatted once a second, not on every line."""

    _cached: tuple[int, str] = (-1, "")

    def formatTime(self, record: logging.LogRecord, datefmt: str | None = None) -> str:  # noqa: N802 (logging's name)
        if datefmt:
            return super().formatTime(record, datefmt)
        second, text = self._cached
        if second != int(record.created):
            second = int(record.created)
            text = time.strftime(self.default_time_format, self.converter(record.created))
            self._cached = (second, text)  # one assignment: another thread reads the old pair or the new one
        return self.default_msec_format % (text, record.msecs)


class JsonFormatter(logging.Formatter):
    """One JSON object per line (``LOG_FORMAT=json``), for a log collector."""

    def format(self, record: logging.LogRecord) -> str:
        line = {
            "at": self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z"),
            "level": record.levelname,
            "logger": record.name,
            "request_id": getattr(record, "request_id", "-"),
            "message": record.getMessage(),
            **getattr(record, "fields", {}),
        }
        if record.exc_info or record.exc_text:
            line["exception"] = record.exc_text or self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False, default=str)


def current_request_id() -> str:
    return _request_id.get()


def new_request_id() -> str:
    return uuid.uuid4().hex


def accepted_request_id(given: str | None) -> str:
    """The id a client or proxy sent when it is a plain short id, else a fresh one."""
    return given if given and _GOOD_ID.fullmatch(given) else new_request_id()


@contextlib.contextmanager
def bind(request_id: str):
    """Every line logged inside carries ``request_id``."""
    reset = _request_id.set(request_id)
    try:
        yield request_id
    finally:
        _request_id.reset(reset)


request_log = logging.getLogger("satuatap.request")


class RequestLogMiddleware:
    """Bind the request id, answer it in ``X-Request-ID``, and log one line per request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request_id = accepted_request_id(request.META.get("HTTP_X_REQUEST_ID"))
        request.request_id = request_id
        started = time.monotonic()
        # Not reset on the way out: Django logs a 4xx/5xx after the middleware returns. request_finished resets it.
        _request_id.set(request_id)
        response = self.get_response(request)
        response["X-Request-ID"] = request_id
        if request_log.isEnabledFor(logging.INFO):
            _log_request(request, response, round((time.monotonic() - started) * 1000, 1))
        return response


def _log_request(request, response, elapsed_ms: float) -> None:
    # A page's signed-in user; an API call has no request.user (satuatap.pagesonly) but its token's user.
    user = getattr(request, "user", None) or getattr(getattr(request, "auth", None), "user", None)
    fields = {
        "method": request.method,
        "path": request.path,
        "status": response.status_code,
        "ms": elapsed_ms,
        "user": getattr(user, "pk", None) or "-",
    }
    line = " ".join(f"{key}={value}" for key, value in fields.items())
    # What ``request_log.info`` does, without looking up the caller's file and line in the stack (nothing logs
    # them): one line on every request. The handlers' filters (redaction, the request id) run as for any record.
    record = request_log.makeRecord(
        request_log.name, logging.INFO, __file__, 0, "request %s", (line,), None, extra={"fields": fields}
    )
    request_log.handle(record)


def _forget_request_id(**_kwargs) -> None:
    _request_id.set("-")


request_finished.connect(_forget_request_id, dispatch_uid="satuatap.logs.forget_request_id")


class RequestIdASGIMiddleware:
    """For the live process: each WebSocket connection runs with the handshake's ``X-Request-ID`` (or a new id)."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        headers = dict(scope.get("headers") or [])
        given = headers.get(b"x-request-id", b"").decode("latin-1")
        with bind(accepted_request_id(given)):
            return await self.app(scope, receive, send)
