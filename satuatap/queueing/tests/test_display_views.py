"""The hall's display boards: public, zone by zone, and a display device sees only its own zone."""

import io
import os
import wave

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import require_service
from satuatap.accounts.models import Role, User
from satuatap.accounts.tokens import issue_token
from satuatap.directory.models import Closure, Mall, Zone
from satuatap.queueing import speech, tickets
from satuatap.queueing.models import TicketEvent
from satuatap.testing import seat


def board_url(world, zone=None):
    return reverse("display", args=[world.mall.slug, zone]) if zone else reverse("display_all", args=[world.mall.slug])


def snapshot_url(world, zone=None):
    if zone:
        return reverse("display_snapshot", args=[world.mall.slug, zone])
    return reverse("display_all_snapshot", args=[world.mall.slug])


def call(world, service_code: str, counter: int):
    """Issue a ticket of the service and call it to the counter (its officer signs in if needed)."""
    ticket = tickets.issue_ticket(world.services[service_code])
    officer = world.users[f"officer{counter}"]
    if world.counters[counter].officer_id != officer.pk:
        seat(world, counter)
    called = tickets.call_next(world.counters[counter], officer)
    assert called.pk == ticket.pk
    return called


def sign_in_display(client, world, zone="A"):
    _, raw = issue_token(world.users["display_a"], label="papan", zone=world.zones[zone])
    response = client.post(reverse("device_sign_in"), {"code": raw})
    assert response.status_code == 302
    return client


@pytest.fixture
def display_client(client, world):
    return sign_in_display(client, world)


def test_anonymous_visitors_can_read_a_zone_board_and_the_whole_mall(client, world):
    call(world, "DUKCAPIL-KTP", 1)
    for url in (board_url(world, "A"), board_url(world), snapshot_url(world, "A"), snapshot_url(world)):
        assert client.get(url).status_code == 200, url


def test_a_zone_snapshot_shows_only_calls_of_that_zones_counters(client, world):
    a = call(world, "DUKCAPIL-KTP", 1)
    c = call(world, "IMIGRASI-PASPOR", 3)
    zone_a = client.get(snapshot_url(world, "A")).json()
    zone_b = client.get(snapshot_url(world, "B")).json()
    everything = client.get(snapshot_url(world)).json()
    assert [x["number"] for x in zone_a["called"]] == [a.number]
    assert [x["number"] for x in zone_b["called"]] == [c.number]
    assert [x["number"] for x in everything["called"]] == [c.number, a.number]
    assert zone_a["zone"] == "A" and zone_a["zone_name"] == "Zona A Disdukcapil"
    assert everything["zone"] is None


def test_each_call_carries_what_the_board_shows_and_the_exact_sentence_it_speaks(client, world):
    ticket = call(world, "DUKCAPIL-KTP", 2)
    [row] = client.get(snapshot_url(world, "A")).json()["called"]
    event = TicketEvent.objects.get(ticket=ticket, action=TicketEvent.Action.CALLED)
    assert row["event_id"] == event.pk
    assert row["number"] == "A001"
    assert row["counter"] == 2
    assert row["service"] == "KTP-el baru"
    assert row["service_code"] == "DUKCAPIL-KTP"
    assert row["recall"] is False
    assert row["called_at"] == event.at.isoformat()
    assert row["utterance"] == "Nomor antrean A nol nol satu, silakan ke loket dua"


def test_latest_call_comes_first(client, world):
    first = call(world, "DUKCAPIL-KTP", 1)
    second = call(world, "DUKCAPIL-KK", 2)
    rows = client.get(snapshot_url(world, "A")).json()["called"]
    assert [(r["number"], r["counter"]) for r in rows] == [(second.number, 2), (first.number, 1)]
    assert rows[0]["event_id"] > rows[1]["event_id"]


def test_a_recall_is_a_new_event_that_speaks_the_same_sentence_again(client, world):
    ticket = call(world, "DUKCAPIL-KTP", 1)
    before = client.get(snapshot_url(world, "A")).json()["called"]
    tickets.recall(ticket, world.users["officer1"])
    after = client.get(snapshot_url(world, "A")).json()["called"]
    assert len(after) == 2
    assert after[0]["event_id"] > before[0]["event_id"]
    assert after[0]["recall"] is True and after[1]["recall"] is False
    assert after[0]["utterance"] == after[1]["utterance"] == "Nomor antrean A nol nol satu, silakan ke loket satu"


