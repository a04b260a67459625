"""The display board shows every queue of its zone and its voice follows the big number (issue 11, item 4).

Demo mall: Disdukcapil (zone A) has 22 services and the whole-mall board 191; the waiting strip
turns its pages by itself, so every service is on the screen within one rotation, whole (no cut
name), at 1920×1080 and 1366×768. Test world: four quick calls at one counter, the fourth row
visible, and the voice never left on a number the counter has moved past.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import MALL, SCREENSHOTS, Screens
from tests.browser.stack import Harness, Stack
from tests.browser.test_display_reconnect import spoken, wait_live

pytestmark = pytest.mark.browser

BOARD_SIZES = [(1920, 1080), (1366, 768)]
PAGE_MS = 7_000  # display.js turns the waiting strip's page this often
NOTICE = "Parkir gratis untuk pengunjung MPP hari ini"
DEMO_SEED = f"""
import django

django.setup()
from satuatap.project.management.commands.demo import build_mall

mall = build_mall(around_the_clock=True, slug="demo")
mall.board_notices = "{NOTICE}\\nLoket Samsat buka sampai pukul 15.00"
mall.save()
print("{{}}")
"""

# The board's sound is held until the test lets it go: announcements are deterministic, not timed.
HOLD_AUDIO = """
window.SpeechSynthesisUtterance = undefined;
window.__held = [];
window.Audio = class {
  constructor(url) { this.url = url; this.listeners = {}; this.volume = 1; }
  addEventListener(type, fn) { (this.listeners[type] = this.listeners[type] || []).push(fn); }
  play() { window.__held.push(this); return Promise.resolve(); }
  pause() {}
};
window.__release = () => {
  for (const audio of window.__held.splice(0)) (audio.listeners.ended || []).forEach((fn) => fn());
};
"""

# Every waiting tile shown now: whole on the screen, its name not cut.
VISIBLE_TILES = """() => [...document.querySelectorAll("#waiting-list .waiting-item")]
  .filter((li) => !li.hidden && li.offsetParent !== null)
  .map((li) => {
    const box = li.getBoundingClientRect();
    const name = li.querySelector(".waiting-name");
    return {
      code: li.querySelector(".waiting-count").dataset.service,
      name: name.textContent,
      inside: box.top >= 0 && box.left >= 0 && box.bottom <= innerHeight && box.right <= innerWidth,
      whole: name.scrollHeight <= li.clientHeight && name.scrollWidth <= name.clientWidth + 1,
    };
  })"""


@pytest.fixture(scope="module")
def demo_stack() -> Iterator[Stack]:
    with Harness(extra_seed=DEMO_SEED, web_workers=1) as harness:
        stack = harness.new_stack()
        yield stack
        harness.release(stack)


@pytest.fixture
def demo_screens(browser, demo_stack) -> Iterator[Screens]:
    s = Screens(browser, demo_stack)
    yield s
    s.close()


def shot(page, screen: str) -> None:
    size = page.viewport_size
    page.evaluate("document.fonts.ready")
    page.screenshot(path=SCREENSHOTS / f"{screen}-{size['width']}x{size['height']}.png")


def fits(page) -> None:
    height, inner = page.evaluate("[document.scrollingElement.scrollHeight, window.innerHeight]")
    assert height <= inner, f"the board is {height}px on a {inner}px screen"


def every_service_in_one_rotation(board) -> set[str]:
    """Turn the waiting strip through all its pages (the page clock), checking each tile shown."""
    codes = board.evaluate(
        "[...document.querySelectorAll('#waiting-list .waiting-count')].map((n) => n.dataset.service)"
    )
    pages = int(board.locator("#waiting-list").get_attribute("data-pages"))
    seen: set[str] = set()
    for _ in range(pages):
        tiles = board.evaluate(VISIBLE_TILES)
        assert tiles, "a page of the waiting strip shows nothing"
        for tile in tiles:
            assert tile["inside"], f"{tile['name']} is off the screen"
            assert tile["whole"], f"{tile['name']} is cut"
        seen |= {tile["code"] for tile in tiles}
        fits(board)
        board.clock.fast_forward(PAGE_MS)
    assert seen == set(codes), f"not shown in one rotation: {sorted(set(codes) - seen)}"
    return seen


@pytest.mark.parametrize("size", BOARD_SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_a_zone_with_22_services_shows_every_queue_within_one_rotation(demo_screens, size):
    board = demo_screens.public("/m/demo/display/A/", viewport=size, fake_clock=True)
    board.locator("#enable-sound").click()
    assert board.locator("#waiting-list .waiting-item").count() == 22
    expect(board.locator("#waiting-page")).to_have_text(re.compile(r"^1/\d$"))
    expect(board.locator("#notice-text")).to_have_text(NOTICE)
    wait_live(board, True)
    shot(board, "display-zone-22-services")
    assert len(every_service_in_one_rotation(board)) == 22


def test_the_whole_mall_board_reaches_all_191_services(demo_screens):
    board = demo_screens.public("/m/demo/display/", viewport=(1920, 1080), fake_clock=True)
    board.locator("#enable-sound").click()
    assert board.locator("#waiting-list .waiting-item").count() == 191
    expect(board.locator(".waiting-agency").first).to_be_visible()  # same-named services of two agencies
    wait_live(board, True)
    shot(board, "display-all-zones")
    assert len(every_service_in_one_rotation(board)) == 191


def test_the_voice_follows_the_number_and_the_fourth_call_is_visible(screens, stack):
    display = screens.device("display_a", viewport=(1920, 1080), init_script=HOLD_AUDIO)
    expect(display).to_have_url(re.compile(rf"/m/{MALL}/display/A/$"))
    if display.locator("#enable-sound").is_visible():
        display.click("#enable-sound")
    wait_live(display, True)
    kiosk = screens.device("kiosk")
    numbers = [screens.take_ticket(kiosk, "DUKCAPIL", "DUKCAPIL-KTP") for _ in range(4)]
    console = screens.officer("officer1")
    console.click('button[data-counter="1"]')
    expect(console.locator("#counter-number")).to_have_text("1")

    # Four quick calls at counter 1 while the board is still saying the first.
    for index, number in enumerate(numbers):
        console.click("#btn-call-next")
        expect(console.locator("#current-number")).to_have_text(number)
        if index == 0:
            expect(display.locator("#now-speaking-text")).to_have_text(f"{number} · Loket 1")
        if index < 3:
            console.click("#btn-start")
            expect(console.locator("#current-status")).to_have_text("Sedang dilayani")
            console.click("#btn-finish")
            expect(console.locator("#current-number")).to_have_text("—")

    # The big number moved on; what is being spoken is on the screen, beside it.
    expect(display.locator("#latest-number")).to_have_text(numbers[3])
    expect(display.locator("#now-speaking")).to_be_visible()
    expect(display.locator("#now-speaking-text")).to_have_text(f"{numbers[0]} · Loket 1")
    expect(display.locator(".call-row.is-speaking .call-number")).to_have_text(numbers[0])

    # The fourth recent call is whole on the board, at both sizes.
    for width, height in [(1920, 1080), (1366, 768)]:
        display.set_viewport_size({"width": width, "height": height})
        rows = display.locator(".call-row")
        expect(rows).to_have_count(4)
        for i in range(4):
            expect(rows.nth(i)).to_be_in_viewport(ratio=1)
            assert display.evaluate(
                """(i) => {
                  const row = document.querySelectorAll(".call-row")[i].getBoundingClientRect();
                  const box = document.querySelector(".board-calls").getBoundingClientRect();
                  return row.top >= box.top && row.bottom <= box.bottom;
                }""",
                i,
            ), f"call row {i + 1} is clipped at {width}x{height}"
        fits(display)
        if width == 1920:
            shot(display, "display-speaking")

    # Let the sound play out: the counter's stale calls were dropped, the voice ends on the big number.
    display.wait_for_function(
        """() => { window.__release();
                   return document.querySelector("#now-speaking").hidden; }""",
        polling=200,
    )
    said = display.evaluate("window.satuatapAnnouncements")
    assert said == [spoken(numbers[0], 1), spoken(numbers[3], 1)]
    expect(display.locator("#last-announcement")).to_have_text(spoken(numbers[3], 1))
    expect(display.locator("#latest-number")).to_have_text(numbers[3])
