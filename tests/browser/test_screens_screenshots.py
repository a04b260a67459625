"""Every screen at the sizes people use it, saved to docs/screenshots/<screen>-<w>x<h>.png.

Each test checks that the screen shows its key element before the picture is taken.
"""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import MALL, RECORD_PRINT, SCREENSHOTS

pytestmark = pytest.mark.browser

KIOSK_SIZES = [(1080, 1920), (1280, 1024)]
PHONE = (390, 844)
CONSOLE = (1366, 768)
BOARD = (1920, 1080)
DESKTOP = (1280, 800)


def shot(page, screen: str) -> None:
    size = page.viewport_size
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.evaluate("document.fonts.ready")
    page.screenshot(path=SCREENSHOTS / f"{screen}-{size['width']}x{size['height']}.png")


def signed_in_console(screens, username: str, counter: int):
    console = screens.officer(username, viewport=CONSOLE)
    button = console.locator(f'button[data-counter="{counter}"]')
    if button.count():
        button.click()
    expect(console.locator("#counter-number")).to_have_text(str(counter))
    return console


def serve_next(console, number: str) -> None:
    """Call the next ticket at a signed-in console (it must be ``number``), start and finish it."""
    console.click("#btn-call-next")
    expect(console.locator("#current-number")).to_have_text(number)
    console.click("#btn-start")
    expect(console.locator("#current-status")).to_have_text("Sedang dilayani")
    console.click("#btn-finish")
    expect(console.locator("#current-number")).to_have_text("—")


