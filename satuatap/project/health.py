"""Health checks for a load balancer or a process supervisor.

``/healthz``: this process answers (no database, no Redis: a liveness probe that a slow
database must not fail). ``/readyz``: the database answers a query and, when ``REDIS_URL`` is
set, Redis answers a PING; otherwise 503 with the failed check named, so the balancer stops
sending requests here until it recovers. Neither touches the session or says anything secret.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache

log = logging.getLogger(__name__)

# Short: a probe that waits longer than the balancer's own timeout tells it nothing.
REDIS_TIMEOUT_SECONDS = 1


def _database() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:  # any driver error means "not ready"
        log.warning("readyz: database check failed", exc_info=True)
        return False


def _redis() -> bool:
    import redis

    try:
        client = redis.Redis.from_url(
            settings.REDIS_URL, socket_connect_timeout=REDIS_TIMEOUT_SECONDS, socket_timeout=REDIS_TIMEOUT_SECONDS
        )
        try:
            return bool(client.ping())
        finally:
            client.close()
    except redis.RedisError:
        log.warning("readyz: Redis check failed", exc_info=True)
        return False


@never_cache
def healthz(request):
    return JsonResponse({"status": "ok"})


@never_cache
def readyz(request):
    checks = {"database": _database()}
    if settings.REDIS_URL:
        checks["redis"] = _redis()
    ready = all(checks.values())
    body = {
        "status": "ok" if ready else "unavailable",
        "checks": {k: "ok" if v else "failed" for k, v in checks.items()},
    }
    response = JsonResponse(body, status=200 if ready else 503)
    if not ready:
        response["Retry-After"] = "5"
    return response
