"""The printable SKM report of a period, as agencies submit it: PDF (reportlab) and spreadsheet (openpyxl).

Every figure comes from ``ikm.compute`` / ``ikm.profile`` (and the follow-up
items); nothing is recomputed here. Both formats are built from one
``ReportData`` so they always show the same numbers.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from decimal import Decimal

from django.http import HttpResponse
from django.utils import formats
from django.utils.translation import gettext as _

from satuatap.feedback import follow_up, ikm, periods
from satuatap.feedback.models import PROFILE_QUESTIONS

PDF_CONTENT_TYPE = "application/pdf"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass
class ReportData:
    mall: object
    period: periods.Period
    agency: object
    service: object
    result: ikm.IkmResult
    profile: dict
    items: list
    summary: follow_up.Summary

    @property
    def unit(self) -> str:
        if self.service is not None:
            return f"{self.service.name} ({self.service.agency.name})"
        if self.agency is not None:
            return self.agency.name
        return _("Seluruh mal")

    @property
    def period_label(self) -> str:
        first = formats.date_format(self.period.first, "j F Y")
        last = formats.date_format(self.period.last, "j F Y")
        return f"{periods.KINDS.get(self.period.kind, '')}: {first} – {last}"

    def filename(self, extension: str) -> str:
        where = self.service.code if self.service else (self.agency.code if self.agency else self.mall.slug)
        return f"laporan-skm-{where}-{self.period.first:%Y%m%d}-{self.period.last:%Y%m%d}.{extension}".lower()


def build(mall, period: periods.Period, items, agency=None, service=None) -> ReportData:
    start, end = period.datetimes(mall)
    result = ikm.compute(mall, start, end, agency=agency, service=service)
    profile = ikm.profile(mall, start, end, agency=agency, service=service)
    items = list(items)
    return ReportData(mall, period, agency, service, result, profile, items, follow_up.summarize(items, mall))


def _num(value, places: int) -> str:
    return "—" if value is None else formats.number_format(value, places)


def item_label(data: ReportData, item) -> str:
    """ "U8 Penanganan ...", plus the item's unit when the report covers more than it (the mall, or an agency)."""
    label = f"U{item.element} {item.element_name}"
    if item.service_id and data.service is None:
        return f"{label} ({item.service.name})"
    if item.agency_id and data.agency is None and data.service is None:
        return f"{label} ({item.agency.name})"
    return label


def _status(item) -> str:
    if item.done_at is None:
        return _("Belum selesai")
    return _("Selesai %(date)s") % {"date": formats.date_format(item.done_at, "j M Y")}


def profile_rows(data: ReportData) -> list[tuple[str, str, int]]:
    """(question, answer, respondents) for every answer, "Tidak diisi" last."""
    rows = []
    for field, label, choices in PROFILE_QUESTIONS:
        counts = data.profile.get(field, {})
        for value, name in choices.choices:
            rows.append((str(label), str(name), counts.get(value, 0)))
        rows.append((str(label), _("Tidak diisi"), counts.get("", 0)))
    source = _("Sumber jawaban")
    rows += [(str(source), name, n) for _value, name, n in ikm.source_rows(data.profile.get("source", {}))]
    return rows


def summary_rows(data: ReportData) -> list[tuple[str, object, int | None]]:
    """(label, value, the decimals a Decimal value is shown with)."""
    r = data.result
    return [
        (_("Jumlah responden"), r.respondents, None),
        (_("Jumlah pengunjung selesai dilayani (populasi)"), r.visitors, None),
        (_("Sampel minimal (Krejcie–Morgan)"), r.sample_required, None),
        (_("Sampel tercapai"), _("Ya") if r.sample_reached else _("Tidak"), None),
        (_("Jumlah NRR tertimbang"), r.weighted_total_display if r.respondents else None, 4),
        (_("IKM unit pelayanan"), r.ikm, 2),
        (_("Mutu pelayanan"), r.mutu or "—", None),
        (_("Kinerja unit pelayanan"), r.kinerja or "—", None),
    ]


