"""Hints through the settings' pub/sub channel layer: one pipelined PUBLISH from the writing thread.

``live`` publishes the bytes the layer's ``group_send`` would, on its own kept Redis connection; a
member of the group (a live process, for its screens) gets them as from the layer. With a private
Redis killed, writes still answer 2xx; when it returns, the next hint gets through on the kept
client (it reconnects) and a screen that reconnects reads a snapshot with the writes of the outage.
"""

import asyncio
import logging
import shutil
import uuid

import pytest
from channels.layers import channel_layers, get_channel_layer

from bench.faults import OwnRedis
from conftest import require_service
from satuatap import live
from satuatap.queueing import tickets
from satuatap.queueing.models import LiveEvent, Ticket, TicketStatus
from satuatap.testing import bearer_as, seat

API = "/api/v1/malls/pekanbaru"
PUBSUB = "channels_redis.pubsub.RedisPubSubChannelLayer"


def use_pubsub_layer(settings, url: str) -> None:
    """The production layer (settings.py) on ``url``, with a prefix of this test's own."""
    settings.REDIS_URL = url
    settings.CHANNEL_LAYERS = {
        "default": {"BACKEND": PUBSUB, "CONFIG": {"hosts": [url], "prefix": f"test-{uuid.uuid4().hex[:8]}"}}
    }
    channel_layers.backends.clear()


async def joined(group: str):
    """A member of ``group`` on the layer (as a live process joins for its screens), subscribed."""
    layer = get_channel_layer()
    channel = await layer.new_channel()
    await layer.group_add(group, channel)
    await asyncio.sleep(0.2)  # Redis has taken the SUBSCRIBE before anything is published
    return layer, channel


def post(client, url, headers, data=None):
    return client.post(url, data or {}, content_type="application/json", headers=headers)


@pytest.mark.django_db
def test_a_hint_reaches_a_member_of_the_pubsub_layer_in_one_round_trip(settings, redis_url, monkeypatch):
    use_pubsub_layer(settings, redis_url)
    sent_through_layer = []
    monkeypatch.setattr(live, "_send_all", lambda *args: sent_through_layer.append(args))

    async def scenario():
        layer, channel = await joined("zone.7")
        await asyncio.to_thread(live.send_now, ["zone.7", "mall.1"], {"event": "called", "event_id": 7})
        return await asyncio.wait_for(layer.receive(channel), timeout=5)

    try:
        message = asyncio.run(scenario())
    finally:
        channel_layers.backends.clear()
    assert message == {"type": "live.hint", "payload": {"event": "called", "event_id": 7}}
    assert sent_through_layer == []  # published directly, not through the layer's event loop
    assert not LiveEvent.objects.exists()


@pytest.fixture
def own_redis():
    if shutil.which("redis-server") is None:
        require_service("redis-server", "apt-get install redis-server")
    redis = OwnRedis()
    redis.start()
    yield redis
    redis.kill()


@pytest.mark.django_db(transaction=True)  # real commits: hints go after them, as in production
def test_writes_answer_2xx_while_redis_is_down_and_screens_catch_up_when_it_returns(
    client, world, settings, own_redis, caplog
):
    use_pubsub_layer(settings, own_redis.url)
    seat(world, 1)
    kiosk, officer = bearer_as(world, "kiosk"), bearer_as(world, "officer1")
    caplog.set_level(logging.ERROR, logger="satuatap.live")
    ktp = world.services["DUKCAPIL-KTP"]
    live.send_now([live.mall_group(world.mall.pk)], {"event": "warm-up"})  # the kept connection exists
    assert "not sent" not in caplog.text

    own_redis.kill()
    numbers = [post(client, f"{API}/tickets", kiosk, {"service": "DUKCAPIL-KTP"}) for _ in range(2)]
    called = post(client, f"{API}/counters/1/call-next", officer)
    finished = post(client, f"{API}/tickets/{called.json()['id']}/finish", officer)
    assert [r.status_code for r in [*numbers, called, finished]] == [201, 201, 200, 200]
    assert Ticket.objects.get(pk=called.json()["id"]).status == TicketStatus.DONE
    failures = [r for r in caplog.records if r.name == "satuatap.live" and "not sent" in r.getMessage()]
    assert len(failures) == 4  # each write's hint logged as lost, none raised

    own_redis.start()
    zone = live.zone_group(ktp.agency.zone_id)

    async def screen_reconnects():
        layer, channel = await joined(zone)
        issued = await asyncio.to_thread(tickets.issue_ticket, ktp)  # the next write after the outage
        return issued, await asyncio.wait_for(layer.receive(channel), timeout=5)

    try:
        issued, message = asyncio.run(screen_reconnects())
    finally:
        channel_layers.backends.clear()
    assert message["payload"]["event"] == "issued" and message["payload"]["ticket"] == issued.pk
    board = client.get(f"{API}/display").json()  # what a screen reads on a hint or on reconnecting
    assert board["waiting"]["DUKCAPIL-KTP"] == 2  # the outage's second ticket and the new one
    assert called.json()["number"] in [call["number"] for call in board["called"]]


