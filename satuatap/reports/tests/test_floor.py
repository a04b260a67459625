import datetime as dt

import pytest
from django.urls import reverse

from satuatap.directory.services import close
from satuatap.queueing import tickets
from satuatap.reports.floor import floor_snapshot
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


def test_floor_flags_queues_past_the_target_and_agencies_short_of_staff(world):
    world.mall.target_wait_minutes = 20
    world.mall.save()
    seat(world, 1)  # Dukcapil has an officer; nobody sits at Imigrasi's counter 3
    ktp = tickets.issue_ticket(world.services["DUKCAPIL-KTP"])
    tickets.issue_ticket(world.services["IMIGRASI-PASPOR"])
    later = ktp.queued_at + dt.timedelta(minutes=25, seconds=5)
    data = floor_snapshot(world.users["manager"], world.mall, now=later)
    queues = {s["code"]: s for s in data["services"]}
    assert queues["DUKCAPIL-KTP"]["waiting"] == 1 and queues["DUKCAPIL-KTP"]["longest_wait_minutes"] == 25
    assert queues["DUKCAPIL-KTP"]["past_target"] is True
    agencies = {a["code"]: a for a in data["agencies"]}
    assert agencies["IMIGRASI"]["short_of_staff"] is True and agencies["DUKCAPIL"]["short_of_staff"] is False
    assert agencies["DUKCAPIL"]["idle"] == 1 and data["idle"] == 1
    kinds = [(a["kind"], a["agency"]) for a in data["alerts"]]
    assert ("short_of_staff", "IMIGRASI") in kinds and ("past_target", "DUKCAPIL") in kinds
    assert data["longest_wait_minutes"] == 25


def test_floor_page_shows_alerts_on_top_and_paused_counters(world, client):
    seat(world, 3)
    seat(world, 1)
    close(world.mall, "Istirahat petugas", counter=world.counters[1])
    tickets.issue_ticket(world.services["POLRESTA-SKCK"])
    client.force_login(world.users["manager"])
    html = client.get(reverse("floor", args=["pekanbaru"])).content.decode()
    assert html.index('id="floor-alerts"') < html.index('id="floor-grid"')
    assert 'data-alert="short_of_staff" data-agency="POLRESTA"' in html
    assert 'class="counter idle" data-counter="3"' in html
    assert 'class="counter closed" data-counter="4"' in html
    assert 'class="counter paused" data-counter="1"' in html and 'id="floor-paused">1<' in html
