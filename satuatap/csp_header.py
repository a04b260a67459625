"""django-csp's middleware with the settings' policy built once, not twice on every response.

``csp.middleware.CSPMiddleware`` builds the header from ``CONTENT_SECURITY_POLICY`` and again from
``CONTENT_SECURITY_POLICY_REPORT_ONLY`` for each response (about a tenth of the stack's own time on a
token API call, ``bench/stack_cost.py``). For a response that changes nothing (no nonce asked for, no
``@csp_update``/``@csp_replace``/``@csp`` on the view) the header is the same every time: it is built once
per process and again when a test changes those settings. A customised response takes django-csp's own
path, so the headers are exactly django-csp's in every case.
"""

from __future__ import annotations

import functools
import http.client

from csp import middleware as csp
from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.utils import build_policy
from django.conf import settings
from django.core.signals import setting_changed

_SETTINGS = ("CONTENT_SECURITY_POLICY", "CONTENT_SECURITY_POLICY_REPORT_ONLY")
# What a view or a decorator may set on its response to change the policy (csp.decorators).
_RESPONSE_PARTS = ("_csp_config", "_csp_update", "_csp_replace", "_csp_config_ro", "_csp_update_ro", "_csp_replace_ro")
_DEBUG_EXEMPT = (http.client.INTERNAL_SERVER_ERROR, http.client.NOT_FOUND)


@functools.cache
def _settings_headers() -> tuple[tuple[str, str, str, tuple[str, ...]], ...]:
    """(header, value, exempt attribute, excluded path prefixes) for the enforced and the report-only policy."""
    out = []
    for header, report_only, exempt, name in (
        (HEADER, False, "_csp_exempt", _SETTINGS[0]),
        (HEADER_REPORT_ONLY, True, "_csp_exempt_ro", _SETTINGS[1]),
    ):
        value = build_policy(report_only=report_only)
        prefixes = tuple((getattr(settings, name, None) or {}).get("EXCLUDE_URL_PREFIXES", None) or ())
        if value:
            out.append((header, value, exempt, prefixes))
    return tuple(out)


def _forget(*, setting, **_kwargs) -> None:
    if setting in _SETTINGS:
        _settings_headers.cache_clear()


setting_changed.connect(_forget, dispatch_uid="satuatap.csp_header.forget")


class CSPMiddleware(csp.CSPMiddleware):
    def process_response(self, request, response):
        if isinstance(getattr(request, "_csp_nonce", None), str) or any(
            getattr(response, part, None) is not None for part in _RESPONSE_PARTS
        ):
            return super().process_response(request, response)
        if response.status_code in _DEBUG_EXEMPT and settings.DEBUG:
            return response
        for header, value, exempt, prefixes in _settings_headers():
            if header not in response and not getattr(response, exempt, False):
                if not request.path_info.startswith(prefixes):
                    response[header] = value
        # As django-csp: a nonce asked for after the header is written is an error, not a silent gap.
        request.csp_nonce = csp.CheckableLazyObject(self._csp_nonce_post_response)
        return response
