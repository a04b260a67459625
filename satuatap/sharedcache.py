"""The shared cache's Redis backend: safe beside the channel layer, and never a reason for an error.

- Django's ``RedisCache.clear()`` runs ``FLUSHDB``: on the Redis database that the channel layer
  shares it would drop every live group and queued message. ``clear()`` here deletes only the
  keys under this cache's own ``KEY_PREFIX`` (rate-limit counters and short lookups).
- The cache holds nothing that is not also somewhere else or safe to forget (counters, token
  lookups), so Redis being down must not turn a request into a 500: every operation that meets a
  Redis error logs it and answers as a cache miss (``get`` → default, writes → False, ``incr`` → 0,
  so a rate limit lets the request through while Redis is away).
"""

from __future__ import annotations

import functools
import logging

from django.core.cache.backends.redis import RedisCache

log = logging.getLogger(__name__)

_DELETE_BATCH = 500


def _miss_on_redis_error(answer):
    """Run the operation; on a Redis error log it and return ``answer(*args, **kwargs)`` instead."""

    def decorator(operation):
        @functools.wraps(operation)
        def wrapper(self, *args, **kwargs):
            import redis

            try:
                return operation(self, *args, **kwargs)
            except (redis.RedisError, OSError) as err:
                log.warning("cache %s skipped, Redis unavailable: %s", operation.__name__, err)
                return answer(*args, **kwargs)

        return wrapper

    return decorator


def _default_of_get(key, default=None, version=None):
    return default


class PrefixScopedRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        if not self.key_prefix:
            raise ValueError("PrefixScopedRedisCache needs a KEY_PREFIX: clear() deletes only the keys under it")

    get = _miss_on_redis_error(_default_of_get)(RedisCache.get)
    get_many = _miss_on_redis_error(lambda *a, **k: {})(RedisCache.get_many)
    has_key = _miss_on_redis_error(lambda *a, **k: False)(RedisCache.has_key)
    add = _miss_on_redis_error(lambda *a, **k: False)(RedisCache.add)
    set = _miss_on_redis_error(lambda *a, **k: None)(RedisCache.set)
    set_many = _miss_on_redis_error(lambda data, *a, **k: list(data))(RedisCache.set_many)
    touch = _miss_on_redis_error(lambda *a, **k: False)(RedisCache.touch)
    delete = _miss_on_redis_error(lambda *a, **k: False)(RedisCache.delete)
    delete_many = _miss_on_redis_error(lambda *a, **k: None)(RedisCache.delete_many)
    incr = _miss_on_redis_error(lambda *a, **k: 0)(RedisCache.incr)

    @_miss_on_redis_error(lambda *a, **k: False)
    def clear(self) -> bool:
        client = self._cache.get_client(write=True)
        pattern = self._glob_escape(self.key_prefix) + ":*"
        batch = []
        for key in client.scan_iter(match=pattern, count=_DELETE_BATCH):
            batch.append(key)
            if len(batch) >= _DELETE_BATCH:
                client.delete(*batch)
                batch = []
        if batch:
            client.delete(*batch)
        return True

    @staticmethod
    def _glob_escape(text: str) -> str:
        return "".join("\\" + c if c in "*?[]\\" else c for c in text)
