"""The live process's fan-out: one subscription and one document build per group, for all its sockets.

Each live (ASGI) process joins the channel layer once per group its sockets follow. When a hint
arrives it builds the group's document once (a zone's board, a service's queue summary; see
``snapshots``), in a thread, and sends the same text to every socket of the group, so a hall of
screens needs no request per change. Hints that arrive while a build runs are folded into one
more build: the document is the whole state, so the newest one is all a screen needs.
The manager's floor group carries the bare hint (the floor reads its own snapshot).
Apps above the queue add their own kinds of group (the back office's cases and desks) with
``register_document``, so the hub builds their documents without importing them.
A build that fails sends the bare hint too: screens then read their HTTP snapshot as before.
Each fan-out is logged under the id of the request that made the change (carried in the hint,
taken out before the screens get it).
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections import defaultdict
from collections.abc import Callable

from channels.db import database_sync_to_async
from channels.layers import get_channel_layer
from django.conf import settings

from satuatap import live, logs
from satuatap.directory.models import Mall, Service, Zone
from satuatap.queueing import snapshots

log = logging.getLogger(__name__)
REJOIN_SECONDS = 60

# kind of group ("case" for "case.12") -> builder(key) of its document, registered from AppConfig.ready
_document_builders: dict[str, Callable[[str], dict | None]] = {}


def register_document(kind: str, builder: Callable[[str], dict | None]) -> None:
    """Let the hub build the document of the groups ``<kind>.<key>`` (``builder(key)``; None: the bare hint)."""
    _document_builders[kind] = builder


def build_document(group: str) -> dict | None:
    """The document every socket of ``group`` gets with a hint (None: the bare hint)."""
    kind, _, key = group.partition(".")
    if kind == "zone":
        zone = Zone.objects.select_related("mall").filter(pk=key).first()
        if zone is None:
            return None
        mall = Mall.objects.prefetch_related("hours").get(pk=zone.mall_id)
        return snapshots.served_board(mall, zone)
    if kind == "service":
        service = Service.objects.select_related("mall").filter(pk=key).first()
        return None if service is None else snapshots.service_summary(service)
    builder = _document_builders.get(kind)
    return builder(key) if builder is not None else None


class Hub:
    """The groups of one event loop (one per live process) and their sockets."""

    def __init__(self, loop: asyncio.AbstractEventLoop):
        self.loop = loop
        self.layer = get_channel_layer()
        self.members: dict[str, set] = defaultdict(set)
        self.followers: dict[str, asyncio.Task] = {}
        self.pending: dict[str, tuple[dict, str]] = {}  # group -> (newest hint, its request id)
        self.building: dict[str, asyncio.Task] = {}

    async def subscribe(self, group: str) -> None:
        """Follow ``group`` (once per process). A consumer calls it before it accepts its socket: a hint sent
        after the screen saw its socket open reaches it, one sent before is in the snapshot it reads then."""
        if group not in self.followers:
            channel = await self.layer.new_channel()
            await self.layer.group_add(group, channel)
            if group in self.followers:  # another socket of the group subscribed meanwhile: one is enough
                await self.layer.group_discard(group, channel)
            else:
                self.followers[group] = self.loop.create_task(self._follow(group, channel))
        if not settings.REDIS_URL:
            from satuatap.queueing.relay import ensure_relay_running

            ensure_relay_running()

    async def join(self, group: str, consumer) -> None:
        await self.subscribe(group)
        self.members[group].add(consumer)

    def leave(self, group: str, consumer) -> None:
        # The subscription stays: the next screen of the group reuses it.
        self.members[group].discard(consumer)

    async def _follow(self, group: str, channel: str) -> None:
        joined = self.loop.time()
        while True:
            try:
                if self.loop.time() - joined > REJOIN_SECONDS:
                    # Redis forgets a group after its expiry, or all of them when it restarts empty.
                    await self.layer.group_add(group, channel)
                    joined = self.loop.time()
                message = await asyncio.wait_for(self.layer.receive(channel), timeout=REJOIN_SECONDS)
            except TimeoutError:
                continue
            except Exception:  # Redis away: screens poll meanwhile; try again shortly
                log.exception("live group %s not followed; retrying", group)
                joined = 0.0
                await asyncio.sleep(1)
                continue
            self.pending[group] = live.without_request_id(message.get("payload", {}))
            if group not in self.building:
                self.building[group] = self.loop.create_task(self._build_and_send(group))

    async def _build_and_send(self, group: str) -> None:
        try:
            while group in self.pending:
                payload, request_id = self.pending.pop(group)
                with logs.bind(request_id):
                    if self.members[group]:
                        await self._send(group, payload)
                    log.info(
                        "live fan-out group=%s event=%s event_id=%s sockets=%d",
                        group,
                        payload.get("event", "-"),
                        payload.get("event_id", "-"),
                        len(self.members[group]),
                    )
        finally:
            self.building.pop(group, None)

    async def _send(self, group: str, payload: dict) -> None:
        try:
            # A zone hint marked "board": false (a finish) is for its consoles: no board to build.
            wanted = not (group.startswith("zone.") and payload.get("board") is False)
            document = await database_sync_to_async(build_document)(group) if wanted else None
        except Exception:
            log.exception("live document of %s not built; its screens read their snapshots", group)
            document = None
        text = json.dumps({**payload, "doc": document} if document is not None else payload)
        sockets = list(self.members[group])
        results = await asyncio.gather(*(s.send(text_data=text) for s in sockets), return_exceptions=True)
        for failure in (r for r in results if isinstance(r, Exception)):
            log.debug("live send to a closing socket of %s failed: %s", group, failure)


_hub: Hub | None = None


def hub() -> Hub:
    """This process's hub (one per event loop: tests run several loops in turn)."""
    global _hub
    loop = asyncio.get_running_loop()
    if _hub is None or _hub.loop is not loop:
        _hub = Hub(loop)
    return _hub
