"""The monthly report for the mayor as a PDF: the reports page's comparison table and its two main charts
(arrivals by hour, the daily trend), drawn with reportlab's own graphics. Built uncompressed and invariant, like the
SKM report, so the same data gives the same bytes and the figures are readable in the file."""

from __future__ import annotations

import io
from xml.sax.saxutils import escape

from django.http import HttpResponse
from django.utils.translation import gettext as _
from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.charts.linecharts import HorizontalLineChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from satuatap.reports.numbers_data import PageData
from satuatap.reports.numbers_export import comparison_rows

PDF_CONTENT_TYPE = "application/pdf"
BLUE, GREEN = colors.HexColor("#2563eb"), colors.HexColor("#16a34a")


def _bars(title: str, labels: list[str], values: list[int]) -> Drawing:
    drawing = Drawing(180 * mm, 60 * mm)
    chart = VerticalBarChart()
    chart.x, chart.y, chart.width, chart.height = 12 * mm, 8 * mm, 165 * mm, 44 * mm
    chart.data = [values or [0]]
    chart.categoryAxis.categoryNames = labels or [""]
    chart.categoryAxis.labels.fontSize = 7
    chart.valueAxis.valueMin = 0
    chart.valueAxis.labels.fontSize = 7
    chart.bars[0].fillColor = BLUE
    drawing.add(chart)
    drawing.add(String(12 * mm, 55 * mm, title, fontSize=9, fontName="Helvetica-Bold"))
    return drawing


def _trend(title: str, labels: list[str], issued: list[int], served: list[int]) -> Drawing:
    drawing = Drawing(180 * mm, 60 * mm)
    chart = HorizontalLineChart()
    chart.x, chart.y, chart.width, chart.height = 12 * mm, 8 * mm, 165 * mm, 44 * mm
    chart.data = [issued or [0], served or [0]]
    every = max(1, len(labels) // 10)
    chart.categoryAxis.categoryNames = [label if i % every == 0 else "" for i, label in enumerate(labels)] or [""]
    chart.categoryAxis.labels.fontSize = 7
    chart.valueAxis.valueMin = 0
    chart.valueAxis.labels.fontSize = 7
    chart.lines[0].strokeColor, chart.lines[1].strokeColor = BLUE, GREEN
    drawing.add(chart)
    legend = f"{title} — {_('biru: tiket diambil; hijau: selesai dilayani')}"
    drawing.add(String(12 * mm, 55 * mm, legend, fontSize=9, fontName="Helvetica-Bold"))
    return drawing


def pdf(data: PageData) -> bytes:
    styles = getSampleStyleSheet()
    cell = styles["BodyText"].clone("cell", fontSize=8, leading=10)
    s = data.selection
    unit = s.service.name if s.service else s.agency.name if s.agency else _("Seluruh mal")
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=15 * mm,
        bottomMargin=15 * mm,
        title=_("Laporan kinerja pelayanan"),
        author=str(s.mall.name),
        invariant=1,
        pageCompression=0,
    )

    def para(text, style=cell):
        return Paragraph(escape(str(text)), style)

    rows = [[para("" if v is None else v) for v in row] for row in comparison_rows(data)]
    table = Table(rows, colWidths=[80 * mm, 33 * mm, 33 * mm, 33 * mm], repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8eef5")),
            ]
        )
    )
    series = data.series
    story = [
        para(_("LAPORAN KINERJA PELAYANAN"), styles["Title"]),
        para(f"{s.mall.name} · {unit}", styles["Heading2"]),
        para(
            _("Periode %(first)s – %(last)s, dibandingkan dengan %(p_first)s – %(p_last)s")
            % {
                "first": s.first.isoformat(),
                "last": s.last.isoformat(),
                "p_first": s.previous().first.isoformat(),
                "p_last": s.previous().last.isoformat(),
            }
        ),
        Spacer(1, 4 * mm),
        _bars(_("Kedatangan per jam"), series["hours"], series["arrivals"]),
        _trend(_("Tren harian"), series["days"], series["issued"], series["served"]),
        Spacer(1, 4 * mm),
        table,
    ]
    doc.build(story)
    return buffer.getvalue()


def download(data: PageData) -> HttpResponse:
    s = data.selection
    response = HttpResponse(pdf(data), content_type=PDF_CONTENT_TYPE)
    name = f"laporan-{s.mall.slug}-{s.first.isoformat()}-{s.last.isoformat()}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
