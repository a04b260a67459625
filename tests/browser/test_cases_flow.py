"""A case from the counter to pick-up in a browser: the officer serving a ticket opens it and prints the receipt,
a back-office officer takes it through (once returned for a missing document), the supervisor approves, and the
citizen follows each step live on a phone (no page load, also across a restart of the live process) and takes a
pick-up number when it is ready. The desks show a new case and each change live, and so does the officer's page of
the case (the supervisor's approval)."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import MALL, RECORD_PRINT
from tests.browser.stack import PYTHON
from tests.browser.test_booking import run_in_stack
from tests.browser.test_screens_screenshots import shot

pytestmark = pytest.mark.browser
NIK = "1471011203900001"


def track(page, number: str) -> None:
    page.goto(re.sub(r"/lacak-berkas/.*$", "/lacak-berkas/", page.url) + f"?nomor={number}")
    page.fill("#track-nik4", NIK[-4:])
    page.click("#track-form button[type=submit]")


def act(page, action: str, note: str = "") -> None:
    form = page.locator("form.case-action", has=page.locator(f"#act-{action}"))
    if note:
        form.locator('input[name="note"]').fill(note)
    form.locator(f"#act-{action}").click()


def live(page) -> None:
    page.wait_for_function("() => document.querySelector('#live-dot').classList.contains('on')")


def test_a_case_from_the_counter_to_pick_up(screens, stack):
    # The back office's desk is open before the case exists: the new case appears on it live.
    desk = screens.officer("officer2", next_path=f"/m/{MALL}/berkas/?tab=belum")
    live(desk)
    supervisor = screens.officer("sup_dukcapil", next_path=f"/m/{MALL}/berkas/")
    live(supervisor)

    kiosk = screens.device("kiosk")
    ticket = screens.take_ticket(kiosk, "DUKCAPIL", "DUKCAPIL-KK")

    console = screens.officer("officer1")
    console.click('button[data-counter="1"]')
    console.click("#btn-call-next")
    expect(console.locator("#current-number")).to_have_text(ticket)
    console.click("#btn-start")
    expect(console.locator("#btn-open-case")).to_be_visible()
    opener = console.context.new_page()
    opener.add_init_script(RECORD_PRINT)
    opener.goto(screens.stack.url(console.locator("#btn-open-case").get_attribute("href")))
    expect(opener.locator("body")).to_contain_text(f"Dari tiket {ticket}")
    opener.fill("#case-nik", NIK)
    opener.fill("#case-name", "Siti Aminah")
    opener.fill("#case-phone", "081234567890")
    opener.check('input[name="missing"][value="KTP-el asli"]')
    opener.click("#btn-open-case")
    expect(opener.locator("#case-state")).to_have_text("Diterima")
    number = opener.locator("#case-number").inner_text()
    assert re.fullmatch(r"PEK-\d{4}-DUKCAPIL-000001", number), number
    # The receipt prints as the kiosk's slip does: on load, through kiosk.js (docs/kiosk-printing.md).
    opener.click("#case-receipt-link")
    expect(opener.locator("#receipt-number")).to_have_text(number)
    opener.wait_for_function("() => window.__printCalls === 1")
    opener.set_viewport_size({"width": 302, "height": 900})
    shot(opener, "case-receipt")

    expect(desk.locator("tr", has_text=number)).to_contain_text("Diterima")  # live, no reload

    citizen = screens.public(f"/lacak-berkas/?nomor={number}", viewport=(390, 844))
    track(citizen, number)
    expect(citizen.locator("#track-status")).to_have_text("Diterima")
    live(citizen)
    moves = []  # from here on the phone never loads a page: every step comes live
    citizen.on("framenavigated", lambda frame: moves.append(frame.url) if frame == citizen.main_frame else None)

    desk.click(f"text={number}")
    desk.click("#btn-take")
    expect(desk.locator("#case-assignee")).to_contain_text("Officer2")
    expect(supervisor.locator("tr", has_text=number)).to_contain_text("Officer2")  # the supervisor's desk, live
    act(desk, "kembalikan", "KTP-el asli belum dibawa")
    expect(desk.locator("#case-state")).to_have_text("Dikembalikan untuk dilengkapi")
    expect(citizen.locator("#track-status")).to_have_text("Dikembalikan untuk dilengkapi")
    expect(citizen.locator("#track-missing")).to_contain_text("KTP-el asli")
    expect(citizen.locator("#track-result")).not_to_contain_text("Officer2")
    shot(citizen, "case-track")

    act(desk, "lengkapi")
    expect(citizen.locator("#track-status")).to_have_text("Diterima")
    expect(citizen.locator("#track-missing")).to_be_hidden()
    # The live process restarts: a step taken meanwhile shows up when the page reconnects.
    stack.stop_live()
    try:
        citizen.wait_for_function("() => !document.querySelector('#live-dot').classList.contains('on')")
        act(desk, "verifikasi")
        expect(desk.locator("#case-state")).to_have_text("Diverifikasi")
    finally:
        stack.start_live()
    expect(citizen.locator("#track-status")).to_have_text("Diverifikasi")
    live(citizen)
    act(desk, "proses")
    expect(desk.locator("#case-state")).to_have_text("Diproses")
    expect(citizen.locator("#track-status")).to_have_text("Diproses")
    expect(desk.locator("#act-setujui")).to_have_count(0)  # the supervisor approves
    history_rows = desk.locator(".case-history tbody tr").count()
    shot(desk, "case-detail")

    expect(supervisor.locator("tr", has_text=number)).to_contain_text("Diproses")  # live, no reload
    shot(supervisor, "case-desk")
    supervisor.click(f"text={number}")
    live(desk)
    desk_moves = []  # the officer's case page follows the supervisor's approval without a page load
    desk.on("framenavigated", lambda frame: desk_moves.append(frame.url) if frame == desk.main_frame else None)
    act(supervisor, "setujui")
    expect(supervisor.locator("#case-state")).to_have_text("Disetujui")
    expect(citizen.locator("#track-status")).to_have_text("Disetujui")

    expect(desk.locator("#case-state")).to_have_text("Disetujui")
    expect(desk.locator(".case-history tbody tr")).to_have_count(history_rows + 1)
    assert desk_moves == [], f"the case page navigated: {desk_moves}"
    act(desk, "siapkan")
    expect(desk.locator("#case-state")).to_have_text("Siap diambil")
    expect(citizen.locator("#track-status")).to_have_text("Siap diambil")
    expect(citizen.locator("#btn-pickup")).to_be_visible()
    history = citizen.locator("#track-history li")
    expect(history).to_have_count(7)  # diterima, dikembalikan, diterima, diverifikasi, diproses, disetujui, siap
    assert moves == [], f"the tracking page navigated: {moves}"
    assert ready_notices(stack, number) == 1  # "siap diambil" told the citizen through the outbox

    citizen.click("#btn-pickup")
    expect(citizen).to_have_url(re.compile(r"/t/[^/]+/$"))
    expect(citizen.locator("body")).to_contain_text("B002")

    # Another agency's officer does not see it.
    other = screens.officer("officer3", next_path=f"/m/{MALL}/berkas/?tab=semua")
    expect(other.locator("body")).not_to_contain_text(number)


READY_NOTICES = """
import sys
import django
django.setup()
from satuatap.notify.models import Message

ready = "berstatus: Siap diambil"
rows = Message.objects.filter(kind="case_update", subject_ref="case:" + sys.argv[1], body__contains=ready)
print(rows.count())
"""


def ready_notices(stack, number: str) -> int:
    """The outbox rows that told the citizen the case is ready, read from the stack's own database."""
    return int(run_in_stack(stack, [PYTHON, "-c", READY_NOTICES, number]).strip())
