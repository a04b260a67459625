"""The live channel: hints reach the groups after commit, by Redis or by the database relay."""

import asyncio
import datetime as dt
import uuid

import pytest
from channels.layers import get_channel_layer
from django.db import connections
from django.test import override_settings
from django.utils import timezone

from satuatap import live
from satuatap.queueing import tickets
from satuatap.queueing.housekeeping import expire_previous_days, prune_live_events
from satuatap.queueing.models import LiveEvent


def test_issuing_writes_hints_for_the_relay_after_commit_in_embedded_mode(world, django_capture_on_commit_callbacks):
    with override_settings(REDIS_URL=""):
        with django_capture_on_commit_callbacks(execute=True):
            ticket = tickets.issue_ticket(world.services["DUKCAPIL-KTP"])
    groups = set(LiveEvent.objects.values_list("group", flat=True))
    zone = world.agencies["DUKCAPIL"].zone
    assert {live.zone_group(zone.pk), live.service_group(ticket.service_id), live.mall_group(world.mall.pk)} <= groups
    assert LiveEvent.objects.first().payload["event"] == "issued"


def test_nothing_is_announced_when_the_transaction_rolls_back(world, django_capture_on_commit_callbacks):
    with override_settings(REDIS_URL=""):
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            with pytest.raises(Exception, match="Kelompok"):
                tickets.issue_ticket(world.services["DUKCAPIL-KTP"], priority_group="vip")
    assert callbacks == []
    assert not LiveEvent.objects.exists()


def test_worker_prunes_old_hints(world):
    LiveEvent.objects.create(group="zone.1", payload={})
    old = LiveEvent.objects.create(group="zone.1", payload={})
    LiveEvent.objects.filter(pk=old.pk).update(created_at=timezone.now() - dt.timedelta(hours=1))
    assert prune_live_events() == 1
    assert LiveEvent.objects.count() == 1


def test_hints_travel_through_redis_to_a_group_member(world, settings, redis_url):
    settings.CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {"hosts": [redis_url], "prefix": f"test-{uuid.uuid4().hex[:8]}"},
        }
    }
    settings.REDIS_URL = redis_url
    from channels.layers import channel_layers

    channel_layers.backends.clear()
    layer = get_channel_layer()
    group = live.zone_group(world.zones["A"].pk)

    async def join():
        channel = await layer.new_channel()
        await layer.group_add(group, channel)
        return channel

    channel = asyncio.run(join())
    live.send_now([group], {"event": "called", "event_id": 7})

    async def receive():
        return await asyncio.wait_for(layer.receive(channel), timeout=5)

    message = asyncio.run(receive())
    assert message == {"type": "live.hint", "payload": {"event": "called", "event_id": 7}}
    assert not LiveEvent.objects.exists()
    channel_layers.backends.clear()


@pytest.mark.django_db(transaction=True)
def test_the_embedded_relay_forwards_new_rows_to_the_in_memory_layer(settings):
    from channels.layers import channel_layers

    from satuatap.queueing import relay

    settings.REDIS_URL = ""
    settings.LIVE_POLL_SECONDS = 0.05
    settings.CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
    channel_layers.backends.clear()
    layer = get_channel_layer()
    LiveEvent.objects.create(group="zone.9", payload={"event": "old"})  # before start: not replayed

    async def scenario():
        channel = await layer.new_channel()
        await layer.group_add("zone.9", channel)
        relay._task = None
        relay.ensure_relay_running()
        await asyncio.sleep(0.2)
        await database_sync_to_async(LiveEvent.objects.create)(group="zone.9", payload={"event": "called"})
        try:
            return await asyncio.wait_for(layer.receive(channel), timeout=5)
        finally:
            relay._task.cancel()
            # The relay's worker thread keeps a connection (CONN_MAX_AGE); close it so the test database can be dropped.
            await database_sync_to_async(connections.close_all)()

    from channels.db import database_sync_to_async

    message = asyncio.run(scenario())
    assert message["payload"] == {"event": "called"}
    channel_layers.backends.clear()


def test_worker_cancels_tickets_left_waiting_from_an_earlier_day(world):
    from django.core.management import call_command

    from satuatap.queueing.models import Ticket, TicketStatus

    today = timezone.now()
    yesterday = today - dt.timedelta(days=1)
    old = tickets.issue_ticket(world.services["DUKCAPIL-KTP"], now=yesterday)
    fresh = tickets.issue_ticket(world.services["DUKCAPIL-KTP"], now=today)
    assert expire_previous_days(now=today) == 1
    assert Ticket.objects.get(pk=old.pk).status == TicketStatus.CANCELLED
    assert old.events.get(action="cancelled").reason == "end_of_day"
    assert Ticket.objects.get(pk=fresh.pk).status == TicketStatus.WAITING
    call_command("worker", "--once", stdout=__import__("io").StringIO())  # idempotent tick, nothing left to do
    assert Ticket.objects.get(pk=fresh.pk).status == TicketStatus.WAITING
