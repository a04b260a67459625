"""The back-office pages and the public tracking page."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from satuatap.cases import services, views
from satuatap.cases.models import Case
from satuatap.cases.tests.conftest import NIK, open_kk
from satuatap.cases.views import DESK_ROWS
from satuatap.queueing import tickets
from satuatap.testing import seat


def _client(client, world, persona):
    client.force_login(world.users[persona])
    return client


def test_open_from_the_console_ticket_links_it(client, world):
    officer = seat(world, 1)
    tickets.issue_ticket(world.services["DUKCAPIL-KK"])
    ticket = tickets.call_next(world.counters[1], officer)
    _client(client, world, "officer1")
    console = client.get(reverse("console")).content.decode()
    assert f"/m/pekanbaru/berkas/baru/?ticket={ticket.pk}" in console
    url = reverse("case_new", args=["pekanbaru"]) + f"?ticket={ticket.pk}"
    form = client.get(url).content.decode()
    assert "KTP-el asli" in form and "Surat pengantar RT/RW" in form
    data = {"service": "DUKCAPIL-KK", "ticket": ticket.pk, "nik": NIK, "name": "Siti", "missing": ["KTP-el asli"]}
    response = client.post(reverse("case_new", args=["pekanbaru"]), data)
    case = Case.objects.get()
    assert response.status_code == 302 and case.registration_number in response["Location"]
    assert case.ticket == ticket and not case.requirements.get(label="KTP-el asli").present


def test_bad_input_re_renders_the_form_and_changes_nothing(client, world):
    _client(client, world, "officer1")
    data = {"service": "DUKCAPIL-KK", "nik": "123", "name": "Siti"}
    response = client.post(reverse("case_new", args=["pekanbaru"]), data)
    assert response.status_code == 422 and "NIK harus 16 angka" in response.content.decode()
    assert not Case.objects.exists()


def test_desk_tabs_and_the_case_page_actions(client, world):
    mine = open_kk(world)
    open_kk(world)
    _client(client, world, "officer1")
    client.post(reverse("case_detail", args=["pekanbaru", mine.registration_number]), {"op": "take"})
    desk = client.get(reverse("case_desk", args=["pekanbaru"])).content.decode()
    assert mine.registration_number in desk and "PEK-2026-DUKCAPIL-000002" not in desk
    unassigned = client.get(reverse("case_desk", args=["pekanbaru"]) + "?tab=belum").content.decode()
    assert "PEK-2026-DUKCAPIL-000002" in unassigned and mine.registration_number not in unassigned
    page = client.get(reverse("case_detail", args=["pekanbaru", mine.registration_number])).content.decode()
    assert 'id="act-verifikasi"' in page and 'id="act-setujui"' not in page and NIK not in page
    client.post(
        reverse("case_detail", args=["pekanbaru", mine.registration_number]), {"op": "act", "action": "verifikasi"}
    )
    mine.refresh_from_db()
    assert mine.state.code == "diverifikasi"
    # A refusal is a message; nothing changes.
    response = client.post(
        reverse("case_detail", args=["pekanbaru", mine.registration_number]),
        {"op": "act", "action": "setujui"},
        follow=True,
    )
    assert "tidak dapat dilakukan pada tahap sekarang" in response.content.decode()
    mine.refresh_from_db()
    assert mine.state.code == "diverifikasi"


def test_the_supervisor_reassigns(client, world):
    case = open_kk(world)
    _client(client, world, "sup_dukcapil")
    page = client.get(reverse("case_detail", args=["pekanbaru", case.registration_number])).content.decode()
    assert 'id="btn-assign"' in page
    client.post(
        reverse("case_detail", args=["pekanbaru", case.registration_number]),
        {"op": "assign", "assign_to": world.users["officer2"].pk},
    )
    case.refresh_from_db()
    assert case.assignee == world.users["officer2"]


@pytest.mark.parametrize("persona", ["officer3", "sup_imigrasi"])
def test_another_agency_gets_404_and_changes_nothing(client, world, persona):
    case = open_kk(world)
    _client(client, world, persona)
    for name in ("case_detail", "case_receipt"):
        assert client.get(reverse(name, args=["pekanbaru", case.registration_number])).status_code == 404
    url = reverse("case_detail", args=["pekanbaru", case.registration_number])
    assert client.post(url, {"op": "act", "action": "verifikasi"}).status_code == 404
    assert (
        case.registration_number
        not in client.get(reverse("case_desk", args=["pekanbaru"]) + "?tab=semua").content.decode()
    )
    case.refresh_from_db()
    assert case.state.code == "diterima" and case.events.count() == 1


def test_receipt_has_the_number_and_a_qr(client, world):
    case = open_kk(world)
    _client(client, world, "officer1")
    page = client.get(reverse("case_receipt", args=["pekanbaru", case.registration_number])).content.decode()
    assert case.registration_number in page and "<svg" in page and NIK not in page


def test_the_receipt_prints_like_the_queue_slip_and_returns_to_its_case(client, world):
    """kiosk.js prints a page with #kiosk-done on load and follows that link after its seconds."""
    case = open_kk(world)
    _client(client, world, "officer1")
    page = client.get(reverse("case_receipt", args=["pekanbaru", case.registration_number])).content.decode()
    back = reverse("case_detail", args=["pekanbaru", case.registration_number])
    assert f'id="kiosk-done" class="btn" href="{back}" data-return-seconds="{views.RECEIPT_RETURN_SECONDS}"' in page
    assert 'src="/static/satuatap/kiosk.js"' in page and "<script>" not in page


