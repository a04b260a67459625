"""The monthly report for the mayor as a PDF: the reports page's comparison table and its two main charts
(arrivals by hour, the daily trend), drawn with reportlab's own graphics, and the cases per agency. Built as the SKM
report is (``pdf_document``): the same data gives the same bytes and the figures are readable in the file."""

from __future__ import annotations

from django.http import HttpResponse
from django.utils.translation import gettext as _
from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.charts.linecharts import HorizontalLineChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Spacer

from satuatap.reports.numbers_data import PageData
from satuatap.reports.numbers_export import case_rows, comparison_rows
from satuatap.reports.pdf_document import report_document

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
    s = data.selection
    unit = s.service.name if s.service else s.agency.name if s.agency else _("Seluruh mal")
    document = report_document(_("Laporan kinerja pelayanan"), str(s.mall.name))
    styles, para = document.styles, document.para
    comparison = [["" if v is None else v for v in row] for row in comparison_rows(data)]
    cases = [["—" if v is None else v for v in row] for row in case_rows(data, "agency")]
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
        document.table(comparison, [80, 33, 33, 33]),
        Spacer(1, 4 * mm),
        para(_("Berkas permohonan per instansi"), styles["Heading3"]),
        document.table(cases, [55, 23, 23, 23, 27, 29]),
        para(_("Terbuka lewat batas: keadaan pada hari laporan dibuat.")),
    ]
    return document.build(story)


def download(data: PageData) -> HttpResponse:
    s = data.selection
    response = HttpResponse(pdf(data), content_type=PDF_CONTENT_TYPE)
    name = f"laporan-{s.mall.slug}-{s.first.isoformat()}-{s.last.isoformat()}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
