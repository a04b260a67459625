"""Who may follow which live channel: a display device only its own zone, the floor only managers and supervisors."""

import asyncio

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.db import connections
from django.test import Client

from satuatap.accounts.tokens import issue_token
from satuatap.asgi import application
from satuatap.testing import make_world

pytestmark = pytest.mark.django_db(transaction=True)


def _session_cookie(login) -> str:
    client = Client()
    login(client)
    return client.cookies["sessionid"].value if "sessionid" in client.cookies else ""


def _connects(path: str, cookie: str = "") -> tuple[bool, int | None]:
    async def attempt():
        headers = [(b"origin", b"http://127.0.0.1")]
        if cookie:
            headers.append((b"cookie", f"sessionid={cookie}".encode()))
        communicator = WebsocketCommunicator(application, path, headers=headers)
        connected, code = await communicator.connect()
        await communicator.disconnect()
        # The consumer's database thread keeps a connection; close it so the test database can be dropped.
        await database_sync_to_async(connections.close_all)()
        return connected, (None if connected else code)

    return asyncio.run(attempt())


def test_a_display_device_follows_its_own_zone_and_no_other():
    world = make_world()
    _, raw = issue_token(world.users["display_a"], zone=world.zones["A"])
    cookie = _session_cookie(lambda c: c.post("/device/", {"code": raw}))
    assert cookie
    assert _connects("/ws/zone/pekanbaru/A/", cookie) == (True, None)
    assert _connects("/ws/zone/pekanbaru/B/", cookie) == (False, 4403)


def test_anyone_may_follow_a_zone_or_a_service_but_not_the_floor():
    make_world()
    assert _connects("/ws/zone/pekanbaru/B/") == (True, None)
    assert _connects("/ws/service/pekanbaru/DUKCAPIL-KTP/") == (True, None)
    assert _connects("/ws/mall/pekanbaru/") == (False, 4403)
    assert _connects("/ws/zone/pekanbaru/Z/") == (False, 4404)


def test_the_floor_channel_is_for_the_manager_and_supervisors_only():
    world = make_world()
    manager = _session_cookie(lambda c: c.force_login(world.users["manager"]))
    officer = _session_cookie(lambda c: c.force_login(world.users["officer1"]))
    assert _connects("/ws/mall/pekanbaru/", manager) == (True, None)
    assert _connects("/ws/mall/pekanbaru/", officer) == (False, 4403)
