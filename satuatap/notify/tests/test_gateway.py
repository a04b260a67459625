"""The webhook gateway channel against a real local HTTP server (a thread), and sandbox mode."""

import datetime as dt

import pytest
from django.utils import timezone

from satuatap.notify import channels, outbox
from satuatap.notify.models import Status
from satuatap.notify.tests.conftest import PHONE, Gateway, file_lines


def enqueue(world, key="k1", to=PHONE, channel=None):
    context = {"code": "ABCD2345", "service": "KTP-el baru", "date": "Senin", "time": "09.00 WIB", "link": "x"}
    return outbox.enqueue(
        mall=world.mall, kind="booking_confirmed", to=to, channel=channel, context=context, dedupe_key=key
    )


def test_success_posts_json_with_the_bearer_token(world, gateway, settings):
    message = enqueue(world, channel="whatsapp")
    assert outbox.deliver_due() == 1
    [request] = gateway.requests
    assert request["path"] == "/send"
    assert request["headers"]["Authorization"] == "Bearer rahasia-gateway"
    assert request["headers"]["Content-Type"] == "application/json"
    assert request["headers"]["Idempotency-Key"] == f"satuatap-{message.pk}"
    assert request["json"] == {
        "to": PHONE,
        "body": message.body,
        "kind": "booking_confirmed",
        "ref": f"satuatap-{message.pk}",
        "channel": "whatsapp",
    }
    message.refresh_from_db()
    assert message.status == Status.SENT
    assert message.provider_ref == "gw-1"  # the gateway's own id from its JSON answer
    assert message.delivered_via == "webhook" and message.sandbox is False
    assert file_lines(settings) == []


def test_a_5xx_is_retried_with_exponential_backoff_then_sent(world, gateway):
    gateway.plan = [(500, 0, b"sibuk"), (503, 0, b"")]
    message = enqueue(world)
    t0 = timezone.now()
    assert outbox.deliver_due(now=t0) == 0
    message.refresh_from_db()
    assert message.status == Status.FAILED and message.attempts == 1
    assert "500" in message.last_error and "sibuk" in message.last_error
    assert message.next_attempt_at == t0 + dt.timedelta(seconds=30)
    assert outbox.deliver_due(now=t0 + dt.timedelta(seconds=29)) == 0  # not due yet
    assert len(gateway.requests) == 1
    t1 = t0 + dt.timedelta(seconds=30)
    assert outbox.deliver_due(now=t1) == 0
    message.refresh_from_db()
    assert message.status == Status.FAILED and message.attempts == 2
    assert message.next_attempt_at == t1 + dt.timedelta(seconds=60)
    t2 = t1 + dt.timedelta(seconds=60)
    assert outbox.deliver_due(now=t2) == 1
    message.refresh_from_db()
    assert message.status == Status.SENT and message.attempts == 3 and message.last_error == ""
    assert [r["json"]["ref"] for r in gateway.requests] == [f"satuatap-{message.pk}"] * 3  # same ref each time


def test_a_4xx_is_dead_at_once(world, gateway):
    gateway.plan = [(400, 0, b'{"error": "nomor tidak valid"}')]
    message = enqueue(world)
    assert outbox.deliver_due() == 0
    message.refresh_from_db()
    assert message.status == Status.DEAD and message.attempts == 1
    assert "400" in message.last_error and "nomor tidak valid" in message.last_error
    assert outbox.deliver_due(now=timezone.now() + dt.timedelta(days=1)) == 0
    assert len(gateway.requests) == 1


def test_429_is_temporary(world, gateway):
    gateway.plan = [(429, 0, b"")]
    message = enqueue(world)
    outbox.deliver_due()
    message.refresh_from_db()
    assert message.status == Status.FAILED