# --- PDF ---------------------------------------------------------------------------------------------------------


def pdf(data: ReportData) -> bytes:
    """A4 portrait, built as every report's PDF is (``pdf_document``): invariant, its text readable in the file."""
    from reportlab.lib.units import mm
    from reportlab.platypus import Spacer

    from satuatap.reports.pdf_document import report_document

    document = report_document(_("Laporan Survei Kepuasan Masyarakat"), str(data.mall.name))
    styles, para, table = document.styles, document.para, document.table

    r = data.result
    story = [
        para(_("LAPORAN HASIL SURVEI KEPUASAN MASYARAKAT (SKM)"), styles["Title"]),
        para(f"{data.mall.name} · {data.unit}", styles["Heading3"]),
        para(data.period_label, styles["Normal"]),
        para(_("Dasar: Peraturan Menteri PANRB Nomor 14 Tahun 2017."), styles["Normal"]),
        Spacer(1, 4 * mm),
        para(_("A. Nilai per unsur pelayanan"), styles["Heading4"]),
    ]
    rows = [[_("No."), _("Unsur pelayanan"), _("Jumlah nilai"), _("NRR"), _("NRR tertimbang"), _("Mutu")]]
    for e in r.elements:
        rows.append(
            [
                f"U{e.number}",
                e.name,
                e.total,
                _num(e.nrr_display if r.respondents else None, 4),
                _num(e.weighted_display if r.respondents else None, 4),
                e.mutu if r.respondents else "—",
            ]
        )
    rows.append(
        ["", _("Jumlah NRR tertimbang"), "", "", _num(r.weighted_total_display if r.respondents else None, 4), ""]
    )
    story += [table(rows, [12, 78, 22, 22, 28, 18]), Spacer(1, 4 * mm)]
    story.append(para(_("B. Indeks Kepuasan Masyarakat"), styles["Heading4"]))
    summary = []
    for label, value, places in summary_rows(data):
        shown = _num(value, places) if isinstance(value, Decimal) else value
        summary.append([label, "—" if shown is None else shown])
    story += [table(summary, [110, 70], header=False), Spacer(1, 2 * mm)]
    story.append(
        para(
            _(
                "IKM = (jumlah NRR × 1/9) × 25, bobot tepat 1/9. Mutu: A Sangat Baik (88,31–100), "
                "B Baik (76,61–88,30), C Kurang Baik (65,00–76,60), D Tidak Baik (25,00–64,99)."
            )
        )
    )
    story += [Spacer(1, 4 * mm), para(_("C. Profil responden"), styles["Heading4"])]
    story += [table([[_("Profil"), _("Kategori"), _("Jumlah")], *profile_rows(data)], [50, 90, 40]), Spacer(1, 4 * mm)]
    story.append(para(_("D. Rencana tindak lanjut"), styles["Heading4"]))
    plan = [
        [_("No."), _("Unsur"), _("NRR"), _("Rencana tindak lanjut"), _("Penanggung jawab"), _("Batas"), _("Status")]
    ]
    for n, item in enumerate(data.items, 1):
        plan.append(
            [
                n,
                item_label(data, item),
                _num(item.nrr, 4),
                item.action or "—",
                item.owner or "—",
                formats.date_format(item.due, "j M Y"),
                _status(item),
            ]
        )
    if not data.items:
        plan.append(["", _("Belum ada rencana tindak lanjut."), "", "", "", "", ""])
    story.append(table(plan, [9, 33, 16, 52, 30, 19, 21]))
    s = data.summary
    story.append(
        para(
            _("Selesai %(done)s dari %(total)s (%(share)s%%); rata-rata %(days)s hari sampai selesai.")
            % {"done": s.done, "total": s.total, "share": _num(s.share_done, 1), "days": _num(s.average_days, 1)}
        )
    )
    return document.build(story)


# --- Spreadsheet ---------------------------------------------------------------------------------------------------


