import pytest
from django.urls import reverse

from satuatap.queueing import tickets
from satuatap.testing import seat

# Tickets issued and shown or called through code that reads the clock: it starts at MONDAY_MORNING,
# so no local midnight passes during a test (see "Time in tests" in docs/architecture.md).
pytestmark = pytest.mark.usefixtures("monday_morning")


def _busy_floor(world):
    officer1, officer3 = seat(world, 1), seat(world, 3)
    tickets.issue_ticket(world.services["DUKCAPIL-KTP"])
    tickets.issue_ticket(world.services["DUKCAPIL-KTP"])
    tickets.issue_ticket(world.services["IMIGRASI-PASPOR"])
    tickets.call_next(world.counters[1], officer1)
    tickets.call_next(world.counters[3], officer3)


def test_manager_sees_every_counter_and_what_it_holds(world, client):
    _busy_floor(world)
    client.force_login(world.users["manager"])
    data = client.get(reverse("floor_snapshot", args=["pekanbaru"])).json()
    by_number = {c["number"]: c for z in data["zones"] for c in z["counters"]}
    assert set(by_number) == {1, 2, 3, 4}
    assert by_number[1]["ticket"] == "A001" and by_number[1]["status"] == "called"
    assert by_number[3]["ticket"] == "C001"
    assert data["waiting_total"] == 1 and data["staffed"] == 2


def test_supervisor_sees_only_their_agency_on_the_floor(world, client):
    _busy_floor(world)
    client.force_login(world.users["sup_imigrasi"])
    response = client.get(reverse("floor", args=["pekanbaru"]))
    assert response.status_code == 200
    data = client.get(reverse("floor_snapshot", args=["pekanbaru"])).json()
    numbers = [c["number"] for z in data["zones"] for c in z["counters"]]
    assert numbers == [3]
    assert data["waiting_total"] == 0  # the waiting Dukcapil ticket is not theirs
    assert b"A001" not in response.content


def test_officers_and_devices_have_no_floor_view(world, client):
    for persona in ("officer1", "kiosk", "display_a"):
        client.force_login(world.users[persona])
        assert client.get(reverse("floor_snapshot", args=["pekanbaru"])).status_code == 404


def test_anonymous_is_sent_to_login(world, client):
    response = client.get(reverse("floor", args=["pekanbaru"]))
    assert response.status_code == 302 and "/login/" in response["Location"]