def test_a_timeout_is_retried(world, gateway, settings):
    settings.NOTIFY_GATEWAY_TIMEOUT = 0.3
    gateway.plan = [(200, 1.0, b"{}")]
    message = enqueue(world)
    t0 = timezone.now()
    assert outbox.deliver_due(now=t0) == 0
    message.refresh_from_db()
    assert message.status == Status.FAILED
    assert "tidak menjawab" in message.last_error
    assert message.next_attempt_at == t0 + dt.timedelta(seconds=30)
    assert outbox.deliver_due(now=t0 + dt.timedelta(seconds=30)) == 1


def test_an_unreachable_gateway_is_retried(world, settings):
    dead = Gateway()
    url = dead.url
    dead.close()  # nothing listens there any more
    settings.NOTIFY_SANDBOX = False
    settings.NOTIFY_SMS_CHANNEL = "webhook"
    settings.NOTIFY_GATEWAY_URL = url
    message = enqueue(world)
    outbox.deliver_due()
    message.refresh_from_db()
    assert message.status == Status.FAILED and "tidak terjangkau" in message.last_error


def test_after_max_attempts_the_message_is_dead(world, gateway, settings):
    settings.NOTIFY_MAX_ATTEMPTS = 3
    gateway.plan = [(500, 0, b"")] * 5
    message = enqueue(world)
    now = timezone.now()
    for _ in range(5):
        outbox.deliver_due(now=now)
        now += dt.timedelta(hours=2)
    message.refresh_from_db()
    assert message.status == Status.DEAD and message.attempts == 3
    assert len(gateway.requests) == 3


def test_backoff_doubles_and_is_capped():
    assert [outbox.backoff(n).total_seconds() for n in (1, 2, 3, 4, 5)] == [30, 60, 120, 240, 480]
    assert outbox.backoff(20) == dt.timedelta(hours=1)


def test_sandbox_never_calls_the_gateway(world, gateway, settings):
    settings.NOTIFY_SANDBOX = True  # gateway configured (URL, token, webhook), but this is a demo
    sms = enqueue(world, "a")
    email = enqueue(world, "b", to="siti@example.com")
    assert outbox.deliver_due() == 2
    assert gateway.requests == []
    for message in (sms, email):
        message.refresh_from_db()
        assert message.status == Status.SENT and message.sandbox is True and message.delivered_via == "console"
    assert [line["sandbox"] for line in file_lines(settings)] == [True, True]


def test_the_transport_choice():
    from django.test import override_settings

    with override_settings(NOTIFY_SANDBOX=True, NOTIFY_SMS_CHANNEL="webhook"):
        assert isinstance(channels.transport_for("sms"), channels.ConsoleFileChannel)
        assert isinstance(channels.transport_for("email"), channels.ConsoleFileChannel)
    with override_settings(NOTIFY_SANDBOX=False, NOTIFY_SMS_CHANNEL="webhook"):
        assert isinstance(channels.transport_for("sms"), channels.WebhookGatewayChannel)
        assert isinstance(channels.transport_for("whatsapp"), channels.WebhookGatewayChannel)
        assert isinstance(channels.transport_for("email"), channels.EmailChannel)
        assert isinstance(channels.transport_for("console"), channels.ConsoleFileChannel)
    with override_settings(NOTIFY_SANDBOX=False, NOTIFY_SMS_CHANNEL="console"):
        assert isinstance(channels.transport_for("sms"), channels.ConsoleFileChannel)


def test_a_bad_sms_channel_setting_stops_start_up(monkeypatch):
    import subprocess
    import sys

    env = {"NOTIFY_SMS_CHANNEL": "merpati", "PATH": "/usr/bin:/bin"}
    result = subprocess.run(
        [sys.executable, "-c", "import satuatap.settings"], env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode != 0 and "NOTIFY_SMS_CHANNEL" in result.stderr


@pytest.mark.parametrize("status", [200, 201, 202])
def test_any_2xx_is_success_without_a_json_id(world, gateway, status):
    gateway.plan = [(status, 0, b"ok")]
    message = enqueue(world)
    assert outbox.deliver_due() == 1
    message.refresh_from_db()
    assert message.provider_ref == f"http-{status}:satuatap-{message.pk}"
