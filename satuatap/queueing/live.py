"""Announce queue changes to live screens. Messages are hints, never state.

Every screen rebuilds its state from an HTTP snapshot on (re)connect and on
each hint, so a lost hint costs a few seconds, never a wrong screen.
"""

from __future__ import annotations

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.conf import settings
from django.db import transaction


def zone_group(zone_id: int) -> str:
    return f"zone.{zone_id}"


def service_group(service_id: int) -> str:
    return f"service.{service_id}"


def mall_group(mall_id: int) -> str:
    return f"mall.{mall_id}"


def publish(groups: list[str], payload: dict) -> None:
    """Send a hint to groups once the current transaction commits."""
    transaction.on_commit(lambda: _send_now(groups, payload))


def _send_now(groups: list[str], payload: dict) -> None:
    if settings.REDIS_URL:
        layer = get_channel_layer()
        for group in groups:
            async_to_sync(layer.group_send)(group, {"type": "live.hint", "payload": payload})
        return
    # Embedded mode: the ASGI process relays these rows (see relay.py).
    from satuatap.queueing.models import LiveEvent

    LiveEvent.objects.bulk_create([LiveEvent(group=g, payload=payload) for g in groups])
