"""Issuing tickets and following them through the API."""

import datetime as dt

import pytest

from satuatap.accounts.models import Role, User
from satuatap.accounts.tokens import issue_token, revoke_token
from satuatap.directory.models import Mall
from satuatap.queueing import tickets
from satuatap.queueing.models import Ticket, TicketSource
from satuatap.testing import assert_api_error as assert_error
from satuatap.testing import bearer, seat
from satuatap.testing import bearer_as as as_

API = "/api/v1/malls/pekanbaru"
TICKET_FIELDS = {
    "id",
    "public_code",
    "number",
    "service",
    "status",
    "priority_group",
    "issued_at",
    "called_at",
    "counter",
    "position",
    "estimated_wait_minutes",
}


def post(client, url, data, headers):
    return client.post(url, data, content_type="application/json", headers=headers)


def test_kiosk_issues_a_ticket_for_any_service(client, world):
    response = post(client, f"{API}/tickets", {"service": "IMIGRASI-PASPOR"}, as_(world, "kiosk"))
    assert response.status_code == 201, response.content
    body = response.json()
    assert set(body) == TICKET_FIELDS
    ticket = Ticket.objects.get()
    assert body["id"] == ticket.pk
    assert body["public_code"] == ticket.public_code
    assert body["number"] == "C001"
    assert body["service"] == "IMIGRASI-PASPOR"
    assert body["status"] == "waiting"
    assert body["priority_group"] is None
    assert body["position"] == 0
    assert body["estimated_wait_minutes"] >= 1
    assert body["counter"] is None and body["called_at"] is None
    assert ticket.source == TicketSource.KIOSK
    # ISO 8601 in the mall's own zone (WIB).
    issued = dt.datetime.fromisoformat(body["issued_at"])
    assert issued.utcoffset() == dt.timedelta(hours=7)
    assert abs(issued - ticket.issued_at) < dt.timedelta(milliseconds=1)


def test_the_second_ticket_waits_behind_the_first(client, world):
    headers = as_(world, "kiosk")
    post(client, f"{API}/tickets", {"service": "DUKCAPIL-KTP"}, headers)
    body = post(client, f"{API}/tickets", {"service": "DUKCAPIL-KTP"}, headers).json()
    assert body["number"] == "A002"
    assert body["position"] == 1


def test_kiosk_issues_a_priority_ticket(client, world):
    response = post(
        client, f"{API}/tickets", {"service": "DUKCAPIL-KK", "priority_group": "lansia"}, as_(world, "kiosk")
    )
    assert response.status_code == 201
    assert response.json()["priority_group"] == "lansia"
    assert Ticket.objects.get().priority_group == "lansia"


def test_officer_issues_only_for_services_of_their_agency(client, world):
    headers = as_(world, "officer1")
    response = post(client, f"{API}/tickets", {"service": "DUKCAPIL-KTP"}, headers)
    assert response.status_code == 201
    assert Ticket.objects.get().source == TicketSource.OFFICER
    assert_error(post(client, f"{API}/tickets", {"service": "IMIGRASI-PASPOR"}, headers), 404, "service_not_found")
    assert Ticket.objects.count() == 1


def test_supervisor_issues_for_their_agency_only(client, world):
    headers = as_(world, "sup_imigrasi")
    assert post(client, f"{API}/tickets", {"service": "IMIGRASI-PASPOR"}, headers).status_code == 201
    assert_error(post(client, f"{API}/tickets", {"service": "POLRESTA-SKCK"}, headers), 404, "service_not_found")


def test_a_display_board_may_not_issue_tickets(client, world):
    response = post(client, f"{API}/tickets", {"service": "DUKCAPIL-KTP"}, as_(world, "display_a"))
    assert_error(response, 403, "role_not_allowed")
    assert not Ticket.objects.exists()


def test_a_kiosk_of_another_mall_may_not_issue_here(client, world):
    other = Mall.objects.create(slug="medan", name="MPP Medan", city="Medan")
    kiosk = User.objects.create_user(username="kiosk_medan", role=Role.KIOSK, mall=other)
    response = post(client, f"{API}/tickets", {"service": "DUKCAPIL-KTP"}, bearer(kiosk))
    assert_error(response, 403, "other_mall")
    assert not Ticket.objects.exists()


