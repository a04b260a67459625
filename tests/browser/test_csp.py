"""The screens run under the Content Security Policy: no violation on the kiosk, the board or the console.

Chromium reports every blocked inline script, handler, style or connection as a
``securitypolicyviolation`` event and a console error; both are collected while a ticket is
taken at the kiosk, shown on the board over the live channel, and called from the console.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import MALL, RECORD_PRINT
from tests.browser.test_display_reconnect import wait_live

pytestmark = pytest.mark.browser

WATCH = (
    "window.__cspViolations = [];"
    "document.addEventListener('securitypolicyviolation', (e) => window.__cspViolations.push("
    "`${e.violatedDirective} blocked ${e.blockedURI} at ${e.sourceFile}:${e.lineNumber}`));"
)


def violations(page) -> list[str]:
    return page.evaluate("window.__cspViolations || []")


def console_violations(screens) -> list[str]:
    return [line for line in screens.console if "Content Security Policy" in line]


def test_kiosk_display_and_console_raise_no_csp_violation(screens, stack):
    kiosk = screens.device("kiosk", viewport=(1080, 1920), init_script=WATCH + RECORD_PRINT)
    number = screens.take_ticket(kiosk, "DUKCAPIL", "DUKCAPIL-KTP")  # the kiosk's three pages
    assert violations(kiosk) == []

    display = screens.device("display_a", viewport=(1920, 1080), init_script=WATCH)
    expect(display).to_have_url(re.compile(rf"/m/{MALL}/display/A/$"))
    wait_live(display, True)  # the WebSocket is allowed by connect-src

    console = screens.officer("officer1")
    console.context.add_init_script(WATCH)
    console.reload()
    counter = console.locator('button[data-counter="1"]')
    if counter.count():
        counter.click()
    expect(console.locator("#counter-number")).to_have_text("1")
    console.locator("#btn-call-next").click()
    expect(console.locator("#current-number")).to_have_text(number)
    expect(display.locator("#board")).to_contain_text(number)  # pushed over the live channel

    response = console.request.get(stack.url("/console/"))
    policy = response.headers["content-security-policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy.split("script-src")[1].split(";")[0]
    for page in (kiosk, display, console):
        assert violations(page) == [], page.url
    assert console_violations(screens) == []
