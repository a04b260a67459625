"""The IKM report and its follow-up items through the API, each user within their scope."""

import datetime as dt

import pytest
from django.utils import timezone

from satuatap.directory.hours import local_now
from satuatap.feedback import follow_up, periods
from satuatap.feedback.tests.conftest import answered
from satuatap.testing import assert_api_error, bearer_as

# Moved out of feedback/tests, whose conftest starts every test at MONDAY_MORNING: they keep that clock
# (answers are summed for "this month", so no month may end during a test).
pytestmark = pytest.mark.usefixtures("monday_morning")


def ikm(client, world, persona, query=""):
    return client.get(f"/api/v1/malls/{world.mall.slug}/reports/ikm{query}", headers=bearer_as(world, persona))


def test_manager_gets_the_malls_ikm(client, world):
    answered(world, [4] * 9)
    answered(world, [2] * 9, code="IMIGRASI-PASPOR")
    response = ikm(client, world, "manager")
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["ikm"], body["mutu"], body["kinerja"], body["respondents"]) == ("75.00", "C", "Kurang Baik", 2)
    assert body["sample_required"] == 2
    assert body["elements"][0] == {"unsur": 1, "name": "Persyaratan", "nrr": "3.0000"}
    one_agency = ikm(client, world, "manager", "?agency=IMIGRASI").json()
    assert (one_agency["ikm"], one_agency["respondents"]) == ("50.00", 1)


def test_the_ikm_counts_answers_by_source(client, world):
    answered(world, [4] * 9, source="tablet")
    answered(world, [4] * 9, source="api")
    answered(world, [4] * 9, source="")
    sources = ikm(client, world, "manager").json()["sources"]
    assert sources == [
        {"source": "tablet", "respondents": 1},
        {"source": "tautan", "respondents": 0},
        {"source": "api", "respondents": 1},
        {"source": "", "respondents": 1},
    ]


def test_supervisor_sees_only_their_agency(client, world):
    answered(world, [4] * 9)
    answered(world, [2] * 9, code="IMIGRASI-PASPOR")
    own = ikm(client, world, "sup_dukcapil").json()
    assert (own["ikm"], own["respondents"]) == ("100.00", 1)
    assert ikm(client, world, "sup_dukcapil", "?agency=DUKCAPIL").json()["ikm"] == "100.00"
    assert_api_error(ikm(client, world, "sup_dukcapil", "?agency=IMIGRASI"), 404)
    assert_api_error(ikm(client, world, "sup_dukcapil", "?service=IMIGRASI-PASPOR"), 404)
    assert_api_error(ikm(client, world, "officer1"), 403)
    assert_api_error(client.get(f"/api/v1/malls/{world.mall.slug}/reports/ikm"), 401)


def test_ikm_period_from_to(client, world):
    answered(world, [4] * 9, at=timezone.now() - dt.timedelta(days=60))
    today = timezone.localdate()
    old = (today - dt.timedelta(days=70)).isoformat()
    recent = (today - dt.timedelta(days=50)).isoformat()
    assert ikm(client, world, "manager", f"?from={old}&to={recent}").json()["respondents"] == 1
    assert ikm(client, world, "manager").json()["respondents"] == 0
    assert_api_error(ikm(client, world, "manager", f"?from={recent}&to={old}"), 422)
    assert_api_error(ikm(client, world, "manager", "?from=kemarin"), 422)


def follow_ups(client, world, persona, query=""):
    url = f"/api/v1/malls/{world.mall.slug}/reports/ikm/follow-up{query}"
    return client.get(url, headers=bearer_as(world, persona))


def test_follow_up_items_through_the_api_in_each_users_scope(monday_morning, client, world):
    # Items belong to "this month": the clock starts at MONDAY_MORNING, so no month ends during the test.
    answered(world, [4, 4, 4, 4, 4, 4, 3, 1, 2])
    answered(world, [2] * 9, code="IMIGRASI-PASPOR")
    month = periods.Period("month", *periods.bounds("month", local_now(world.mall).date()))
    manager = world.users["manager"]
    mall_items = follow_up.propose(world.mall, month, actor=manager)
    dukcapil = follow_up.propose(world.mall, month, actor=manager, agency=world.agencies["DUKCAPIL"])
    follow_up.update(dukcapil[0], actor=manager, action="Tambah petugas", owner="Kabid Pelayanan")
    follow_up.mark_done(dukcapil[0], "Dua petugas ditambah", manager)

    everything = follow_ups(client, world, "manager")
    assert everything.status_code == 200, everything.content
    body = everything.json()
    assert body["total"] == len(mall_items) + len(dukcapil) and body["done"] == 1
    assert (body["start"], body["end"]) == (month.first.isoformat(), month.last.isoformat())
    done = next(i for i in body["items"] if i["id"] == dukcapil[0].pk)
    assert (done["agency"], done["unsur"], done["name"]) == ("DUKCAPIL", 8, "Penanganan pengaduan, saran dan masukan")
    assert (done["action"], done["owner"]) == ("Tambah petugas", "Kabid Pelayanan")
    assert done["done_note"] == "Dua petugas ditambah"
    assert done["nrr"] == "1.0000" and done["done_at"] and done["overdue"] is False
    assert done["period"] == {"kind": "month", "start": month.first.isoformat(), "end": month.last.isoformat()}

    # A supervisor sees their agency's items only; other agencies are not found; officers are refused.
    own = follow_ups(client, world, "sup_dukcapil").json()
    assert {i["id"] for i in own["items"]} == {i.pk for i in dukcapil} and own["share_done"] is not None
    assert follow_ups(client, world, "sup_imigrasi").json()["items"] == []
    assert_api_error(follow_ups(client, world, "sup_imigrasi", "?agency=DUKCAPIL"), 404)
    assert_api_error(follow_ups(client, world, "officer1"), 403)
    assert_api_error(client.get(f"/api/v1/malls/{world.mall.slug}/reports/ikm/follow-up"), 401)

    # Only periods inside from..to count; bad dates are named.
    before = (month.first - dt.timedelta(days=40)).isoformat()
    last_month_end = (month.first - dt.timedelta(days=1)).isoformat()
    assert follow_ups(client, world, "manager", f"?from={before}&to={last_month_end}").json()["total"] == 0
    assert_api_error(follow_ups(client, world, "manager", f"?from={month.last}&to={month.first}"), 422)


def test_report_dates_outside_2000_2099_are_named_not_a_crash(client, world):
    for query, field in (("?from=9999-01-01&to=9999-01-02", "from"), ("?from=2026-01-01&to=9999-12-31", "to")):
        for fetch in (ikm, follow_ups):
            response = fetch(client, world, "manager", query)
            assert_api_error(response, 422)
            assert field in str(response.json())
    assert_api_error(ikm(client, world, "manager", "?from=0001-01-01&to=2026-01-01"), 422)


def test_a_service_of_another_agency_than_the_one_asked_is_not_found(client, world):
    assert_api_error(ikm(client, world, "manager", "?agency=IMIGRASI&service=DUKCAPIL-KTP"), 404)
    assert ikm(client, world, "manager", "?agency=DUKCAPIL&service=DUKCAPIL-KTP").status_code == 200


def test_a_supervisor_without_an_agency_gets_no_report(client, world):
    supervisor = world.users["sup_dukcapil"]
    supervisor.agency = None
    supervisor.save()
    response = ikm(client, world, "sup_dukcapil")
    assert_api_error(response, 403)
    assert response.json()["code"] == "no_agency"
    assert_api_error(follow_ups(client, world, "sup_dukcapil"), 403)
