"""The database unreachable: the API answers 503 JSON with Retry-After, pages a "coba lagi" page (503).

The connection is pointed at a closed port (PostgreSQL) or at a file that cannot be opened
(SQLite), as a database restart looks to the app: every new connection is refused.
"""

import contextlib
import json
import socket
import tempfile
from pathlib import Path

import pytest
from django.db import OperationalError, connections
from django.test import Client, RequestFactory

from satuatap import outage
from satuatap.testing import PASSWORD, bearer_as, make_world

pytestmark = pytest.mark.django_db(transaction=True)


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]  # closed again when the block ends: nobody listens there


@pytest.fixture
def world(monday_morning):
    return make_world()


@contextlib.contextmanager
def unreachable_database():
    """Every new connection of the default database is refused inside the block."""
    conn = connections["default"]
    saved = dict(conn.settings_dict)
    conn.close()
    if conn.vendor == "postgresql":
        conn.settings_dict.update(HOST="127.0.0.1", PORT=str(closed_port()))
    else:
        conn.settings_dict["NAME"] = str(Path(tempfile.mkdtemp()) / "no-such-dir" / "db.sqlite3")
    try:
        yield
    finally:
        conn.close()
        conn.settings_dict.clear()
        conn.settings_dict.update(saved)


@pytest.fixture
def database_down():
    with unreachable_database():
        yield


def assert_unavailable_json(response):
    assert response.status_code == 503, response.content
    assert response["Content-Type"].startswith("application/json")
    body = json.loads(response.content)
    assert body["code"] == "unavailable" and "Coba lagi" in body["detail"]
    assert response["Retry-After"] == str(outage.RETRY_AFTER_SECONDS)


def test_api_reads_answer_503_json(world, database_down):
    assert_unavailable_json(Client().get("/api/v1/malls/pekanbaru/agencies"))


def test_api_writes_answer_503_json(world):
    headers = bearer_as(world, "kiosk")
    service = world.services["DUKCAPIL-KTP"]
    client = Client()
    with unreachable_database():
        response = client.post(
            "/api/v1/malls/pekanbaru/tickets",
            {"service": service.code},
            content_type="application/json",
            headers=headers,
        )
    assert_unavailable_json(response)


def test_a_page_answers_the_coba_lagi_page_that_reloads_itself(world, database_down):
    response = Client().get("/m/pekanbaru/kiosk/")
    assert response.status_code == 503 and response["Retry-After"] == str(outage.RETRY_AFTER_SECONDS)
    page = response.content.decode()
    assert "Coba lagi sebentar" in page and "belum dapat diproses" in page
    assert f'http-equiv="refresh" content="{outage.RETRY_AFTER_SECONDS}"' in page


def test_a_form_sent_is_never_sent_again_by_itself(world, database_down):
    response = Client().post("/m/pekanbaru/kiosk/issue/", {"service": "DUKCAPIL-KTP"})
    assert response.status_code == 503
    page = response.content.decode()
    assert "Coba lagi sebentar" in page and "http-equiv" not in page


def test_a_signed_in_page_whose_session_cannot_load_is_503_too(world):
    client = Client(raise_request_exception=False)
    assert client.login(username="manager", password=PASSWORD)
    with unreachable_database():
        response = client.get("/console/")  # the session and the user are loaded before any view runs
    assert response.status_code == 503 and "Coba lagi sebentar" in response.content.decode()


def test_other_errors_stay_500(rf: RequestFactory):
    try:
        raise ZeroDivisionError
    except ZeroDivisionError:
        assert outage.server_error(rf.get("/api/v1/x")).status_code == 500
    try:
        raise OperationalError("server closed the connection unexpectedly")
    except OperationalError:
        assert_unavailable_json(outage.server_error(rf.get("/api/v1/x")))


def test_openapi_lists_the_503_on_every_operation(world):
    schema = Client().get("/api/v1/openapi.json").json()
    operations = [op for methods in schema["paths"].values() for op in methods.values()]
    assert operations and all("503" in op["responses"] for op in operations)