def test_tracking_needs_the_nik_digits_and_shows_no_personal_data(client, world):
    case = open_kk(world, missing=["Kartu Keluarga lama"])
    services.act(world.users["officer1"], case, "kembalikan", note="KK lama belum dibawa")
    url = reverse("case_track")
    assert 'value="PEK-2026-DUKCAPIL-000001"' in client.get(url + "?nomor=PEK-2026-DUKCAPIL-000001").content.decode()
    page = client.post(url, {"nomor": case.registration_number, "nik4": NIK[-4:]})
    text = page.content.decode()
    assert page.status_code == 200 and "Dikembalikan untuk dilengkapi" in text and "Kartu Keluarga lama" in text
    for secret in (NIK, "Siti", "Officer1", "KK lama belum dibawa"):
        assert secret not in text
    wrong = client.post(url, {"nomor": case.registration_number, "nik4": "9999"})
    unknown = client.post(url, {"nomor": "PEK-2026-DUKCAPIL-999999", "nik4": NIK[-4:]})
    assert wrong.status_code == unknown.status_code == 404

    def same(response, number):
        return re.sub(r'name="csrfmiddlewaretoken" value="\w+"', "", response.content.decode().replace(number, "X"))

    assert same(wrong, case.registration_number) == same(unknown, "PEK-2026-DUKCAPIL-999999")


def test_ready_for_pickup_the_citizen_takes_a_number_from_the_tracking_page(
    client, world, django_capture_on_commit_callbacks
):
    from satuatap.notify.models import Message
    from satuatap.queueing.models import Ticket

    case = open_kk(world)
    officer, sup = world.users["officer1"], world.users["sup_dukcapil"]
    for code, who in [("verifikasi", officer), ("proses", officer), ("setujui", sup)]:
        services.act(who, case, code)
    with django_capture_on_commit_callbacks(execute=True):
        services.act(officer, case, "siapkan")
    notice = Message.objects.filter(kind="case_update").order_by("pk").last()
    assert "Siap diambil" in notice.body and "Ambil dokumen" in notice.body
    url = reverse("case_track")
    page = client.post(url, {"nomor": case.registration_number, "nik4": NIK[-4:]}).content.decode()
    assert 'id="btn-pickup"' in page
    taken = client.post(url, {"nomor": case.registration_number, "nik4": NIK[-4:], "op": "pickup"})
    ticket = Ticket.objects.get()
    assert taken.status_code == 302 and taken["Location"] == reverse("ticket_status", args=[ticket.public_code])
    assert ticket.service == case.service and ticket.number == "B001"
    again = client.post(url, {"nomor": case.registration_number, "nik4": NIK[-4:], "op": "pickup"})
    assert again["Location"] == taken["Location"] and Ticket.objects.count() == 1  # the same number while open
    wrong = client.post(url, {"nomor": case.registration_number, "nik4": "0000", "op": "pickup"})
    assert wrong.status_code == 404 and Ticket.objects.count() == 1


