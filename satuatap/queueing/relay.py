"""Embedded mode only: relay LiveEvent rows into this process's in-memory layer.

Without Redis, gunicorn workers cannot reach the ASGI process's memory, so they write
LiveEvent rows (one INSERT after commit) and ring a doorbell: one datagram to each live
process's Unix socket in LIVE_BELL_DIR. The relay loop, inside each ASGI process, reads the
new rows as soon as the bell rings, and every LIVE_POLL_SECONDS anyway: a lost datagram (or a
process without a socket) costs at most that second, never a hint.
It starts from the newest row at start-up: screens rebuild from snapshots anyway.
"""

import asyncio
import atexit
import contextlib
import logging
import os
import socket
from pathlib import Path

from channels.db import database_sync_to_async
from channels.layers import get_channel_layer
from django.conf import settings
from django.db import connection
from django.utils import timezone

from satuatap.queueing.models import LiveEvent

log = logging.getLogger(__name__)
_task: asyncio.Task | None = None
MAX_SOCKET_PATH = 100  # sockaddr_un holds 108 bytes


def store_hints(groups: list[str], payload: dict) -> None:
    """The embedded-mode store of ``satuatap.live`` (registered in ``QueueingConfig.ready``).

    One INSERT of every group's row, written by hand: it follows every write of the queue, and the
    ORM's ``bulk_create`` cost more than the queue's own statements (the simulated day measured it)."""
    if not groups:
        return
    value = LiveEvent._meta.get_field("payload").get_db_prep_save(payload, connection)
    created = connection.ops.adapt_datetimefield_value(timezone.now())
    rows = ", ".join(["(%s, %s, %s)"] * len(groups))
    params = [item for group in groups for item in (group, value, created)]
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO queueing_liveevent ({_LIVE_COLUMNS}) VALUES {rows}", params)  # noqa: S608
    ring_bells()


_LIVE_COLUMNS = '"group", payload, created_at'  # "group" is an SQL keyword


def _bell_dir() -> Path:
    return Path(settings.LIVE_BELL_DIR)


def ring_bells() -> None:
    """Wake every live process now; a bell nobody answers is dropped (its process polls)."""
    try:
        paths = list(_bell_dir().glob("*.sock"))
    except OSError:
        return
    if not paths:
        return
    with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as sender:
        sender.setblocking(False)
        for path in paths:
            try:
                sender.sendto(b"1", str(path))
            except ConnectionRefusedError:  # a process that died without removing its socket
                with contextlib.suppress(OSError):
                    path.unlink()
            except OSError:  # full buffer, gone meanwhile: the relay's poll catches up
                pass


def _drain(bell: socket.socket, rung: asyncio.Event) -> None:
    """Read every datagram waiting (their content does not matter) and wake the relay."""
    with contextlib.suppress(BlockingIOError, InterruptedError):
        while bell.recv(64):
            pass
    rung.set()


async def _open_bell(rung: asyncio.Event) -> None:
    """This process's doorbell socket; without one the relay only polls."""
    directory = _bell_dir()
    path = directory / f"{os.getpid()}.sock"
    if len(str(path)) > MAX_SOCKET_PATH:
        log.warning("live doorbell path %s is too long; the relay polls every %ss", path, settings.LIVE_POLL_SECONDS)
        return
    try:
        directory.mkdir(parents=True, exist_ok=True)
        with contextlib.suppress(FileNotFoundError):
            path.unlink()
        bell = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        bell.setblocking(False)
        bell.bind(str(path))
        # A reader callback rather than create_datagram_endpoint: uvloop (uvicorn's loop) has no Unix datagrams.
        asyncio.get_running_loop().add_reader(bell.fileno(), _drain, bell, rung)
    except Exception:  # the relay must run without its bell rather than not at all
        log.exception("live doorbell %s not opened; the relay polls every %ss", path, settings.LIVE_POLL_SECONDS)
        return
    atexit.register(lambda: path.unlink(missing_ok=True))


@database_sync_to_async
def _latest_id() -> int:
    return LiveEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0


@database_sync_to_async
def _rows_after(last_id: int):
    return list(LiveEvent.objects.filter(id__gt=last_id).order_by("id").values_list("id", "group", "payload")[:500])


async def _relay_forever():
    layer = get_channel_layer()
    rung = asyncio.Event()
    await _open_bell(rung)
    last_id = await _latest_id()
    while True:
        try:
            for row_id, group, payload in await _rows_after(last_id):
                await layer.group_send(group, {"type": "live.hint", "payload": payload})
                last_id = row_id
        except Exception:  # a locked or restarting database must not kill the relay
            log.exception("live relay failed; retrying")
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(rung.wait(), timeout=settings.LIVE_POLL_SECONDS)
        rung.clear()


def ensure_relay_running() -> None:
    global _task
    if _task is None or _task.done():
        _task = asyncio.get_running_loop().create_task(_relay_forever())
