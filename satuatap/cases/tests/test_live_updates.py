"""The back office live: every case change hints its tracking pages and desks after the commit, the tracking
socket proves it passed the NIK check, the documents carry no personal data, and a Redis outage never turns a
saved case action into an error."""

import asyncio
import json
import logging

import pytest

from satuatap import live
from satuatap.cases import live_updates, services, tracking
from satuatap.cases.models import Case, CaseEvent
from satuatap.cases.tests.conftest import NIK, PHONE, open_kk
from satuatap.queueing.tests.test_consumers import _connects, _session_cookie
from satuatap.queueing.tests.test_live_documents import _connect, _in_memory_layer, _stop
from satuatap.queueing.tests.test_live_outage import redis_down  # noqa: F401 (a fixture used below)
from satuatap.refusal import Refused
from satuatap.testing import make_world


@pytest.fixture
def sent(monkeypatch):
    """The hints sent after each commit, as (groups, payload)."""
    hints = []
    monkeypatch.setattr(live, "send_now", lambda groups, payload: hints.append((groups, payload)))
    return hints


def test_opening_acting_and_assigning_each_hint_the_case_and_its_desks_after_commit(
    world, sent, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        case = open_kk(world)
    with django_capture_on_commit_callbacks(execute=True):
        services.assign(world.users["officer1"], case, world.users["officer1"])
    with django_capture_on_commit_callbacks(execute=True):
        services.act(world.users["officer1"], case, "verifikasi")
    groups = [live.case_group(case.pk), live.desk_group(case.agency_id), live.mall_desk_group(case.mall_id)]
    events = list(case.events.order_by("pk").values_list("pk", flat=True))
    assert sent == [
        (groups, {"event": "case_transition", "event_id": events[0]}),
        (groups, {"event": "case_assign", "event_id": events[1]}),
        (groups, {"event": "case_transition", "event_id": events[2]}),
    ]


def test_a_refused_action_hints_nothing(world, sent, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        case = open_kk(world)
    sent.clear()
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(Refused):
        services.act(world.users["officer1"], case, "serahkan")
    assert sent == []


def test_the_case_document_has_the_steps_and_no_personal_data_or_officer(world):
    case = open_kk(world)
    services.assign(world.users["officer1"], case, world.users["officer1"])
    services.act(world.users["officer1"], case, "kembalikan", note="KTP-el asli belum dibawa")
    document = live_updates.case_document(str(case.pk))
    assert document == json.loads(json.dumps(document))  # JSON as it is
    assert document["status"] == "dikembalikan" and document["paused"] is True
    assert [step["status"] for step in document["history"]] == ["diterima", "dikembalikan"]
    assert document["due_date"] == case.due_date.isoformat() and document["next_step"]
    text = json.dumps(document)
    officer = world.users["officer1"]
    for secret in (NIK, PHONE, "Siti", "Aminah", officer.username, "belum dibawa"):
        assert secret not in text, secret
    if officer.first_name:
        assert officer.first_name not in text


def test_a_tracking_token_names_its_case_only(world):
    case = open_kk(world)
    token = live_updates.track_token(case)
    assert live_updates.case_id_of(token) == case.pk
    forged = token.replace(f"sat_c{case.pk}x", f"sat_c{case.pk + 1}x")
    for wrong in (forged, token[:-1], case.registration_number, "", None, token + "0"):
        assert live_updates.case_id_of(wrong) is None


def test_the_tracking_page_carries_the_token_after_the_nik_check_only(client, world):
    case = open_kk(world)
    wrong = client.post("/lacak-berkas/", {"nomor": case.registration_number, "nik4": "0000"})
    assert wrong.status_code == 404 and b"/ws/case/" not in wrong.content
    right = client.post("/lacak-berkas/", {"nomor": case.registration_number, "nik4": NIK[-4:]})
    token = live_updates.track_token(case)
    assert f"/ws/case/pekanbaru/{token}/" in right.content.decode()
    snapshot = client.get(f"/lacak-berkas/langsung/{token}/")
    assert snapshot.status_code == 200 and snapshot.json() == tracking.public_document(case)
    assert client.get(f"/lacak-berkas/langsung/{case.registration_number}/").status_code == 404


def test_the_desk_stamp_moves_with_its_agencys_cases_only(client, world):
    client.force_login(world.users["officer1"])
    before = client.get("/m/pekanbaru/berkas/stempel.json").json()["stamp"]
    case = open_kk(world)
    newest = CaseEvent.objects.filter(case=case).latest("pk").pk
    assert client.get("/m/pekanbaru/berkas/stempel.json").json() == {"stamp": newest} != {"stamp": before}
    other = world.users["officer3"]  # another agency: its desk does not move for this case
    client.force_login(other)
    assert client.get("/m/pekanbaru/berkas/stempel.json").json()["stamp"] != newest


def test_the_case_page_follows_its_case_with_the_tracking_proof_and_its_own_stamp(client, world):
    case = open_kk(world)
    client.force_login(world.users["officer1"])
    page = client.get(f"/m/pekanbaru/berkas/{case.registration_number}/").content.decode()
    stamp_url = f"/m/pekanbaru/berkas/{case.registration_number}/stempel.json"
    opened = CaseEvent.objects.filter(case=case).latest("pk").pk
    assert f'data-ws-path="/ws/case/pekanbaru/{live_updates.track_token(case)}/"' in page
    assert f'data-stamp="{opened}"' in page and f'data-snapshot-url="{stamp_url}"' in page
    assert client.get(stamp_url).json() == {"stamp": opened}
    services.assign(world.users["officer1"], case, world.users["officer1"])
    moved = CaseEvent.objects.filter(case=case).latest("pk").pk
    assert client.get(stamp_url).json() == {"stamp": moved} != {"stamp": opened}
    client.force_login(world.users["officer3"])  # another agency: the case and its stamp are not found
    assert client.get(stamp_url).status_code == 404


@pytest.mark.django_db(transaction=True)
def test_who_may_follow_a_case_or_a_desk():
    world = make_world()
    case = services.open_case(world.users["officer1"], world.services["DUKCAPIL-KK"], nik=NIK, name="Siti Aminah")
    token = live_updates.track_token(case)
    assert _connects(f"/ws/case/pekanbaru/{token}/") == (True, None)
    assert _connects(f"/ws/case/pekanbaru/{case.registration_number}/") == (False, 4404)
    altered = token[:-1] + ("1" if token.endswith("0") else "0")  # a different last character, whatever the token
    assert _connects(f"/ws/case/pekanbaru/{altered}/") == (False, 4404)
    assert _connects("/ws/desk/pekanbaru/") == (False, 4404)  # nobody signed in: like an unknown mall
    officer = _session_cookie(lambda c: c.force_login(world.users["officer1"]))
    assert _connects("/ws/desk/pekanbaru/", officer) == (True, None)


@pytest.mark.django_db(transaction=True)
def test_an_action_reaches_the_tracking_page_and_the_desk_with_their_documents(settings, tmp_path):
    _in_memory_layer(settings, tmp_path)  # no Redis: the hint goes through the relay, woken by its doorbell
    world = make_world()
    officer = world.users["officer1"]
    case = services.open_case(officer, world.services["DUKCAPIL-KK"], nik=NIK, name="Siti Aminah")
    token = live_updates.track_token(case)
    cookie = _session_cookie(lambda c: c.force_login(officer))

    async def scenario():
        phone = await _connect(f"/ws/case/pekanbaru/{token}/")
        desk = await _connect_as("/ws/desk/pekanbaru/", cookie)
        try:
            await asyncio.to_thread(_verify, officer, case.pk)
            return json.loads(await phone.receive_from(timeout=5)), json.loads(await desk.receive_from(timeout=5))
        finally:
            await phone.disconnect()
            await desk.disconnect()
            await _stop()

    on_phone, on_desk = asyncio.run(scenario())
    newest = CaseEvent.objects.filter(case=case).latest("pk").pk
    assert on_phone["event"] == "case_transition" and on_phone["event_id"] == newest
    assert on_phone["doc"]["status"] == "diverifikasi"
    assert on_phone["doc"]["registration_number"] == case.registration_number
    assert on_desk["doc"] == {"stamp": newest}


async def _connect_as(path, cookie):
    from channels.testing import WebsocketCommunicator

    from satuatap.asgi import application

    headers = [(b"origin", b"http://127.0.0.1"), (b"cookie", f"sessionid={cookie}".encode())]
    communicator = WebsocketCommunicator(application, path, headers=headers)
    connected, _ = await communicator.connect()
    assert connected
    return communicator


def _verify(officer, case_id):
    from django.db import connections

    try:
        services.act(officer, Case.objects.get(pk=case_id), "verifikasi")
    finally:
        connections.close_all()


@pytest.mark.django_db(transaction=True)  # real commits: the hints are sent after them, as in production
def test_case_actions_are_saved_and_answered_while_redis_is_down(client, redis_down, caplog):  # noqa: F811
    world = make_world()
    caplog.set_level(logging.ERROR, logger="satuatap.live")
    client.force_login(world.users["officer1"])
    opened = client.post(
        "/m/pekanbaru/berkas/baru/", {"service": "DUKCAPIL-KK", "nik": NIK, "name": "Siti Aminah", "phone": PHONE}
    )
    assert opened.status_code == 302, opened.content
    case = Case.objects.get()
    page = f"/m/pekanbaru/berkas/{case.registration_number}/"
    assert client.post(page, {"op": "take"}).status_code == 302
    assert client.post(page, {"op": "act", "action": "verifikasi"}).status_code == 302
    case.refresh_from_db()
    assert case.state.code == "diverifikasi" and case.assignee == world.users["officer1"]
    assert redis_down, "the hints were attempted"
    failures = [r for r in caplog.records if r.name == "satuatap.live" and r.levelno == logging.ERROR]
    assert len(failures) == 3  # one per saved change, logged and dropped
    assert case.events.count() == 3  # one history row per change, nothing lost with the hints


def test_uvicorn_logs_a_tracking_sockets_path_with_its_token_masked(world, caplog):
    import satuatap.asgi  # noqa: F401  (installs the filter on uvicorn's loggers)

    token = live_updates.track_token(open_kk(world))
    caplog.set_level(logging.INFO, logger="uvicorn.error")
    logging.getLogger("uvicorn.error").info(
        '%s - "WebSocket %s" [accepted]', "127.0.0.1:5000", f"/ws/case/pekanbaru/{token}/", extra={"color_message": "x"}
    )
    logged = caplog.records[-1].getMessage()
    assert "/ws/case/pekanbaru/sat_c" in logged and token not in logged
