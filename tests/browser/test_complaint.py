"""A complaint through every state in a browser: citizen, mall manager, agency supervisor, and back."""

import base64
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import MALL
from tests.browser.test_screens_screenshots import shot

pytestmark = pytest.mark.browser
# A 1x1 PNG: the complaint's optional attachment.
PNG = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGM4IScHAAK2AQU0pnWqAAAAAElFTkSuQmCC")


def act(page, action: str) -> None:
    page.click(f'button[name="action"][value="{action}"]')


def test_the_complaint_form_fills_the_phone(screens):
    form = screens.public(f"/m/{MALL}/pengaduan/", viewport=(390, 844))
    widths = form.evaluate(
        "[...document.querySelectorAll('#complaint-form :is(input:not([type=hidden]), select, textarea)')]"
        ".map(e => e.getBoundingClientRect().width / window.innerWidth)"
    )
    assert len(widths) == 5 and min(widths) >= 0.9, widths
    heights = form.evaluate(
        "[...document.querySelectorAll('#complaint-form :is(input[type=text], select)')]"
        ".map(e => e.getBoundingClientRect().height)"
    )
    assert min(heights) >= 44, heights
    shot(form, "complaint-form")


def test_a_complaint_goes_through_every_state(screens):
    citizen = screens.public(f"/m/{MALL}/pengaduan/", viewport=(390, 844))
    citizen.fill("#c-subject", "Antrean paspor lama")
    citizen.fill("#c-body", "Saya menunggu tiga jam. <script>alert(1)</script>")
    citizen.fill("#c-contact", "warga@example.org")
    citizen.set_input_files("#c-attachment", {"name": "bukti-antrean.png", "mimeType": "image/png", "buffer": PNG})
    citizen.click("#complaint-form button[type=submit]")
    expect(citizen.locator("#complaint-status")).to_have_text("Diterima")
    # The tracking page says the attachment arrived, and offers no way to open it.
    expect(citizen.locator(".complaint-attachment")).to_contain_text("bukti-antrean.png")
    expect(citizen.locator("a.attachment-link")).to_have_count(0)
    code = citizen.locator("#tracking-code").inner_text()
    assert re.fullmatch(r"ADU-[A-Z0-9]{4}-[A-Z0-9]{4}", code), code
    expect(citizen.locator("body")).to_contain_text("<script>alert(1)</script>")  # shown as text, never run
    shot(citizen, "complaint-track")

    manager = screens.officer("manager", viewport=(1280, 800), next_path=f"/m/{MALL}/pengaduan/meja/")
    row = manager.locator("tr", has_text=code)
    expect(row.locator("a.attachment-link")).to_contain_text("bukti-antrean.png")
    with manager.expect_download() as download:
        row.locator("a.attachment-link").click()
    assert download.value.suggested_filename == "bukti-antrean.png"
    assert Path(download.value.path()).read_bytes() == PNG
    manager.click(f"text={code}")
    act(manager, "verify")
    expect(manager.locator("#complaint-status")).to_have_text("Diverifikasi")
    manager.select_option('select[name="agency"]', "IMIGRASI")
    act(manager, "forward")
    expect(manager.locator("#complaint-status")).to_have_text("Diteruskan ke instansi")

    supervisor = screens.officer("sup_imigrasi", viewport=(1280, 800), next_path=f"/m/{MALL}/pengaduan/meja/")
    supervisor.click(f"text={code}")
    act(supervisor, "start")
    expect(supervisor.locator("#complaint-status")).to_have_text("Sedang ditangani")
    supervisor.fill('textarea[name="answer"]', "Kami menambah dua loket paspor mulai Senin.")
    act(supervisor, "answer")
    expect(supervisor.locator("#complaint-status")).to_have_text("Dijawab")

    citizen.reload()
    expect(citizen.locator("#complaint-answer")).to_contain_text("dua loket paspor")
    citizen.fill("#r-reason", "Hari ini masih lama.")
    citizen.click("#reopen-form button[type=submit]")
    expect(citizen.locator("#complaint-status")).to_have_text("Sedang ditangani")

    supervisor.reload()
    supervisor.fill('textarea[name="answer"]', "Loket tambahan sudah dibuka hari ini.")
    act(supervisor, "answer")
    expect(supervisor.locator("#complaint-status")).to_have_text("Dijawab")
    manager.reload()
    act(manager, "close")
    expect(manager.locator("#complaint-status")).to_have_text(re.compile("Selesai|Ditutup"))
    shot(manager, "complaint-desk-detail")

    # Another agency's supervisor does not even see it.
    other = screens.officer("sup_dukcapil", viewport=(1280, 800), next_path=f"/m/{MALL}/pengaduan/meja/")
    expect(other.locator("body")).not_to_contain_text(code)
