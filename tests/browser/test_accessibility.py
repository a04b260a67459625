"""axe-core on the screens citizens and officers touch: no serious or critical violation.

Issue 11. axe-core (through ``axe-playwright-python``) runs its whole default rule set, which
includes colour contrast (WCAG AA) and the WCAG 2.x A/AA rules, on the kiosk (1080×1920), the
phone ticket page, the booking flow, the survey, the complaint form and its tracking page
(390×844), and on the console, the display board and the complaint desk (the admin's action form:
``test_admin_forms.py``). Of the moderate rules, ``page-has-heading-one`` fails a screen as well.

The app's CSP (``script-src 'self'``) needs no bypass here: Playwright's ``page.evaluate`` runs
through the DevTools protocol, which the page's CSP does not govern, so axe is injected without
weakening the policy and without ``bypass_csp`` on the context.
"""

from __future__ import annotations

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from tests.browser.booking_walk import walk_booking
from tests.browser.conftest import MALL, RECORD_PRINT
from tests.browser.test_booking import bookable_stack  # noqa: F401 (a fixture)
from tests.browser.test_screens_screenshots import serve_next, signed_in_console

pytestmark = pytest.mark.browser

KIOSK = (1080, 1920)
PHONE = (390, 844)
TABLET = (800, 1280)
CONSOLE = (1366, 768)
BOARD = (1920, 1080)
SERIOUS = {"serious", "critical"}
# Moderate rules the screens keep all the same: every page names itself with one h1 (the console's is read only by
# screen readers, its panel already shows the counter in large type).
ALSO_REQUIRED = {"page-has-heading-one"}
AXE = Axe()


def describe(violations: list[dict]) -> str:
    """One paragraph per violation: its id, impact, help and the elements it names."""
    lines = []
    for violation in violations:
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']} — {violation['helpUrl']}")
        for node in violation["nodes"][:8]:
            lines.append(f"    {node['target']}: {node.get('failureSummary', '').splitlines()[-1:]}")
    return "\n".join(lines)


def assert_accessible(page, screen: str) -> None:
    """axe's default rules (colour contrast among them) find nothing serious or critical on the page, nor a page
    without an h1."""
    page.evaluate("document.fonts.ready")
    response = AXE.run(page, options={"resultTypes": ["violations"]}).response
    outcomes = ("violations", "passes", "incomplete", "inapplicable")
    rules_run = {rule["id"] for outcome in outcomes for rule in response[outcome]}
    assert "color-contrast" in rules_run, f"{screen}: axe did not run the colour contrast rule"
    assert "page-has-heading-one" in rules_run, f"{screen}: axe did not run the page heading rule"
    failed = [v for v in response["violations"] if v["impact"] in SERIOUS or v["id"] in ALSO_REQUIRED]
    assert not failed, f"{screen} ({page.url}):\n{describe(failed)}"


def finished_ticket(screens, agency: str, service: str, counter: int, officer: str) -> str:
    """A ticket taken at the kiosk, called, served and finished at a counter; returns its public code."""
    kiosk = screens.device("kiosk", init_script=RECORD_PRINT)
    number = screens.take_ticket(kiosk, agency, service)
    code = screens.public_code(kiosk)
    console = signed_in_console(screens, officer, counter)
    serve_next(console, number)
    console.click("#btn-sign-out")
    return code


