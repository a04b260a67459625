"""Rate limits are shared by every web process and count the client behind a trusted proxy.

Two gunicorn processes on one database (and Redis on the PostgreSQL + Redis pass) serve the
same public endpoint: requests spread over both meet one limit. Before the shared cache each
process counted on its own, so N workers let N times the limit through.
"""

from __future__ import annotations

import os
import time
import urllib.error
import urllib.request

import pytest
from django.core.cache.backends.db import DatabaseCache
from django.db import connection
from django.test import RequestFactory

from satuatap import ratelimit
from satuatap.testing import make_world
from tests.browser.stack import PYTHON, Process, free_port

LIMIT = 4
API_URL = "/api/v1/malls/pekanbaru/agencies"


def get_status(url: str, forwarded_for: str = "") -> int:
    headers = {"X-Forwarded-For": forwarded_for} if forwarded_for else {}
    request = urllib.request.Request(url, headers=headers)  # noqa: S310 (http to a local test server)
    try:
        with urllib.request.urlopen(request, timeout=20) as response:  # noqa: S310 (a local test server)
            return response.status
    except urllib.error.HTTPError as err:
        return err.code


def database_url() -> str:
    s = connection.settings_dict
    if connection.vendor == "postgresql":
        return f"postgres://{s['USER']}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"
    return f"sqlite:///{s['NAME']}"


def wait_until_up(port: int, process: Process, deadline: float) -> None:
    while time.monotonic() < deadline:
        assert process.alive(), process.log.read_text()
        try:
            if get_status(f"http://127.0.0.1:{port}/healthz") == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise AssertionError(f"gunicorn on {port} did not start: {process.log.read_text()}")


