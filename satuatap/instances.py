"""Model instances on the hot path, made without Django's general machinery where it only costs.

- ``detached``: a copy of a cached instance (each request gets its own; the cache's stays untouched).
- ``from_values``: an instance from a row whose values are already the fields' Python values.

Both give the instance ``Model.__init__`` and ``copy.copy`` would give, checked by
``tests/test_instances.py``; they skip the general steps those take for any model.
"""

from __future__ import annotations

from django.db.models import signals
from django.db.models.base import ModelState


def detached(instance):
    """A shallow copy of a model instance, as ``copy.copy`` makes it (``Model.__getstate__``: its own attributes and
    its own cache of related objects, the related objects themselves shared) without pickling's round trip
    (``__reduce_ex__``, ``model_unpickle``, a registry lookup): a copy of a cached row on every API call."""
    clone = object.__new__(type(instance))
    attributes = instance.__dict__.copy()
    state = object.__new__(ModelState)
    state.__dict__.update(instance._state.__dict__)
    state.fields_cache = instance._state.fields_cache.copy()
    attributes["_state"] = state
    clone.__dict__ = attributes
    return clone


def from_values(model, row: dict, db: str):
    """``model.from_db(db, list(row), list(row.values()))`` for a row (attname -> value) of *every* concrete
    field, each value already the field's Python value (no ``to_python`` needed: psycopg's types, aware
    datetimes). The instance's attributes are a copy of ``row``.

    ``Model.__init__`` sets each value through its descriptor and sends ``pre_init``/``post_init``; for a new
    instance with every field given, the descriptors store the value in ``__dict__`` as this does. A model with
    init receivers (an image field's dimensions, say), or a row short of a field, takes Django's own path."""
    if (
        len(row) != len(model._meta.concrete_fields)
        or signals.pre_init.has_listeners(model)
        or signals.post_init.has_listeners(model)
    ):
        return model.from_db(db, list(row), list(row.values()))
    instance = object.__new__(model)
    state = object.__new__(ModelState)
    state.db, state.adding, state.fields_cache = db, False, {}
    instance.__dict__ = {**row, "_state": state}
    return instance
