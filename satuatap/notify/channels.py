"""Delivery channels behind one interface: ``channel.send(message, address) -> provider_ref``.

A channel raises ``TemporaryFailure`` when trying again later may work (a
timeout, a 5xx, the gateway unreachable) and ``PermanentFailure`` when it
never will (a 4xx: the gateway refused the number or the request). The
outbox decides about retries; channels never touch the database.

- ``EmailChannel``: Django's email with the configured ``EMAIL_BACKEND``.
- ``WebhookGatewayChannel``: a generic HTTP gateway for SMS/WhatsApp: POST
  JSON ``{to, body, kind, ref, channel}`` to ``NOTIFY_GATEWAY_URL`` with
  ``Authorization: Bearer NOTIFY_GATEWAY_TOKEN``.
- ``ConsoleFileChannel``: one JSON line per message appended to
  ``NOTIFY_FILE`` (and a log line); the development channel, and the only
  one used in sandbox mode (``NOTIFY_SANDBOX``, the default), so test and
  demo deployments never send to a real number or address.
"""

from __future__ import annotations

import json
import logging
import os
import socket
import urllib.error
import urllib.request
from pathlib import Path

from django.conf import settings
from django.core.mail import EmailMessage
from django.utils import timezone

from satuatap.notify.models import Channel as ChannelName

log = logging.getLogger(__name__)
OWNER_ONLY = 0o600


class DeliveryFailure(Exception):
    pass


class TemporaryFailure(DeliveryFailure):
    """Try again later."""


class PermanentFailure(DeliveryFailure):
    """Trying again cannot help."""


def message_ref(message) -> str:
    """The stable reference sent to providers (the same on every retry, so a gateway can deduplicate)."""
    return f"satuatap-{message.pk}"


class Channel:
    name = ""

    def send(self, message, address: str) -> str:
        raise NotImplementedError


class EmailChannel(Channel):
    name = "email"

    def send(self, message, address: str) -> str:
        email = EmailMessage(
            subject=message.subject or message.kind,
            body=message.body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[address],
            headers={"X-Satuatap-Ref": message_ref(message)},
        )
        try:
            sent = email.send(fail_silently=False)
        except (OSError, TimeoutError) as err:  # smtplib errors are OSError subclasses
            if _smtp_permanent(err):
                raise PermanentFailure(f"email ditolak: {err}") from err
            raise TemporaryFailure(f"email gagal: {err}") from err
        if not sent:
            raise TemporaryFailure("email tidak terkirim")
        return f"email:{message_ref(message)}"


def _smtp_permanent(err) -> bool:
    import smtplib

    if isinstance(err, smtplib.SMTPRecipientsRefused):
        return True
    code = getattr(err, "smtp_code", None)
    return isinstance(code, int) and 500 <= code < 600


class WebhookGatewayChannel(Channel):
    """SMS/WhatsApp through a generic HTTP gateway (stdlib urllib, no dependency)."""

    name = "webhook"

    def __init__(self, url: str | None = None, token: str | None = None, timeout: float | None = None):
        self.url = settings.NOTIFY_GATEWAY_URL if url is None else url
        self.token = settings.NOTIFY_GATEWAY_TOKEN if token is None else token
        self.timeout = settings.NOTIFY_GATEWAY_TIMEOUT if timeout is None else timeout

    def send(self, message, address: str) -> str:
        if not self.url:
            raise TemporaryFailure("NOTIFY_GATEWAY_URL belum diatur")
        if not self.url.startswith(("http://", "https://")):
            raise PermanentFailure("NOTIFY_GATEWAY_URL harus diawali http:// atau https://")
        ref = message_ref(message)
        payload = {"to": address, "body": message.body, "kind": message.kind, "ref": ref, "channel": message.channel}
        headers = {"Content-Type": "application/json", "Idempotency-Key": ref, "User-Agent": "satuatap-notify"}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        body = json.dumps(payload).encode()
        request = urllib.request.Request(self.url, data=body, headers=headers, method="POST")  # noqa: S310 (http(s) only)
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310 (http(s) only)
                status, raw = response.status, response.read(65536)
        except urllib.error.HTTPError as err:
            detail = _short(err.read(2048) if err.fp else b"")
            if err.code >= 500 or err.code in (408, 425, 429):
                raise TemporaryFailure(f"gateway HTTP {err.code} {detail}".strip()) from err
            raise PermanentFailure(f"gateway HTTP {err.code} {detail}".strip()) from err
        except TimeoutError as err:
            raise TemporaryFailure(f"gateway tidak menjawab dalam {self.timeout} detik") from err
        except urllib.error.URLError as err:
            if isinstance(err.reason, TimeoutError | socket.timeout):
                raise TemporaryFailure(f"gateway tidak menjawab dalam {self.timeout} detik") from err
            raise TemporaryFailure(f"gateway tidak terjangkau: {err.reason}") from err
        except OSError as err:  # connection reset mid-response and the like
            raise TemporaryFailure(f"gateway gagal: {err}") from err
        return _provider_ref(raw) or f"http-{status}:{ref}"