def test_pickup_before_ready_is_refused(world):
    case = open_kk(world)
    with pytest.raises(Exception, match="belum siap"):
        services.issue_pickup_ticket(case)


PDF = b"%PDF-1.4\n1 0 obj\n%%EOF\n"


def test_a_scanned_document_is_kept_private_and_typed_by_its_bytes(client, world, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from satuatap.cases.models import CaseAttachment

    case = open_kk(world)
    url = reverse("case_detail", args=["pekanbaru", case.registration_number])
    _client(client, world, "officer1")
    client.post(url, {"op": "attach", "file": SimpleUploadedFile("ktp asli.pdf", PDF, "application/pdf")})
    stored = CaseAttachment.objects.get()
    assert stored.content_type == "application/pdf" and stored.size == len(PDF)
    assert (settings.PRIVATE_MEDIA_ROOT / stored.path).read_bytes() == PDF
    assert case.events.last().kind == "file"
    download = client.get(reverse("case_file", args=["pekanbaru", case.registration_number, stored.pk]))
    assert b"".join(download.streaming_content) == PDF
    assert 'filename="ktp asli.pdf"' in download["Content-Disposition"]
    # An HTML page named .pdf is refused, and nothing is kept.
    html = SimpleUploadedFile("x.pdf", b"<html><script>alert(1)</script>", "application/pdf")
    page = client.post(url, {"op": "attach", "file": html}, follow=True).content.decode()
    assert "hanya foto JPEG/PNG atau dokumen PDF" in page
    assert CaseAttachment.objects.count() == 1
    assert not list((settings.PRIVATE_MEDIA_ROOT / "tmp").iterdir())
    # Too large: a clear message, nothing kept.
    settings.COMPLAINT_ATTACHMENT_MAX_BYTES = 10
    big = SimpleUploadedFile("big.pdf", PDF * 3, "application/pdf")
    page = client.post(url, {"op": "attach", "file": big}, follow=True).content.decode()
    assert "terlalu besar" in page and CaseAttachment.objects.count() == 1
    # Another agency: 404 for the file.
    _client(client, world, "officer3")
    assert client.get(reverse("case_file", args=["pekanbaru", case.registration_number, stored.pk])).status_code == 404


def test_the_desk_pages_by_fifty_with_a_fixed_number_of_queries(client, world, django_assert_max_num_queries):
    for _ in range(DESK_ROWS + 5):
        open_kk(world)
    _client(client, world, "sup_dukcapil")
    desk = reverse("case_desk", args=["pekanbaru"])
    with django_assert_max_num_queries(12):  # the same few queries for 55 rows as for one: no query per row
        first = client.get(desk + "?tab=semua&layanan=DUKCAPIL-KK").content.decode()
    assert first.count('class="case-link"') == DESK_ROWS
    assert 'href="?tab=semua&amp;layanan=DUKCAPIL-KK&amp;hal=2"' in first and 'rel="prev"' not in first
    second = client.get(desk + "?tab=semua&layanan=DUKCAPIL-KK&hal=2").content.decode()
    assert second.count('class="case-link"') == 5 and 'rel="next"' not in second
    assert "PEK-2026-DUKCAPIL-000055" in second and 'hal=1"' in second
    assert client.get(desk + "?hal=abc").status_code == 200  # a bad page number is the first page