def test_waiting_counts_per_service_come_with_service_names(client, world):
    tickets.issue_ticket(world.services["DUKCAPIL-KTP"])
    tickets.issue_ticket(world.services["DUKCAPIL-KTP"])
    tickets.issue_ticket(world.services["IMIGRASI-PASPOR"])
    snap = client.get(snapshot_url(world, "A")).json()
    assert snap["waiting"] == {"DUKCAPIL-KTP": 2}
    assert {s["code"]: (s["name"], s["waiting"]) for s in snap["services"]} == {
        "DUKCAPIL-KTP": ("KTP-el baru", 2),
        "DUKCAPIL-KK": ("Kartu Keluarga baru", 0),
    }


def test_open_state_and_its_reason_come_from_the_malls_hours(client, world):
    assert client.get(snapshot_url(world, "A")).json()["open"] is True
    Closure.objects.create(mall=world.mall, starts_at=timezone.now(), reason="Pemadaman listrik")
    snap = client.get(snapshot_url(world, "A")).json()
    assert snap["open"] is False
    assert "Pemadaman listrik" in snap["reason"]
    page = client.get(board_url(world, "A")).content.decode()
    assert "Pemadaman listrik" in page


def test_the_board_page_renders_the_latest_call_rows_counts_and_the_sound_switch(client, world):
    call(world, "DUKCAPIL-KTP", 1)
    tickets.issue_ticket(world.services["DUKCAPIL-KK"])
    html = client.get(board_url(world, "A")).content.decode()
    assert '<p class="latest-number" id="latest-number">A001</p>' in html
    assert 'id="latest-counter">Loket 1</p>' in html
    assert 'class="call-row is-latest"' in html
    assert '<span class="waiting-count" data-service="DUKCAPIL-KK">1</span>' in html
    assert 'id="enable-sound"' in html and "Aktifkan suara" in html
    assert 'id="live-status"' in html and 'id="last-announcement"' in html
    assert '"wsPaths": ["/ws/zone/pekanbaru/A/"]' in html
    assert "/ws/zone/pekanbaru/B/" not in html


def test_the_whole_mall_board_follows_every_zone_channel(client, world):
    html = client.get(board_url(world)).content.decode()
    assert '"wsPaths": ["/ws/zone/pekanbaru/A/", "/ws/zone/pekanbaru/B/"]' in html
    assert "/ws/mall/" not in html


def test_a_recall_does_not_add_a_second_row_to_the_list(client, world):
    ticket = call(world, "DUKCAPIL-KTP", 1)
    tickets.recall(ticket, world.users["officer1"])
    html = client.get(board_url(world, "A")).content.decode()
    assert html.count('class="call-row') == 1


def test_a_display_device_reads_its_own_zone(display_client, world):
    call(world, "DUKCAPIL-KTP", 1)
    assert display_client.get(board_url(world, "A")).status_code == 200
    assert display_client.get(snapshot_url(world, "A")).json()["called"][0]["number"] == "A001"


def test_a_display_device_cannot_read_another_zone_or_the_whole_mall(display_client, world):
    for url in (board_url(world, "B"), board_url(world)):
        response = display_client.get(url)
        assert response.status_code == 403, url
        assert "zonanya sendiri" in response.content.decode()
    for url in (snapshot_url(world, "B"), snapshot_url(world)):
        response = display_client.get(url)
        assert response.status_code == 403, url
        assert response.json()["code"] == "other_zone"


def test_a_display_device_cannot_fetch_the_speech_of_another_zones_call(display_client, world):
    call(world, "IMIGRASI-PASPOR", 3)
    event = TicketEvent.objects.get(action=TicketEvent.Action.CALLED)
    response = display_client.get(reverse("speech", args=[world.mall.slug, event.pk]))
    assert response.status_code == 403


def test_a_display_account_without_its_zone_token_sees_no_board(client, world):
    client.force_login(world.users["display_a"])  # no device token in the session
    assert client.get(board_url(world, "A")).status_code == 403
    assert client.get(snapshot_url(world, "A")).status_code == 403


