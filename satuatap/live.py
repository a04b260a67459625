"""Announce changes to live screens. Messages are hints, never state.

Every screen rebuilds its state from an HTTP snapshot on (re)connect and on
each hint, so a lost hint costs a few seconds, never a wrong screen. That is why
a hint that cannot be sent (Redis down, a full channel) is logged and dropped: the
write that caused it is already committed and must still be answered as a success.

With Redis the hint goes to the channel layer's groups, all of one change in one call after commit
(each live process subscribes once per group and fans out to its sockets, ``queueing/hub.py``). With the
settings' pub/sub layer on a ``redis://`` or ``unix://`` URL that call is one write of ``PUBLISH`` commands,
as raw RESP on a socket this process keeps, from the request's own thread: the bytes and Redis channels of
the layer's ``group_send`` (its ``serialize``, its group channel names), without redis-py's pipeline or the
hop to an event loop and back. Any other layer (or URL) gets the hint through its own ``group_send`` on
this process's one event loop. Without Redis (the embedded mode) it goes to the store an app registers
with ``set_embedded_store``; the queue registers one that writes rows its ASGI process relays at once,
woken by a datagram (``queueing/relay.py``).

What a process keeps for this (the socket, the event loop, the route chosen from the settings) lives in
one holder, made again in a forked child (``os.register_at_fork``: a gunicorn worker never writes on its
parent's socket) and, for the route and socket, when a test changes ``REDIS_URL`` or ``CHANNEL_LAYERS``.

A hint carries the id of the request that made the change (``REQUEST_ID``, from ``satuatap.logs``):
the live process logs its fan-out under that id and takes it out before screens get the hint, so
one id follows a call from the console's request to the boards it reached.
"""

from __future__ import annotations

import asyncio
import logging
import os
import select
import socket
import threading
from collections.abc import Callable
from urllib.parse import unquote, urlsplit

from channels.layers import get_channel_layer
from django.conf import settings
from django.core.signals import setting_changed
from django.db import transaction

from satuatap import logs

log = logging.getLogger(__name__)
REQUEST_ID = "request_id"  # the payload's key for the request id; screens never see it
PUBSUB_BACKEND = "channels_redis.pubsub.RedisPubSubChannelLayer"

_embedded_store: Callable[[list[str], dict], None] | None = None
MAX_UNREAD = 1000  # PUBLISH replies owed before a publish waits for them (``RespPublisher``)
SEND_SECONDS = 5  # a hint Redis has not taken by then is dropped (and logged): the write was saved long before


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


class RedisError(Exception):
    """Redis answered a command with an error (``-ERR …``)."""


def _command(*parts: bytes) -> bytes:
    """One command in RESP: an array of bulk strings."""
    return b"*%d\r\n" % len(parts) + b"".join(b"$%d\r\n%s\r\n" % (len(part), part) for part in parts)


class RespPublisher:
    """``PUBLISH`` commands written as RESP on one kept socket to the Redis of a ``redis://`` or ``unix://`` URL.

    A publish does not wait for its reply (but a new socket's first): it reads the replies that have arrived
    (the earlier hints'), sends, and reads again without waiting, so a hint costs the request no round trip
    to Redis. An error reply or a socket Redis closed is noticed at one of those reads, one hint later at
    most; hints still owed a reply then are logged as possibly not sent. Past ``MAX_UNREAD`` replies owed a
    publish waits for them (a stalled Redis times out). A kept socket found closed (Redis restarted since)
    is replaced once at once and the hint sent again; a new socket that fails, a timeout or an error reply
    raises (``send_now`` logs it). ``PUBLISH`` works on any database number: none is selected.
    """

    def __init__(self, url: str):
        parts = urlsplit(url)
        self.unix_path = parts.path if parts.scheme == "unix" else None
        self.address = (parts.hostname or "localhost", parts.port or 6379)
        password = unquote(parts.password) if parts.password else None
        username = unquote(parts.username) if parts.username else None
        self.auth = [p.encode() for p in (username, password) if p] if password else []
        self.sock: socket.socket | None = None
        self.unread = 0  # replies Redis owes on this socket
        self.received = b""  # the start of a reply whose end has not arrived
        self.lock = threading.Lock()

    def _connect(self) -> None:
        """A new kept socket, authenticated when the URL has a password (its reply read as a hint's is)."""
        if self.unix_path is not None:
            sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            sock.settimeout(SEND_SECONDS)
            try:
                sock.connect(self.unix_path)
            except BaseException:
                sock.close()
                raise
        else:
            sock = socket.create_connection(self.address, timeout=SEND_SECONDS)
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.sock = sock
        if self.auth:
            try:
                sock.sendall(_command(b"AUTH", *self.auth))
                self.unread = 1
                self._read_arrived(wait=True)
            except BaseException:
                self.close()
                raise

    def publish(self, channels: list[bytes], message: bytes) -> None:
        data = b"".join(_command(b"PUBLISH", channel, message) for channel in channels)
        with self.lock:
            kept, fresh = self.sock is not None, False
            while True:
                if self.sock is None:
                    self._connect()
                    fresh = True
                mine = 0  # this hint's replies, once sent
                try:
                    # The earlier hints' replies first: a socket Redis closed shows here, before this hint is
                    # written to it. Past the bound of replies owed, wait for them (a stalled Redis times out).
                    self._read_arrived(wait=self.unread + len(channels) > MAX_UNREAD)
                    self.sock.sendall(data)
                    mine = len(channels)
                    self.unread += mine
                    # A new socket's first hint waits for its reply (Redis takes our commands there: no ACL
                    # error, no death at birth); later ones read what has arrived (an error reply raises now).
                    self._read_arrived(wait=fresh)
                    return
                except (ConnectionError, EOFError):
                    owed = self.unread - mine
                    if owed:  # written before Redis went away and never confirmed: logged, not lost silently
                        log.error("%d earlier live hint(s) possibly not sent: Redis closed the connection", owed)
                    self.close()
                    if not kept:
                        raise
                    kept = False  # the one reconnect: Redis may have restarted since the socket was made
                except BaseException:
                    self.close()  # a timeout or an error reply: what the socket holds next is unknown
                    raise

    def _read_arrived(self, *, wait: bool) -> None:
        """Read the replies owed that have arrived (every one when ``wait``); an error reply raises
        ``RedisError``, a closed socket ``EOFError``."""
        while self.unread:
            if not wait and not select.select([self.sock], [], [], 0)[0]:
                return
            chunk = self.sock.recv(4096)
            if not chunk:
                raise EOFError("Redis closed the connection")
            lines = (self.received + chunk).split(b"\r\n")
            self.received = lines.pop()  # an unfinished reply waits for its end
            self.unread = max(0, self.unread - len(lines))
            for line in lines:
                if line.startswith(b"-"):
                    raise RedisError(line[1:].decode("utf-8", "replace"))

    def close(self) -> None:
        self.unread, self.received = 0, b""
        if self.sock is not None:
            sock, self.sock = self.sock, None
            sock.close()


