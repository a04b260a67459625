"""Embedded mode only: relay LiveEvent rows into this process's in-memory layer.

Without Redis, gunicorn workers cannot reach the ASGI process, so they write
LiveEvent rows (one INSERT after commit). This loop, inside the single ASGI
process, reads new rows every LIVE_POLL_SECONDS and sends them to the groups.
It starts from the newest row at start-up: screens rebuild from snapshots anyway.
"""

import asyncio
import logging

from channels.db import database_sync_to_async
from channels.layers import get_channel_layer
from django.conf import settings

from satuatap.queueing.models import LiveEvent

log = logging.getLogger(__name__)
_task: asyncio.Task | None = None


def store_hints(groups: list[str], payload: dict) -> None:
    """The embedded-mode store of ``satuatap.live`` (registered in ``QueueingConfig.ready``)."""
    LiveEvent.objects.bulk_create([LiveEvent(group=g, payload=payload) for g in groups])


@database_sync_to_async
def _latest_id() -> int:
    return LiveEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0


@database_sync_to_async
def _rows_after(last_id: int):
    return list(LiveEvent.objects.filter(id__gt=last_id).order_by("id").values_list("id", "group", "payload")[:500])


async def _relay_forever():
    layer = get_channel_layer()
    last_id = await _latest_id()
    while True:
        try:
            for row_id, group, payload in await _rows_after(last_id):
                await layer.group_send(group, {"type": "live.hint", "payload": payload})
                last_id = row_id
        except Exception:  # a locked or restarting database must not kill the relay
            log.exception("live relay failed; retrying")
        await asyncio.sleep(settings.LIVE_POLL_SECONDS)


def ensure_relay_running() -> None:
    global _task
    if _task is None or _task.done():
        _task = asyncio.get_running_loop().create_task(_relay_forever())
