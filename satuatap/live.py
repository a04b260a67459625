"""Announce changes to live screens. Messages are hints, never state.

Every screen rebuilds its state from an HTTP snapshot on (re)connect and on
each hint, so a lost hint costs a few seconds, never a wrong screen. That is why
a hint that cannot be sent (Redis down, a full channel) is logged and dropped: the
write that caused it is already committed and must still be answered as a success.

With Redis the hint goes to the channel layer's groups, all of one change in one call
after commit (each live process subscribes once per group and fans out to its sockets,
``queueing/hub.py``). With the settings' pub/sub layer that call is one pipelined round of
``PUBLISH`` on a connection this process keeps, sent from the request's own thread: the bytes and
Redis channels of the layer's ``group_send``, without the hop to an event loop and back (measured:
60 µs of CPU and 0.13 ms per change instead of 270 µs and 0.3 ms). Without Redis (the embedded mode)
it goes to the store an app registers with ``set_embedded_store``; the queue registers one that
writes rows its ASGI process relays at once, woken by a datagram (``queueing/relay.py``).

A hint carries the id of the request that made the change (``REQUEST_ID``, from ``satuatap.logs``):
the live process logs its fan-out under that id and takes it out before screens get the hint, so
one id follows a call from the console's request to the boards it reached.
"""

from __future__ import annotations

import asyncio
import logging
import os
import threading
from collections.abc import Callable

import redis
from channels.layers import get_channel_layer
from channels_redis.pubsub import RedisPubSubChannelLayer
from django.conf import settings
from django.db import transaction
from redis.backoff import NoBackoff
from redis.retry import Retry

from satuatap import logs

log = logging.getLogger(__name__)
REQUEST_ID = "request_id"  # the payload's key for the request id; screens never see it

_embedded_store: Callable[[list[str], dict], None] | None = None
SEND_SECONDS = 5  # a hint Redis has not taken by then is dropped (and logged): the write was saved long before

# One event loop per process sends every hint: the channel layer keeps its Redis connections per loop, so a
# new loop per hint (``async_to_sync`` from a sync worker) would connect to Redis again for each change.
_sender_lock = threading.Lock()
_sender: dict[str, object] = {"pid": None, "loop": None}


def zone_group(zone_id: int) -> str:
    return f"zone.{zone_id}"


def service_group(service_id: int) -> str:
    return f"service.{service_id}"


def mall_group(mall_id: int) -> str:
    return f"mall.{mall_id}"


def case_group(case_id: int) -> str:
    """A case's public tracking pages (their socket proves the citizen knows the case)."""
    return f"case.{case_id}"


def desk_group(agency_id: int) -> str:
    """An agency's back-office desks (its officers and supervisor)."""
    return f"desk.{agency_id}"


def mall_desk_group(mall_id: int) -> str:
    """The mall manager's desk: every agency's cases."""
    return f"desks.{mall_id}"


def set_embedded_store(store: Callable[[list[str], dict], None]) -> None:
    """Where hints go without Redis: ``store(groups, payload)`` (called from ``AppConfig.ready``)."""
    global _embedded_store
    _embedded_store = store


def publish(groups: list[str], payload: dict) -> None:
    """Send a hint to groups once the current transaction commits, stamped with the current request id."""
    request_id = logs.current_request_id()
    if request_id != "-":
        payload = {**payload, REQUEST_ID: request_id}
    transaction.on_commit(lambda: send_now(groups, payload))


def without_request_id(payload: dict) -> tuple[dict, str]:
    """The hint as screens get it, and the request id it carried (``-`` when none)."""
    screen_payload = dict(payload)
    return screen_payload, screen_payload.pop(REQUEST_ID, "-")


def send_now(groups: list[str], payload: dict) -> None:
    """Send a hint now. A failure is logged, never raised: the hint is only a hint."""
    try:
        _send(groups, payload)
    except Exception:
        log.exception("live hint %r to %s not sent; screens catch up from their snapshots", payload, groups)


async def _send_all(groups: list[str], payload: dict) -> None:
    """Every group's message in one event-loop run, concurrently: one round of Redis calls per change."""
    layer = get_channel_layer()
    message = {"type": "live.hint", "payload": payload}
    await asyncio.gather(*(layer.group_send(group, message) for group in groups))


def _sender_loop() -> asyncio.AbstractEventLoop:
    """This process's hint loop, started on first use (after gunicorn forked the worker: a pid check)."""
    pid = os.getpid()
    if _sender["pid"] != pid:
        with _sender_lock:
            if _sender["pid"] != pid:
                loop = asyncio.new_event_loop()
                threading.Thread(target=loop.run_forever, name="live-hints", daemon=True).start()
                _sender["loop"], _sender["pid"] = loop, pid
    return _sender["loop"]


# Per process (after gunicorn's fork) and Redis URL: the client that publishes hints of the pub/sub layer.
_publishers: dict[tuple[int, str], redis.Redis] = {}


def _pubsub_target(layer) -> tuple[str, str] | None:
    """(Redis URL, channel prefix) when ``layer`` is the pub/sub layer on one Redis given by URL, else None."""
    if not isinstance(layer, RedisPubSubChannelLayer) or layer._args:
        return None
    hosts = layer._kwargs.get("hosts") or []
    if len(hosts) != 1 or not isinstance(hosts[0], str):
        return None  # several shards or a host given otherwise: the layer's own group_send picks the shard
    return hosts[0], layer._kwargs.get("prefix", "asgi")


def _publish_direct(layer, target: tuple[str, str], groups: list[str], payload: dict) -> None:
    """What ``group_send`` of the pub/sub layer sends for each group, as one pipelined round trip."""
    url, prefix = target
    key = (os.getpid(), url)
    client = _publishers.get(key)
    if client is None:
        # One reconnect at once (a connection kept across a Redis restart is dead), no back-off: while Redis
        # is down every write's hint fails in milliseconds, not after redis-py's default retries of seconds.
        once = Retry(NoBackoff(), retries=1, supported_errors=(redis.ConnectionError,))
        client = redis.Redis.from_url(url, socket_timeout=SEND_SECONDS, socket_connect_timeout=SEND_SECONDS, retry=once)
        _publishers[key] = client
    message = layer.serialize({"type": "live.hint", "payload": payload})
    with client.pipeline(transaction=False) as pipe:
        for group in groups:
            pipe.publish(f"{prefix}__group__{group}", message)  # the layer's group channel name
        pipe.execute()


def _send(groups: list[str], payload: dict) -> None:
    if settings.REDIS_URL:
        layer = get_channel_layer()
        target = _pubsub_target(layer)
        if target is not None:
            _publish_direct(layer, target, groups, payload)
            return
        sent = asyncio.run_coroutine_threadsafe(_send_all(groups, payload), _sender_loop())
        try:
            sent.result(timeout=SEND_SECONDS)  # any thread may wait: the loop runs in its own
        except TimeoutError:
            sent.cancel()
            raise
        return
    if _embedded_store is None:
        raise RuntimeError("no embedded live store registered (is the queueing app installed?)")
    _embedded_store(groups, payload)