def test_a_forked_child_keeps_nothing_of_its_parents_hint_socket(settings, redis_url):
    import os

    use_pubsub_layer(settings, redis_url)
    try:
        live.send_now(["zone.7"], {"event": "warm-up"})
        assert live._process.publisher.sock is not None  # the parent's kept socket
        child = os.fork()
        if child == 0:  # a gunicorn worker after the fork: a fresh holder, no socket, no loop
            fresh = live._process.route is None and live._process.publisher is None and live._process.loop is None
            os._exit(0 if fresh else 1)
        _, status = os.waitpid(child, 0)
        assert os.waitstatus_to_exitcode(status) == 0
        assert live._process.publisher.sock is not None  # the parent's is untouched
    finally:
        channel_layers.backends.clear()


def test_an_error_reply_from_redis_raises_and_the_socket_is_dropped():
    import socket

    publisher = live.RespPublisher("redis://127.0.0.1:1/0")
    ours, redis_side = socket.socketpair()
    publisher.sock = ours
    redis_side.sendall(b"-NOAUTH Authentication required.\r\n")
    with pytest.raises(live.RedisError, match="NOAUTH"):
        publisher.publish([b"asgi__group__zone.7"], b"hint")
    assert publisher.sock is None  # the next hint connects afresh
    sent = redis_side.recv(4096)
    assert sent == b"*3\r\n$7\r\nPUBLISH\r\n$19\r\nasgi__group__zone.7\r\n$4\r\nhint\r\n"  # RESP, as redis-py sends
    redis_side.close()


def test_a_publish_does_not_wait_for_its_reply_and_reads_the_earlier_ones_later():
    import socket

    publisher = live.RespPublisher("redis://127.0.0.1:1/0")
    ours, redis_side = socket.socketpair()
    ours.settimeout(2)  # waiting for a reply would fail the test with a timeout
    publisher.sock = ours
    publisher.publish([b"asgi__group__zone.7", b"asgi__group__mall.1"], b"hint")
    assert publisher.unread == 2  # sent, nothing read: no round trip to Redis in the request
    redis_side.sendall(b":1\r\n:0\r")  # the second reply arrives in two pieces
    publisher.publish([b"asgi__group__zone.7"], b"next")
    assert (publisher.unread, publisher.received) == (2, b":0\r")  # the first read; the rest is owed
    redis_side.sendall(b"\n:1\r\n")
    publisher.publish([b"asgi__group__zone.7"], b"third")
    assert (publisher.unread, publisher.received) == (1, b"")
    assert publisher.sock is ours
    redis_side.sendall(b"-ERR something\r\n")  # an error reply to the third hint surfaces at the next publish
    with pytest.raises(live.RedisError, match="something"):
        publisher.publish([b"asgi__group__zone.7"], b"fourth")
    assert publisher.sock is None and publisher.unread == 0
    redis_side.close()


def test_past_the_bound_of_unread_replies_a_publish_waits_for_them(monkeypatch):
    import socket

    monkeypatch.setattr(live, "MAX_UNREAD", 2)
    publisher = live.RespPublisher("redis://127.0.0.1:1/0")
    ours, redis_side = socket.socketpair()
    ours.settimeout(0.5)
    publisher.sock = ours
    publisher.publish([b"a", b"b"], b"hint")  # two owed: at the bound, not past it
    with pytest.raises(TimeoutError):  # a Redis that answers nothing: the third waits, times out
        publisher.publish([b"c"], b"hint")
    assert publisher.sock is None  # dropped: the next hint connects afresh
    redis_side.close()


def test_hints_owed_a_reply_when_redis_goes_away_are_logged_not_lost_silently(caplog):
    import socket

    publisher = live.RespPublisher("redis://127.0.0.1:1/0")  # nothing listens there: the reconnect fails
    ours, redis_side = socket.socketpair()
    ours.settimeout(2)
    publisher.sock = ours
    publisher.publish([b"asgi__group__zone.7"], b"hint")  # written; its reply is still owed
    redis_side.close()  # Redis goes away before answering
    caplog.set_level(logging.ERROR, logger="satuatap.live")
    with pytest.raises(ConnectionError):
        publisher.publish([b"asgi__group__zone.7"], b"next")  # its own failure raises (send_now logs it)
    assert "1 earlier live hint(s) possibly not sent" in caplog.text
    assert publisher.sock is None and publisher.unread == 0
