"""One whole visit through the real processes: kiosk, display board, console, the citizen's phone."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import MALL, RECORD_PRINT

pytestmark = pytest.mark.browser

A001_AT_COUNTER_1 = "Nomor antrean A nol nol satu, silakan ke loket satu"
# Long enough for a hint and the relay (1 s polls) to reach the board, short enough to keep the suite fast.
QUIET_WINDOW_MS = 3000


def announcements(display) -> list[str]:
    return display.evaluate("window.satuatapAnnouncements || []")


def wait_for_announcements(display, count: int) -> None:
    display.wait_for_function(f"() => (window.satuatapAnnouncements || []).length >= {count}", timeout=20_000)


def open_display_with_sound(screens):
    display = screens.device("display_a", viewport=(1920, 1080))
    expect(display).to_have_url(re.compile(rf"/m/{MALL}/display/A/$"))
    display.click("#enable-sound")
    expect(display.locator("#enable-sound")).to_be_hidden()
    return display


def test_a_walk_in_citizen_is_called_announced_and_served(screens):
    display = open_display_with_sound(screens)
    assert announcements(display) == [], "the board spoke before anyone was called"

    # The kiosk: agency, service, and the printed ticket.
    kiosk = screens.device("kiosk", viewport=(1080, 1920), init_script=RECORD_PRINT)
    expect(kiosk).to_have_url(re.compile(rf"/m/{MALL}/kiosk/$"))
    assert screens.take_ticket(kiosk, "DUKCAPIL", "DUKCAPIL-KTP") == "A001"
    expect(kiosk.locator("#people-ahead")).to_have_text("0")
    expect(kiosk.locator("#estimated-wait")).not_to_be_empty()
    expect(kiosk.locator("svg").first).to_be_visible()
    kiosk.wait_for_function("() => window.__printCalls >= 1")  # a function: the CSP refuses eval
    code = screens.public_code(kiosk)

    # The board counts it as waiting, live.
    expect(display.locator('.waiting-count[data-service="DUKCAPIL-KTP"]')).to_have_text("1")

    # The citizen follows the ticket on a phone.
    phone = screens.public(f"/t/{code}/")
    expect(phone.locator("#ticket-number")).to_have_text("A001")
    expect(phone.locator("#ticket-status")).to_have_text("Menunggu")
    expect(phone.locator("#ticket-position")).to_contain_text("0")

    # The officer signs in at counter 1 and calls the next citizen.
    console = screens.officer("officer1")
    expect(console).to_have_url(re.compile(r"/console/$"))
    console.click('button[data-counter="1"]')
    expect(console.locator("#counter-number")).to_have_text("1")
    expect(console.locator('.waiting-count[data-service="DUKCAPIL-KTP"]')).to_have_text("1")
    console.click("#btn-call-next")
    expect(console.locator("#current-number")).to_have_text("A001")
    expect(console.locator("#current-status")).to_have_text("Dipanggil")

    # The board shows and speaks it, once.
    expect(display.locator("#latest-number")).to_have_text("A001")
    expect(display.locator("#latest-counter")).to_contain_text("1")
    wait_for_announcements(display, 1)
    assert announcements(display) == [A001_AT_COUNTER_1]
    expect(display.locator("#last-announcement")).to_have_text(A001_AT_COUNTER_1)
    expect(display.locator('.waiting-count[data-service="DUKCAPIL-KTP"]')).to_have_text("0")

    # The phone sees the call without a reload.
    expect(phone.locator("#ticket-status")).to_have_text("Dipanggil")
    expect(phone.locator("#ticket-counter")).to_contain_text("1")

    # A recall is announced once more (after the first announcement has finished playing).
    console.click("#btn-recall")
    expect(console.locator("#console-message")).to_contain_text("A001 dipanggil ulang")

    console.click("#btn-start")
    expect(console.locator("#current-status")).to_have_text("Sedang dilayani")
    expect(phone.locator("#ticket-status")).to_have_text("Sedang dilayani")
    console.click("#btn-finish")
    expect(console.locator("#console-message")).to_contain_text("A001 selesai")
    expect(phone.locator("#ticket-status")).to_have_text("Selesai")
    expect(console.locator("#current-number")).to_have_text("—")
    wait_for_announcements(display, 2)
    assert announcements(display) == [A001_AT_COUNTER_1, A001_AT_COUNTER_1], "the recall speaks; start/finish don't"

    # A reloaded board shows the same calls but does not repeat them.
    display.reload()
    expect(display.locator("#latest-number")).to_have_text("A001")
    expect(display.locator(".call-row").first).to_be_visible()
    if display.locator("#enable-sound").is_visible():
        display.click("#enable-sound")
    display.wait_for_timeout(QUIET_WINDOW_MS)
    assert announcements(display) == []
