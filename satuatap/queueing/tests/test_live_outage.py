"""A Redis outage loses live hints, never a write: issue, call and finish still answer 2xx."""

import logging

import pytest
from channels.layers import InMemoryChannelLayer, channel_layers

from satuatap.queueing.models import LiveEvent, Ticket, TicketStatus
from satuatap.testing import bearer_as as as_
from satuatap.testing import seat

API = "/api/v1/malls/pekanbaru"


@pytest.fixture
def redis_down(settings, monkeypatch):
    """Live hints go to a channel layer whose every send fails, as with Redis unreachable."""
    settings.REDIS_URL = "redis://redis-is-down.invalid:6379/0"
    settings.CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
    channel_layers.backends.clear()
    attempts = []

    async def refuse(self, group, message):
        attempts.append(group)
        raise ConnectionError("Error 111 connecting to redis-is-down.invalid:6379. Connection refused.")

    monkeypatch.setattr(InMemoryChannelLayer, "group_send", refuse)
    yield attempts
    channel_layers.backends.clear()


def post(client, url, headers, data=None):
    return client.post(url, data or {}, content_type="application/json", headers=headers)


@pytest.mark.django_db(transaction=True)  # real commits, so the hints are sent after them as in production
def test_issue_call_and_finish_answer_2xx_and_are_saved_while_redis_is_down(client, world, redis_down, caplog):
    officer_headers = as_(world, "officer1")
    seat(world, 1)
    caplog.set_level(logging.ERROR, logger="satuatap.live")

    issued = post(client, f"{API}/tickets", as_(world, "kiosk"), {"service": "DUKCAPIL-KTP"})
    assert issued.status_code == 201, issued.content
    ticket = Ticket.objects.get(pk=issued.json()["id"])
    assert ticket.status == TicketStatus.WAITING

    called = post(client, f"{API}/counters/1/call-next", officer_headers)
    assert called.status_code == 200, called.content
    assert called.json()["id"] == ticket.pk
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.CALLED and ticket.counter.number == 1

    finished = post(client, f"{API}/tickets/{ticket.pk}/finish", officer_headers)
    assert finished.status_code == 200, finished.content
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.DONE

    assert redis_down, "the hints were attempted"
    failures = [r for r in caplog.records if r.name == "satuatap.live" and r.levelno == logging.ERROR]
    assert len(failures) == 3  # one logged failure per write, each with the error attached
    assert all(isinstance(r.exc_info[1], ConnectionError) for r in failures)
    assert not LiveEvent.objects.exists()  # with Redis configured nothing falls back to the relay rows


def test_a_failed_hint_is_logged_not_raised(redis_down, caplog):
    from satuatap import live

    caplog.set_level(logging.ERROR, logger="satuatap.live")
    live.send_now(["mall.1"], {"event": "issued", "event_id": 1})
    assert redis_down == ["mall.1"]
    assert "not sent" in caplog.text