def test_the_kiosk_home_services_and_slip(screens):
    kiosk = screens.device("kiosk", viewport=KIOSK, init_script=RECORD_PRINT)
    expect(kiosk).to_have_url(re.compile(rf"/m/{MALL}/kiosk/$"))
    assert_accessible(kiosk, "kiosk home")
    kiosk.click("#kiosk-search")
    expect(kiosk.locator('.osk-key[data-key="K"]')).to_be_visible()
    assert_accessible(kiosk, "kiosk search with its keyboard")
    kiosk.goto(screens.stack.url(f"/m/{MALL}/kiosk/"))
    kiosk.click("#kiosk-check-in")
    expect(kiosk.locator("#check-in-code")).to_be_focused()
    assert_accessible(kiosk, "kiosk check-in")
    kiosk.goto(screens.stack.url(f"/m/{MALL}/kiosk/"))
    kiosk.click('a[data-agency="DUKCAPIL"]')
    expect(kiosk.locator('button[data-service="DUKCAPIL-KTP"]')).to_be_visible()
    assert_accessible(kiosk, "kiosk services")
    kiosk.click('button[data-service="DUKCAPIL-KTP"]')
    kiosk.wait_for_url("**/kiosk/ticket/**")
    expect(kiosk.locator("#ticket-number")).to_have_text(re.compile(r"^A\d{3}$"))
    assert_accessible(kiosk, "kiosk slip")
    code = screens.public_code(kiosk)

    phone = screens.public(f"/t/{code}/", viewport=PHONE)
    expect(phone.locator("#ticket-status")).to_have_text("Menunggu")
    assert_accessible(phone, "phone ticket page")


def test_the_booking_flow_on_a_phone(screens, bookable_stack):  # noqa: F811 (the fixture imported above)
    phone = screens.public(f"/m/{MALL}/booking/", viewport=PHONE)
    walk_booking(phone, lambda step: assert_accessible(phone, f"booking {step}"))


@pytest.mark.parametrize("size", [TABLET, PHONE], ids=lambda s: f"{s[0]}x{s[1]}")
def test_the_survey(screens, size):
    code = finished_ticket(screens, "POLRESTA", "POLRESTA-SKCK", 4, "officer4")
    survey = screens.public(f"/t/{code}/survei/", viewport=size)
    expect(survey.locator("#survey-form")).to_be_visible()
    assert_accessible(survey, f"survey {size[0]}x{size[1]}")


def test_the_complaint_form_and_tracking(screens):
    citizen = screens.public(f"/m/{MALL}/pengaduan/", viewport=PHONE)
    expect(citizen.locator("#complaint-form")).to_be_visible()
    assert_accessible(citizen, "complaint form")
    citizen.fill("#c-subject", "   ")  # blank: the browser lets it through, the server refuses it
    citizen.fill("#c-body", "   ")
    citizen.click("#complaint-form button[type=submit]")
    expect(citizen.locator("#complaint-error")).to_be_visible()
    assert_accessible(citizen, "complaint form with errors")
    citizen.fill("#c-subject", "Antrean paspor lama")
    citizen.fill("#c-body", "Saya menunggu tiga jam.")
    citizen.click("#complaint-form button[type=submit]")
    expect(citizen.locator("#complaint-status")).to_have_text("Diterima")
    assert_accessible(citizen, "complaint tracking")


def test_the_console_board_and_complaint_desk(screens):
    kiosk = screens.device("kiosk", init_script=RECORD_PRINT)
    screens.take_ticket(kiosk, "DUKCAPIL", "DUKCAPIL-KTP")
    console = signed_in_console(screens, "officer2", 2)
    assert_accessible(console, "console, idle")
    console.click("#btn-call-next")
    expect(console.locator("#current-status")).to_have_text("Dipanggil")
    assert_accessible(console, "console, a ticket called")

    board = screens.device("display_a", viewport=BOARD)
    expect(board.locator("#enable-sound")).to_be_visible()
    assert_accessible(board, "display board, before sound")
    board.click("#enable-sound")
    expect(board.locator(".call-row").first).to_be_visible()
    assert_accessible(board, "display board")

    citizen = screens.public(f"/m/{MALL}/pengaduan/", viewport=PHONE)
    citizen.fill("#c-subject", "Loket paspor tutup")
    citizen.fill("#c-body", "Loket tutup pukul sepuluh.")
    citizen.click("#complaint-form button[type=submit]")
    code = citizen.locator("#tracking-code").inner_text()
    desk = screens.officer("manager", viewport=CONSOLE, next_path=f"/m/{MALL}/pengaduan/meja/")
    assert_accessible(desk, "complaint desk")
    desk.click(f"text={code}")
    expect(desk.locator("#complaint-status")).to_have_text("Diterima")
    assert_accessible(desk, "complaint on the desk, with its actions")
