"""The kiosk of the demo mall (33 agencies, 191 services) on the two kiosk screens, without scrolling.

Issue 11: every choice on one screen at 1080×1920 and 1280×1024; the most used services as big
buttons; pages instead of scrolling; search with an on-screen keyboard; a language switch; the
slip says the zone and the building. This module loads the demo catalogue beside the test world.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import RECORD_PRINT, Screens
from tests.browser.stack import Harness, Stack

pytestmark = pytest.mark.browser

DEMO = "demo"
KIOSK_SIZES = [(1080, 1920), (1280, 1024)]
DEMO_SEED = """
import json
import django

django.setup()
from satuatap.accounts.models import Role, User
from satuatap.accounts.tokens import issue_token
from satuatap.project.management.commands.demo import build_mall

mall = build_mall(around_the_clock=True, slug="demo")
kiosk = User.objects.create_user(username="demo_kiosk", role=Role.KIOSK, mall=mall)
_, raw = issue_token(kiosk, label="e2e demo kiosk")
print(json.dumps({"demo_kiosk": raw}))
"""


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


def fits(page) -> None:
    """The page needs no scrolling: everything is on the screen."""
    height, inner = page.evaluate("[document.scrollingElement.scrollHeight, window.innerHeight]")
    assert height <= inner, f"{page.url} is {height}px on a {inner}px screen"


def all_pages(page) -> Iterator[None]:
    """Yield on each page of a paged list, following the ▶ arrow."""
    while True:
        yield
        following = page.locator("#page-next")
        if not following.count():
            return
        with page.expect_navigation():
            following.click()


@pytest.mark.parametrize("size", KIOSK_SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_every_kiosk_screen_of_the_demo_mall_fits_without_scrolling(demo_screens, size):
    kiosk = demo_screens.device("demo_kiosk", viewport=size, init_script=RECORD_PRINT)
    kiosk.goto(demo_screens.stack.url(f"/m/{DEMO}/kiosk/"))
    expect(kiosk.locator(".popular-btn")).to_have_count(6)
    zones = kiosk.locator("a[data-zone]").evaluate_all("tabs => tabs.map(t => t.dataset.zone)")
    assert zones == ["A", "B", "C", "D", "E"]
    agencies: list[str] = []
    for zone in zones:
        kiosk.goto(demo_screens.stack.url(f"/m/{DEMO}/kiosk/?zone={zone}"))
        for _ in all_pages(kiosk):
            fits(kiosk)
            agencies += kiosk.locator("a[data-agency]").evaluate_all("tiles => tiles.map(t => t.dataset.agency)")
    assert len(set(agencies)) == 33  # every agency is reachable, none twice
    services = 0
    for agency in agencies:
        kiosk.goto(demo_screens.stack.url(f"/m/{DEMO}/kiosk/{agency}/"))
        for _ in all_pages(kiosk):
            fits(kiosk)
            services += kiosk.locator("button[data-service]").count()
    assert services == 191


@pytest.mark.parametrize("size", KIOSK_SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_a_popular_service_prints_a_slip_that_says_where_to_go(demo_screens, size):
    kiosk = demo_screens.device("demo_kiosk", viewport=size, init_script=RECORD_PRINT)
    kiosk.goto(demo_screens.stack.url(f"/m/{DEMO}/kiosk/"))
    first = kiosk.locator(".popular-btn").first
    expect(first).to_have_attribute("data-service", "DUKCAPIL-KTP-BARU")
    first.click()
    kiosk.wait_for_url("**/kiosk/ticket/**")
    expect(kiosk.locator("#ticket-zone")).to_have_text("Zona A · Disdukcapil")
    expect(kiosk.locator("#ticket-building")).to_have_text("Gedung Disdukcapil, Lantai 1")
    expect(kiosk.locator(".tp-counters strong")).to_have_text(re.compile(r"^\d+(–\d+)?(, \d+(–\d+)?)*$"))
    kiosk.wait_for_function("() => window.__printCalls >= 1")


def test_search_with_the_on_screen_keyboard_opens_the_service(demo_screens):
    kiosk = demo_screens.device("demo_kiosk", viewport=(1080, 1920), init_script=RECORD_PRINT)
    kiosk.goto(demo_screens.stack.url(f"/m/{DEMO}/kiosk/"))
    kiosk.click("#kiosk-search")
    for key in "SKCK":
        kiosk.click(f'.osk-key[data-key="{key}"]')
    expect(kiosk.locator("#search-q")).to_have_value("skck")
    fits(kiosk)
    with kiosk.expect_navigation():
        kiosk.click("#search-go")
    hit = kiosk.locator('.search-hit[data-service="POLRESTA-SKCK-BARU"]')
    expect(hit).to_be_visible()
    fits(kiosk)
    hit.click()
    expect(kiosk.locator(".kiosk-service.is-chosen button[data-service]")).to_have_attribute(
        "data-service", "POLRESTA-SKCK-BARU"
    )
    fits(kiosk)


def test_the_language_switch_turns_the_kiosk_to_english_and_back(demo_screens):
    kiosk = demo_screens.device("demo_kiosk", viewport=(1280, 1024), init_script=RECORD_PRINT)
    kiosk.goto(demo_screens.stack.url(f"/m/{DEMO}/kiosk/?zone=B"))
    with kiosk.expect_navigation():
        kiosk.click('.lang-btn[value="en"]')
    expect(kiosk.locator(".kiosk-title")).to_have_text("Welcome. Choose your service.")
    assert kiosk.url.endswith("/kiosk/?zone=B")  # the same screen, in the other language
    with kiosk.expect_navigation():
        kiosk.click('.lang-btn[value="id"]')
    expect(kiosk.locator(".kiosk-title")).to_have_text("Selamat datang. Pilih layanan Anda.")
