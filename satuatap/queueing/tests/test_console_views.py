"""The counter officer's console: sign in at a counter, call, serve, transfer."""

import re

import pytest
from django.urls import reverse

from satuatap.directory.models import Counter
from satuatap.queueing import tickets
from satuatap.queueing.models import Ticket, TicketStatus
from satuatap.testing import seat

HTMX = {"HTTP_HX_REQUEST": "true"}


def text_of(html: str, element_id: str) -> str:
    match = re.search(r'id="' + element_id + r'"[^>]*>([^<]*)<', html)
    assert match, f"no #{element_id}"
    return match.group(1).strip()


def button(html: str, element_id: str) -> str:
    match = re.search(r'<(?:button|select)[^>]*id="' + element_id + r'"[^>]*>', html)
    assert match, f"no #{element_id}"
    return match.group(0)


def message(html: str) -> str:
    match = re.search(r'<div id="console-message".*?</div>', html, re.S)
    assert match
    return re.sub(r"<[^>]+>", " ", match.group(0)).strip()


def act(client, action, **data):
    return client.post(reverse("console_action", args=[action]), data, follow=True)


@pytest.fixture
def officer1(client, world):
    seat(world, 1)
    client.force_login(world.users["officer1"])
    return client


def test_anonymous_is_sent_to_login(client, world):
    response = client.get(reverse("console"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    response = client.post(reverse("console_action", args=["call-next"]))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_console_is_for_officers_only(client, world):
    client.force_login(world.users["kiosk"])
    assert client.get(reverse("console")).status_code == 403
    client.force_login(world.users["sup_dukcapil"])
    assert client.post(reverse("console_sign_in", args=[1])).status_code == 403
    assert Counter.objects.filter(officer__isnull=False).count() == 0


def test_officer_not_at_a_counter_sees_only_their_agencys_counters(client, world):
    client.force_login(world.users["officer3"])
    html = client.get(reverse("console")).content.decode()
    assert 'data-counter="3"' in html
    assert 'data-counter="1"' not in html and 'data-counter="2"' not in html and 'data-counter="4"' not in html


def test_signing_in_binds_the_officer_to_the_counter(client, world):
    client.force_login(world.users["officer2"])
    html = client.post(reverse("console_sign_in", args=[2]), follow=True).content.decode()
    assert Counter.objects.get(pk=world.counters[2].pk).officer == world.users["officer2"]
    assert text_of(html, "counter-number") == "2"
    assert "Anda bertugas di loket 2." in message(html)
    assert 'class="messages"' not in html  # shown once, in the console box


def test_officer_cannot_sign_in_at_another_agencys_counter(client, world):
    client.force_login(world.users["officer3"])
    html = client.post(reverse("console_sign_in", args=[1]), follow=True).content.decode()
    assert "Loket 1 tidak ditemukan di instansi Anda." in message(html)
    assert Counter.objects.get(pk=world.counters[1].pk).officer is None


def test_a_counter_number_out_of_range_is_just_not_found(client, world):
    client.force_login(world.users["officer1"])
    html = client.post(reverse("console_sign_in", args=[10**20]), follow=True).content.decode()
    assert "tidak ditemukan di instansi Anda" in message(html)


def test_a_counter_in_use_refuses_a_second_officer(client, world):
    seat(world, 1)
    client.force_login(world.users["officer2"])
    html = client.get(reverse("console")).content.decode()
    # A taken counter is named, not offered.
    assert "Dipakai Officer1" in html and 'data-taken="1"' in html and 'data-counter="1"' not in html
    assert 'data-counter="2"' in html
    html = client.post(reverse("console_sign_in", args=[1]), follow=True).content.decode()
    assert "Loket ini sedang dipakai petugas lain." in message(html)
    assert Counter.objects.get(pk=world.counters[1].pk).officer == world.users["officer1"]


def test_the_counter_picker_lists_the_officers_usual_counter_first(client, world):
    seat(world, 2)
    ticket = tickets.issue_ticket(world.services["DUKCAPIL-KTP"])
    tickets.call_next(world.counters[2], world.users["officer2"])
    tickets.finish(ticket, world.users["officer2"])
    tickets.sign_out(world.counters[2], world.users["officer2"])
    client.force_login(world.users["officer2"])
    html = client.get(reverse("console")).content.decode()
    usual = html.split('class="counter-grid usual"')[1].split("</div>")[0]
    assert 'data-counter="2"' in usual and 'data-counter="1"' not in usual
    assert html.count('data-counter="2"') == 1 and 'data-counter="1"' in html


def test_the_next_expected_action_stands_out(officer1, world):
    html = officer1.get(reverse("console")).content.decode()
    assert "is-next" in button(html, "btn-call-next")
    tickets.issue_ticket(world.services["DUKCAPIL-KTP"])
    html = act(officer1, "call-next").content.decode()
    assert "is-next" in button(html, "btn-start") and "is-next" not in button(html, "btn-call-next")
    html = act(officer1, "start").content.decode()
    assert "is-next" in button(html, "btn-finish") and "disabled" in button(html, "btn-start")
    for key, element in (("n", "btn-call-next"), ("u", "btn-recall"), ("s", "btn-finish"), ("t", "btn-no-show")):
        assert f'data-key="{key}"' in button(html, element)


def test_signed_in_console_shows_the_counter_and_only_sensible_buttons(officer1, world):
    tickets.issue_ticket(world.services["DUKCAPIL-KTP"])
    tickets.issue_ticket(world.services["DUKCAPIL-KTP"])
    tickets.issue_ticket(world.services["DUKCAPIL-KK"])
    tickets.issue_ticket(world.services["IMIGRASI-PASPOR"])
    html = officer1.get(reverse("console")).content.decode()
    assert text_of(html, "counter-number") == "1"
    assert text_of(html, "current-number") == "—"
    assert "disabled" not in button(html, "btn-call-next")
    for disabled in ("btn-recall", "btn-start", "btn-finish", "btn-no-show", "btn-transfer", "transfer-service"):
        assert "disabled" in button(html, disabled)
    assert re.search(r'class="waiting-count" data-service="DUKCAPIL-KTP">2<', html)
    assert re.search(r'class="waiting-count" data-service="DUKCAPIL-KK">1<', html)
    assert 'data-service="IMIGRASI-PASPOR"' not in html
    assert 'data-ws-path="/ws/zone/pekanbaru/A/"' in html
    assert 'data-snapshot-url="/console/snapshot.json"' in html
    assert "htmx" in html


def test_call_start_finish_with_plain_form_posts(officer1, world):
    ticket = tickets.issue_ticket(world.services["DUKCAPIL-KTP"])
    html = act(officer1, "call-next").content.decode()
    assert text_of(html, "current-number") == "A001"
    assert text_of(html, "current-status") == "Dipanggil"
    assert "Nomor A001 dipanggil ke loket 1." in message(html)
    assert "disabled" in button(html, "btn-call-next")
    for enabled in ("btn-recall", "btn-start", "btn-finish", "btn-no-show", "btn-transfer"):
        assert "disabled" not in button(html, enabled)

    html = act(officer1, "start", ticket=ticket.pk).content.decode()
    assert text_of(html, "current-status") == "Sedang dilayani"
    assert "disabled" in button(html, "btn-no-show") and "disabled" not in button(html, "btn-finish")

    html = act(officer1, "finish", ticket=ticket.pk).content.decode()
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.DONE
    assert text_of(html, "current-number") == "—"
    assert text_of(html, "served-today") == "1"


def test_htmx_action_returns_the_panel_and_the_message_out_of_band(officer1, world):
    tickets.issue_ticket(world.services["DUKCAPIL-KK"])
    response = officer1.post(reverse("console_action", args=["call-next"]), **HTMX)
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<section id="console-panel"')
    assert text_of(html, "current-number") == "B001"
    assert re.search(r'<div id="console-message"[^>]*hx-swap-oob="true"', html)
    assert "Nomor B001 dipanggil ke loket 1." in message(html)
    panel = officer1.get(reverse("console_panel")).content.decode()
    assert text_of(panel, "current-number") == "B001" and "hx-swap-oob" not in panel


def test_recall_and_no_show(officer1, world):
    ticket = tickets.issue_ticket(world.services["DUKCAPIL-KTP"])
    act(officer1, "call-next")
    html = act(officer1, "recall").content.decode()
    assert "Nomor A001 dipanggil ulang." in message(html)
    act(officer1, "no-show")
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.NO_SHOW and ticket.recall_count == 1


def test_nobody_waiting_is_said_plainly(officer1, world):
    html = act(officer1, "call-next").content.decode()
    assert "Tidak ada antrean yang menunggu." in message(html)
    assert text_of(html, "current-number") == "—"


def test_transfer_sends_the_ticket_to_another_agencys_queue(officer1, world):
    ticket = tickets.issue_ticket(world.services["DUKCAPIL-KTP"])
    html = act(officer1, "call-next").content.decode()
    select = re.search(r'<select id="transfer-service".*?</select>', html, re.S).group(0)
    # The counter's own agency comes first, then the others.
    groups = re.findall(r'<optgroup label="([^"]+)">', select)
    assert groups[0] == "Dinas Kependudukan dan Pencatatan Sipil (instansi ini)"
    assert "Kantor Imigrasi Kelas I TPI Pekanbaru" in groups[1:]
    assert 'value="DUKCAPIL-KK"' in select
    assert 'value="IMIGRASI-PASPOR"' in select and 'value="DUKCAPIL-KTP"' not in select
    html = act(officer1, "transfer", ticket=ticket.pk, service="IMIGRASI-PASPOR").content.decode()
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.WAITING and ticket.service == world.services["IMIGRASI-PASPOR"]
    assert "dialihkan ke Paspor baru 48 halaman" in message(html)


def test_transfer_to_an_unknown_service_changes_nothing(officer1, world):
    ticket = tickets.issue_ticket(world.services["DUKCAPIL-KTP"])
    act(officer1, "call-next")
    html = act(officer1, "transfer", ticket=ticket.pk, service="TIDAK-ADA").content.decode()
    assert "Layanan tujuan tidak ditemukan." in message(html)
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.CALLED and ticket.service == world.services["DUKCAPIL-KTP"]


def test_officer_cannot_finish_a_ticket_of_another_agency(client, world):
    dukcapil = seat(world, 1)
    seat(world, 3)
    ticket = tickets.issue_ticket(world.services["DUKCAPIL-KTP"])
    tickets.call_next(world.counters[1], dukcapil)
    client.force_login(world.users["officer3"])
    for action in ("finish", "no-show", "recall", "start"):
        html = act(client, action, ticket=ticket.pk).content.decode()
        assert "Tiket tidak ditemukan." in message(html)
        assert "A001" not in html
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.CALLED and ticket.counter == world.counters[1]


def test_officer_cannot_act_on_a_ticket_at_a_colleagues_counter(client, world):
    first = seat(world, 1)
    seat(world, 2)
    ticket = tickets.issue_ticket(world.services["DUKCAPIL-KTP"])
    tickets.call_next(world.counters[1], first)
    client.force_login(world.users["officer2"])
    html = act(client, "finish", ticket=ticket.pk).content.decode()
    assert "Tiket ini tidak sedang dilayani di loket Anda." in message(html)
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.CALLED


def test_bad_input_gives_a_message_and_changes_nothing(officer1, world):
    tickets.issue_ticket(world.services["DUKCAPIL-KTP"])
    html = act(officer1, "explode").content.decode()
    assert "Tindakan tidak dikenal." in message(html)
    html = act(officer1, "finish", ticket="abc").content.decode()
    assert "Tiket tidak ditemukan." in message(html)
    html = act(officer1, "finish", ticket="99999999999999999999999").content.decode()
    assert "Tiket tidak ditemukan." in message(html)
    html = act(officer1, "finish", ticket="²").content.decode()
    assert "Tiket tidak ditemukan." in message(html)
    html = act(officer1, "start").content.decode()  # nothing at the counter yet
    assert "Tiket tidak ditemukan." in message(html)
    assert Ticket.objects.get().status == TicketStatus.WAITING


def test_actions_without_a_counter_are_refused(client, world):
    tickets.issue_ticket(world.services["DUKCAPIL-KTP"])
    client.force_login(world.users["officer1"])
    html = act(client, "call-next").content.decode()
    assert "Anda belum masuk ke loket." in message(html)
    assert Ticket.objects.get().status == TicketStatus.WAITING


def test_snapshot_json_is_the_officers_own_counter(officer1, world):
    tickets.issue_ticket(world.services["DUKCAPIL-KTP"])
    data = officer1.get(reverse("console_snapshot")).json()
    assert data["counter"] == 1 and data["waiting_total"] == 1 and data["current"] is None


def test_sign_out_frees_the_counter(officer1, world):
    html = officer1.post(reverse("console_sign_out"), follow=True).content.decode()
    assert Counter.objects.get(pk=world.counters[1].pk).officer is None
    assert "Anda keluar dari loket 1." in message(html)
    assert 'data-counter="1"' in html
    assert officer1.get(reverse("console_snapshot")).json() == {"counter": None}


def test_console_calls_a_specific_number_with_a_reason(world, client):
    from satuatap.queueing.models import TicketEvent
    from satuatap.testing import seat as seat_officer

    officer = seat_officer(world, 1)
    ktp = world.services["DUKCAPIL-KTP"]
    tickets.issue_ticket(ktp)
    wanted = tickets.issue_ticket(ktp)
    client.force_login(officer)
    url = reverse("console_action", args=["call-ticket"])
    response = client.post(url, {"number": wanted.number, "reason": ""}, follow=True)
    assert "alasan" in response.content.decode().lower()
    assert not TicketEvent.objects.filter(action="called").exists()
    client.post(url, {"number": wanted.number, "reason": "warga kembali"})
    assert TicketEvent.objects.get(action="called").ticket_id == wanted.pk
    page = client.get(reverse("console")).content.decode()
    assert 'id="btn-call-ticket"' in page and wanted.number in page
