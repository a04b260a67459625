"""The display board survives a cut live channel: it catches up on reconnect and polls meanwhile."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import MALL

pytestmark = pytest.mark.browser

DIGITS = ["nol", "satu", "dua", "tiga", "empat", "lima", "enam", "tujuh", "delapan", "sembilan"]
# live.js polls the snapshot every 20 s and backs off reconnects up to 2 s (with jitter below that).
POLL_MS = 20_000
RECONNECT_BACKOFF_MS = 2_000
LIVE_ON = """() => {
  const el = document.querySelector("#live-status");
  if (!el) return false;
  const on = el.classList.contains("on") || el.dataset.state === "on" || el.dataset.connected === "true";
  return %s ? on : !on;
}"""


def spoken(number: str, counter: int) -> str:
    """What the board says for a call, e.g. A001 at 1: "Nomor antrean A nol nol satu, silakan ke loket satu"."""
    words = " ".join(DIGITS[int(d)] for d in number[1:])
    return f"Nomor antrean {number[0]} {words}, silakan ke loket {DIGITS[counter]}"


def wait_live(display, on: bool, timeout: int = 10_000) -> None:
    display.wait_for_function(LIVE_ON % ("true" if on else "false"), timeout=timeout)


def announcements(display) -> list[str]:
    return display.evaluate("window.satuatapAnnouncements || []")


def open_board(screens, fake_clock: bool = False):
    display = screens.device("display_a", viewport=(1920, 1080), fake_clock=fake_clock)
    expect(display).to_have_url(re.compile(rf"/m/{MALL}/display/A/$"))
    display.click("#enable-sound")
    wait_live(display, True)
    return display


def console_at(screens, username: str, counter: int):
    console = screens.officer(username)
    button = console.locator(f'button[data-counter="{counter}"]')
    if button.count():
        button.click()
    expect(console.locator("#counter-number")).to_have_text(str(counter))
    return console


def test_the_board_catches_up_with_a_call_made_while_the_live_channel_was_down(screens, stack):
    display = open_board(screens, fake_clock=True)
    kiosk = screens.device("kiosk")
    number = screens.take_ticket(kiosk, "DUKCAPIL", "DUKCAPIL-KK")
    expect(display.locator('.waiting-count[data-service="DUKCAPIL-KK"]')).to_have_text("1")
    console = console_at(screens, "officer2", 2)

    stack.stop_live()
    try:
        wait_live(display, False)
        console.click("#btn-call-next")  # pages and actions are WSGI: they work without the live channel
        expect(console.locator("#current-number")).to_have_text(number)
    finally:
        stack.start_live()

    # Skip the reconnect back-off (at most 2 s) with the page clock rather than waiting it out; a longer
    # back-off (it was 10 s) would not reconnect within the 5 s of real time given here.
    display.clock.fast_forward(RECONNECT_BACKOFF_MS)
    wait_live(display, True, timeout=5_000)
    expect(display.locator("#latest-number")).to_have_text(number)
    expect(display.locator("#latest-counter")).to_contain_text("2")
    expect(display.locator('.waiting-count[data-service="DUKCAPIL-KK"]')).to_have_text("0")
    display.wait_for_function("() => (window.satuatapAnnouncements || []).length >= 1")
    assert announcements(display) == [spoken(number, 2)]


def test_the_board_keeps_polling_its_snapshot_while_the_live_channel_is_down(screens, stack):
    display = open_board(screens, fake_clock=True)
    kiosk = screens.device("kiosk")
    console = console_at(screens, "officer1", 1)

    stack.stop_live()
    try:
        wait_live(display, False)
        number = screens.take_ticket(kiosk, "DUKCAPIL", "DUKCAPIL-KTP")
        console.click("#btn-call-next")
        expect(console.locator("#current-number")).to_have_text(number)
        # The board's next poll (jumped to with the page clock) brings the call, socket still down.
        display.clock.fast_forward(POLL_MS)
        expect(display.locator("#latest-number")).to_have_text(number)
        expect(display.locator("#latest-counter")).to_contain_text("1")
        display.wait_for_function("() => (window.satuatapAnnouncements || []).length >= 1")
        assert announcements(display) == [spoken(number, 1)]
        wait_live(display, False, timeout=1000)
    finally:
        stack.start_live()