def _short(raw: bytes) -> str:
    return raw.decode("utf-8", errors="replace").strip()[:300]


def _provider_ref(raw: bytes) -> str:
    """The gateway's own id when its JSON answer carries one ("id", "message_id" or "ref")."""
    try:
        data = json.loads(raw or b"null")
    except ValueError:
        return ""
    if isinstance(data, dict):
        for key in ("id", "message_id", "ref"):
            if data.get(key) not in (None, ""):
                return str(data[key])[:200]
    return ""


class ConsoleFileChannel(Channel):
    """Appends one JSON object per line to ``NOTIFY_FILE`` and logs it.

    Line format (UTF-8, one object per line, keys always present):
    ``{"ref", "id", "at", "mall", "kind", "channel", "to", "to_masked", "subject", "body",
    "subject_ref", "dedupe_key", "sandbox"}``. ``to`` holds the masked address too: the file
    is a log of what would have been sent, never a list of citizens' numbers. It is created
    readable by its owner only (0600).
    """

    name = "console"

    def __init__(self, path: str | Path | None = None, sandbox: bool = False):
        self.path = Path(settings.NOTIFY_FILE if path is None else path)
        self.sandbox = sandbox

    def send(self, message, address: str) -> str:
        ref = message_ref(message)
        line = {
            "ref": ref,
            "id": message.pk,
            "at": timezone.now().isoformat(),
            "mall": getattr(message.mall, "slug", ""),
            "kind": message.kind,
            "channel": message.channel,
            "to": message.address_masked,
            "to_masked": message.address_masked,
            "subject": message.subject,
            "body": message.body,
            "subject_ref": message.subject_ref,
            "dedupe_key": message.dedupe_key,
            "sandbox": self.sandbox,
        }
        data = (json.dumps(line, ensure_ascii=False) + "\n").encode()
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            _append_private(self.path, data)
        except OSError as err:
            raise TemporaryFailure(f"berkas {self.path} tidak dapat ditulis: {err}") from err
        log.info("notify %s %s to %s: %s", message.kind, message.channel, message.address_masked, message.body)
        return f"file:{ref}"


def _append_private(path: Path, data: bytes) -> None:
    """Append in one write (appends do not interleave) to a file only its owner may read."""
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, OWNER_ONLY)
    try:
        if os.fstat(fd).st_mode & 0o777 != OWNER_ONLY:
            os.fchmod(fd, OWNER_ONLY)  # a file left by an older version was world-readable
        os.write(fd, data)
    finally:
        os.close(fd)


def transport_for(channel: str) -> Channel:
    """The channel object that carries a message of this logical channel, honouring sandbox mode."""
    if settings.NOTIFY_SANDBOX:
        return ConsoleFileChannel(sandbox=True)
    if channel == ChannelName.EMAIL:
        return EmailChannel()
    if channel in (ChannelName.SMS, ChannelName.WHATSAPP):
        if settings.NOTIFY_SMS_CHANNEL == "webhook":
            return WebhookGatewayChannel()
        return ConsoleFileChannel()
    return ConsoleFileChannel()
