"""The booking flow on a phone, step by step, shared by the booking and the accessibility tests.

``walk_booking`` drives the citizen from the booking start page to the booking's own page, checks what each
step must show, and calls ``on_step(step)`` once the step is on screen, so a test adds its own checks there
(a screenshot, axe, the worker's delivery) without walking the flow again.
"""

from __future__ import annotations

import datetime as dt
import re
import time
from collections.abc import Callable
from zoneinfo import ZoneInfo

from playwright.sync_api import expect

NIK = "1471015505920002"
BAD_NIK = "1471019905920002"  # a birth date that does not exist: refused
NAME = "Siti Aminah"
PHONE = "0812 3456 7890"
STEPS = ("start", "services", "days", "slots", "form", "form-error", "confirmation", "detail")

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


def walk_booking(phone, on_step: Callable[[str], None]) -> str:
    """From the booking start page (already open) to the booking's page: DUKCAPIL-KTP, the first slot with time
    to book, a refused NIK then the right one. Calls ``on_step`` with each of ``STEPS``; returns the booking code."""
    expect(phone.locator("#ordering-rule")).to_be_visible()
    expect(phone.locator("#ordering-rule")).to_contain_text("check-in")
    on_step("start")

    phone.click('a[data-agency="DUKCAPIL"]')
    ktp = phone.locator('li[data-service="DUKCAPIL-KTP"]')
    expect(ktp).to_be_visible()
    expect(ktp).to_contain_text("KTP-el asli")  # the requirements, before booking
    on_step("services")

    ktp.locator("a.btn").click()
    expect(phone.locator("#day-list a.bk-choice").first).to_be_visible()
    on_step("days")
    slot = first_slot_with_time_to_book(phone)
    on_step("slots")
    slot.click()

    # The form: a bad NIK first (refused, input kept), then the real one.
    expect(phone.locator("#booking-form")).to_be_visible()
    on_step("form")
    phone.fill("#id_nik", BAD_NIK)
    phone.fill("#id_name", NAME)
    phone.fill("#id_phone", PHONE)
    phone.check("#id_consent")
    phone.click("#booking-submit")
    expect(phone.locator("#nik-error")).to_be_visible()
    expect(phone.locator("#nik-error")).to_contain_text("Tanggal lahir")
    expect(phone.locator("#id_name")).to_have_value(NAME)
    on_step("form-error")
    phone.fill("#id_nik", NIK)
    phone.check("#id_consent")
    phone.click("#booking-submit")

    code_el = phone.locator("#booking-code")
    expect(code_el).to_have_text(re.compile(r"^[2-9A-Z]{8}$"))
    code = code_el.inner_text().strip()
    on_step("confirmation")

    phone.click("#booking-page-link")
    expect(phone.locator("#booking-status")).to_have_text("Aktif")
    on_step("detail")
    return code
