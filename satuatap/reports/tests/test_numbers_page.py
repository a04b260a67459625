"""The reports page: scope, period, charts, and CSV/XLSX downloads whose figures equal the screen's."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re

import pytest
from django.test import Client
from openpyxl import load_workbook

from satuatap.reports import numbers_data
from satuatap.reports.tests.generated import generate
from satuatap.testing import signed_in

pytestmark = pytest.mark.usefixtures("monday_morning")
PAGE = "/m/pekanbaru/laporan/"
NOVEMBER = "?period=month&date=2026-11-10"


@pytest.fixture
def data(world):
    generate(world, dt.date(2026, 10, 1), dt.date(2026, 11, 30), per_day=6)
    return world


def _screen(html: str) -> dict[str, tuple[str, str]]:
    """The comparison table as shown: key -> (this period, previous period), decimal commas read as points."""
    rows = re.findall(
        r'<tr data-key="([^"]+)"><td>[^<]*</td>'
        r'<td class="num current">([^<]*)</td><td class="num previous">([^<]*)</td>',
        html,
    )
    return {key: (current.replace(",", "."), previous.replace(",", ".")) for key, current, previous in rows}


def _text(value) -> str:
    return "—" if value in (None, "") else str(value)


def _same(file_values: tuple, screen_values: tuple) -> bool:
    """A file's cells equal the screen's, number for number (a spreadsheet reads 1.0 back as 1)."""

    def normal(text: str) -> str:
        try:
            return str(float(text))
        except ValueError:
            return text

    return [normal(_text(v)) for v in file_values] == [normal(v) for v in screen_values]


def test_the_manager_sees_the_mall_with_charts_and_the_previous_period(data):
    response = signed_in("manager").get(PAGE + NOVEMBER)
    assert response.status_code == 200
    html = response.content.decode()
    screen = _screen(html)
    assert len(screen) == len(numbers_data.HEADLINE)
    assert int(screen["tickets_issued"][0]) > 50 and int(screen["tickets_issued"][1]) > 50
    for chart in ("chart-arrivals", "chart-waits", "chart-heatmap", "chart-trend"):
        assert re.search(rf'id="{chart}"><figcaption>[^<]+</figcaption><svg ', html), chart
    assert html.count("<rect") > 30  # bars and heatmap cells
    assert "<script" not in html.split('id="numbers-charts"')[1].split("</div>")[0]
    assert 'id="numbers-breakdown"' in html and "DUKCAPIL" in html and "IMIGRASI" in html


def test_a_supervisor_sees_their_agency_only(data):
    client = signed_in("sup_dukcapil")
    html = client.get(PAGE + NOVEMBER).content.decode()
    breakdown = html.split('id="numbers-breakdown"')[1].split("</table>")[0]
    assert "DUKCAPIL" in breakdown and "IMIGRASI" not in breakdown
    assert client.get(PAGE + NOVEMBER + "&agency=IMIGRASI").status_code == 404
    assert signed_in("officer1").get(PAGE).status_code in (403, 404)
    assert Client().get(PAGE).status_code == 302


@pytest.mark.parametrize("by", ["agency", "service", "counter", "officer"])
def test_the_csv_and_the_spreadsheet_equal_the_screen(data, by):
    client = signed_in("manager")
    query = NOVEMBER + f"&by={by}"
    screen = _screen(client.get(PAGE + query).content.decode())
    rows = list(csv.reader(io.StringIO(client.get(PAGE + "laporan.csv" + query).content.decode("utf-8-sig"))))
    comparison = rows[3 : 3 + len(numbers_data.HEADLINE)]
    for (key, _label), row in zip(numbers_data.HEADLINE, comparison, strict=True):
        assert _same(row[1:3], screen[key]), (key, row, screen[key])
    book = load_workbook(io.BytesIO(client.get(PAGE + "laporan.xlsx" + query).content))
    sheet_rows = list(book.worksheets[0].iter_rows(min_row=4, values_only=True))
    for (key, _label), row in zip(numbers_data.HEADLINE, sheet_rows, strict=True):
        assert _same(row[1:3], screen[key]), (key, row, screen[key])
    # The breakdown's tickets add up to the headline's, in both files.
    total = int(screen["tickets_issued"][0])
    start = 3 + len(numbers_data.HEADLINE) + 2
    csv_breakdown = rows[start : rows.index([], start)]  # the breakdown ends at the blank before the officers
    assert sum(int(r[1]) for r in csv_breakdown) == total
    detail = list(book.worksheets[1].iter_rows(min_row=2, values_only=True))
    assert sum(r[1] for r in detail) == total
    assert [r[0] for r in detail] == [r[0] for r in csv_breakdown]


def test_user_text_is_written_as_text(data):
    agency = data.agencies["POLRESTA"]
    agency.code = "=HYPERLINK(1)"
    agency.save()
    client = signed_in("manager")
    rows = list(csv.reader(io.StringIO(client.get(PAGE + "laporan.csv" + NOVEMBER).content.decode("utf-8-sig"))))
    assert ["'=HYPERLINK(1)"] == [r[0] for r in rows if r and "HYPERLINK" in r[0]]
    book = load_workbook(io.BytesIO(client.get(PAGE + "laporan.xlsx" + NOVEMBER).content))
    cells = [c for row in book.worksheets[1].iter_rows() for c in row if c.value == "=HYPERLINK(1)"]
    assert cells and all(c.data_type == "s" for c in cells)


def test_the_mayors_pdf_carries_the_figures_and_the_charts(data):
    client = signed_in("manager")
    screen = _screen(client.get(PAGE + NOVEMBER).content.decode())
    response = client.get(PAGE + "laporan.pdf" + NOVEMBER)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    body = response.content
    assert body.startswith(b"%PDF")
    assert f"({screen['tickets_issued'][0]})".encode() in body  # the figure is written as text in the page stream
    assert b"Kedatangan per jam" in body and b"Tren harian" in body
    assert client.get(PAGE + "laporan.pdf" + NOVEMBER).content == body  # invariant
    assert signed_in("officer1").get(PAGE + "laporan.pdf").status_code in (403, 404)
