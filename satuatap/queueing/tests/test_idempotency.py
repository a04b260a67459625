"""A retried issue or call with the same Idempotency-Key answers the first one and acts only once."""

import re

import pytest
from django.urls import reverse

from satuatap.queueing import tickets
from satuatap.queueing.models import QueueSequence, Ticket, TicketEvent, TicketStatus
from satuatap.refusal import Refused
from satuatap.testing import assert_api_error, bearer_as, seat

API = "/api/v1/malls/pekanbaru"
pytestmark = pytest.mark.usefixtures("monday_morning")


def post(client, url, headers, data=None, key=None):
    if key is not None:
        headers = {**headers, "Idempotency-Key": key}
    return client.post(url, data or {}, content_type="application/json", headers=headers)


@pytest.fixture
def desk(world):
    seat(world, 1)
    return {"kiosk": bearer_as(world, "kiosk"), "officer": bearer_as(world, "officer1")}


def test_a_retried_issue_answers_the_same_ticket_and_uses_one_number(client, world, desk):
    first = post(client, f"{API}/tickets", desk["kiosk"], {"service": "DUKCAPIL-KTP"}, key="kiosk-1-abc123")
    again = post(client, f"{API}/tickets", desk["kiosk"], {"service": "DUKCAPIL-KTP"}, key="kiosk-1-abc123")
    assert first.status_code == again.status_code == 201, again.content
    assert again.json() == first.json()
    assert Ticket.objects.count() == 1
    assert TicketEvent.objects.filter(action="issued").count() == 1
    assert QueueSequence.objects.get().last_number == 1  # the retry's number was rolled back, not used up
    following = post(client, f"{API}/tickets", desk["kiosk"], {"service": "DUKCAPIL-KTP"}, key="kiosk-1-abc124")
    assert following.json()["number"] == "A002"  # numbers stay gapless


def test_without_a_key_each_request_issues(client, world, desk):
    for _ in range(2):
        assert post(client, f"{API}/tickets", desk["kiosk"], {"service": "DUKCAPIL-KTP"}).status_code == 201
    assert Ticket.objects.count() == 2


def test_a_key_used_for_another_service_is_refused(client, world, desk):
    post(client, f"{API}/tickets", desk["kiosk"], {"service": "DUKCAPIL-KTP"}, key="kiosk-1-abc123")
    reused = post(client, f"{API}/tickets", desk["kiosk"], {"service": "DUKCAPIL-KK"}, key="kiosk-1-abc123")
    assert_api_error(reused, 422, "idempotency_key_reused")
    assert Ticket.objects.count() == 1


def test_a_malformed_key_is_refused_and_nothing_is_issued(client, world, desk):
    response = post(client, f"{API}/tickets", desk["kiosk"], {"service": "DUKCAPIL-KTP"}, key="x y")
    assert_api_error(response, 422, "invalid")
    assert not Ticket.objects.exists()


def test_a_retried_call_next_calls_once(client, world, desk):
    for _ in range(2):
        post(client, f"{API}/tickets", desk["kiosk"], {"service": "DUKCAPIL-KTP"})
    first = post(client, f"{API}/counters/1/call-next", desk["officer"], key="console-call-1")
    again = post(client, f"{API}/counters/1/call-next", desk["officer"], key="console-call-1")
    assert first.status_code == again.status_code == 200, again.content
    assert again.json()["id"] == first.json()["id"] and again.json()["number"] == "A001"
    assert TicketEvent.objects.filter(action="called").count() == 1
    assert Ticket.objects.filter(status=TicketStatus.WAITING).count() == 1
    # Finished in between, a late retry still answers the first call and calls nobody else.
    assert post(client, f"{API}/tickets/{first.json()['id']}/finish", desk["officer"]).status_code == 200
    late = post(client, f"{API}/counters/1/call-next", desk["officer"], key="console-call-1")
    assert late.status_code == 200 and late.json()["id"] == first.json()["id"]
    assert TicketEvent.objects.filter(action="called").count() == 1
    # A new key calls the next one.
    fresh = post(client, f"{API}/counters/1/call-next", desk["officer"], key="console-call-2")
    assert fresh.json()["number"] == "A002"


def test_a_retried_finish_finishes_once(client, world, desk):
    post(client, f"{API}/tickets", desk["kiosk"], {"service": "DUKCAPIL-KTP"})
    called = post(client, f"{API}/counters/1/call-next", desk["officer"]).json()
    url = f"{API}/tickets/{called['id']}/finish"
    first = post(client, url, desk["officer"], key="console-finish-1")
    again = post(client, url, desk["officer"], key="console-finish-1")
    assert first.status_code == again.status_code == 200, again.content
    assert again.json()["status"] == "done"
    assert TicketEvent.objects.filter(action="finished").count() == 1
    # Without the key, the same retry is refused as before: the ticket is no longer at the counter.
    assert_api_error(post(client, url, desk["officer"]), 409, "bad_state")


