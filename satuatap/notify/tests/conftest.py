import datetime as dt
import itertools
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.utils import timezone

from satuatap import personal_data
from satuatap.booking.models import Booking
from satuatap.directory.hours import service_day

PHONE = "081234567890"
_seq = itertools.count(1)


@pytest.fixture(autouse=True)
def _notify_settings(settings, tmp_path):
    """Sandbox on, the file channel in a fresh file, links on a known host."""
    settings.NOTIFY_SANDBOX = True
    settings.NOTIFY_SMS_CHANNEL = "console"
    settings.NOTIFY_FILE = str(tmp_path / "notify-outbox.jsonl")
    settings.NOTIFY_BASE_URL = "https://mpp.example.go.id"
    settings.NOTIFY_MAX_ATTEMPTS = 6
    settings.NOTIFY_GATEWAY_TOKEN = "rahasia-gateway"
    settings.NOTIFY_GATEWAY_TIMEOUT = 2


def file_lines(settings) -> list[dict]:
    from pathlib import Path

    path = Path(settings.NOTIFY_FILE)
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def make_booking(
    world, start: dt.datetime, *, code=None, service="DUKCAPIL-KTP", phone=PHONE, created_at=None, **fields
):
    """A booking row made directly (test data; the booking rules are H1's tests)."""
    n = next(_seq)
    code = code or f"BK{n:06d}"
    nik = f"1471011203900{n:03d}"
    return Booking.objects.create(
        mall=world.mall,
        service=world.services[service],
        code=code,
        start=start,
        end=start + dt.timedelta(minutes=30),
        day=service_day(world.mall, start),
        nik_hash=personal_data.hash_value("nik", nik),
        nik_encrypted=personal_data.encrypt(nik),
        nik_masked=personal_data.mask_nik(nik),
        name_encrypted=personal_data.encrypt("Siti Aminah"),
        phone_hash=personal_data.hash_value("phone", phone),
        phone_encrypted=personal_data.encrypt(phone),
        phone_masked=personal_data.mask_phone(phone),
        created_at=created_at or timezone.now(),
        **fields,
    )


class Gateway:
    """A local HTTP gateway: answers the planned (status, delay seconds, body) in order, then 200."""

    def __init__(self):
        self.requests: list[dict] = []
        self.plan: list[tuple[int, float, bytes]] = []
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length", 0))
                body = json.loads(self.rfile.read(length) or b"{}")
                gateway.requests.append({"headers": dict(self.headers), "json": body, "path": self.path})
                status, delay, answer = gateway.plan.pop(0) if gateway.plan else (200, 0, b'{"id": "gw-1"}')
                if delay:
                    time.sleep(delay)
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(answer)))
                    self.end_headers()
                    self.wfile.write(answer)
                except OSError:  # the client gave up (timeout test)
                    pass

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/send"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def gateway(settings):
    gw = Gateway()
    settings.NOTIFY_SANDBOX = False
    settings.NOTIFY_SMS_CHANNEL = "webhook"
    settings.NOTIFY_GATEWAY_URL = gw.url
    yield gw
    gw.close()
