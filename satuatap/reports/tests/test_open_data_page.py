"""The open data's human page lists every mall's files at their stable URLs and documents every field."""

from __future__ import annotations

import pytest
from django.test import Client

from satuatap.directory.models import Mall
from satuatap.reports import open_data

pytestmark = pytest.mark.usefixtures("monday_morning")


def test_the_open_data_page_links_every_malls_files_and_documents_their_fields(world):
    Mall.objects.create(slug="jayapura", name="MPP Jayapura", city="Jayapura", timezone="Asia/Jayapura")
    client = Client()
    response = client.get("/data-terbuka/")
    assert response.status_code == 200
    html = response.content.decode()
    for slug in ("pekanbaru", "jayapura"):
        for name in ("services.json", "services.csv", "monthly.json", "monthly.csv"):
            path = f"/api/v1/open/malls/{slug}/{name}"
            assert f'href="{path}"' in html
            assert client.get(path).status_code == 200, path
    for field in (*open_data.SERVICE_FIELDS, *open_data.MONTHLY_FIELDS):
        assert f"<code>{field}</code>" in html
    assert html.index('data-mall="pekanbaru"') < html.index('data-mall="jayapura"')
