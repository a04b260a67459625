"""Fixtures for the browser tests: real processes (stack.py) and Debian's Chromium.

``stack`` is one fresh copy of the seeded mall per test module; ``screens`` opens pages
as a device (kiosk, display), an officer, or the public, each in its own browser context.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.browser.stack import Harness, Stack

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--autoplay-policy=no-user-gesture-required",
]
# The kiosk ticket page prints on load: record the call instead of opening a dialog.
RECORD_PRINT = "window.__printCalls = 0; window.print = () => { window.__printCalls += 1; };"
MALL = "pekanbaru"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def _require_chromium() -> None:
    if os.path.exists(CHROMIUM):
        return
    reason = f"{CHROMIUM} is missing (apt-get install -y chromium)"
    if os.environ.get("CI") == "true":
        pytest.fail(f"Chromium is required in CI: {reason}")
    pytest.skip(reason)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)


@pytest.fixture(scope="session")
def harness() -> Iterator[Harness]:
    _require_chromium()
    with Harness() as h:
        yield h


@pytest.fixture(scope="module")
def stack(harness: Harness) -> Iterator[Stack]:
    s = harness.new_stack()
    yield s
    harness.release(s)


@pytest.fixture(scope="session")
def browser():
    _require_chromium()
    from playwright.sync_api import expect, sync_playwright

    # Live screens go through a relay that polls each second: give them a little room.
    expect.set_options(timeout=15_000)
    pw = sync_playwright().start()
    b = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    yield b
    b.close()
    pw.stop()


class Screens:
    """Opens pages in separate browser contexts (separate sessions) against one stack."""

    def __init__(self, browser, stack: Stack):
        self.browser = browser
        self.stack = stack
        self.contexts = []
        self.console: list[str] = []

    def _context(self, viewport: tuple[int, int], init_script: str = "", fake_clock: bool = False):
        context = self.browser.new_context(
            viewport={"width": viewport[0], "height": viewport[1]}, locale="id-ID", timezone_id="Asia/Jakarta"
        )
        context.set_default_timeout(15_000)
        if init_script:
            context.add_init_script(init_script)
        if fake_clock:
            context.clock.install()  # time still flows; tests may jump it (clock.fast_forward)
        self.contexts.append(context)
        page = context.new_page()
        label = f"ctx{len(self.contexts)}"
        page.on("console", lambda msg: self.console.append(f"[{label} {msg.type}] {msg.text}"))
        page.on("pageerror", lambda err: self.console.append(f"[{label} pageerror] {err}"))
        return page

    def device(self, token_name: str, viewport=(1280, 1024), init_script: str = "", fake_clock: bool = False):
        """A kiosk or display device, signed in by posting its token to the /device/ form (never in a URL)."""
        page = self._context(viewport, init_script, fake_clock)
        page.goto(self.stack.url("/device/"))
        page.fill("#code", self.stack.tokens[token_name])
        with page.expect_navigation():
            page.locator("form:has(#code) [type=submit]").click()
        return page

    def officer(self, username: str, viewport=(1366, 768), next_path: str = "/console/"):
        """A staff member signed in through /login/, landing on next_path (the console by default)."""
        page = self._context(viewport)
        page.goto(self.stack.url(f"/login/?next={next_path}"))
        page.fill("#id_username", username)
        page.fill("#id_password", self.stack.tokens["password"])
        with page.expect_navigation():
            page.locator("form:has(#id_username) [type=submit]").click()
        assert "/login/" not in page.url, f"{username} could not sign in"
        return page

    def public(self, path: str, viewport=(390, 844), fake_clock: bool = False):
        page = self._context(viewport, fake_clock=fake_clock)
        page.goto(self.stack.url(path))
        return page

    def take_ticket(self, kiosk, agency: str, service: str, priority_group: str = "") -> str:
        """On a signed-in kiosk: zone tab (when the agency is in another zone), agency tile, then service
        button, then the ticket page. Returns the number."""
        kiosk.goto(self.stack.url(f"/m/{MALL}/kiosk/"))
        tile = kiosk.locator(f'a[data-agency="{agency}"]')
        for zone in kiosk.locator("a[data-zone]").evaluate_all("tabs => tabs.map(t => t.dataset.zone)"):
            if tile.count():
                break
            kiosk.click(f'a[data-zone="{zone}"]')
            kiosk.wait_for_url(f"**/kiosk/?zone={zone}")
        tile.click()
        if priority_group:
            kiosk.check(f'[name="priority_group"][value="{priority_group}"]')
        kiosk.click(f'button[data-service="{service}"]')
        kiosk.wait_for_url("**/kiosk/ticket/**")
        return kiosk.locator("#ticket-number").inner_text().strip()

    @staticmethod
    def public_code(kiosk_ticket_page) -> str:
        """The ticket's public code, read from the kiosk ticket page's URL."""
        return kiosk_ticket_page.url.rstrip("/").rsplit("/", 1)[-1]

    def close(self) -> None:
        for context in self.contexts:
            context.close()
        self.contexts.clear()


@pytest.fixture
def screens(request, browser, stack: Stack) -> Iterator[Screens]:
    s = Screens(browser, stack)
    yield s
    failed = any(
        getattr(request.node, f"rep_{when}", None) and getattr(request.node, f"rep_{when}").failed
        for when in ("setup", "call")
    )
    if failed:
        print("----- browser console -----")
        print("\n".join(s.console[-80:]))
        print(stack.logs())
    s.close()
