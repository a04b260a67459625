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

import json
import re
import subprocess

import pytest
from playwright.sync_api import expect

from tests.browser.booking_walk import NIK, PHONE, walk_booking
from tests.browser.conftest import MALL, RECORD_PRINT
from tests.browser.stack import PYTHON, ROOT
from tests.browser.test_screens_screenshots import shot

pytestmark = pytest.mark.browser

PHONE_SIZE = (390, 844)
KIOSK_SIZE = (1080, 1920)
SHOTS = {"start", "days", "slots", "form-error", "confirmation", "detail"}  # docs/screenshots/booking-<step>-…
SETUP = """
import django
django.setup()
from satuatap.booking.models import BookingPolicy
from satuatap.directory.models import Mall, Service

mall = Mall.objects.get(slug="pekanbaru")
Service.objects.filter(mall=mall, code="DUKCAPIL-KTP").update(bookable=True)
BookingPolicy.objects.update_or_create(mall=mall, defaults={"check_in_early_minutes": 36 * 60})
"""


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

    def on_step(step: str) -> None:
        if step == "confirmation":
            # The code (checked by the walk), QR, masked data; the confirmation reaches the file channel.
            expect(phone.locator("#booking-qr svg")).to_be_visible()
            expect(phone.locator("#booking-nik")).to_have_text("1471**********02")
            expect(phone.locator("#booking-phone")).to_have_text("0812******90")
            code = phone.locator("#booking-code").inner_text().strip()
            run_in_stack(stack, [PYTHON, "manage.py", "worker", "--once"])
            confirmations = [m for m in delivered(stack) if m["kind"] == "booking_confirmed" and code in m["body"]]
            assert len(confirmations) == 1, delivered(stack)
            assert confirmations[0]["to"] == "0812******90" and confirmations[0]["sandbox"] is True
        if step == "detail":
            expect(phone.locator("#check-in-window")).to_contain_text("anjungan")
        if step in SHOTS:
            shot(phone, f"booking-{step}")

    # The phone: from the mall's page through the booking flow to the booking's own page.
    phone = screens.public(f"/m/{MALL}/", viewport=PHONE_SIZE)
    phone.click("#book-visit")
    code = walk_booking(phone, on_step)

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
