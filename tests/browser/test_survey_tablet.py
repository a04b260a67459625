"""Counter tablet mode: the tablet at a counter offers the survey of the ticket just finished there."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import MALL
from tests.browser.test_screens_screenshots import serve_next, shot, signed_in_console

pytestmark = pytest.mark.browser

TABLET = (800, 1280)


def test_the_counter_tablet_offers_the_finished_tickets_survey_once(screens):
    manager = screens.officer("manager", viewport=(1280, 800), next_path=f"/m/{MALL}/skm/?agency=POLRESTA")
    expect(manager.locator("#skm-ikm")).to_have_text("—")

    # The tablet at counter 4 is a kiosk device bound to that counter (no officer session facing the citizen).
    tablet = screens.device("tablet_4", viewport=TABLET)
    tablet.goto(screens.stack.url(f"/loket/{MALL}/4/tablet/"))
    expect(tablet.locator("#tablet-wait")).to_be_visible()
    expect(tablet.locator("#survey-form")).to_have_count(0)

    # The number is taken through the API as the kiosk (the kiosk screens have their own tests).
    issued = tablet.request.post(
        screens.stack.url(f"/api/v1/malls/{MALL}/tickets"),
        data={"service": "POLRESTA-SKCK"},
        headers={"Authorization": f"Bearer {screens.stack.tokens['kiosk']}"},
    )
    assert issued.status == 201, issued.text()
    number, code = issued.json()["number"], issued.json()["public_code"]
    console = signed_in_console(screens, "officer4", 4)
    serve_next(console, number)

    # Within a poll or two the waiting screen turns into the survey of that ticket.
    expect(tablet.locator("#survey-form")).to_be_visible()
    expect(tablet.locator("body")).to_contain_text(number)
    assert code not in tablet.content()  # the tablet never shows the citizen's ticket code
    for element in range(1, 10):
        tablet.locator(f'input[name="u{element}"][value="4"]').check()
    tablet.select_option('select[name="occupation"]', "wirausaha")
    tablet.evaluate("window.scrollTo(0, 0)")
    shot(tablet, "survey-tablet")
    tablet.click("button.survey-submit")
    expect(tablet.locator("#survey-thanks")).to_be_visible()
    # ... and by itself back to waiting, with no second form for the same ticket.
    expect(tablet.locator("#tablet-wait")).to_be_visible()
    expect(tablet.locator("#survey-form")).to_have_count(0)

    manager.reload()
    expect(manager.locator("#skm-ikm")).to_have_text(re.compile(r"^100[.,]00$"))
    expect(manager.locator("#skm-sample")).to_contain_text("1 /")

    # The citizen's own link now only thanks; a second answer through the API is refused.
    phone = screens.public(f"/t/{code}/survei/")
    expect(phone.locator("#survey-thanks")).to_be_visible()
    refused = phone.request.post(screens.stack.url(f"/api/v1/tickets/{code}/survey"), data={"scores": [1] * 9})
    assert refused.status == 409 and refused.json()["code"] == "already_answered"
    manager.reload()
    expect(manager.locator("#skm-sample")).to_contain_text("1 /")

    # The follow-up plan for the period: propose from the lowest elements, fill one in, finish it.
    plan = manager
    plan.click("#followup-propose")
    expect(plan.locator("tr.followup-row")).to_have_count(3)
    first = plan.locator("tr.followup-edit").first
    first.locator("summary").click()
    first.locator('textarea[name="action"]').fill("Perjelas papan alur persyaratan SKCK")
    first.locator('input[name="owner"]').fill("Kanit SKCK")
    first.locator("form").first.locator("button").click()
    expect(plan.locator("#followup-items")).to_contain_text("Perjelas papan alur persyaratan SKCK")
    first = plan.locator("tr.followup-edit").first
    first.locator("summary").click()
    first.locator('textarea[name="done_note"]').fill("Papan baru dipasang")
    first.locator('button[name="done"]').click()
    expect(plan.locator("#followup-share")).to_have_text(re.compile(r"^33[.,]3%$"))
    plan.locator("#tindak-lanjut").scroll_into_view_if_needed()
    shot(plan, "skm-followup")
