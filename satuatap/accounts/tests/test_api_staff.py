"""The staff API: who works where, and officers signing in and out of counters."""

import pytest

from satuatap.accounts.models import Role, User
from satuatap.directory.models import Counter
from satuatap.testing import assert_api_error as assert_error
from satuatap.testing import bearer, seat
from satuatap.testing import bearer_as as as_

API = "/api/v1/malls/pekanbaru"


def test_supervisor_lists_their_agencys_staff_and_where_they_sit(client, world):
    seat(world, 1)
    response = client.get(f"{API}/staff", {"agency": "DUKCAPIL"}, headers=as_(world, "sup_dukcapil"))
    assert response.status_code == 200
    assert response.json() == [
        {"username": "officer1", "name": "Officer1", "agency": "DUKCAPIL", "role": "officer", "counter": 1},
        {"username": "officer2", "name": "Officer2", "agency": "DUKCAPIL", "role": "officer", "counter": None},
        {
            "username": "sup_dukcapil",
            "name": "Sup_Dukcapil",
            "agency": "DUKCAPIL",
            "role": "supervisor",
            "counter": None,
        },
    ]


def test_supervisor_without_agency_parameter_sees_only_their_own_agency(client, world):
    response = client.get(f"{API}/staff", headers=as_(world, "sup_imigrasi"))
    assert response.status_code == 200
    assert {p["username"] for p in response.json()} == {"officer3", "sup_imigrasi"}


def test_manager_lists_the_staff_of_any_agency_of_the_mall(client, world):
    response = client.get(f"{API}/staff", {"agency": "POLRESTA"}, headers=as_(world, "manager"))
    assert response.status_code == 200
    assert [p["username"] for p in response.json()] == ["officer4"]
    everyone = client.get(f"{API}/staff", headers=as_(world, "manager")).json()
    assert {p["username"] for p in everyone} >= {"manager", "officer1", "officer4", "sup_imigrasi"}
    assert not {"kiosk", "display_a"} & {p["username"] for p in everyone}


def test_supervisor_cannot_see_the_staff_of_another_agency(client, world):
    response = client.get(f"{API}/staff", {"agency": "IMIGRASI"}, headers=as_(world, "sup_dukcapil"))
    assert_error(response, 404, "agency_not_found")


@pytest.mark.parametrize("username", ["officer1", "kiosk", "display_a"])
def test_officers_and_devices_may_not_list_staff(client, world, username):
    response = client.get(f"{API}/staff", {"agency": "DUKCAPIL"}, headers=as_(world, username))
    assert_error(response, 403, "role_not_allowed")


def test_staff_list_needs_a_token(client, world):
    assert_error(client.get(f"{API}/staff"), 401, "unauthorized")
    assert_error(client.get(f"{API}/staff", headers={"Authorization": "Bearer sat_wrong"}), 401, "unauthorized")


def test_officer_signs_in_and_out_of_a_counter(client, world):
    headers = as_(world, "officer1")
    response = client.post(f"{API}/counters/1/sign-in", headers=headers)
    assert response.status_code == 200
    assert response.json() == {"counter": 1, "officer": "officer1"}
    assert Counter.objects.get(pk=world.counters[1].pk).officer == world.users["officer1"]
    response = client.post(f"{API}/counters/1/sign-out", headers=headers)
    assert response.status_code == 200
    assert response.json() == {"counter": 1, "officer": None}
    assert Counter.objects.get(pk=world.counters[1].pk).officer is None


def test_signing_in_at_a_taken_counter_is_a_conflict(client, world):
    seat(world, 1)
    response = client.post(f"{API}/counters/1/sign-in", headers=as_(world, "officer2"))
    assert_error(response, 409, "counter_taken")
    assert Counter.objects.get(pk=world.counters[1].pk).officer == world.users["officer1"]


def test_an_officer_already_seated_elsewhere_cannot_take_a_second_counter(client, world):
    seat(world, 1)
    response = client.post(f"{API}/counters/2/sign-in", headers=as_(world, "officer1"))
    assert_error(response, 409, "officer_busy")
    assert Counter.objects.get(pk=world.counters[2].pk).officer is None


def test_officer_cannot_sign_in_at_a_counter_of_another_agency(client, world):
    response = client.post(f"{API}/counters/3/sign-in", headers=as_(world, "officer1"))
    assert_error(response, 404, "counter_not_found")
    assert Counter.objects.get(pk=world.counters[3].pk).officer is None


def test_signing_out_where_one_is_not_signed_in_is_refused(client, world):
    seat(world, 1)
    response = client.post(f"{API}/counters/1/sign-out", headers=as_(world, "officer2"))
    assert_error(response, 403, "not_signed_in")
    assert Counter.objects.get(pk=world.counters[1].pk).officer == world.users["officer1"]


@pytest.mark.parametrize("username", ["kiosk", "display_a", "sup_dukcapil"])
def test_only_officers_sign_in(client, world, username):
    assert_error(client.post(f"{API}/counters/1/sign-in", headers=as_(world, username)), 403, "role_not_allowed")


def test_unknown_counter_or_mall_is_404_and_a_bad_number_is_422(client, world):
    headers = as_(world, "officer1")
    assert_error(client.post(f"{API}/counters/99/sign-in", headers=headers), 404, "counter_not_found")
    assert_error(client.post("/api/v1/malls/atlantis/counters/1/sign-in", headers=headers), 404, "mall_not_found")
    body = assert_error(client.post(f"{API}/counters/satu/sign-in", headers=headers), 422, "invalid")
    assert body["errors"][0]["field"] == "number"


def test_sign_in_needs_a_token(client, world):
    assert_error(client.post(f"{API}/counters/1/sign-in"), 401, "unauthorized")


def test_manager_of_another_mall_may_not_list_this_malls_staff(client, world):
    from satuatap.directory.models import Mall

    other = Mall.objects.create(slug="medan", name="MPP Medan", city="Medan")
    stranger = User.objects.create_user(username="manager_medan", role=Role.MANAGER, mall=other)
    assert_error(client.get(f"{API}/staff", headers=bearer(stranger)), 403, "other_mall")