class _Process:
    """What this process keeps for hints: the route chosen from the settings (with its publisher) and the event
    loop of the layer's own ``group_send``, both made on first use."""

    def __init__(self):
        self.lock = threading.Lock()
        self.route: Callable[[list[str], dict], None] | None = None
        self.publisher: RespPublisher | None = None
        self.loop: asyncio.AbstractEventLoop | None = None

    def forget_route(self) -> None:
        with self.lock:
            if self.publisher is not None:
                self.publisher.close()
            self.route = self.publisher = None


_process = _Process()


def _after_fork() -> None:
    """A forked child (a gunicorn worker) starts empty: the parent's socket, loop thread and locks are not its own."""
    global _process
    _process = _Process()


os.register_at_fork(after_in_child=_after_fork)


def _forget_route(*, setting, **_kwargs) -> None:
    if setting in ("REDIS_URL", "CHANNEL_LAYERS"):
        _process.forget_route()


setting_changed.connect(_forget_route, dispatch_uid="satuatap.live.forget_route")


def _choose_route(process: _Process) -> Callable[[list[str], dict], None]:
    """How hints leave this process with the current settings (the caller holds ``process.lock``)."""
    if not settings.REDIS_URL:
        return _send_embedded
    config = settings.CHANNEL_LAYERS.get("default", {})
    options = config.get("CONFIG") or {}
    hosts = options.get("hosts") or []
    if (
        config.get("BACKEND") == PUBSUB_BACKEND
        and len(hosts) == 1
        and isinstance(hosts[0], str)
        and urlsplit(hosts[0]).scheme in ("redis", "unix")
    ):
        process.publisher = RespPublisher(hosts[0])
        serialize = get_channel_layer().serialize  # the layer's own bytes: msgpack, or encrypted when configured
        group_channel = options.get("prefix", "asgi") + "__group__"  # the layer's group channel names
        publisher = process.publisher

        def publish_direct(groups: list[str], payload: dict) -> None:
            message = serialize({"type": "live.hint", "payload": payload})
            publisher.publish([(group_channel + group).encode() for group in groups], message)

        return publish_direct
    return _send_through_layer


def _send_embedded(groups: list[str], payload: dict) -> None:
    if _embedded_store is None:
        raise RuntimeError("no embedded live store registered (is the queueing app installed?)")
    _embedded_store(groups, payload)


def _send_through_layer(groups: list[str], payload: dict) -> None:
    """Any other channel layer: its own ``group_send`` on this process's one event loop (the layer keeps its Redis
    connections per loop: a new loop per hint, ``async_to_sync`` from a sync worker, would connect for each)."""
    process = _process
    if process.loop is None:
        with process.lock:
            if process.loop is None:
                loop = asyncio.new_event_loop()
                threading.Thread(target=loop.run_forever, name="live-hints", daemon=True).start()
                process.loop = loop
    sent = asyncio.run_coroutine_threadsafe(_send_all(groups, payload), process.loop)
    try:
        sent.result(timeout=SEND_SECONDS)  # any thread may wait: the loop runs in its own
    except TimeoutError:
        sent.cancel()
        raise


def _send(groups: list[str], payload: dict) -> None:
    process = _process
    route = process.route
    if route is None:
        with process.lock:
            if process.route is None:
                process.route = _choose_route(process)
            route = process.route
    route(groups, payload)
