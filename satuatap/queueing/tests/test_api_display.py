"""The display board's snapshot through the API: public, and a board's token reads only its zone."""

import datetime as dt

import pytest

from satuatap import ratelimit
from satuatap.accounts.models import Role, User
from satuatap.queueing import tickets
from satuatap.testing import assert_api_error as assert_error
from satuatap.testing import bearer, seat

API = "/api/v1/malls/pekanbaru"


@pytest.fixture
def hall(world):
    """KTP A001 called to counter 1 (zone A), paspor C001 called to counter 3 (zone B), one KK waiting."""
    tickets.issue_ticket(world.services["DUKCAPIL-KTP"])
    tickets.issue_ticket(world.services["IMIGRASI-PASPOR"])
    tickets.issue_ticket(world.services["DUKCAPIL-KK"])
    tickets.call_next(world.counters[1], seat(world, 1))
    tickets.call_next(world.counters[3], seat(world, 3))
    return world


def test_anyone_reads_a_zones_board(client, hall):
    response = client.get(f"{API}/display", {"zone": "A"})
    assert response.status_code == 200
    body = response.json()
    assert body["zone"] == "A" and body["mall"] == "pekanbaru"
    assert [(c["number"], c["counter"]) for c in body["called"]] == [("A001", 1)]
    call = body["called"][0]
    assert set(call) >= {"number", "counter", "called_at"}
    assert dt.datetime.fromisoformat(call["called_at"]).utcoffset() == dt.timedelta(hours=7)
    assert body["waiting"] == {"DUKCAPIL-KK": 1}
    assert body["open"] is True


def test_without_a_zone_the_board_shows_the_whole_mall(client, hall):
    body = client.get(f"{API}/display").json()
    assert body["zone"] is None
    assert [c["number"] for c in body["called"]] == ["C001", "A001"]  # newest first


def test_a_display_token_reads_its_own_zone_and_defaults_to_it(client, hall):
    headers = bearer(hall.users["display_a"], hall.zones["A"])
    assert client.get(f"{API}/display", {"zone": "A"}, headers=headers).status_code == 200
    body = client.get(f"{API}/display", headers=headers).json()
    assert body["zone"] == "A"
    assert [c["number"] for c in body["called"]] == ["A001"]


def test_a_display_token_may_not_read_another_zone(client, hall):
    headers = bearer(hall.users["display_a"], hall.zones["A"])
    assert_error(client.get(f"{API}/display", {"zone": "B"}, headers=headers), 403, "other_zone")


def test_a_display_of_another_mall_is_refused(client, hall):
    from satuatap.directory.models import Building, Mall, Zone

    other = Mall.objects.create(slug="medan", name="MPP Medan", city="Medan")
    building = Building.objects.create(mall=other, code="mpp", name="Gedung")
    zone = Zone.objects.create(mall=other, building=building, code="A", name="Zona A")
    board = User.objects.create_user(username="display_medan", role=Role.DISPLAY, mall=other)
    assert_error(client.get(f"{API}/display", {"zone": "A"}, headers=bearer(board, zone)), 403, "other_mall")


def test_unknown_zone_or_mall_is_404(client, hall):
    assert_error(client.get(f"{API}/display", {"zone": "Z"}), 404, "zone_not_found")
    assert_error(client.get("/api/v1/malls/atlantis/display"), 404, "mall_not_found")


def test_the_board_is_rate_limited_for_anonymous_callers_only(client, hall, settings, monkeypatch):
    settings.PUBLIC_RATE_LIMIT = 1
    monkeypatch.setattr(ratelimit, "clock", lambda: 9_000_000.0)  # one fixed window for the whole test
    assert client.get(f"{API}/display", {"zone": "A"}).status_code == 200
    assert_error(client.get(f"{API}/display", {"zone": "A"}), 429, "rate_limited")
    headers = bearer(hall.users["display_a"], hall.zones["A"])
    for _ in range(3):
        assert client.get(f"{API}/display", headers=headers).status_code == 200
