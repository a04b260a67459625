"""A fixed-window request counter in the cache, per client address.

Small on purpose: one ``cache.add`` and one ``cache.incr`` per request, shared
by every worker through the cache (Redis in production). Public endpoints of
the API use it through ``PublicRateThrottle`` (``satuatap.apiauth``); other
public forms (booking, complaints) can call ``hit`` directly::

    if not ratelimit.hit("booking", ratelimit.client_address(request), limit=10):
        ...  # answer 429

A window is a fixed stretch of ``window`` seconds: a client may burst up to
``limit`` at the end of one window and again at the start of the next, which
is fine for abuse protection and costs nothing to compute.
"""

from __future__ import annotations

import functools
import ipaddress
import time

from django.conf import settings
from django.core.cache import cache
from django.http import JsonResponse
from django.utils.translation import gettext as _


def client_address(request) -> str:
    """The address that made the request.

    ``REMOTE_ADDR``, unless it is a trusted reverse proxy (nginx) that appends the address it
    saw to ``X-Forwarded-For``: trusting that header from anyone else would let any client pick
    its own address. ``settings.TRUSTED_PROXIES`` names the proxies (addresses or networks): the
    client is then the rightmost hop that is not one of them. Otherwise ``settings.NUM_PROXIES``
    says how many proxies stand in front: the client is that many hops from the right.
    """
    remote = request.META.get("REMOTE_ADDR", "") or "unknown"
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    hops = [h.strip() for h in forwarded.split(",") if h.strip()]
    if settings.TRUSTED_PROXIES:
        trusted = _networks(tuple(settings.TRUSTED_PROXIES))
        if not _is_trusted(remote, trusted):
            return remote
        for hop in reversed(hops):
            if not _is_trusted(hop, trusted):
                return hop
        return hops[0] if hops else remote
    proxies = settings.NUM_PROXIES
    if proxies and hops:
        return hops[-min(proxies, len(hops))]
    return remote


@functools.lru_cache(maxsize=4)
def _networks(specs: tuple[str, ...]) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    return tuple(ipaddress.ip_network(spec, strict=False) for spec in specs)


def _is_trusted(address: str, networks) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False  # garbage in the header is the client's own word, never a proxy
    return any(ip in network for network in networks)


# The clock, a module attribute so a test can pin it inside one window.
clock = time.time


def _window(window: int, now: float | None) -> tuple[int, int]:
    """The current window's index and the seconds left in it."""
    now = clock() if now is None else now
    index = int(now // window)
    return index, max(1, int((index + 1) * window - now))


def hit(scope: str, ident: str, *, limit: int, window: int = 60, now: float | None = None) -> bool:
    """Count one request of ``ident`` in ``scope``; False when it is over ``limit`` in this window."""
    if limit <= 0:
        return True  # a limit of 0 switches limiting off
    index, left = _window(window, now)
    key = f"rl:{scope}:{ident}:{index}"
    # add() is a no-op when the key exists; the timeout outlives the window a little.
    cache.add(key, 0, timeout=left + 5)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=left + 5)
        count = 1
    return count <= limit


def retry_after(window: int = 60, now: float | None = None) -> int:
    """Seconds until the current window ends (for the Retry-After header)."""
    return _window(window, now)[1]


def public_page_limited(request, scope: str, limit_setting: str = "PUBLIC_RATE_LIMIT") -> bool:
    """Count one request to a public page; True when the client is over its limit (a setting) this minute."""
    return not hit(scope, client_address(request), limit=getattr(settings, limit_setting))


def limit_public_page(scope: str, *, limit_setting: str = "PUBLIC_RATE_LIMIT"):
    """Decorate a public page: past the limit (``PUBLIC_RATE_LIMIT`` requests this minute unless another
    setting is named) the client gets ``too_many_response``."""

    def decorator(view):
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            if public_page_limited(request, scope, limit_setting):
                return too_many_response()
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def too_many_response() -> JsonResponse:
    """The 429 a public page answers, in the API's error shape, with Retry-After."""
    response = JsonResponse({"detail": _("Terlalu banyak permintaan. Coba lagi sebentar."), "code": "rate_limited"})
    response.status_code = 429
    response["Retry-After"] = str(retry_after())
    return response
