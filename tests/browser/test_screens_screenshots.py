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


@pytest.mark.parametrize("size", KIOSK_SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_kiosk_screens(screens, size):
    kiosk = screens.device("kiosk", viewport=size, init_script=RECORD_PRINT)
    expect(kiosk).to_have_url(re.compile(rf"/m/{MALL}/kiosk/$"))
    expect(kiosk.locator('a[data-agency="DUKCAPIL"]')).to_be_visible()
    shot(kiosk, "kiosk-home")

    kiosk.click('a[data-agency="DUKCAPIL"]')
    expect(kiosk.locator('button[data-service="DUKCAPIL-KTP"]')).to_be_visible()
    shot(kiosk, "kiosk-services")

    kiosk.click('button[data-service="DUKCAPIL-KTP"]')
    kiosk.wait_for_url("**/kiosk/ticket/**")
    expect(kiosk.locator("#ticket-number")).to_have_text(re.compile(r"^A\d{3}$"))
    expect(kiosk.locator("#people-ahead")).to_be_visible()
    expect(kiosk.locator("#estimated-wait")).to_be_visible()
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
    shot(phone, "ticket")


def test_console_with_a_called_ticket(screens):
    kiosk = screens.device("kiosk", init_script=RECORD_PRINT)
    screens.take_ticket(kiosk, "DUKCAPIL", "DUKCAPIL-KK")
    console = signed_in_console(screens, "officer1", 1)
    console.click("#btn-call-next")
    expect(console.locator("#current-number")).to_have_text(re.compile(r"^[AB]\d{3}$"))
    expect(console.locator("#current-status")).to_have_text("Dipanggil")
    expect(console.locator("#btn-start")).to_be_enabled()
    shot(console, "console")


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
    shot(floor, "floor")
