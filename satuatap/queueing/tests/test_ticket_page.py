"""The citizen's own ticket page, reached from the QR code on the printed ticket."""

import re

from django.urls import reverse

from satuatap.queueing import tickets
from satuatap.queueing.models import TicketStatus
from satuatap.testing import seat


def text_of(html: str, element_id: str) -> str:
    match = re.search(r'id="' + element_id + r'"[^>]*>([^<]*)<', html)
    assert match, f"no #{element_id}"
    return match.group(1).strip()


def test_waiting_ticket_shows_number_status_position_and_estimate(client, world):
    ktp = world.services["DUKCAPIL-KTP"]
    tickets.issue_ticket(ktp)
    ticket = tickets.issue_ticket(ktp)
    response = client.get(reverse("ticket_status", args=[ticket.public_code]))
    html = response.content.decode()
    assert response.status_code == 200
    assert text_of(html, "ticket-number") == "A002"
    assert text_of(html, "ticket-status") == "Menunggu"
    assert text_of(html, "ticket-position") == "1"
    assert text_of(html, "ticket-estimate").startswith("± ")
    assert re.search(r'id="ticket-counter"[^>]*hidden', html)
    assert 'id="btn-cancel"' in html and not re.search(r'id="cancel-form"[^>]*hidden', html)
    # The page follows its own queue live.
    assert 'data-mall="pekanbaru"' in html and 'data-service="DUKCAPIL-KTP"' in html
    assert f'data-snapshot-url="/t/{ticket.public_code}/snapshot.json"' in html
    assert "satuatap/ticket-page.js" in html  # its module calls followTicket


def test_called_ticket_tells_the_citizen_which_counter(client, world):
    officer = seat(world, 2)
    ticket = tickets.issue_ticket(world.services["DUKCAPIL-KK"])
    tickets.call_next(world.counters[2], officer)
    html = client.get(reverse("ticket_status", args=[ticket.public_code])).content.decode()
    assert text_of(html, "ticket-status") == "Dipanggil"
    assert text_of(html, "ticket-counter") == "Silakan ke loket 2"
    assert re.search(r'id="cancel-form"[^>]*hidden', html)


def test_snapshot_json_is_public_and_carries_the_words_to_show(client, world):
    officer = seat(world, 1)
    ticket = tickets.issue_ticket(world.services["DUKCAPIL-KTP"])
    url = reverse("ticket_snapshot", args=[ticket.public_code])
    data = client.get(url).json()
    assert data["number"] == "A001" and data["status"] == "waiting" and data["position"] == 0
    assert data["mall"] == "pekanbaru" and data["service"] == "DUKCAPIL-KTP"
    assert data["texts"]["can_cancel"] is True
    tickets.call_next(world.counters[1], officer)
    data = client.get(url).json()
    assert data["status"] == "called" and data["counter"] == 1
    assert data["texts"]["counter"] == "Silakan ke loket 1"
    assert data["texts"]["can_cancel"] is False


def test_unknown_code_is_a_404_page_in_indonesian(client, world):
    response = client.get(reverse("ticket_status", args=["tidak-ada-kode"]))
    assert response.status_code == 404
    assert "Tiket tidak ditemukan" in response.content.decode()
    response = client.get(reverse("ticket_snapshot", args=["tidak-ada-kode"]))
    assert response.status_code == 404
    assert response.json() == {"detail": "Tiket tidak ditemukan.", "code": "not_found"}
    assert client.post(reverse("ticket_cancel", args=["tidak-ada-kode"])).status_code == 404


def test_citizen_can_cancel_a_waiting_ticket(client, world):
    ticket = tickets.issue_ticket(world.services["IMIGRASI-PASPOR"])
    response = client.post(reverse("ticket_cancel", args=[ticket.public_code]), follow=True)
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.CANCELLED
    html = response.content.decode()
    assert "Tiket C001 sudah dibatalkan." in html
    assert text_of(html, "ticket-status") == "Dibatalkan"
    assert re.search(r'id="cancel-form"[^>]*hidden', html)


def test_a_ticket_already_called_cannot_be_cancelled(client, world):
    officer = seat(world, 3)
    ticket = tickets.issue_ticket(world.services["IMIGRASI-PASPOR"])
    tickets.call_next(world.counters[3], officer)
    response = client.post(reverse("ticket_cancel", args=[ticket.public_code]), follow=True)
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.CALLED
    assert "Hanya tiket yang masih menunggu dapat dibatalkan." in response.content.decode()


def test_cancel_needs_a_post(client, world):
    ticket = tickets.issue_ticket(world.services["IMIGRASI-PASPOR"])
    assert client.get(reverse("ticket_cancel", args=[ticket.public_code])).status_code == 405
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.WAITING


def test_transferred_ticket_follows_its_new_queue(client, world):
    officer = seat(world, 1)
    ticket = tickets.issue_ticket(world.services["DUKCAPIL-KTP"])
    tickets.call_next(world.counters[1], officer)
    tickets.transfer(ticket, officer, world.services["POLRESTA-SKCK"])
    html = client.get(reverse("ticket_status", args=[ticket.public_code])).content.decode()
    assert text_of(html, "ticket-number") == "A001"
    assert 'data-service="POLRESTA-SKCK"' in html
    assert text_of(html, "ticket-service") == "SKCK baru"


def test_guessing_codes_is_rate_limited_per_client(client, world, settings):
    from django.core.cache import cache

    cache.clear()
    settings.PUBLIC_RATE_LIMIT = 3
    codes = [client.get(reverse("ticket_snapshot", args=[f"tebak-{n}"])).status_code for n in range(4)]
    assert codes == [404, 404, 404, 429]
    cache.clear()
