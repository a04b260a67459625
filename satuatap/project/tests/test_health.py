"""/healthz says the process answers; /readyz says the database (and Redis, when set) answer too."""

import pytest
from django.db.utils import OperationalError

from satuatap.project import health


def test_healthz_answers_without_the_database(client):
    # No django_db mark: any query would fail the test ("Database access not allowed").
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json() == {"status": "ok"}


@pytest.mark.django_db
def test_readyz_checks_the_database(client, settings):
    settings.REDIS_URL = ""
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok"}}


@pytest.mark.django_db
def test_readyz_is_503_when_the_database_fails(client, settings, monkeypatch):
    settings.REDIS_URL = ""

    def unreachable(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(health.connection, "cursor", unreachable)
    response = client.get("/readyz")
    assert response.status_code == 503 and response["Retry-After"] == "5"
    assert response.json() == {"status": "unavailable", "checks": {"database": "failed"}}


@pytest.mark.django_db
def test_readyz_is_503_when_redis_is_set_but_unreachable(client, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"] == {"database": "ok", "redis": "failed"}


@pytest.mark.django_db
def test_readyz_pings_redis_when_set(client, settings, redis_url):
    settings.REDIS_URL = redis_url
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json()["checks"] == {"database": "ok", "redis": "ok"}
