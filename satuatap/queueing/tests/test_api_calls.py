"""Calling and serving tickets through the API: the officer at the counter, and nobody else."""

import pytest

from satuatap.queueing import tickets
from satuatap.queueing.models import Ticket, TicketEvent, TicketStatus
from satuatap.testing import assert_api_error as assert_error
from satuatap.testing import bearer_as as as_
from satuatap.testing import seat

API = "/api/v1/malls/pekanbaru"
ACTIONS = ["recall", "start", "finish", "no-show", "transfer"]


def post(client, url, headers, data=None):
    return client.post(url, data or {}, content_type="application/json", headers=headers)


def act(client, ticket, action, headers, service="IMIGRASI-PASPOR"):
    data = {"service": service} if action == "transfer" else None
    return post(client, f"{API}/tickets/{ticket.pk}/{action}", headers, data)


@pytest.fixture
def called(world):
    """A KTP ticket called to counter 1 by officer1."""
    officer = seat(world, 1)
    tickets.issue_ticket(world.services["DUKCAPIL-KTP"])
    return tickets.call_next(world.counters[1], officer)


def test_officer_calls_the_next_ticket_to_their_counter(client, world):
    seat(world, 1)
    first = tickets.issue_ticket(world.services["DUKCAPIL-KK"])
    tickets.issue_ticket(world.services["DUKCAPIL-KTP"])
    response = post(client, f"{API}/counters/1/call-next", as_(world, "officer1"))
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["id"] == first.pk
    assert body["number"] == "B001"
    assert body["service"] == "DUKCAPIL-KK"
    assert body["status"] == "called"
    assert body["counter"] == 1
    assert body["called_at"].endswith("+07:00")
    assert body["position"] == 0 and body["estimated_wait_minutes"] == 0
    assert Ticket.objects.get(pk=first.pk).status == TicketStatus.CALLED


def test_call_next_answers_204_when_nobody_waits(client, world):
    seat(world, 3)
    tickets.issue_ticket(world.services["DUKCAPIL-KTP"])  # another agency's queue
    response = post(client, f"{API}/counters/3/call-next", as_(world, "officer3"))
    assert response.status_code == 204
    assert response.content == b""


def test_officer_cannot_call_at_a_counter_they_are_not_signed_in_at(client, world):
    seat(world, 1)
    tickets.issue_ticket(world.services["DUKCAPIL-KTP"])
    assert_error(post(client, f"{API}/counters/2/call-next", as_(world, "officer1")), 403, "not_signed_in")
    assert Ticket.objects.get().status == TicketStatus.WAITING


def test_a_counter_of_another_agency_is_404_and_an_unknown_one_too(client, world):
    seat(world, 3)
    tickets.issue_ticket(world.services["DUKCAPIL-KTP"])
    assert_error(post(client, f"{API}/counters/1/call-next", as_(world, "officer3")), 404, "counter_not_found")
    assert_error(post(client, f"{API}/counters/77/call-next", as_(world, "officer3")), 404, "counter_not_found")
    assert_error(
        post(client, "/api/v1/malls/atlantis/counters/3/call-next", as_(world, "officer3")), 404, "mall_not_found"
    )
    assert Ticket.objects.get().status == TicketStatus.WAITING


@pytest.mark.parametrize("username", ["kiosk", "display_a", "sup_dukcapil", "manager"])
def test_only_officers_call(client, world, username):
    seat(world, 1)
    tickets.issue_ticket(world.services["DUKCAPIL-KTP"])
    assert_error(post(client, f"{API}/counters/1/call-next", as_(world, username)), 403, "role_not_allowed")
    assert Ticket.objects.get().status == TicketStatus.WAITING


def test_calling_needs_a_token(client, world):
    assert_error(post(client, f"{API}/counters/1/call-next", {}), 401, "unauthorized")


def test_officer_recalls_starts_and_finishes_their_ticket(client, world, called):
    headers = as_(world, "officer1")
    body = act(client, called, "recall", headers).json()
    assert body["status"] == "called" and body["counter"] == 1
    assert Ticket.objects.get(pk=called.pk).recall_count == 1
    body = act(client, called, "start", headers).json()
    assert body["status"] == "serving"
    body = act(client, called, "finish", headers).json()
    assert body["status"] == "done" and body["id"] == called.pk and body["number"] == "A001"
    actions = list(TicketEvent.objects.filter(ticket=called).order_by("id").values_list("action", flat=True))
    assert actions == ["issued", "called", "recalled", "started", "finished"]


def test_officer_marks_a_no_show(client, world, called):
    response = act(client, called, "no-show", as_(world, "officer1"))
    assert response.status_code == 200
    assert response.json()["status"] == "no_show"
    assert Ticket.objects.get(pk=called.pk).status == TicketStatus.NO_SHOW


def test_officer_transfers_a_ticket_into_another_agencys_queue(client, world, called):
    tickets.issue_ticket(world.services["IMIGRASI-PASPOR"])
    response = act(client, called, "transfer", as_(world, "officer1"), service="IMIGRASI-PASPOR")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "waiting"
    assert body["service"] == "IMIGRASI-PASPOR"
    assert body["number"] == "A001"  # the citizen keeps their number
    assert body["counter"] is None
    assert body["position"] == 1
    assert body["estimated_wait_minutes"] >= 1


