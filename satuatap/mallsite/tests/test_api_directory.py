"""The public directory API, the API's conventions (errors, OpenAPI) and the public rate limit."""

import datetime as dt

import pytest
from django.core.cache import cache
from django.utils import timezone

from satuatap import ratelimit
from satuatap.accounts.tokens import issue_token, revoke_token
from satuatap.directory.models import Closure
from satuatap.testing import bearer

API = "/api/v1"


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()  # rate-limit counters and token lookups start from zero
    yield
    cache.clear()


def assert_error(response, status, code=None):
    assert response.status_code == status, response.content
    body = response.json()
    assert isinstance(body["detail"], str) and body["detail"]
    assert isinstance(body["code"], str) and body["code"]
    if code:
        assert body["code"] == code
    return body


def test_anyone_lists_the_malls(client, world):
    response = client.get(f"{API}/malls")
    assert response.status_code == 200
    assert response.json() == [
        {"slug": "pekanbaru", "name": "MPP Pekanbaru", "city": "Pekanbaru", "timezone": "Asia/Jakarta"}
    ]


def test_anyone_lists_a_malls_agencies(client, world):
    response = client.get(f"{API}/malls/pekanbaru/agencies")
    assert response.status_code == 200
    assert {a["code"] for a in response.json()} == {"DUKCAPIL", "IMIGRASI", "POLRESTA"}
    assert set(response.json()[0]) == {"code", "name"}


def test_services_publish_their_standard(client, world):
    response = client.get(f"{API}/malls/pekanbaru/services")
    assert response.status_code == 200
    paspor = next(s for s in response.json() if s["code"] == "IMIGRASI-PASPOR")
    assert paspor == {
        "code": "IMIGRASI-PASPOR",
        "name": "Paspor baru 48 halaman",
        "agency": "IMIGRASI",
        "kind": "non_perizinan",
        "requirements": "KTP-el asli",
        "procedure": "Ambil nomor, serahkan berkas",
        "duration": "1 hari kerja",
        "fee": "Rp 350.000",
        "product": "Dokumen",
        "complaint_channel": "Meja pengaduan MPP",
        "bookable": False,
        "completion_working_days": 1,
    }
    assert len(response.json()) == 4


def test_archived_services_are_not_listed(client, world):
    world.services["POLRESTA-SKCK"].archived_at = timezone.now()
    world.services["POLRESTA-SKCK"].save()
    codes = [s["code"] for s in client.get(f"{API}/malls/pekanbaru/services").json()]
    assert "POLRESTA-SKCK" not in codes


def test_zones_list_their_building_and_agencies(client, world):
    response = client.get(f"{API}/malls/pekanbaru/zones")
    assert response.status_code == 200
    assert response.json() == [
        {"code": "A", "name": "Zona A Disdukcapil", "building": "dukcapil", "agencies": ["DUKCAPIL"]},
        {"code": "B", "name": "Zona B Imigrasi & Polri", "building": "mpp", "agencies": ["IMIGRASI", "POLRESTA"]},
    ]


def test_counters_say_whether_they_are_open_and_why_not(client, world):
    Closure.objects.create(
        mall=world.mall,
        counter=world.counters[2],
        starts_at=timezone.now() - dt.timedelta(minutes=5),
        until_date=timezone.localdate() + dt.timedelta(days=2),
        reason="Perbaikan komputer",
    )
    response = client.get(f"{API}/malls/pekanbaru/counters")
    assert response.status_code == 200
    rows = {c["number"]: c for c in response.json()}
    assert rows[1] == {
        "number": 1,
        "building": "dukcapil",
        "zone": "A",
        "agency": "DUKCAPIL",
        "services": ["DUKCAPIL-KK", "DUKCAPIL-KTP"],
        "open": True,
        "reason": "",
    }
    assert rows[2]["open"] is False
    assert "Perbaikan komputer" in rows[2]["reason"]
    assert rows[3]["zone"] == "B" and rows[3]["services"] == ["IMIGRASI-PASPOR"]


