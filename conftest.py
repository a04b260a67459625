import datetime as dt
import os

import pytest

from satuatap.testing import MONDAY_MORNING, make_world

# SATUATAP_TEST_CLOCK=2027-12-02T03:00:00+00:00 runs the session on a shifted clock that keeps
# ticking (time-machine): datetime.now, date.today, time.time and django.utils.timezone.now start at
# that instant. SATUATAP_TEST_CLOCK_PER_TEST=1 sets the clock back to it at the start of every test,
# so that each test, not just the one that happens to run then, meets e.g. a midnight a moment later.
# It shows that no test depends on the real date or time of day; see "Time in tests" in
# docs/architecture.md. Not shifted: the database's clock (PostgreSQL now(), which the code never
# asks), file times on disk, subprocesses, and time.monotonic/perf_counter (timeouts stay real).
CLOCK_ENV = "SATUATAP_TEST_CLOCK"
PER_TEST_ENV = "SATUATAP_TEST_CLOCK_PER_TEST"
_shifted_clock = None  # (time_machine.travel, its Traveller, the instant) while a shifted run is on


def _clock_destination(value: str) -> dt.datetime:
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError as err:
        raise pytest.UsageError(f"{CLOCK_ENV}: {err}") from err
    if moment.tzinfo is None:
        raise pytest.UsageError(f"{CLOCK_ENV} needs an explicit UTC offset, e.g. 2027-12-02T14:59:00+00:00: {value!r}")
    # A fixed offset, never a ZoneInfo: time-machine would then also change the process's TZ.
    return moment.astimezone(dt.UTC)


def pytest_configure(config):
    global _shifted_clock
    value = os.environ.get(CLOCK_ENV, "").strip()
    if not value:
        return
    import time_machine

    destination = _clock_destination(value)
    travel = time_machine.travel(destination, tick=True)
    # Started before collection, so module-level constants see the shifted clock too.
    _shifted_clock = (travel, travel.start(), destination)


def pytest_unconfigure(config):
    global _shifted_clock
    if _shifted_clock is not None:
        _shifted_clock[0].stop()
        _shifted_clock = None


def pytest_report_header(config):
    if _shifted_clock is None:
        return None
    each = " (again for every test)" if os.environ.get(PER_TEST_ENV) == "1" else ""
    return f"shifted clock ({CLOCK_ENV}): {_shifted_clock[2].isoformat()}{each}"


@pytest.fixture(autouse=True)
def _shifted_clock_per_test():
    if _shifted_clock is not None and os.environ.get(PER_TEST_ENV) == "1":
        _shifted_clock[1].move_to(_shifted_clock[2], tick=True)


@pytest.fixture(autouse=True, scope="session")
def _fast_password_hashing():
    # Real hashing costs ~0.2 s per persona; tests check permissions, not PBKDF2.
    from django.conf import settings

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fresh_cache():
    # Rate-limit counters and token lookups live in the cache: no test inherits another's. On Redis the
    # cache is satuatap.sharedcache.PrefixScopedRedisCache under this test process's own prefix
    # (satuatap/project/settings_test.py): clear() deletes those keys only, never the channel layer's.
    # The in-process caches of the hot path too (directory.stamp): rows of another test's rolled-back
    # world may share ids and the stamp's number with this one's.
    from django.core.cache import cache

    from satuatap.directory import stamp

    cache.clear()
    stamp.forget()
    yield
    cache.clear()
    stamp.forget()


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    # Complaint attachments are written under PRIVATE_MEDIA_ROOT: a test writes into its own tmp dir, never var/.
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


@pytest.fixture
def monday_morning(time_machine):
    """The clock starts at ``MONDAY_MORNING`` and runs on for this test; returns that instant.

    For tests that issue and call tickets, or sum up a month, through code that reads the clock
    itself: they stay within one local day and month, and rows keep distinct, ordered timestamps.
    """
    time_machine.move_to(MONDAY_MORNING.astimezone(dt.UTC), tick=True)
    return MONDAY_MORNING


@pytest.fixture
def world(db):
    return make_world()


def require_service(name: str, reason: str):
    """A missing service skips locally but fails in CI, where it must exist."""
    import os

    if os.environ.get("CI") == "true":
        pytest.fail(f"{name} is required in CI: {reason}")
    pytest.skip(f"{name} not available: {reason}")


@pytest.fixture
def redis_url():
    import os

    import redis

    url = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0"
    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except redis.RedisError as err:
        require_service("Redis", str(err))
    return url
