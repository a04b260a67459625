"""The one A4 document the reports print (the SKM report, the mayor's monthly report): margins, cell styles, the
table grid, and the build.

Built uncompressed and invariant: the same data gives the same bytes, and the text is readable in the file (the
tests look for figures there; there is no pdftotext on the build machines).
"""

from __future__ import annotations

import io
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

MARGIN = 15 * mm
HEADER_FILL = colors.HexColor("#e8eef5")
LINES = ("GRID", (0, 0), (-1, -1), 0.5, colors.grey)
HEADED = TableStyle([LINES, ("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL), ("VALIGN", (0, 0), (-1, -1), "TOP")])
PLAIN = TableStyle([LINES])


class ReportDocument:
    """A document being written: its styles, paragraphs and tables, then ``build(story)`` for the bytes."""

    def __init__(self, title: str, author: str):
        self.styles = getSampleStyleSheet()
        self.cell = self.styles["BodyText"].clone("cell", fontSize=8, leading=10)
        self.head = self.cell.clone("head", fontName="Helvetica-Bold")
        self._buffer = io.BytesIO()
        self._doc = SimpleDocTemplate(
            self._buffer,
            pagesize=A4,
            leftMargin=MARGIN,
            rightMargin=MARGIN,
            topMargin=MARGIN,
            bottomMargin=MARGIN,
            title=title,
            author=author,
            invariant=1,
            pageCompression=0,
        )

    def para(self, text, style=None) -> Paragraph:
        """Text as a paragraph (escaped: names and reasons are typed by users); a table cell by default."""
        return Paragraph(escape(str(text)), style or self.cell)

    def table(self, rows, widths_mm, header: bool = True) -> Table:
        """A grid of cells (widths in millimetres); with ``header`` the first row is bold, shaded and repeated."""
        body = [
            [self.para(c, self.head if header and i == 0 else self.cell) for c in row] for i, row in enumerate(rows)
        ]
        table = Table(body, colWidths=[w * mm for w in widths_mm], repeatRows=1 if header else 0)
        table.setStyle(HEADED if header else PLAIN)
        return table

    def build(self, story) -> bytes:
        self._doc.build(story)
        return self._buffer.getvalue()


def report_document(title: str, author: str) -> ReportDocument:
    return ReportDocument(title, author)