def test_issuing_needs_a_live_token(client, world):
    assert_error(post(client, f"{API}/tickets", {"service": "DUKCAPIL-KTP"}, {}), 401, "unauthorized")
    token, raw = issue_token(world.users["kiosk"])
    revoke_token(token)
    response = post(client, f"{API}/tickets", {"service": "DUKCAPIL-KTP"}, {"Authorization": f"Bearer {raw}"})
    assert_error(response, 401, "unauthorized")
    assert not Ticket.objects.exists()


@pytest.mark.parametrize(
    ("payload", "fields"),
    [
        ({}, ["service"]),
        ({"priority_group": "lansia"}, ["service"]),
        ({"service": 42}, ["service"]),
        ({"service": ""}, ["service"]),
        ({"service": "DUKCAPIL-KTP", "priority_group": 7}, ["priority_group"]),
        ({"service": ["DUKCAPIL-KTP"], "priority_group": {"a": 1}}, ["service", "priority_group"]),
        ({"service": "DUKCAPIL-KTP", "priority_group": "vip"}, ["priority_group"]),
    ],
)
def test_bad_input_is_422_naming_each_bad_field_and_issues_nothing(client, world, payload, fields):
    body = assert_error(post(client, f"{API}/tickets", payload, as_(world, "kiosk")), 422, "invalid")
    assert [e["field"] for e in body["errors"]] == fields
    assert all(e["message"] for e in body["errors"])
    for field in fields:
        assert field in body["detail"]
    assert not Ticket.objects.exists()


def test_a_body_that_is_not_json_is_refused_with_the_error_body(client, world):
    response = client.post(f"{API}/tickets", "{not json", content_type="application/json", headers=as_(world, "kiosk"))
    assert_error(response, 400, "malformed_body")
    assert not Ticket.objects.exists()


def test_unknown_mall_or_service_is_404(client, world):
    headers = as_(world, "kiosk")
    assert_error(
        post(client, "/api/v1/malls/atlantis/tickets", {"service": "DUKCAPIL-KTP"}, headers), 404, "mall_not_found"
    )
    assert_error(post(client, f"{API}/tickets", {"service": "NOPE"}, headers), 404, "service_not_found")


def test_a_closed_service_refuses_with_its_reason(client, world):
    service = world.services["DUKCAPIL-KTP"]
    service.daily_quota = 1
    service.save()
    headers = as_(world, "kiosk")
    assert post(client, f"{API}/tickets", {"service": "DUKCAPIL-KTP"}, headers).status_code == 201
    body = assert_error(post(client, f"{API}/tickets", {"service": "DUKCAPIL-KTP"}, headers), 409, "quota_reached")
    assert "Kuota" in body["detail"]
    assert Ticket.objects.count() == 1


def test_anyone_with_the_public_code_follows_the_ticket(client, world):
    ticket = tickets.issue_ticket(world.services["DUKCAPIL-KTP"])
    response = client.get(f"/api/v1/tickets/{ticket.public_code}")
    assert response.status_code == 200
    body = response.json()
    assert set(body) >= TICKET_FIELDS
    assert body["mall"] == "pekanbaru"
    assert body["number"] == "A001" and body["status"] == "waiting" and body["position"] == 0
    assert body["agency"] == "Dinas Kependudukan dan Pencatatan Sipil"
    assert body["counters"] == [1, 2]
    officer = seat(world, 1)
    tickets.call_next(world.counters[1], officer)
    body = client.get(f"/api/v1/tickets/{ticket.public_code}").json()
    assert body["status"] == "called" and body["counter"] == 1
    assert dt.datetime.fromisoformat(body["called_at"]).utcoffset() == dt.timedelta(hours=7)


def test_an_unknown_public_code_is_404(client, world):
    assert_error(client.get("/api/v1/tickets/not-a-real-code"), 404, "ticket_not_found")


def test_issuing_stays_lean(client, world, django_assert_max_num_queries):
    headers = as_(world, "kiosk")
    post(client, f"{API}/tickets", {"service": "DUKCAPIL-KTP"}, headers)  # warm the token cache
    # token, service (+mall, agency), hours, closures, SAVEPOINT, number, ticket, event, RELEASE,
    # position, counters (staffed and all), recent service times
    with django_assert_max_num_queries(12):
        response = post(client, f"{API}/tickets", {"service": "DUKCAPIL-KTP"}, headers)
    assert response.status_code == 201
