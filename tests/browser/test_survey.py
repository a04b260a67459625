"""The satisfaction survey as a citizen meets it: finish a ticket, answer on a tablet, the manager's IKM moves."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import MALL, RECORD_PRINT
from tests.browser.test_screens_screenshots import serve_next, shot, signed_in_console

pytestmark = pytest.mark.browser

TABLET = (800, 1280)


def test_a_finished_ticket_is_rated_once_and_the_malls_ikm_moves(screens):
    manager = screens.officer("manager", viewport=(1280, 800), next_path=f"/m/{MALL}/skm/")
    expect(manager.locator("#skm-ikm")).to_have_text("—")

    kiosk = screens.device("kiosk", init_script=RECORD_PRINT)
    number = screens.take_ticket(kiosk, "POLRESTA", "POLRESTA-SKCK")
    code = screens.public_code(kiosk)
    console = signed_in_console(screens, "officer4", 4)
    serve_next(console, number)

    tablet = screens.public(f"/t/{code}/", viewport=TABLET)
    tablet.click("#survey-link")
    for element in range(1, 9):
        tablet.locator(f'input[name="u{element}"][value="4"]').check()
    tablet.locator('input[name="u9"][value="3"]').check()
    shot(tablet, "survey")
    tablet.click("button.survey-submit")
    expect(tablet.locator("#survey-thanks")).to_be_visible()

    # (8 x 4 + 3) / 9 x 25 = 97.22, with the exact 1/9 weight.
    manager.reload()
    expect(manager.locator("#skm-ikm")).to_have_text(re.compile(r"^97[.,]22$"))
    expect(manager.locator("#skm-sample")).to_contain_text("1 /")
    shot(manager, "skm-report")

    # Back on the survey link: no second form, only the thanks; a second answer sent anyway is refused.
    again = screens.public(f"/t/{code}/survei/", viewport=TABLET)
    expect(again.locator("#survey-thanks")).to_be_visible()
    expect(again.locator("#survey-form")).to_have_count(0)
    refused = again.request.post(screens.stack.url(f"/api/v1/tickets/{code}/survey"), data={"scores": [1] * 9})
    assert refused.status == 409 and refused.json()["code"] == "already_answered"
    manager.reload()
    expect(manager.locator("#skm-sample")).to_contain_text("1 /")
