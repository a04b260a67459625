"""Live screens at a hall's scale: each change builds one document that every screen of a group shares."""

import asyncio
import json

import pytest
from channels.db import database_sync_to_async
from channels.layers import channel_layers, get_channel_layer
from channels.testing import WebsocketCommunicator
from django.db import connections
from django.urls import reverse

from satuatap import live
from satuatap.asgi import application
from satuatap.queueing import hints, relay, snapshots, tickets
from satuatap.queueing.models import Ticket
from satuatap.testing import make_world, seat


def test_a_finish_tells_the_zone_no_board_changed_and_a_call_does():
    assert hints.payload_for("finished", 5, 9) == {"event": "finished", "event_id": 5, "ticket": 9, "board": False}
    assert hints.payload_for("started", 5, 9)["board"] is False
    assert hints.payload_for("no_show", 5, 9)["board"] is False
    for action in ("issued", "called", "recalled", "cancelled", "transferred"):
        assert "board" not in hints.payload_for(action, 5, 9)


def test_the_hints_of_a_finish_carry_board_false(world, django_capture_on_commit_callbacks, monkeypatch):
    sent = []
    monkeypatch.setattr(live, "send_now", lambda groups, payload: sent.append((groups, payload)))
    officer = seat(world, 1)
    ktp = world.services["DUKCAPIL-KTP"]
    with django_capture_on_commit_callbacks(execute=True):
        tickets.issue_ticket(ktp)
    with django_capture_on_commit_callbacks(execute=True):
        ticket = tickets.call_next(world.counters[1], officer)
    with django_capture_on_commit_callbacks(execute=True):
        tickets.finish(ticket, officer)
    (issued_groups, issued), (_, called), (finished_groups, finished) = sent
    zone = live.zone_group(ktp.agency.zone_id)
    assert zone in issued_groups and live.service_group(ktp.pk) in issued_groups
    assert "board" not in issued and "board" not in called
    assert zone in finished_groups and finished["board"] is False


def test_the_summary_lists_the_queue_in_call_order_and_the_ticket_page_reads_its_position_from_it(client, world):
    ktp = world.services["DUKCAPIL-KTP"]
    first = tickets.issue_ticket(ktp)
    second = tickets.issue_ticket(ktp)
    elder = tickets.issue_ticket(ktp, priority_group="lansia")
    summary = snapshots.service_summary(ktp)
    assert summary["waiting"] == [elder.pk, first.pk, second.pk]  # priority first, then first come
    for ticket in (first, second, elder):
        fresh = Ticket.objects.get(pk=ticket.pk)
        assert summary["waiting"].index(ticket.pk) == snapshots.position(fresh)
    data = client.get(reverse("ticket_snapshot", args=[second.public_code])).json()
    assert data["position"] == 2
    assert data["estimated_wait_minutes"] == snapshots.wait_at(summary["estimate"], 2) > 0


def test_the_summary_shows_who_is_at_a_counter(world):
    officer = seat(world, 1)
    ktp = world.services["DUKCAPIL-KTP"]
    ticket = tickets.issue_ticket(ktp)
    tickets.call_next(world.counters[1], officer)
    summary = snapshots.service_summary(ktp)
    assert summary["waiting"] == []
    assert summary["at_counter"] == {str(ticket.pk): {"status": "called", "counter": 1}}


def test_a_free_counter_means_no_wait_and_each_position_waits_longer():
    figures = {"waiting": 4, "others": 2.0, "free": 1, "staffed": 2, "service_minutes": 6.0, "factor": 1.0}
    figures["pause_minutes"] = 0.0
    assert snapshots.wait_at(figures, 0) == 0
    waits = [snapshots.wait_at(figures, p) for p in range(1, 4)]
    assert waits == sorted(waits) and waits[0] >= 1


def test_a_board_document_is_built_once_per_change(world, django_assert_num_queries):
    mall, zone = world.mall, world.zones["A"]
    tickets.issue_ticket(world.services["DUKCAPIL-KTP"])
    first = snapshots.board_document(mall, zone)
    with django_assert_num_queries(1):  # the mall's version only: the document comes from the cache
        again = snapshots.board_document(mall, zone)
    assert again == first
    tickets.issue_ticket(world.services["DUKCAPIL-KTP"])
    changed = snapshots.board_document(mall, zone)
    assert changed["version"] > first["version"]
    assert changed["waiting"]["DUKCAPIL-KTP"] == first["waiting"]["DUKCAPIL-KTP"] + 1


def test_a_crowd_behind_one_address_may_follow_its_tickets(client, world, settings):
    settings.PUBLIC_RATE_LIMIT = 3
    codes = [tickets.issue_ticket(world.services["DUKCAPIL-KTP"]).public_code for _ in range(5)]
    # Five phones behind one NAT address, each reading its own ticket twice: all answered.
    statuses = [client.get(reverse("ticket_snapshot", args=[code])).status_code for code in codes * 2]
    assert statuses == [200] * 10
    board = reverse("display_snapshot", args=[world.mall.slug, "A"])
    assert [client.get(board).status_code for _ in range(5)] == [200] * 5


# ---- the live process: one document per change, pushed to every socket -------------------------


