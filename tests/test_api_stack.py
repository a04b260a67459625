"""The JSON API skips the middleware only pages need (``satuatap.pagesonly``), and keeps everything else.

Pages and the API answer through the same middleware list; under ``/api/`` sessions, the signed-in user,
messages and htmx are not set up (``bench/stack_cost.py`` measures what that saves). These tests hold what
an API answer must still carry, that a session cookie neither opens the API nor is touched by it, and that
the Content-Security-Policy built once per process (``satuatap.csp_header``) is django-csp's own.
"""

import pytest
from csp.utils import build_policy

from satuatap.testing import bearer_as, make_world, signed_in

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("monday_morning")]


@pytest.fixture
def world():
    return make_world()


def test_an_api_answer_keeps_the_security_headers_and_the_language(client, world):
    response = client.get("/api/v1/malls", headers={"Accept-Language": "en", "X-Request-ID": "probe-1"})
    assert response.status_code == 200
    assert response["Content-Security-Policy"] == build_policy()
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Request-ID"] == "probe-1"
    assert response["Content-Language"] == "en"
    assert "Accept-Language" in response["Vary"]


def test_the_api_negotiates_its_language_from_accept_language(client, world):
    english = client.post("/api/v1/malls/pekanbaru/tickets", {}, content_type="application/json")
    indonesian = client.post(
        "/api/v1/malls/pekanbaru/tickets", {}, content_type="application/json", headers={"Accept-Language": "id"}
    )
    assert english.status_code == indonesian.status_code == 401
    assert english["Content-Language"] == "id"  # no Accept-Language: the default, Bahasa Indonesia
    assert indonesian.json()["detail"] == english.json()["detail"]
    in_english = client.post(
        "/api/v1/malls/pekanbaru/tickets", {}, content_type="application/json", headers={"Accept-Language": "en"}
    )
    assert in_english["Content-Language"] == "en"
    assert in_english.json()["detail"] != indonesian.json()["detail"]


def test_a_session_does_not_open_the_api_and_the_api_does_not_touch_it(world):
    officer = signed_in("officer1")
    response = officer.post("/api/v1/malls/pekanbaru/counters/1/call-next", content_type="application/json")
    assert response.status_code == 401  # a signed-in browser is not an API caller: a token is
    assert "sessionid" not in response.cookies and "csrftoken" not in response.cookies
    assert officer.get("/").wsgi_request.user.username == "officer1"  # the session still serves the pages


def test_the_bearer_token_is_the_api_caller_and_the_request_log_names_it(client, world, caplog):
    caplog.set_level("INFO", logger="satuatap.request")
    headers = bearer_as(world, "kiosk")
    response = client.post(
        "/api/v1/malls/pekanbaru/tickets", {"service": "DUKCAPIL-KTP"}, "application/json", headers=headers
    )
    assert response.status_code == 201
    line = next(r for r in caplog.records if r.name == "satuatap.request")
    assert line.fields["user"] == world.users["kiosk"].pk


def test_the_policy_follows_a_change_of_the_settings(client, world, settings):
    assert client.get("/").get("Content-Security-Policy") == build_policy()
    settings.CONTENT_SECURITY_POLICY = {"DIRECTIVES": {"default-src": ["'self'"], "script-src": ["'self'", "cdn.test"]}}
    changed = client.get("/")["Content-Security-Policy"]
    assert "cdn.test" in changed and changed == build_policy()
    settings.CONTENT_SECURITY_POLICY_REPORT_ONLY = {"DIRECTIVES": {"default-src": ["'none'"]}}
    assert client.get("/")["Content-Security-Policy-Report-Only"] == build_policy(report_only=True)
