"""A write whose answer was lost is resent by the page with the same Idempotency-Key: one ticket, one call."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import MALL

pytestmark = pytest.mark.browser


def _seq(number: str) -> int:
    return int(re.sub(r"\D", "", number))


def test_the_kiosk_resends_a_tap_whose_answer_was_lost_and_prints_the_same_ticket(screens, stack):
    kiosk = screens.device("kiosk")
    before = screens.take_ticket(kiosk, "DUKCAPIL", "DUKCAPIL-KTP")
    keys = []

    def lose_the_first_answer(route):
        # The form goes by fetch as multipart/form-data.
        keys.append(re.search(r'name="idempotency_key"\r\n\r\n([^\r\n]+)', route.request.post_data).group(1))
        if len(keys) == 1:
            route.fetch(max_redirects=0)  # the server issues the ticket ...
            route.abort("connectionreset")  # ... and the kiosk never hears of it
        else:
            route.continue_()

    kiosk.route(re.compile(r"/kiosk/issue/$"), lose_the_first_answer)
    kiosk.goto(stack.url(f"/m/{MALL}/kiosk/DUKCAPIL/"))
    kiosk.click('button[data-service="DUKCAPIL-KTP"]')
    kiosk.wait_for_url("**/kiosk/ticket/**")
    resent = kiosk.locator("#ticket-number").inner_text().strip()
    assert len(keys) == 2 and keys[0] == keys[1], keys
    assert _seq(resent) == _seq(before) + 1
    kiosk.unroute(re.compile(r"/kiosk/issue/$"))
    after = screens.take_ticket(kiosk, "DUKCAPIL", "DUKCAPIL-KTP")
    assert _seq(after) == _seq(resent) + 1  # the resend used no second number


def test_the_console_resends_a_call_answered_503_with_the_same_key(screens, stack):
    kiosk = screens.device("kiosk")
    first = screens.take_ticket(kiosk, "IMIGRASI", "IMIGRASI-PASPOR")
    second = screens.take_ticket(kiosk, "IMIGRASI", "IMIGRASI-PASPOR")
    console = screens.officer("officer3")
    button = console.locator('button[data-counter="3"]')
    if button.count():
        button.click()
    expect(console.locator("#counter-number")).to_have_text("3")
    # Whatever an earlier test left at this counter is finished first.
    if console.locator("#btn-finish").is_enabled():
        console.click("#btn-finish")
        expect(console.locator("#btn-call-next")).to_be_enabled()
    keys = []

    def answer_the_first_with_503(route):
        # The database is away for the first press (nothing saved, "try again"); the resend goes through.
        # (A call saved but answered with an error is replayed by the server: test_idempotency.py.)
        keys.append(route.request.headers.get("idempotency-key"))
        if len(keys) == 1:
            route.fulfill(status=503, headers={"Retry-After": "1"}, body="")
        else:
            route.continue_()

    console.route(re.compile(r"/console/action/call-next/$"), answer_the_first_with_503)
    console.click("#btn-call-next")
    expect(console.locator("#current-number")).to_have_text(first)
    assert len(keys) == 2 and keys[0] and keys[0] == keys[1], keys
    console.unroute(re.compile(r"/console/action/call-next/$"))
    console.click("#btn-finish")
    expect(console.locator("#btn-call-next")).to_be_enabled()
    console.click("#btn-call-next")
    expect(console.locator("#current-number")).to_have_text(second)  # the resend called nobody else