def test_a_retried_recall_recalls_once(client, world, desk):
    post(client, f"{API}/tickets", desk["kiosk"], {"service": "DUKCAPIL-KTP"})
    called = post(client, f"{API}/counters/1/call-next", desk["officer"]).json()
    url = f"{API}/tickets/{called['id']}/recall"
    for _ in range(2):
        assert post(client, url, desk["officer"], key="console-recall-1").status_code == 200
    assert Ticket.objects.get(pk=called["id"]).recall_count == 1
    assert TicketEvent.objects.filter(action="recalled").count() == 1


def test_a_key_is_per_mall_action(client, world, desk):
    """The same key for a call after an issue is another request: refused, nothing called."""
    post(client, f"{API}/tickets", desk["kiosk"], {"service": "DUKCAPIL-KTP"}, key="shared-key-1")
    reused = post(client, f"{API}/counters/1/call-next", desk["officer"], key="shared-key-1")
    assert_api_error(reused, 422, "idempotency_key_reused")
    assert not TicketEvent.objects.filter(action="called").exists()


def test_the_kiosk_form_carries_a_key_per_screen_and_a_retried_tap_prints_the_same_ticket(client, world):
    client.force_login(world.users["kiosk"])
    agency_page = reverse("kiosk_agency", args=[world.mall.slug, "DUKCAPIL"])
    first_screen = client.get(agency_page).content.decode()
    key = re.search(r'name="idempotency_key" value="([^"]+)"', first_screen).group(1)
    assert key not in client.get(agency_page).content.decode()  # a new screen, a new key
    data = {"service": "DUKCAPIL-KTP", "idempotency_key": key}
    first = client.post(reverse("kiosk_issue", args=[world.mall.slug]), data)
    again = client.post(reverse("kiosk_issue", args=[world.mall.slug]), data)
    assert first.status_code == again.status_code == 302
    assert first["Location"] == again["Location"]
    assert Ticket.objects.count() == 1 and QueueSequence.objects.get().last_number == 1


def test_the_console_sends_the_key_in_a_header_and_a_retried_call_calls_once(client, world):
    seat(world, 1)
    for _ in range(2):
        tickets.issue_ticket(world.services["DUKCAPIL-KTP"])
    client.force_login(world.users["officer1"])
    url = reverse("console_action", args=["call-next"])
    headers = {"HX-Request": "true", "Idempotency-Key": "console-press-0001"}
    first = client.post(url, {}, headers=headers).content.decode()
    again = client.post(url, {}, headers=headers).content.decode()
    assert "A001" in first and "A001" in again and "A002" not in again
    assert TicketEvent.objects.filter(action="called").count() == 1
    called = Ticket.objects.get(number="A001")
    finish = reverse("console_action", args=["finish"])
    finish_headers = {"HX-Request": "true", "Idempotency-Key": "console-press-0002"}
    for _ in range(2):
        answer = client.post(finish, {"ticket": called.pk}, headers=finish_headers).content.decode()
        assert "A001 selesai dilayani" in answer
    assert TicketEvent.objects.filter(action="finished").count() == 1


def test_a_retried_transfer_answers_the_first_and_moves_the_ticket_once(client, world, desk):
    tickets.issue_ticket(world.services["DUKCAPIL-KTP"])
    called = post(client, f"{API}/counters/1/call-next", desk["officer"]).json()
    url, body = f"{API}/tickets/{called['id']}/transfer", {"service": "DUKCAPIL-KK"}
    first = post(client, url, desk["officer"], body, key="transfer-1-abc")
    again = post(client, url, desk["officer"], body, key="transfer-1-abc")
    assert first.status_code == again.status_code == 200, again.content
    assert again.json()["id"] == first.json()["id"] == called["id"]
    assert again.json()["service"] == first.json()["service"] and again.json()["status"] == "waiting"
    assert TicketEvent.objects.filter(action="transferred").count() == 1
    elsewhere = post(client, url, desk["officer"], {"service": "DUKCAPIL-KTP"}, key="transfer-1-abc")
    assert_api_error(elsewhere, 422, "idempotency_key_reused")  # the same key for another target


def test_a_retried_cancel_answers_the_first_and_cancels_once(world):
    ticket = tickets.issue_ticket(world.services["DUKCAPIL-KTP"])
    first = tickets.cancel(ticket, reason="citizen", idempotency_key="cancel-1-abcdef")
    again = tickets.cancel(Ticket.objects.get(pk=ticket.pk), reason="citizen", idempotency_key="cancel-1-abcdef")
    assert first.pk == again.pk and again.status == TicketStatus.CANCELLED
    assert TicketEvent.objects.filter(action="cancelled").count() == 1
    with pytest.raises(Refused) as refused:  # without the key a second cancel is refused, as before
        tickets.cancel(Ticket.objects.get(pk=ticket.pk))
    assert refused.value.code == "bad_state"
