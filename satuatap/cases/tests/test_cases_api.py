"""The Cases part of the API: open, list, read, act, and public tracking, with the API's refusals."""

from __future__ import annotations

from django.test import Client

from satuatap.cases.models import Case
from satuatap.cases.tests.conftest import NIK, PHONE, open_kk
from satuatap.testing import assert_api_error, bearer_as

BASE = "/api/v1/malls/pekanbaru/cases"


def _post(world, persona, path, body):
    return Client().post(path, body, content_type="application/json", headers=bearer_as(world, persona))


def _get(world, persona, path):
    return Client().get(path, headers=bearer_as(world, persona))


def test_open_list_read_and_act(world):
    body = {"service": "DUKCAPIL-KK", "nik": NIK, "name": "Siti", "phone": PHONE, "missing_requirements": []}
    created = _post(world, "officer1", BASE, body)
    assert created.status_code == 201, created.content
    number = created.json()["registration_number"]
    assert created.json() == {
        "registration_number": number,
        "service": "DUKCAPIL-KK",
        "status": "diterima",
        "due_date": "2026-11-26",
        "overdue": False,
        "assigned_to": None,
    }
    assert [c["registration_number"] for c in _get(world, "sup_dukcapil", BASE).json()] == [number]
    assert _get(world, "officer1", BASE + "?assigned=me").json() == []
    read = _get(world, "officer1", f"{BASE}/{number}").json()
    assert {a["action"] for a in read["actions"]} == {"verifikasi", "kembalikan"}
    assert read["citizen_nik"] == "1471**********01" and NIK not in str(read)
    acted = _post(world, "officer1", f"{BASE}/{number}/actions", {"action": "verifikasi"})
    assert acted.status_code == 200 and acted.json()["status"] == "diverifikasi"
    assigned = _post(world, "sup_dukcapil", f"{BASE}/{number}/actions", {"action": "assign", "assign_to": "officer2"})
    assert assigned.json()["assigned_to"] == "officer2"


def test_refusals(world):
    case = open_kk(world)
    path = f"{BASE}/{case.registration_number}"
    assert_api_error(_post(world, "officer1", f"{path}/actions", {"action": "setujui"}), 409, "bad_state")
    _post(world, "officer1", f"{path}/actions", {"action": "verifikasi"})
    _post(world, "officer1", f"{path}/actions", {"action": "proses"})
    assert_api_error(_post(world, "officer1", f"{path}/actions", {"action": "setujui"}), 403, "role_not_allowed")
    assert_api_error(_get(world, "officer3", path), 404, "case_not_found")
    assert_api_error(_post(world, "sup_imigrasi", f"{path}/actions", {"action": "setujui"}), 404, "case_not_found")
    assert_api_error(_get(world, "kiosk", BASE), 403, "role_not_allowed")
    bad = _post(world, "officer1", BASE, {"service": "DUKCAPIL-KK", "nik": "1", "name": "Siti"})
    assert assert_api_error(bad, 422)["errors"][0]["field"] == "nik"
    assert_api_error(_post(world, "officer3", BASE, {"service": "DUKCAPIL-KK", "nik": NIK, "name": "S"}), 404)
    assert Case.objects.count() == 1
    case.refresh_from_db()
    assert case.state.code == "diproses"


def test_public_tracking(world):
    case = open_kk(world)
    ok = Client().get(f"/api/v1/cases/{case.registration_number}?nik_last4={NIK[-4:]}")
    assert ok.status_code == 200
    body = ok.json()
    assert (
        body["status"] == "diterima" and body["due_date"] == "2026-11-26" and body["history"][0]["status"] == "diterima"
    )
    assert "by" not in body["history"][0] and "Siti" not in str(body)
    wrong = Client().get(f"/api/v1/cases/{case.registration_number}?nik_last4=9999")
    unknown = Client().get(f"/api/v1/cases/PEK-2026-DUKCAPIL-999999?nik_last4={NIK[-4:]}")
    assert wrong.status_code == unknown.status_code == 404
    assert wrong.json() == unknown.json()


def test_sla_per_service(world, time_machine):
    import datetime as dt

    from satuatap.cases import services

    late, on_time, running = open_kk(world), open_kk(world), open_kk(world)
    services.act(world.users["officer1"], on_time, "verifikasi")
    services.act(world.users["officer1"], on_time, "proses")
    services.act(world.users["sup_dukcapil"], on_time, "tolak", note="Tidak memenuhi syarat")
    time_machine.move_to(dt.datetime(2026, 11, 30, 2, tzinfo=dt.UTC))  # next Monday: due was Thursday
    for code, who in [("verifikasi", "officer1"), ("proses", "officer1"), ("tolak", "sup_dukcapil")]:
        services.act(world.users[who], late, code, note="x")
    rows = _get(world, "sup_dukcapil", "/api/v1/malls/pekanbaru/sla/cases").json()
    assert rows == [
        {
            "service": "DUKCAPIL-KK",
            "service_name": "Kartu Keluarga baru",
            "finished": 2,
            "on_time": 1,
            "late": 1,
            "on_time_share": 50.0,
            "open": 1,
            "overdue": 1,
        }
    ]
    assert running.registration_number
    assert _get(world, "sup_imigrasi", "/api/v1/malls/pekanbaru/sla/cases").json() == []
    assert_api_error(_get(world, "officer1", "/api/v1/malls/pekanbaru/sla/cases"), 403, "role_not_allowed")
    client = Client()
    client.force_login(world.users["manager"])
    page = client.get("/m/pekanbaru/berkas-kinerja/").content.decode()
    assert "Kartu Keluarga baru" in page and "50,0%" in page