def test_transfer_names_a_missing_or_unknown_service(client, world, called):
    headers = as_(world, "officer1")
    body = assert_error(post(client, f"{API}/tickets/{called.pk}/transfer", headers, {}), 422, "invalid")
    assert [e["field"] for e in body["errors"]] == ["service"]
    assert_error(act(client, called, "transfer", headers, service="NOPE"), 404, "service_not_found")
    body = assert_error(act(client, called, "transfer", headers, service="DUKCAPIL-KTP"), 422, "invalid")
    assert body["errors"][0]["field"] == "service"
    assert Ticket.objects.get(pk=called.pk).status == TicketStatus.CALLED


def test_an_action_the_ticket_is_not_ready_for_is_a_conflict(client, world, called):
    headers = as_(world, "officer1")
    assert act(client, called, "finish", headers).status_code == 200
    assert_error(act(client, called, "start", headers), 409, "bad_state")
    assert Ticket.objects.get(pk=called.pk).status == TicketStatus.DONE


def test_officer_cannot_see_or_act_on_a_ticket_of_another_agency(client, world, called):
    seat(world, 3)
    headers = as_(world, "officer3")
    before = Ticket.objects.values().get(pk=called.pk)
    events = TicketEvent.objects.count()
    for action in ACTIONS:
        assert_error(act(client, called, action, headers, service="IMIGRASI-PASPOR"), 404, "ticket_not_found")
    assert Ticket.objects.values().get(pk=called.pk) == before
    assert TicketEvent.objects.count() == events


def test_an_officer_of_the_same_agency_cannot_act_on_a_ticket_at_another_counter(client, world, called):
    seat(world, 2)
    headers = as_(world, "officer2")
    before = Ticket.objects.values().get(pk=called.pk)
    for action in ACTIONS:
        assert_error(act(client, called, action, headers, service="DUKCAPIL-KK"), 403, "not_your_ticket")
    assert Ticket.objects.values().get(pk=called.pk) == before


@pytest.mark.parametrize("username", ["kiosk", "display_a"])
def test_devices_may_not_act_on_tickets(client, world, called, username):
    headers = as_(world, username)
    for action in ACTIONS:
        assert_error(act(client, called, action, headers), 403, "role_not_allowed")
    assert Ticket.objects.get(pk=called.pk).status == TicketStatus.CALLED


def test_unknown_or_malformed_ticket_ids(client, world, called):
    headers = as_(world, "officer1")
    assert_error(post(client, f"{API}/tickets/999999/start", headers), 404, "ticket_not_found")
    body = assert_error(post(client, f"{API}/tickets/satu/start", headers), 422, "invalid")
    assert body["errors"][0]["field"] == "id"
    assert_error(post(client, f"/api/v1/malls/atlantis/tickets/{called.pk}/start", headers), 404, "mall_not_found")


def test_ticket_actions_need_a_token(client, world, called):
    for action in ACTIONS:
        assert_error(act(client, called, action, {}), 401, "unauthorized")


def test_calling_stays_lean(client, world, django_assert_max_num_queries):
    seat(world, 1)
    tickets.issue_ticket(world.services["DUKCAPIL-KTP"])
    headers = as_(world, "officer1")
    post(client, f"{API}/counters/2/call-next", headers)  # warm the token cache (refused: not seated there)
    # token, counter (scope), SAVEPOINT, counter locked (+mall, agency), hours, closures, counter busy?,
    # ticket picked and locked (+service, agency), out-of-order reason, UPDATE ticket, event, RELEASE
    with django_assert_max_num_queries(12):
        response = post(client, f"{API}/counters/1/call-next", headers)
    assert response.status_code == 200


def test_officer_calls_a_specific_number_out_of_order_with_a_reason(client, world):
    seat(world, 1)
    tickets.issue_ticket(world.services["DUKCAPIL-KTP"])
    wanted = tickets.issue_ticket(world.services["DUKCAPIL-KTP"])
    headers = as_(world, "officer1")
    assert_error(post(client, f"{API}/counters/1/call", headers, {"number": "A002"}), 422)
    assert_error(post(client, f"{API}/counters/1/call", headers, {"number": "A009", "reason": "x"}), 404, "not_waiting")
    response = post(client, f"{API}/counters/1/call", headers, {"number": "A002", "reason": "kembali dari parkir"})
    assert response.status_code == 200, response.content
    assert response.json()["id"] == wanted.pk
    assert TicketEvent.objects.get(ticket=wanted, action="called").reason == "officer:kembali dari parkir"


def test_officer_cannot_call_a_specific_number_at_another_agencys_counter(client, world):
    seat(world, 3)
    ticket = tickets.issue_ticket(world.services["IMIGRASI-PASPOR"])
    response = post(client, f"{API}/counters/3/call", as_(world, "officer1"), {"number": ticket.number, "reason": "x"})
    assert_error(response, 404)
    assert Ticket.objects.get(pk=ticket.pk).status == TicketStatus.WAITING
