"""The reports page as CSV and as a spreadsheet: the comparison table, the breakdown, the officers' attendance and
the cases per agency and per service, the same values as shown (the CSV has them one after another, blank-separated;
the spreadsheet one sheet each).

Text typed by users (agency and service codes, usernames) is written as text: in the CSV a cell that a spreadsheet
would read as a formula gets a leading apostrophe; in the XLSX every string cell is typed as a string.
"""

from __future__ import annotations

import csv
import io

from django.http import HttpResponse
from django.utils.translation import gettext as _
from openpyxl import Workbook

from satuatap.reports.numbers_data import ATTENDANCE_COLUMNS, BREAKDOWN_COLUMNS, BREAKDOWNS, CASE_COLUMNS, PageData

CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _safe(value):
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return "" if value is None else value


def comparison_rows(data: PageData) -> list[list]:
    rows = [[_("Angka"), _("Periode ini"), _("Periode sebelumnya"), _("Perubahan")]]
    rows += [[c.label, c.current, c.previous, c.change] for c in data.comparisons]
    return rows


def breakdown_rows(data: PageData) -> list[list]:
    rows = [[str(BREAKDOWNS[data.by]), *(str(label) for _key, label in BREAKDOWN_COLUMNS)]]
    rows += [[row[data.by], *(row[key] for key, _label in BREAKDOWN_COLUMNS)] for row in data.rows]
    return rows


def attendance_rows(data: PageData) -> list[list]:
    """One row per officer, then the total (equal to the comparison table's attendance figures)."""
    found = data.attendance
    rows = [[_("Petugas"), _("Nama"), *(str(label) for _key, label in ATTENDANCE_COLUMNS)]]
    rows += [[r["officer"], r["name"], *(r[key] for key, _label in ATTENDANCE_COLUMNS)] for r in found["by_officer"]]
    rows.append([_("Jumlah"), "", *(found[key] for key, _label in ATTENDANCE_COLUMNS)])
    return rows


def case_rows(data: PageData, by: str) -> list[list]:
    """Cases per agency or service, then the whole selection's figures."""
    rows = [[str(BREAKDOWNS[by]), *(str(label) for _key, label in CASE_COLUMNS)]]
    rows += [[r[by], *(r[key] for key, _label in CASE_COLUMNS)] for r in data.cases[f"by_{by}"]]
    rows.append([_("Jumlah"), *(data.cases[key] for key, _label in CASE_COLUMNS)])
    return rows


def sections(data: PageData) -> list[tuple[str, list[list]]]:
    """The tables after the comparison, each with its sheet name."""
    return [
        (_("Rincian"), breakdown_rows(data)),
        (_("Petugas"), attendance_rows(data)),
        (_("Berkas per instansi"), case_rows(data, "agency")),
        (_("Berkas per layanan"), case_rows(data, "service")),
    ]


def _title(data: PageData) -> list[str]:
    s = data.selection
    unit = s.service.code if s.service else s.agency.code if s.agency else _("Seluruh mal")
    return [s.mall.name, unit, f"{s.first.isoformat()} – {s.last.isoformat()}"]


def csv_bytes(data: PageData) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([_safe(v) for v in _title(data)])
    writer.writerow([])
    for row in comparison_rows(data):
        writer.writerow([_safe(v) for v in row])
    for _name, rows in sections(data):
        writer.writerow([])
        for row in rows:
            writer.writerow([_safe(v) for v in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")  # the BOM lets spreadsheet programs read UTF-8


def xlsx_bytes(data: PageData) -> bytes:
    book = Workbook()
    summary = book.active
    summary.title = _("Ringkasan")
    summary.append(_title(data))
    summary.append([])
    for row in comparison_rows(data):
        summary.append(row)
    for name, rows in sections(data):
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    for sheet in book.worksheets:
        for line in sheet.iter_rows():
            for cell in line:
                if isinstance(cell.value, str):
                    cell.data_type = "s"  # never a formula, whatever a user typed
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def download(data: PageData, extension: str) -> HttpResponse:
    s = data.selection
    name = f"laporan-{s.mall.slug}-{s.first.isoformat()}-{s.last.isoformat()}.{extension}"
    if extension == "xlsx":
        response = HttpResponse(xlsx_bytes(data), content_type=XLSX_CONTENT_TYPE)
    else:
        response = HttpResponse(csv_bytes(data), content_type=CSV_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
