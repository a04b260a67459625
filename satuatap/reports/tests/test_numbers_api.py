"""``reports/daily`` and ``reports/summary``: a hand-built day through the queue's own service functions, each
figure against a hand-computed value, and the tenancy of the answers."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from satuatap.queueing import tickets
from satuatap.testing import MONDAY_MORNING, assert_api_error, bearer_as, seat

pytestmark = pytest.mark.usefixtures("monday_morning")
MALL = "/api/v1/malls/pekanbaru/reports"


def at(minutes: float) -> dt.datetime:
    return MONDAY_MORNING + dt.timedelta(minutes=minutes)


@pytest.fixture
def day(world, settings):
    """Monday: four KTP tickets and one passport ticket.

    KTP: A001 (issued 0) called 26.5, start 27.5, finish 37.5 -> wait 26.5, service 10;
         A002 (issued 1, lansia) called 5 -> wait 4 (a priority call), start 6, finish 26 -> service 20;
         A003 (issued 2) called 42 -> wait 40, no-show;  A004 (issued 3) cancelled at 4.
    Passport: C001 (issued 0) called 20 -> wait 20, transferred to SKCK at 21, called again at 50, finished 60.
    """
    settings.REPORTS_TARGET_WAIT_MINUTES = 15
    ktp, paspor, skck = (world.services[c] for c in ("DUKCAPIL-KTP", "IMIGRASI-PASPOR", "POLRESTA-SKCK"))
    officer1, officer3, officer4 = seat(world, 1), seat(world, 3), seat(world, 4)
    counter1, counter3, counter4 = world.counters[1], world.counters[3], world.counters[4]
    a1 = tickets.issue_ticket(ktp, now=at(0))
    c1 = tickets.issue_ticket(paspor, now=at(0))
    tickets.issue_ticket(ktp, priority_group="lansia", now=at(1))
    tickets.issue_ticket(ktp, now=at(2))
    a4 = tickets.issue_ticket(ktp, now=at(3))
    tickets.cancel(a4, now=at(4))
    a2 = tickets.call_next(counter1, officer1, now=at(5))
    tickets.start_service(a2, officer1, now=at(6))
    tickets.finish(a2, officer1, now=at(26))
    a1 = tickets.call_next(counter1, officer1, now=at(26.5))
    assert a1.number == "A001"
    c1 = tickets.call_next(counter3, officer3, now=at(20))
    tickets.transfer(c1, officer3, skck, now=at(21))
    c1 = tickets.call_next(counter4, officer4, now=at(50))
    tickets.finish(c1, officer4, now=at(60))
    tickets.start_service(a1, officer1, now=at(27.5))
    tickets.finish(a1, officer1, now=at(37.5))
    a3 = tickets.call_next(counter1, officer1, now=at(42))
    tickets.no_show(a3, officer1, now=at(47))
    return world


def test_the_daily_report_of_a_hand_built_day(client: Client, day):
    # Waits: A002 4, A001 26.5, C001 20 (its first call), A003 40 -> mean 22.625, median 23.25.
    response = client.get(f"{MALL}/daily?date=2026-11-23", headers=bearer_as(day, "manager"))
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["date"] == "2026-11-23"
    assert (body["tickets_issued"], body["served"], body["no_show"], body["cancelled"]) == (5, 3, 1, 1)
    assert body["transferred"] == 1
    assert body["avg_wait_minutes"] == 22.6
    assert body["p50_wait_minutes"] == pytest.approx(23.25, abs=0.051)  # (20 + 26.5) / 2, one decimal shown
    assert body["p90_wait_minutes"] == pytest.approx(26.5 + 0.7 * 13.5, abs=0.051)  # 0.9 * 3 = 2.7 ranks in
    # Service: A002 20, A001 10, C001 10 (from its call at 50: finished without a start) -> only started ones count.
    assert body["avg_service_minutes"] == 15.0
    assert body["within_target_share"] == 0.25  # only A002 waited <= 15 minutes
    assert body["priority_share"] == 0.2
    by_agency = {row["agency"]: row for row in body["by_agency"]}
    assert by_agency.keys() == {"DUKCAPIL", "POLRESTA"}  # the passport ticket now counts where it was served
    assert by_agency["DUKCAPIL"]["tickets_issued"] == 4
    assert by_agency["DUKCAPIL"]["avg_wait_minutes"] == round((4 + 26.5 + 40) / 3, 1)
    assert {row["service"] for row in body["by_service"]} == {"DUKCAPIL-KTP", "POLRESTA-SKCK"}


def test_the_summary_has_the_previous_period_and_the_calls_out_of_order(client: Client, day):
    response = client.get(f"{MALL}/summary?from=2026-11-23&to=2026-11-23", headers=bearer_as(day, "manager"))
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["from"], body["to"]) == ("2026-11-23", "2026-11-23")
    assert body["tickets_issued"] == 5 and body["p50_wait_minutes"] == pytest.approx(23.25, abs=0.051)
    assert body["out_of_order_calls"] == 1  # A002 (lansia) went before A001
    assert body["out_of_order_by_reason"]["priority"] == 1
    assert body["bookings"] == {"booked": 0, "checked_in": 0, "called": 0, "finished": 0, "cancelled": 0}
    previous = body["previous"]
    assert (previous["from"], previous["to"]) == ("2026-11-22", "2026-11-22")
    assert previous["tickets_issued"] == 0 and previous["avg_wait_minutes"] is None


def test_a_supervisor_sees_their_agency_only(client: Client, day):
    body = client.get(f"{MALL}/daily?date=2026-11-23", headers=bearer_as(day, "sup_dukcapil")).json()
    assert body["tickets_issued"] == 4
    assert [row["agency"] for row in body["by_agency"]] == ["DUKCAPIL"]
    summary = client.get(f"{MALL}/summary?agency=IMIGRASI", headers=bearer_as(day, "sup_dukcapil"))
    assert_api_error(summary, 404, "agency_not_found")


def test_roles_and_bad_input_are_refused(client: Client, day):
    assert_api_error(client.get(f"{MALL}/daily", headers=bearer_as(day, "officer1")), 403)
    assert_api_error(
        client.get(f"{MALL}/summary?from=2026-11-30&to=2026-11-01", headers=bearer_as(day, "manager")), 422
    )
    assert_api_error(client.get(f"{MALL}/daily?date=1999-01-01", headers=bearer_as(day, "manager")), 422)
    assert_api_error(client.get(f"{MALL}/daily?date=kemarin", headers=bearer_as(day, "manager")), 422)
    assert_api_error(client.get("/api/v1/malls/nowhere/reports/daily", headers=bearer_as(day, "manager")), 404)