@pytest.mark.parametrize("what", ["agencies", "services", "zones", "counters"])
def test_an_unknown_mall_is_404_with_the_error_body(client, world, what):
    assert_error(client.get(f"{API}/malls/atlantis/{what}"), 404, "mall_not_found")


def test_public_endpoints_need_no_token_but_refuse_a_bad_one(client, world):
    assert client.get(f"{API}/malls").status_code == 200
    assert_error(client.get(f"{API}/malls", headers={"Authorization": "Bearer sat_nonsense"}), 401, "unauthorized")


def test_a_revoked_token_is_refused(client, world):
    token, raw = issue_token(world.users["kiosk"])
    headers = {"Authorization": f"Bearer {raw}"}
    assert client.get(f"{API}/malls", headers=headers).status_code == 200
    revoke_token(token)
    assert_error(client.get(f"{API}/malls", headers=headers), 401, "unauthorized")


def test_public_endpoints_are_rate_limited_per_client_address(client, world, settings, monkeypatch):
    settings.PUBLIC_RATE_LIMIT = 3
    monkeypatch.setattr(ratelimit, "clock", lambda: 6_000_000.0)  # one fixed window for the whole test
    for _ in range(3):
        assert client.get(f"{API}/malls").status_code == 200
    response = client.get(f"{API}/malls/pekanbaru/zones")
    assert_error(response, 429, "rate_limited")
    assert int(response["Retry-After"]) > 0
    # Another address has its own allowance; a caller with a token is not counted.
    assert client.get(f"{API}/malls", REMOTE_ADDR="10.0.0.9").status_code == 200
    assert client.get(f"{API}/malls", headers=bearer(world.users["kiosk"])).status_code == 200
    # The next window starts afresh.
    monkeypatch.setattr(ratelimit, "clock", lambda: 6_000_060.0)
    assert client.get(f"{API}/malls").status_code == 200


def test_the_rate_limiter_counts_a_fixed_window(db):
    for _ in range(2):
        assert ratelimit.hit("booking", "10.1.1.1", limit=2, now=120.0)
    assert not ratelimit.hit("booking", "10.1.1.1", limit=2, now=150.0)
    assert ratelimit.hit("booking", "10.1.1.2", limit=2, now=150.0)
    assert ratelimit.hit("booking", "10.1.1.1", limit=2, now=180.0)
    assert ratelimit.retry_after(60, now=150.0) == 30


def test_the_openapi_document_lists_the_paths_and_the_docs_are_served(client, world):
    response = client.get(f"{API}/openapi.json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    for path in [
        "/api/v1/malls",
        "/api/v1/malls/{mall}/counters",
        "/api/v1/malls/{mall}/staff",
        "/api/v1/malls/{mall}/counters/{number}/sign-in",
        "/api/v1/malls/{mall}/tickets",
        "/api/v1/tickets/{public_code}",
        "/api/v1/malls/{mall}/counters/{number}/call-next",
        "/api/v1/malls/{mall}/tickets/{id}/transfer",
        "/api/v1/malls/{mall}/display",
    ]:
        assert path in paths
    assert client.get(f"{API}/docs").status_code == 200


def test_unknown_paths_and_methods_answer_with_the_error_body(client, world):
    assert_error(client.get(f"{API}/no-such-thing"), 404, "not_found")
    response = client.delete(f"{API}/malls")
    assert_error(response, 405, "method_not_allowed")
    assert response["Allow"] == "GET"


@pytest.mark.parametrize(
    "url",
    ["/malls/a%00b/agencies", "/malls/pekanbaru/display?zone=%00", "/tickets/a%00b", "/malls/pekanbaru/counters?x=%00"],
)
def test_nul_characters_are_refused_before_they_reach_the_database(client, world, url):
    assert_error(client.get(f"{API}{url}"), 400, "bad_characters")


def test_a_nul_character_in_a_json_body_is_refused(client, world):
    response = client.post(
        f"{API}/malls/pekanbaru/tickets",
        {"service": "A\x00"},
        content_type="application/json",
        headers=bearer(world.users["kiosk"]),
    )
    assert_error(response, 400, "bad_characters")


def test_the_api_root_answers_json_too(client, world):
    assert_error(client.get(f"{API}/"), 404, "not_found")
