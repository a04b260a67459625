"""Open data: public JSON and CSV of a mall's services and monthly figures, with validators and no personal data."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.test import Client

from satuatap.reports import figures
from satuatap.reports.tests.generated import generate
from satuatap.testing import assert_api_error

pytestmark = pytest.mark.usefixtures("monday_morning")
OPEN = "/api/v1/open/malls/pekanbaru"


@pytest.fixture
def data(world):
    generate(world, dt.date(2026, 9, 1), dt.date(2026, 11, 22), per_day=5)
    return world


def test_services_json_and_csv_carry_the_published_standards(data):
    client = Client()
    body = client.get(f"{OPEN}/services.json").json()
    assert body["mall"] == "pekanbaru" and "fee" in body["fields"]
    assert [row["code"] for row in body["rows"]] == ["DUKCAPIL-KK", "DUKCAPIL-KTP", "IMIGRASI-PASPOR", "POLRESTA-SKCK"]
    assert body["rows"][2]["fee"] == "Rp 350.000"
    rows = list(csv.DictReader(io.StringIO(client.get(f"{OPEN}/services.csv").content.decode())))
    assert [r["code"] for r in rows] == [r["code"] for r in body["rows"]]
    assert rows[0]["bookable"] == "false"


def test_monthly_figures_equal_the_reports_service(data):
    client = Client()
    body = client.get(f"{OPEN}/monthly.json?year=2026").json()
    assert [row["month"] for row in body["rows"]] == [f"2026-{m:02d}" for m in range(1, 12)]
    october = figures.total(figures.Selection(data.mall, dt.date(2026, 10, 1), dt.date(2026, 10, 31)))
    row = body["rows"][9]
    assert row["tickets_issued"] == october.tickets_issued > 0
    assert row["served"] == october.served
    assert row["avg_wait_minutes"] == round(october.avg_wait, 1)
    assert body["rows"][0]["tickets_issued"] == 0 and body["rows"][0]["ikm"] is None
    rows = list(csv.DictReader(io.StringIO(client.get(f"{OPEN}/monthly.csv?year=2026").content.decode())))
    assert [int(r["tickets_issued"]) for r in rows] == [r["tickets_issued"] for r in body["rows"]]


def test_answers_are_cacheable_and_revalidate(data):
    client = Client()
    first = client.get(f"{OPEN}/monthly.json?year=2025")
    assert first.status_code == 200
    assert first["Cache-Control"].startswith("public") and first["Last-Modified"]
    again = client.get(f"{OPEN}/monthly.json?year=2025", headers={"If-None-Match": first["ETag"]})
    assert again.status_code == 304 and again["ETag"] == first["ETag"]
    services = client.get(f"{OPEN}/services.csv")
    assert services["ETag"] and services["Last-Modified"]


def test_no_personal_data_and_clear_refusals(data):
    client = Client()
    for path in ("services.json", "monthly.json", "services.csv", "monthly.csv"):
        text = client.get(f"{OPEN}/{path}").content.decode()
        assert "code0" not in text and "officer1" not in text and "nik_" not in text and "phone" not in text
    assert_api_error(client.get(f"{OPEN}/monthly.json?year=2030"), 422)
    assert_api_error(client.get(f"{OPEN}/monthly.json?year=tahun"), 422)
    assert_api_error(client.get("/api/v1/open/malls/nowhere/services.json"), 404)
