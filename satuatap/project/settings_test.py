"""Settings for the test suite (pytest.ini): the project's settings with the demo flag on.

The flag goes into the environment, not only into this module, so that every server, worker
and management command a test starts as a subprocess runs as the demo too.
"""

import os

os.environ["SATUATAP_DEMO"] = "1"

from satuatap.settings import *  # noqa: E402, F403

# Rate-limit counters: Redis on the PostgreSQL + Redis pass, under a prefix of this test process
# (parallel runs on one Redis never clear each other's keys); without Redis, process memory, so that
# tests without database access can still count (the database cache is tested on its own).
if REDIS_URL:  # noqa: F405
    CACHES["default"]["KEY_PREFIX"] = f"{CACHE_KEY_PREFIX}:pytest{os.getpid()}"  # noqa: F405
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