def test_a_display_device_of_another_mall_cannot_read_this_mall(client, world):
    other = Mall.objects.create(slug="lain", name="MPP Lain", city="Lain")
    zone = Zone.objects.create(mall=other, building=world.zones["A"].building, code="A", name="Zona A Lain")
    device = User.objects.create_user(username="display_lain", role=Role.DISPLAY, mall=other)
    _, raw = issue_token(device, zone=zone)
    client.post(reverse("device_sign_in"), {"code": raw})
    assert client.get(board_url(world, "A")).status_code == 403
    assert client.get(reverse("display", args=["lain", "A"])).status_code == 200


def test_staff_may_watch_any_board(client, world):
    client.force_login(world.users["officer3"])
    assert client.get(board_url(world, "A")).status_code == 200
    client.force_login(world.users["manager"])
    assert client.get(snapshot_url(world)).status_code == 200


def test_unknown_or_archived_mall_and_zone_are_not_found(client, world):
    assert client.get(reverse("display", args=["tidak-ada", "A"])).status_code == 404
    assert client.get(reverse("display_all_snapshot", args=["tidak-ada"])).status_code == 404
    assert client.get(reverse("chime", args=["tidak-ada"])).status_code == 404
    assert client.get(board_url(world, "Z")).status_code == 404
    assert client.get(snapshot_url(world, "Z")).status_code == 404
    Zone.objects.filter(pk=world.zones["B"].pk).update(archived_at=timezone.now())
    assert client.get(board_url(world, "B")).status_code == 404
    Mall.objects.filter(pk=world.mall.pk).update(archived_at=timezone.now())
    assert client.get(board_url(world, "A")).status_code == 404


def test_the_snapshot_costs_a_fixed_number_of_queries(client, world, django_assert_max_num_queries):
    for counter in (1, 2):
        ticket = call(world, "DUKCAPIL-KK", counter)
        tickets.recall(ticket, world.users[f"officer{counter}"])
    for _ in range(3):
        tickets.issue_ticket(world.services["DUKCAPIL-KTP"])
    # mall (+ its hours), zone, calls, services, waiting counts, closures: never one per call.
    with django_assert_max_num_queries(7):
        response = client.get(snapshot_url(world, "A"))
    assert len(response.json()["called"]) == 4


def test_the_chime_is_a_wav_anyone_may_fetch(client, world):
    response = client.get(reverse("chime", args=[world.mall.slug]))
    assert response.status_code == 200
    assert response["Content-Type"] == "audio/wav"
    with wave.open(io.BytesIO(response.content)) as audio:
        assert audio.getnframes() > 0


def test_speech_is_the_calls_sentence_as_audio(client, world):
    if not speech.espeak_available():
        require_service("espeak-ng", "apt-get install -y espeak-ng")
    call(world, "DUKCAPIL-KTP", 1)
    event = TicketEvent.objects.get(action=TicketEvent.Action.CALLED)
    response = client.get(reverse("speech", args=[world.mall.slug, event.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "audio/wav"
    with wave.open(io.BytesIO(response.content)) as audio:
        assert audio.getnframes() / audio.getframerate() > 1  # a sentence, not a click


def test_speech_without_espeak_is_503_with_a_reason(client, world, monkeypatch):
    monkeypatch.setattr(speech, "ESPEAK", "espeak-ng-not-installed")
    speech.speech_wav.cache_clear()
    call(world, "DUKCAPIL-KTP", 1)
    event = TicketEvent.objects.get(action=TicketEvent.Action.CALLED)
    response = client.get(reverse("speech", args=[world.mall.slug, event.pk]))
    assert response.status_code == 503
    body = response.json()
    assert body["code"] == "speech_unavailable"
    assert body["text"] == "Nomor antrean A nol nol satu, silakan ke loket satu"


def test_speech_exists_only_for_calls_of_this_mall(client, world):
    call(world, "DUKCAPIL-KTP", 1)
    issued = TicketEvent.objects.get(action=TicketEvent.Action.ISSUED)
    assert client.get(reverse("speech", args=[world.mall.slug, issued.pk])).status_code == 404
    assert client.get(reverse("speech", args=[world.mall.slug, 999_999])).status_code == 404
    other = Mall.objects.create(slug="lain", name="MPP Lain", city="Lain")
    called = TicketEvent.objects.get(action=TicketEvent.Action.CALLED)
    assert client.get(reverse("speech", args=[other.slug, called.pk])).status_code == 404


@pytest.mark.skipif(os.environ.get("CI") != "true", reason="CI images must ship espeak-ng")
def test_ci_has_espeak_ng():
    assert speech.espeak_available()
