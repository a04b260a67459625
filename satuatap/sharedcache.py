"""The shared cache's Redis backend, safe beside the channel layer.

Django's ``RedisCache.clear()`` runs ``FLUSHDB``: on the Redis database that the channel layer
shares it would drop every live group and queued message. This backend's ``clear()`` deletes
only the keys under its own ``KEY_PREFIX`` (rate-limit counters and short lookups), so a test
or an operator clearing the cache never touches anything else.
"""

from __future__ import annotations

from django.core.cache.backends.redis import RedisCache

_DELETE_BATCH = 500


class PrefixScopedRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        if not self.key_prefix:
            raise ValueError("PrefixScopedRedisCache needs a KEY_PREFIX: clear() deletes only the keys under it")

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