def _in_memory_layer(settings, tmp_path):
    settings.REDIS_URL = ""
    settings.LIVE_POLL_SECONDS = 5  # longer than any wait below: only the doorbell can be that quick
    settings.LIVE_BELL_DIR = str(tmp_path / "bell")
    settings.CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
    channel_layers.backends.clear()


async def _connect(path):
    communicator = WebsocketCommunicator(application, path, headers=[(b"origin", b"http://127.0.0.1")])
    connected, _ = await communicator.connect()
    assert connected
    return communicator


async def _stop():
    if relay._task is not None:
        relay._task.cancel()
        relay._task = None
    await database_sync_to_async(connections.close_all)()


@pytest.mark.django_db(transaction=True)
def test_boards_and_phones_get_their_document_in_the_hint(settings, tmp_path, monday_morning):
    _in_memory_layer(settings, tmp_path)
    world = make_world()
    ktp = world.services["DUKCAPIL-KTP"]
    ticket = tickets.issue_ticket(ktp)
    zone = live.zone_group(world.zones["A"].pk)

    async def scenario():
        boards = [await _connect("/ws/zone/pekanbaru/A/") for _ in range(3)]
        phone = await _connect("/ws/service/pekanbaru/DUKCAPIL-KTP/")
        try:
            layer = get_channel_layer()
            await layer.group_send(zone, {"type": "live.hint", "payload": {"event": "issued", "event_id": 1}})
            await layer.group_send(
                live.service_group(ktp.pk), {"type": "live.hint", "payload": {"event": "issued", "event_id": 1}}
            )
            board_docs = [json.loads(await b.receive_from(timeout=5))["doc"] for b in boards]
            phone_doc = json.loads(await phone.receive_from(timeout=5))["doc"]
            await layer.group_send(
                zone, {"type": "live.hint", "payload": {"event": "finished", "event_id": 2, "board": False}}
            )
            bare = json.loads(await boards[0].receive_from(timeout=5))
            return board_docs, phone_doc, bare
        finally:
            for communicator in [*boards, phone]:
                await communicator.disconnect()
            await _stop()

    board_docs, phone_doc, bare = asyncio.run(scenario())
    assert all(doc == board_docs[0] for doc in board_docs)
    assert board_docs[0]["zone"] == "A" and board_docs[0]["waiting"]["DUKCAPIL-KTP"] == 1
    assert phone_doc["kind"] == "service" and phone_doc["waiting"] == [ticket.pk]
    assert bare == {"event": "finished", "event_id": 2, "board": False}  # no board built for a finish
    channel_layers.backends.clear()


@pytest.mark.django_db(transaction=True)
def test_without_redis_the_doorbell_brings_a_hint_in_well_under_a_poll(settings, tmp_path, monday_morning):
    _in_memory_layer(settings, tmp_path)
    make_world()

    async def scenario():
        board = await _connect("/ws/zone/pekanbaru/A/")
        try:
            for _ in range(50):  # the relay opens its doorbell when the first screen joins
                if list((tmp_path / "bell").glob("*.sock")):
                    break
                await asyncio.sleep(0.02)
            loop = asyncio.get_running_loop()
            started = loop.time()
            await database_sync_to_async(relay.store_hints)(["zone.999", "mall.1"], {"event": "noise"})
            zone_id = await database_sync_to_async(_zone_a)()
            await database_sync_to_async(relay.store_hints)([live.zone_group(zone_id)], {"event": "called"})
            message = json.loads(await board.receive_from(timeout=3))
            return message, loop.time() - started
        finally:
            await board.disconnect()
            await _stop()

    message, elapsed = asyncio.run(scenario())
    assert message["event"] == "called" and message["doc"]["zone"] == "A"
    assert elapsed < 1.0  # the poll is 5 s: the datagram woke the relay
    channel_layers.backends.clear()


def _zone_a() -> int:
    from satuatap.directory.models import Zone

    return Zone.objects.get(code="A").pk


@pytest.mark.django_db(transaction=True)
def test_with_redis_one_publish_reaches_every_socket_with_the_document(settings, redis_url, monday_morning):
    import uuid

    settings.REDIS_URL = redis_url
    settings.CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {"hosts": [redis_url], "prefix": f"test-{uuid.uuid4().hex[:8]}"},
        }
    }
    channel_layers.backends.clear()
    world = make_world()
    tickets.issue_ticket(world.services["DUKCAPIL-KK"])
    zone = live.zone_group(world.zones["A"].pk)

    async def scenario():
        boards = [await _connect("/ws/zone/pekanbaru/A/") for _ in range(2)]
        try:
            # What a gunicorn worker does after commit, from its own thread and event loop.
            await asyncio.to_thread(live.send_now, [zone, live.mall_group(world.mall.pk)], {"event": "issued"})
            return [json.loads(await b.receive_from(timeout=5)) for b in boards]
        finally:
            for board in boards:
                await board.disconnect()
            await _stop()

    messages = asyncio.run(scenario())
    assert [m["doc"]["waiting"]["DUKCAPIL-KK"] for m in messages] == [1, 1]
    assert all(m["event"] == "issued" for m in messages)
    channel_layers.backends.clear()
