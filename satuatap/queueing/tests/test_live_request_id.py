"""The request id travels with a live hint: the live process logs its fan-out under it, screens never see it."""

import asyncio
import json
import logging

import pytest
from channels.db import database_sync_to_async
from channels.layers import channel_layers, get_channel_layer
from channels.testing import WebsocketCommunicator
from django.db import connections

from satuatap import live
from satuatap.asgi import application
from satuatap.logs import RequestIdFilter
from satuatap.queueing import relay
from satuatap.testing import bearer_as, make_world


class Records(logging.Handler):
    def __init__(self):
        super().__init__()
        self.addFilter(RequestIdFilter())
        self.lines: list[tuple[str, str]] = []

    def emit(self, record):
        self.lines.append((record.request_id, record.getMessage()))


@pytest.fixture
def hub_log():
    handler = Records()
    logger = logging.getLogger("satuatap.queueing.hub")
    level = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    yield handler.lines
    logger.removeHandler(handler)
    logger.setLevel(level)


def test_a_hint_carries_the_id_of_the_request_that_made_the_change(
    client, world, monday_morning, monkeypatch, django_capture_on_commit_callbacks
):
    sent = []
    monkeypatch.setattr(live, "send_now", lambda groups, payload: sent.append(payload))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/api/v1/malls/pekanbaru/tickets",
            {"service": "DUKCAPIL-KTP"},
            content_type="application/json",
            headers={**bearer_as(world, "kiosk"), "X-Request-ID": "lb-issue-7"},
        )
    assert response.status_code == 201
    assert sent and all(payload[live.REQUEST_ID] == "lb-issue-7" for payload in sent)
    assert live.without_request_id(sent[0]) == (
        {"event": "issued", "event_id": sent[0]["event_id"], "ticket": response.json()["id"]},
        "lb-issue-7",
    )


@pytest.mark.django_db(transaction=True)
def test_the_live_process_logs_the_fan_out_under_the_request_id_and_screens_get_the_hint_without_it(
    settings, tmp_path, monday_morning, hub_log
):
    settings.REDIS_URL = ""
    settings.LIVE_BELL_DIR = str(tmp_path / "bell")
    settings.CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
    channel_layers.backends.clear()
    world = make_world()
    zone = live.zone_group(world.zones["A"].pk)

    async def scenario():
        board = WebsocketCommunicator(application, "/ws/zone/pekanbaru/A/", headers=[(b"origin", b"http://127.0.0.1")])
        assert (await board.connect())[0]
        try:
            payload = {"event": "called", "event_id": 5, "ticket": 1, live.REQUEST_ID: "lb-call-9"}
            await get_channel_layer().group_send(zone, {"type": "live.hint", "payload": payload})
            return json.loads(await board.receive_from(timeout=5))
        finally:
            await board.disconnect()
            if relay._task is not None:
                relay._task.cancel()
                relay._task = None
            await database_sync_to_async(connections.close_all)()

    received = asyncio.run(scenario())
    channel_layers.backends.clear()
    assert live.REQUEST_ID not in received
    assert {key: received[key] for key in ("event", "event_id", "ticket")} == {
        "event": "called",
        "event_id": 5,
        "ticket": 1,
    }
    assert ("lb-call-9", f"live fan-out group={zone} event=called event_id=5 sockets=1") in hub_log
