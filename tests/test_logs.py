"""Logs: one line per request with its request id, and no token, NIK or phone number in any line.

The requests below go through the real logging configuration (``settings.LOGGING``: the console
handler with its filters and formatter), whose stream the test points at a buffer it reads.
"""

import io
import logging
import re

import pytest
from django.urls import reverse

from satuatap.accounts.tokens import issue_token
from satuatap.booking.models import BookingPolicy
from satuatap.directory.models import Service
from satuatap.logs import accepted_request_id, redact

pytestmark = pytest.mark.usefixtures("monday_morning")

NIK = "1471011203900001"
PHONE = "081234567890"


class Written:
    def __init__(self, handler):
        self.handler = handler
        self.buffer = io.StringIO()

    def read(self) -> str:
        text, self.buffer = self.buffer.getvalue(), io.StringIO()
        self.handler.setStream(self.buffer)
        return text


@pytest.fixture
def console():
    """What the configured console handler writes, from here on."""
    (handler,) = [h for h in logging.getLogger().handlers if type(h) is logging.StreamHandler]
    written = Written(handler)
    before = handler.setStream(written.buffer)
    yield written
    handler.setStream(before)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("GET /device/?token=sat_AbCdEf0123456789abcdefghij_-XYZ", "GET /device/?token=sat_AbCdEf…[token]"),
        ("Authorization: Bearer sat_x1y2z3 more", "Authorization: Bearer [token] more"),
        (f"nik={NIK}&x=1", "nik=[nik]&x=1"),
        (f"phone {PHONE}, +62 812-3456-7890, 6281234567890.", "phone [phone], [phone], [phone]."),
        ("08.12.34.56.78", "[phone]"),
        ("ticket A-012 at 2026-11-23 09:00:00,123 ms=12.5", "ticket A-012 at 2026-11-23 09:00:00,123 ms=12.5"),
        ("a 17-digit number 12345678901234567 stays", "a 17-digit number 12345678901234567 stays"),
    ],
)
def test_redact(text, expected):
    assert redact(text) == expected


def test_a_request_id_from_the_proxy_is_kept_only_when_plain():
    assert accepted_request_id("abc-123.def") == "abc-123.def"
    assert re.fullmatch(r"[0-9a-f]{32}", accepted_request_id("evil\nline"))
    assert re.fullmatch(r"[0-9a-f]{32}", accepted_request_id("x" * 65))
    assert re.fullmatch(r"[0-9a-f]{32}", accepted_request_id(None))


def test_one_line_per_request_carrying_the_request_id(client, world, console):
    response = client.get(reverse("home"), headers={"X-Request-ID": "lb-42"})
    assert response["X-Request-ID"] == "lb-42"
    generated = client.get(reverse("home"))["X-Request-ID"]
    err = console.read()
    lines = [line for line in err.splitlines() if "satuatap.request" in line]
    assert len(lines) == 2, err
    assert "[lb-42] request method=GET path=/ status=200" in lines[0]
    assert f"[{generated}] request method=GET path=/ status=200" in lines[1]


def test_no_token_nik_or_phone_reaches_the_log(client, world, console):
    """Every way these reach a request: a token in a URL and a header, a NIK and phone in a query string and a body,
    refusals that Django logs as warnings, and code that logs them by mistake."""
    Service.objects.filter(pk=world.services["DUKCAPIL-KTP"].pk).update(bookable=True)
    BookingPolicy.objects.get_or_create(mall=world.mall)
    _token, raw = issue_token(world.users["kiosk"])
    console.read()
    client.get(f"/device/?token={raw}")
    client.post(reverse("device_sign_in"), {"code": raw})
    client.get(f"/api/v1/malls/{world.mall.slug}/nope?nik={NIK}&phone={PHONE}&token={raw}")
    client.get("/api/v1/malls", headers={"Authorization": f"Bearer {raw}x"})  # 401, logged by Django
    client.post(
        f"/api/v1/malls/{world.mall.slug}/bookings",
        {"service": "DUKCAPIL-KTP", "start": "2026-11-24T10:00:00+07:00", "nik": NIK, "name": "Siti", "phone": PHONE},
        content_type="application/json",
    )
    client.get(f"/tidak-ada/{NIK}/{PHONE}/")  # 404 with both in the path, logged by Django
    logging.getLogger("satuatap.booking").warning("careless: nik=%s phone=%s token=%s", NIK, PHONE, raw)
    try:
        raise ValueError(f"careless exception with {NIK} and {PHONE}")
    except ValueError:
        logging.getLogger("satuatap").exception("failed")
    err = console.read()
    assert "request method=POST path=/api/v1/malls/pekanbaru/bookings" in err
    assert "careless: nik=[nik] phone=[phone] token=sat_" in err and "ValueError: careless exception" in err
    assert re.search(r"\[[0-9a-f]{32}\] Not Found: /tidak-ada/", err)  # Django's own warning carries the id
    for secret in (raw, raw[10:30], NIK, PHONE, PHONE[1:]):
        assert secret not in err, f"{secret[:6]}… reached the log"


def test_gunicorns_access_log_is_redacted_too(tmp_path):
    import datetime as dt
    from types import SimpleNamespace

    from gunicorn.config import Config

    from satuatap.gunicorn_logging import Redacting

    config = Config()
    config.set("accesslog", str(tmp_path / "access.log"))
    logger = Redacting(config)
    token = "sat_AbCdEf0123456789abcdefghij_-XYZ"
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": f"/device/?token={token}&nik={NIK}",
        "PATH_INFO": "/device/",
        "QUERY_STRING": f"token={token}&nik={NIK}",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
    }
    response = SimpleNamespace(status="302 Found", headers=[], sent=0)
    logger.access(response, SimpleNamespace(headers=[]), environ, dt.timedelta(milliseconds=3))
    for handler in logger.access_log.handlers:
        handler.flush()
    written = (tmp_path / "access.log").read_text()
    assert "GET /device/?token=sat_AbCdEf…[token]&nik=[nik]" in written
    assert token not in written and NIK not in written


def test_the_text_format_writes_the_time_as_the_stock_formatter_does():
    import logging

    from satuatap.logs import TextFormatter

    fmt = "%(asctime)s %(levelname)s %(message)s"
    ours, stock = TextFormatter(fmt), logging.Formatter(fmt)
    for created in (1_700_000_000.123, 1_700_000_000.999, 1_700_000_001.0, 1_700_000_061.5, 1_700_000_000.5):
        record = logging.LogRecord("satuatap.request", logging.INFO, __file__, 1, "request %s", ("x",), None)
        record.created, record.msecs = created, (created - int(created)) * 1000
        assert ours.format(record) == stock.format(record)