@pytest.mark.parametrize("size", KIOSK_SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_kiosk_screens(screens, size):
    kiosk = screens.device("kiosk", viewport=size, init_script=RECORD_PRINT)
    expect(kiosk).to_have_url(re.compile(rf"/m/{MALL}/kiosk/$"))
    expect(kiosk.locator('a[data-agency="DUKCAPIL"]')).to_be_visible()
    expect(kiosk.locator(".popular-btn").first).to_be_visible()
    assert kiosk.evaluate("document.scrollingElement.scrollHeight <= innerHeight")
    shot(kiosk, "kiosk-home")

    kiosk.click("#kiosk-search")
    kiosk.click('.osk-key[data-key="K"]')
    kiosk.click('.osk-key[data-key="T"]')
    kiosk.click("#search-go")
    expect(kiosk.locator('.search-hit[data-service="DUKCAPIL-KTP"]')).to_be_visible()
    assert kiosk.evaluate("document.scrollingElement.scrollHeight <= innerHeight")
    shot(kiosk, "kiosk-search")

    kiosk.goto(screens.stack.url(f"/m/{MALL}/kiosk/"))
    kiosk.click('a[data-agency="DUKCAPIL"]')
    expect(kiosk.locator('button[data-service="DUKCAPIL-KTP"]')).to_be_visible()
    assert kiosk.evaluate("document.scrollingElement.scrollHeight <= innerHeight")
    shot(kiosk, "kiosk-services")

    kiosk.click('button[data-service="DUKCAPIL-KTP"]')
    kiosk.wait_for_url("**/kiosk/ticket/**")
    expect(kiosk.locator("#ticket-number")).to_have_text(re.compile(r"^A\d{3}$"))
    expect(kiosk.locator("#people-ahead")).to_be_visible()
    expect(kiosk.locator("#estimated-wait")).to_be_visible()
    expect(kiosk.locator("#ticket-zone")).to_have_text("Zona A Disdukcapil")
    expect(kiosk.locator("#ticket-building")).to_have_text("Gedung Disdukcapil, Lantai 1")
    kiosk.wait_for_function("() => window.__printCalls >= 1")  # a function: the CSP refuses eval
    shot(kiosk, "kiosk-ticket")


def test_public_ticket_page_on_a_phone(screens):
    kiosk = screens.device("kiosk", init_script=RECORD_PRINT)
    number = screens.take_ticket(kiosk, "IMIGRASI", "IMIGRASI-PASPOR")
    phone = screens.public(f"/t/{screens.public_code(kiosk)}/", viewport=PHONE)
    expect(phone.locator("#ticket-number")).to_have_text(number)
    expect(phone.locator("#ticket-status")).to_have_text("Menunggu")
    expect(phone.locator("#ticket-position")).to_be_visible()
    expect(phone.locator("#ticket-estimate")).to_be_visible()
    expect(phone.locator("#ticket-zone")).to_have_text("Zona B Imigrasi & Polri")
    expect(phone.locator("#ticket-building")).to_have_text("Gedung MPP, Lantai 2")
    shot(phone, "ticket")


def test_console_unavailable_actions_are_disabled_and_look_it(screens):
    console = signed_in_console(screens, "officer2", 2)
    expect(console.locator("#current-number")).to_have_text("—")
    for action in ("#btn-recall", "#btn-start", "#btn-finish", "#btn-no-show", "#btn-transfer"):
        expect(console.locator(action)).to_be_disabled()
    expect(console.locator("#btn-call-next")).to_be_enabled()
    expect(console.locator("#btn-call-next")).to_have_class(re.compile(r"\bis-next\b"))
    # Disabled looks different from enabled: not the action's colour (a touch screen shows no cursor).
    colours = console.evaluate(
        "['#btn-finish', '#btn-no-show', '#btn-call-next']"
        ".map(s => getComputedStyle(document.querySelector(s)).backgroundColor)"
    )
    assert colours[0] == colours[1] != colours[2]
    # A tap on a disabled button does nothing, and neither does its key.
    console.locator("#btn-finish").dispatch_event("click")
    console.keyboard.press("s")
    expect(console.locator("#current-status")).to_have_text("Tidak ada tiket di loket")
    shot(console, "console-idle")
    console.click("#btn-sign-out")  # the counter is free again for the tests that follow
    expect(console.locator('button[data-counter="2"]')).to_be_visible()


def test_console_counter_picker_offers_free_counters_only(screens):
    signed_in_console(screens, "officer1", 1)
    picker = screens.officer("officer2", viewport=CONSOLE)
    expect(picker.locator('button[data-counter="2"]')).to_be_visible()
    expect(picker.locator('button[data-counter="1"]')).to_have_count(0)
    expect(picker.locator('[data-taken="1"]')).to_have_count(1)
    shot(picker, "console-picker")


def test_console_with_a_called_ticket(screens):
    kiosk = screens.device("kiosk", init_script=RECORD_PRINT)
    screens.take_ticket(kiosk, "DUKCAPIL", "DUKCAPIL-KK")
    console = signed_in_console(screens, "officer1", 1)
    console.click("#btn-call-next")
    expect(console.locator("#current-number")).to_have_text(re.compile(r"^[AB]\d{3}$"))
    expect(console.locator("#current-status")).to_have_text("Dipanggil")
    expect(console.locator("#btn-start")).to_be_enabled()
    expect(console.locator("#btn-start")).to_have_class(re.compile(r"\bis-next\b"))
    # The transfer list starts with the counter's own agency, and its search box narrows it.
    groups = console.locator("#transfer-service optgroup").evaluate_all("gs => gs.map(g => g.label)")
    assert groups[0].startswith("Dinas Kependudukan")
    console.fill("#transfer-filter", "paspor")
    visible = console.locator("#transfer-service option:not([hidden])").evaluate_all("os => os.map(o => o.value)")
    assert visible == ["", "IMIGRASI-PASPOR"]
    console.fill("#transfer-filter", "")
    shot(console, "console")
    # Keyboard: typing in a field is typing; outside it, M starts serving the called number.
    console.keyboard.press("m")
    expect(console.locator("#transfer-filter")).to_have_value("m")
    console.locator("#transfer-filter").blur()
    console.keyboard.press("m")
    expect(console.locator("#current-status")).to_have_text("Sedang dilayani")


def test_display_board_with_calls(screens):
    kiosk = screens.device("kiosk", init_script=RECORD_PRINT)
    screens.take_ticket(kiosk, "DUKCAPIL", "DUKCAPIL-KTP")
    screens.take_ticket(kiosk, "DUKCAPIL", "DUKCAPIL-KTP")
    console = signed_in_console(screens, "officer2", 2)
    console.click("#btn-call-next")
    expect(console.locator("#current-number")).to_have_text(re.compile(r"^[AB]\d{3}$"))
    called = console.locator("#current-number").inner_text()

    board = screens.device("display_a", viewport=BOARD)
    expect(board).to_have_url(re.compile(rf"/m/{MALL}/display/A/$"))
    expect(board.locator("#enable-sound")).to_be_visible()
    shot(board, "display-before-sound")
    board.click("#enable-sound")
    expect(board.locator("#latest-number")).to_have_text(called)
    expect(board.locator("#latest-counter")).to_contain_text("2")
    expect(board.locator(".call-row").first).to_be_visible()
    expect(board.locator('.waiting-count[data-service="DUKCAPIL-KTP"]')).to_be_visible()
    shot(board, "display")


@pytest.mark.parametrize("size", [DESKTOP, PHONE], ids=lambda s: f"{s[0]}x{s[1]}")
def test_mall_home(screens, size):
    page = screens.public(f"/m/{MALL}/", viewport=size)
    expect(page.locator("h1")).to_contain_text("MPP Pekanbaru")
    expect(page.get_by_role("heading", name="Zona A Disdukcapil")).to_be_visible()
    expect(page.get_by_text("Dinas Kependudukan dan Pencatatan Sipil").first).to_be_visible()
    shot(page, "mall-home")


def test_site_home(screens):
    page = screens.public("/", viewport=DESKTOP)
    expect(page.get_by_role("heading", name="MPP Pekanbaru")).to_be_visible()
    expect(page.locator(f'a[href="/m/{MALL}/kiosk/"]')).to_be_visible()
    shot(page, "home")


def test_the_managers_live_floor(screens):
    """The floor moves live: a call made at a console shows up without a reload."""
    floor = screens.officer("manager", viewport=DESKTOP, next_path=f"/m/{MALL}/floor/")
    expect(floor.locator('[data-counter="3"]')).to_be_visible()
    kiosk = screens.device("kiosk", init_script=RECORD_PRINT)
    screens.take_ticket(kiosk, "IMIGRASI", "IMIGRASI-PASPOR")
    console = signed_in_console(screens, "officer3", 3)
    console.click("#btn-call-next")
    # First come, first served: an earlier test of this module may have left an older ticket waiting.
    expect(console.locator("#current-number")).to_have_text(re.compile(r"^C\d{3}$"))
    called = console.locator("#current-number").inner_text()
    expect(floor.locator('[data-counter="3"] .ticket')).to_have_text(called)
    expect(floor.locator("#live-status")).to_have_class(re.compile(r"\bon\b"))
    expect(floor.locator("#floor-alerts")).to_be_visible()
    # Labels stay inside their tiles.
    overflowing = floor.evaluate(
        "[...document.querySelectorAll('.counter, .counter *')].filter(e => e.scrollWidth > e.clientWidth + 1"
        " && getComputedStyle(e).textOverflow !== 'ellipsis').length"
    )
    assert overflowing == 0
    shot(floor, "floor")
