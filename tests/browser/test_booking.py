"""A booked visit end to end: booked on a phone, confirmed through the console/file channel,
checked in at the kiosk, called at a counter.

Setup, said plainly: the seeded world has no bookable service and the default policy
opens check-in 30 minutes before a slot, while a slot can be booked no sooner than an
hour ahead. So before the browser starts, the test writes to this module's database
(through Django, in a subprocess with the stack's environment): DUKCAPIL-KTP becomes
bookable, and the mall's policy opens check-in 36 hours early, so the first slot the
citizen can book is already open for check-in. The confirmation is delivered by one
tick of the real worker (``manage.py worker --once``), which writes the console/file
channel's ``NOTIFY_FILE`` (``notify-outbox.jsonl`` in the stack's var directory).
"""

from __future__ import annotations

import datetime as dt
import json
import re
import subprocess
import time
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import MALL, RECORD_PRINT
from tests.browser.stack import PYTHON, ROOT
from tests.browser.test_screens_screenshots import shot

pytestmark = pytest.mark.browser

PHONE_SIZE = (390, 844)
KIOSK_SIZE = (1080, 1920)
NIK = "1471015505920002"
PHONE = "0812 3456 7890"
SETUP = """
import django
django.setup()
from satuatap.booking.models import BookingPolicy
from satuatap.directory.models import Mall, Service

mall = Mall.objects.get(slug="pekanbaru")
Service.objects.filter(mall=mall, code="DUKCAPIL-KTP").update(bookable=True)
BookingPolicy.objects.update_or_create(mall=mall, defaults={"check_in_early_minutes": 36 * 60})
"""


WIB = ZoneInfo("Asia/Jakarta")
LEAD = dt.timedelta(minutes=60)  # the default policy: a slot can be booked until an hour before it starts
SAFETY = dt.timedelta(seconds=30)  # longer than the steps from the slot list to the last submit


def first_slot_with_time_to_book(phone):
    """From the day list: the first day's first bookable slot, unless it is about to pass the booking deadline while
    the test fills the form; then wait for the deadline to pass (the server would rightly refuse it) and choose again.
    """
    days = phone.url
    for _ in range(2):
        phone.locator("#day-list a.bk-choice").first.click()
        slot = phone.locator("#slot-list a.bk-slot").first
        expect(slot).to_contain_text("sisa")
        day = dt.date.fromisoformat(re.search(r"/(\d{4}-\d{2}-\d{2})/", phone.url).group(1))
        hour, minute = map(int, slot.get_attribute("data-slot").split(":"))
        start = dt.datetime.combine(day, dt.time(hour, minute), tzinfo=WIB)
        left = start - LEAD - dt.datetime.now(WIB)
        if left > SAFETY:
            return slot
        time.sleep(max(0.0, left.total_seconds()) + 1)
        phone.goto(days)
    raise AssertionError("no slot with time to book")


