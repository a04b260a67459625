"""A board and a phone follow a call and a finish from the documents the live channel pushes.

The board shows a call without reading its snapshot and ignores a finish (nothing it shows
changed); the phone moves up the queue without a request and reads its own snapshot once when
its own ticket is called. Both catch up after the live channel drops.
"""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import MALL

pytestmark = pytest.mark.browser


class Traffic:
    """Snapshot requests a page makes and live messages it receives."""

    def __init__(self, page, snapshot_part: str):
        self.snapshots = 0
        self.messages: list[str] = []
        page.on("request", lambda request: self._request(request.url, snapshot_part))
        page.on("websocket", lambda ws: ws.on("framereceived", lambda frame: self.messages.append(str(frame))))

    def _request(self, url: str, part: str) -> None:
        if part in url:
            self.snapshots += 1


def wait_for(page, predicate, timeout_ms: int = 10_000) -> None:
    """Poll a Python condition while letting the page's events run."""
    for _ in range(timeout_ms // 100):
        if predicate():
            return
        page.wait_for_timeout(100)
    raise AssertionError("condition not met in time")


def test_a_board_and_a_phone_follow_a_call_and_a_finish_and_survive_a_dropped_socket(screens, stack):
    display = screens.device("display_a", viewport=(1920, 1080))
    expect(display).to_have_url(re.compile(rf"/m/{MALL}/display/A/$"))
    board = Traffic(display, "/display/A/snapshot.json")
    display.reload()  # its socket opens again, now with the listener on
    display.wait_for_function("() => document.querySelector('#live-status').dataset.state === 'on'")

    kiosk = screens.device("kiosk")
    first = screens.take_ticket(kiosk, "DUKCAPIL", "DUKCAPIL-KTP")
    second = screens.take_ticket(kiosk, "DUKCAPIL", "DUKCAPIL-KTP")
    phone = screens.public(f"/t/{screens.public_code(kiosk)}/")
    mine = Traffic(phone, "/snapshot.json")
    expect(phone.locator("#ticket-number")).to_have_text(second)
    phone.wait_for_function("() => document.querySelector('#live-dot').classList.contains('on')")
    expect(phone.locator("#ticket-position")).to_have_text("1")
    expect(display.locator('.waiting-count[data-service="DUKCAPIL-KTP"]')).to_have_text("2")

    console = screens.officer("officer1")
    button = console.locator('button[data-counter="1"]')
    if button.count():
        button.click()
    expect(console.locator("#counter-number")).to_have_text("1")

    # The call: the board shows it and the phone moves up, both from the pushed documents.
    board_before, phone_before = board.snapshots, mine.snapshots
    console.click("#btn-call-next")
    expect(display.locator("#latest-number")).to_have_text(first)
    expect(display.locator('.waiting-count[data-service="DUKCAPIL-KTP"]')).to_have_text("1")
    expect(phone.locator("#ticket-position")).to_have_text("0")
    expect(phone.locator("#ticket-estimate")).to_contain_text("menit")
    assert board.snapshots == board_before, "the board read its snapshot although the hint carried the board"
    assert mine.snapshots == phone_before, "the phone read its snapshot although the summary had its position"

    # The finish: the board gets the hint, marked as not about boards, and reads nothing.
    console.click("#btn-finish")
    expect(console.locator("#current-number")).to_have_text("—")
    wait_for(display, lambda: any('"finished"' in m for m in board.messages))
    display.wait_for_timeout(500)
    assert board.snapshots == board_before, "the board read its snapshot on a finish"

    # The phone's own call: its status changed, so it reads its snapshot (once) for the counter's words.
    console.click("#btn-call-next")
    expect(phone.locator("#ticket-status")).to_have_text("Dipanggil")
    expect(phone.locator("#ticket-counter")).to_have_text("Silakan ke loket 1")
    expect(display.locator("#latest-number")).to_have_text(second)

    # A dropped live channel: what happens meanwhile shows up after the reconnect.
    stack.stop_live()
    try:
        display.wait_for_function("() => document.querySelector('#live-status').dataset.state === 'off'")
        phone.wait_for_function("() => !document.querySelector('#live-dot').classList.contains('on')")
        console.click("#btn-finish")
        expect(console.locator("#current-number")).to_have_text("—")
        screens.take_ticket(kiosk, "DUKCAPIL", "DUKCAPIL-KK")
    finally:
        stack.start_live()
    expect(phone.locator("#ticket-status")).to_have_text("Selesai")
    expect(display.locator('.waiting-count[data-service="DUKCAPIL-KK"]')).to_have_text("1")
    display.wait_for_function("() => document.querySelector('#live-status').dataset.state === 'on'")
