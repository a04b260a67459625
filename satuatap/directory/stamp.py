"""In-process caches of what the hot path reads on every request and what changes a few times a day.

Token → user, a mall's hours and closures, a counter and its services: each process keeps them in
memory, tagged with the number of the one ``CacheStamp`` row. Every writer of those rows moves the
number (``bump``: the service modules explicitly, plus model signals for the admin and the tests);
each process re-reads the number at most every ``STAMP_SECONDS`` and drops everything when it
moved. So a revoked token or a new closure takes effect in every process within a second,
and in the process that wrote it at once; a request in between costs no statement for the number.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Hashable

from django.db import connection
from django.db.models import F

from satuatap.directory.models import CacheStamp

STAMP_SECONDS = 0.5  # how stale another process's change may be seen; well under a second
_ONE_ROW = 1
_SIZE_LIMIT = 10_000  # entries per cache; beyond, start over (a scan of unknown keys must not grow memory)

clock: Callable[[], float] = time.monotonic  # tests replace it to step over the interval

_lock = threading.Lock()
_state = {"number": None, "read_at": float("-inf"), "generation": 0}
_caches: list[Cache] = []


def bump() -> None:
    """Move the number (inside the writer's transaction): every process drops its caches."""
    changed = CacheStamp.objects.filter(pk=_ONE_ROW).update(number=F("number") + 1)
    if not changed:
        CacheStamp.objects.get_or_create(pk=_ONE_ROW, defaults={"number": 1})
    forget()  # this process at once; the others within STAMP_SECONDS


def forget() -> None:
    """Drop every cached entry in this process and read the number again on next use."""
    with _lock:
        _state["number"], _state["read_at"] = None, float("-inf")
        _clear_all()


def _clear_all() -> None:
    """Empty every cache (the caller holds the lock); a load started before must not be stored."""
    _state["generation"] += 1
    for cache in _caches:
        cache.entries.clear()


def _read_number() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT number FROM directory_cachestamp WHERE id = %s", [_ONE_ROW])
        row = cursor.fetchone()
    return row[0] if row else 0


def current() -> int:
    """The stamp this process trusts now, re-read when older than STAMP_SECONDS."""
    now = clock()
    if now - _state["read_at"] < STAMP_SECONDS and _state["number"] is not None:
        return _state["number"]
    number = _read_number()
    with _lock:
        if number != _state["number"]:
            _clear_all()
        _state["number"], _state["read_at"] = number, now
    return number


class Cache:
    """A process-wide map filled by a loader, emptied whenever the stamp moves."""

    def __init__(self, name: str):
        self.name = name
        self.entries: dict[Hashable, object] = {}
        _caches.append(self)

    def get(self, key: Hashable, load: Callable[[], object]):
        current()
        with _lock:
            if key in self.entries:
                return self.entries[key]
        generation = _state["generation"]
        value = load()
        with _lock:
            if generation != _state["generation"]:
                return value  # the stamp moved while loading: use it once, keep nothing
            if len(self.entries) >= _SIZE_LIMIT:
                self.entries.clear()
            self.entries[key] = value
        return value


def bump_on_change(sender, update_fields=None, **kwargs) -> None:
    """Signal receiver: a save or delete of a cached model moves the stamp (the admin, fixtures, tests)."""
    if update_fields is not None and set(update_fields) <= {"last_login"}:
        return  # a sign-in stamps the user; nothing cached reads it
    bump()


def _bump_after_m2m(sender, action: str = "", **kwargs) -> None:
    if action.startswith("post_"):
        bump()


def watch(*models) -> None:
    """Move the stamp on every save, delete and many-to-many change of ``models`` (from ``AppConfig.ready``)."""
    from django.db.models.signals import m2m_changed, post_delete, post_save

    for model in models:
        post_save.connect(bump_on_change, sender=model, dispatch_uid=f"stamp-save-{model._meta.label}")
        post_delete.connect(bump_on_change, sender=model, dispatch_uid=f"stamp-delete-{model._meta.label}")
        for field in model._meta.local_many_to_many:
            m2m_changed.connect(
                _bump_after_m2m, sender=field.remote_field.through, dispatch_uid=f"stamp-m2m-{field.related_model}"
            )