def run_in_stack(stack, args: list[str]) -> str:
    """Run Python against the stack's own database and var directory (as its processes see them)."""
    result = subprocess.run(args, cwd=ROOT, env=stack.env(), capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, f"{args} failed:\n{result.stdout}\n{result.stderr}"
    return result.stdout


def delivered(stack) -> list[dict]:
    outbox = stack.db.var_dir / "notify-outbox.jsonl"
    if not outbox.exists():
        return []
    return [json.loads(line) for line in outbox.read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.fixture(scope="module")
def bookable_stack(stack):
    run_in_stack(stack, [PYTHON, "-c", SETUP])
    return stack


def test_a_citizen_books_on_a_phone_checks_in_at_the_kiosk_and_is_called(screens, bookable_stack):
    stack = bookable_stack

    # The phone: from the mall's page to a slot.
    phone = screens.public(f"/m/{MALL}/", viewport=PHONE_SIZE)
    phone.click("#book-visit")
    expect(phone.locator("#ordering-rule")).to_contain_text("check-in")
    shot(phone, "booking-start")
    phone.click('a[data-agency="DUKCAPIL"]')
    ktp = phone.locator('li[data-service="DUKCAPIL-KTP"]')
    expect(ktp).to_contain_text("KTP-el asli")  # the requirements, before booking
    ktp.locator("a.btn").click()
    expect(phone.locator("#day-list a.bk-choice").first).to_be_visible()
    shot(phone, "booking-days")
    first_slot = first_slot_with_time_to_book(phone)
    shot(phone, "booking-slots")
    first_slot.click()

    # The form: a bad NIK first (refused, input kept), then the real one.
    expect(phone.locator("#booking-form")).to_be_visible()
    phone.fill("#id_nik", "1471019905920002")
    phone.fill("#id_name", "Siti Aminah")
    phone.fill("#id_phone", PHONE)
    phone.check("#id_consent")
    phone.click("#booking-submit")
    expect(phone.locator("#nik-error")).to_contain_text("Tanggal lahir")
    expect(phone.locator("#id_name")).to_have_value("Siti Aminah")
    shot(phone, "booking-form-error")
    phone.fill("#id_nik", NIK)
    phone.check("#id_consent")
    phone.click("#booking-submit")

    # The confirmation: code, QR, masked data, the way to the booking's page.
    code_el = phone.locator("#booking-code")
    expect(code_el).to_have_text(re.compile(r"^[2-9A-Z]{8}$"))
    code = code_el.inner_text().strip()
    expect(phone.locator("#booking-qr svg")).to_be_visible()
    expect(phone.locator("#booking-nik")).to_have_text("1471**********02")
    expect(phone.locator("#booking-phone")).to_have_text("0812******90")
    shot(phone, "booking-confirmation")

    # The confirmation reaches the console/file channel through the worker.
    run_in_stack(stack, [PYTHON, "manage.py", "worker", "--once"])
    confirmations = [m for m in delivered(stack) if m["kind"] == "booking_confirmed" and code in m["body"]]
    assert len(confirmations) == 1, delivered(stack)
    assert confirmations[0]["to"] == "0812******90" and confirmations[0]["sandbox"] is True

    phone.click("#booking-page-link")
    expect(phone.locator("#booking-status")).to_have_text("Aktif")
    expect(phone.locator("#check-in-window")).to_contain_text("anjungan")
    shot(phone, "booking-detail")

    # The kiosk: "Sudah pesan? Check-in", half the code on the keypad, the rest typed like a scanner.
    kiosk = screens.device("kiosk", viewport=KIOSK_SIZE, init_script=RECORD_PRINT)
    expect(kiosk).to_have_url(re.compile(rf"/m/{MALL}/kiosk/$"))
    kiosk.click("#kiosk-check-in")
    expect(kiosk.locator("#check-in-code")).to_be_focused()
    for key in code[:4]:
        kiosk.locator("#check-in-keys button", has_text=re.compile(rf"^{key}$")).click()
    kiosk.locator("#check-in-code").press_sequentially(code[4:].lower())
    expect(kiosk.locator("#check-in-code")).to_have_value(code)
    shot(kiosk, "kiosk-check-in")
    kiosk.locator("#check-in-code").press("Enter")
    kiosk.wait_for_url("**/kiosk/ticket/**")
    expect(kiosk.locator("#ticket-number")).to_have_text("A001")
    kiosk.wait_for_function("() => window.__printCalls >= 1")  # a function: the CSP refuses eval
    ticket_url = kiosk.url
    shot(kiosk, "kiosk-check-in-ticket")

    # Scanned again: the same ticket, no second number.
    kiosk.goto(stack.url(f"/m/{MALL}/booking/check-in/"))
    kiosk.fill("#check-in-code", code)
    kiosk.click("#check-in-submit")
    kiosk.wait_for_url("**/kiosk/ticket/**")
    assert kiosk.url == ticket_url
    expect(kiosk.locator("#ticket-number")).to_have_text("A001")

    # The booking's page says it is checked in.
    phone.reload()
    expect(phone.locator("#booking-status")).to_have_text("Sudah check-in")

    # The officer at counter 1 calls it.
    console = screens.officer("officer1")
    console.click('button[data-counter="1"]')
    expect(console.locator("#counter-number")).to_have_text("1")
    console.click("#btn-call-next")
    expect(console.locator("#current-number")).to_have_text("A001")
    expect(console.locator("#current-status")).to_have_text("Dipanggil")

    # The manager's switch page lists the service and today's bookings, masked.
    manager = screens.officer("manager", viewport=(1280, 800), next_path=f"/m/{MALL}/booking/kelola/")
    expect(manager.locator('#service-switches tr[data-service="DUKCAPIL-KTP"]')).to_contain_text("Dibuka")
    expect(manager.locator("#mall-switch")).to_be_visible()
    expect(manager.locator("body")).not_to_contain_text(NIK)
    shot(manager, "booking-manage")


def test_the_runs_logs_hold_no_token_nik_or_phone(screens, bookable_stack):
    """After the booking run above (NIK and phone typed, a kiosk signed in with its token, the worker's delivery),
    plus an old ``?token=`` link and a bearer call: the web and live processes' logs hold none of them."""
    stack = bookable_stack
    token = stack.tokens["kiosk"]
    old_link = screens.public(f"/device/?token={token}")
    expect(old_link.locator("form input#code")).to_be_visible()  # the link signs nothing in
    old_link.request.get(stack.url(f"/api/v1/malls/{MALL}/bookings/x?nik={NIK}"), headers={"X-Request-ID": "e2e-1"})
    logs = "\n".join((stack.logdir / name).read_text(errors="replace") for name in ("gunicorn.log", "uvicorn.log"))
    assert re.search(r"\[e2e-1\] request method=GET path=/api/v1/malls/pekanbaru/bookings/x status=\d+", logs)
    assert "request method=POST path=/device/ status=302" in logs  # the kiosk's sign-in was logged, redacted
    for secret in (token, token[4:], NIK, PHONE, PHONE.replace(" ", ""), PHONE.replace(" ", "")[1:]):
        assert secret not in logs, f"{secret[:6]}… reached a log"