def xlsx(data: ReportData) -> bytes:
    """One workbook: "Ringkasan" (elements, IKM, sample), "Profil responden", "Tindak lanjut"."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    bold = Font(bold=True)
    book = Workbook()
    sheet = book.active
    sheet.title = "Ringkasan"
    r = data.result
    sheet.append([_("LAPORAN HASIL SURVEI KEPUASAN MASYARAKAT (SKM)")])
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append([_("Mal"), str(data.mall.name)])
    sheet.append([_("Unit pelayanan"), str(data.unit)])
    sheet.append([_("Periode"), data.period_label])
    sheet.append([])
    sheet.append([_("No."), _("Unsur pelayanan"), _("Jumlah nilai"), _("NRR"), _("NRR tertimbang"), _("Mutu")])
    header_row = sheet.max_row
    for c in sheet[header_row]:
        c.font = bold
    for e in r.elements:
        sheet.append(
            [
                f"U{e.number}",
                e.name,
                e.total,
                float(e.nrr_display) if r.respondents else None,
                float(e.weighted_display) if r.respondents else None,
                e.mutu if r.respondents else None,
            ]
        )
        sheet.cell(sheet.max_row, 4).number_format = "0.0000"
        sheet.cell(sheet.max_row, 5).number_format = "0.0000"
    sheet.append([])
    for label, value, places in summary_rows(data):
        sheet.append([str(label), float(value) if isinstance(value, Decimal) else value])
        if isinstance(value, Decimal):
            sheet.cell(sheet.max_row, 2).number_format = "0." + "0" * places
        sheet.cell(sheet.max_row, 1).font = bold
    sheet.column_dimensions["A"].width = 44
    sheet.column_dimensions["B"].width = 44
    for col in "CDEF":
        sheet.column_dimensions[col].width = 15

    people = book.create_sheet("Profil responden")
    people.append([_("Profil"), _("Kategori"), _("Jumlah")])
    for c in people[1]:
        c.font = bold
    for row in profile_rows(data):
        people.append(list(row))
    people.column_dimensions["A"].width = 20
    people.column_dimensions["B"].width = 28

    plan = book.create_sheet("Tindak lanjut")
    plan.append(
        [
            _("No."),
            _("Unsur"),
            _("NRR"),
            _("Rencana tindak lanjut"),
            _("Penanggung jawab"),
            _("Batas waktu"),
            _("Status"),
        ]
    )
    for c in plan[1]:
        c.font = bold
    for n, item in enumerate(data.items, 1):
        plan.append(
            [
                n,
                item_label(data, item),
                float(item.nrr) if item.nrr is not None else None,
                item.action,
                item.owner,
                item.due,
                _status(item),
            ]
        )
        plan.cell(plan.max_row, 6).number_format = "yyyy-mm-dd"
    s = data.summary
    plan.append([])
    plan.append([_("Selesai"), s.done, _("dari"), s.total])
    plan.append([_("Persentase selesai"), float(s.share_done) if s.share_done is not None else None])
    plan.append([_("Rata-rata hari sampai selesai"), float(s.average_days) if s.average_days is not None else None])
    plan.column_dimensions["B"].width = 34
    plan.column_dimensions["D"].width = 50
    plan.column_dimensions["E"].width = 24
    _as_text(book)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _as_text(book) -> None:
    """Every string cell stays text: openpyxl writes a string starting with "=" as a live formula, and a follow-up
    action, an owner or a mall's name is typed by users (formula injection, e.g. ``=HYPERLINK(...)``). The report
    writes no formula of its own."""
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and cell.data_type != "s":
                    cell.data_type = "s"


def download(data: ReportData, extension: str) -> HttpResponse:
    """The report as a file download, "pdf" or "xlsx" (the report page's and the API's)."""
    if extension == "xlsx":
        body, content_type = xlsx(data), XLSX_CONTENT_TYPE
    else:
        body, content_type = pdf(data), PDF_CONTENT_TYPE
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{data.filename(extension)}"'
    return response