@pytest.fixture
def two_web_processes(transactional_db, tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(
        DJANGO_SETTINGS_MODULE="satuatap.settings",
        SATUATAP_DEMO="1",
        SATUATAP_VAR=str(tmp_path),
        DATABASE_URL=database_url(),
        PUBLIC_RATE_LIMIT=str(LIMIT),
        NUM_PROXIES="1",  # nginx in front: the client is the last X-Forwarded-For hop
        CACHE_KEY_PREFIX=f"shared-limit-{os.getpid()}-{tmp_path.name}",
        LOG_LEVEL="WARNING",
    )
    ports = [free_port(), free_port()]
    processes = [
        Process(
            f"web{i}",
            [PYTHON, "-m", "gunicorn", "satuatap.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "1"],
            env,
            tmp_path / f"web{i}.log",
        )
        for i, port in enumerate(ports)
    ]
    try:
        for process in processes:
            process.start()
        deadline = time.monotonic() + 90
        for port, process in zip(ports, processes, strict=True):
            wait_until_up(port, process, deadline)
        yield [f"http://127.0.0.1:{port}" for port in ports]
    finally:
        for process in processes:
            process.stop()


def wait_for_a_fresh_window(seconds_needed: int = 20) -> None:
    """The limit counts per clock minute: start early in one so the test never straddles two."""
    while time.time() % 60 > 60 - seconds_needed:
        time.sleep(0.5)


def test_two_web_processes_share_one_limit(two_web_processes):
    make_world()  # committed: the servers see the mall
    first, second = two_web_processes
    wait_for_a_fresh_window()
    statuses = [get_status(f"{(first, second)[i % 2]}{API_URL}", "203.0.113.7") for i in range(LIMIT + 2)]
    # Counted together: the fifth request is refused whichever process gets it (each alone allowed 4).
    assert statuses == [200] * LIMIT + [429, 429]
    # Another citizen behind the same proxy has an allowance of its own.
    assert get_status(f"{first}{API_URL}", "203.0.113.8") == 200
    assert get_status(f"{second}{API_URL}", "203.0.113.8") == 200


def address(forwarded: str = "", remote: str = "10.0.0.1") -> str:
    request = RequestFactory().get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)
    return ratelimit.client_address(request)


def test_without_a_trusted_proxy_the_header_is_ignored(settings):
    settings.TRUSTED_PROXIES, settings.NUM_PROXIES = [], 0
    assert address("198.51.100.1") == "10.0.0.1"


def test_num_proxies_takes_the_hop_that_far_from_the_right(settings):
    settings.TRUSTED_PROXIES, settings.NUM_PROXIES = [], 1
    assert address("6.6.6.6, 198.51.100.1") == "198.51.100.1"  # the client forged the first hop
    settings.NUM_PROXIES = 2
    assert address("6.6.6.6, 198.51.100.1, 10.0.0.2") == "198.51.100.1"


def test_trusted_proxies_name_the_proxies(settings):
    settings.TRUSTED_PROXIES, settings.NUM_PROXIES = ["10.0.0.0/24", "192.168.5.5"], 0
    assert address("6.6.6.6, 198.51.100.1, 192.168.5.5", remote="10.0.0.1") == "198.51.100.1"
    assert address("198.51.100.1", remote="203.0.113.9") == "203.0.113.9"  # not through our proxy: ignored
    assert address("not-an-address", remote="10.0.0.1") == "not-an-address"  # never taken for a proxy
    assert address("", remote="10.0.0.1") == "10.0.0.1"


@pytest.mark.django_db
def test_the_database_cache_table_exists_and_counts(settings):
    cache = DatabaseCache("satuatap_cache", {"KEY_PREFIX": "t"})
    cache.add("rl:x", 0, timeout=60)
    assert cache.incr("rl:x") == 1 and cache.incr("rl:x") == 2
    assert "satuatap_cache" in connection.introspection.table_names()


def test_clearing_the_redis_cache_keeps_the_channel_layer_keys(redis_url):
    import redis

    from satuatap.sharedcache import PrefixScopedRedisCache

    client = redis.Redis.from_url(redis_url)
    other = f"wt-test-channels-{os.getpid()}"
    client.set(other, "group member", ex=60)
    cache = PrefixScopedRedisCache(redis_url, {"KEY_PREFIX": f"clear-test-{os.getpid()}"})
    cache.set("rl:a", 1, 60)
    cache.set("token:b", 2, 60)
    try:
        cache.clear()
        assert cache.get("rl:a") is None and cache.get("token:b") is None
        assert client.get(other) == b"group member"
    finally:
        client.delete(other)


@pytest.mark.parametrize(
    ("redis", "backend", "prefix"),
    [
        ("", "django.core.cache.backends.db.DatabaseCache", "mpp1:cache"),
        ("redis://127.0.0.1:6379/3", "satuatap.sharedcache.PrefixScopedRedisCache", "mpp1:cache"),
    ],
)
def test_the_settings_choose_a_shared_cache(tmp_path, redis, backend, prefix):
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "CACHE_KEY_PREFIX")}
    env.update(DJANGO_SETTINGS_MODULE="satuatap.settings", SATUATAP_VAR=str(tmp_path), CHANNELS_PREFIX="mpp1")
    if redis:
        env["REDIS_URL"] = redis
    code = (
        "from satuatap import settings as s; print(s.CACHES['default']['BACKEND'], s.CACHES['default']['KEY_PREFIX'])"
    )
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60, check=False
    )
    assert result.stdout.split() == [backend, prefix], result.stderr


def test_redis_down_costs_the_cache_never_the_request(db, monday_morning, settings, client):
    from django.core.cache import cache

    from satuatap.testing import bearer_as

    world = make_world()
    headers = bearer_as(world, "kiosk")  # issued before: the token lookup then meets the cache
    settings.CACHES = {
        "default": {
            "BACKEND": "satuatap.sharedcache.PrefixScopedRedisCache",
            "LOCATION": f"redis://127.0.0.1:{free_port()}/0",  # nobody listens there
            "KEY_PREFIX": "down",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
    settings.PUBLIC_RATE_LIMIT = 1
    assert cache.get("k", "miss") == "miss" and cache.add("k", 0) is False and cache.incr("k") == 0
    assert cache.clear() is False
    # Public reads are not limited while the counters are away (fail open), and a kiosk still issues.
    assert [client.get(API_URL).status_code for _ in range(3)] == [200, 200, 200]
    response = client.post(
        "/api/v1/malls/pekanbaru/tickets", {"service": "DUKCAPIL-KTP"}, content_type="application/json", headers=headers
    )
    assert response.status_code == 201, response.content
