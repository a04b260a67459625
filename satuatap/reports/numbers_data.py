"""What the reports page shows, as plain values: the same object feeds the page, its CSV and its spreadsheet, so
the files' totals are the screen's by construction (and a test opens the files to check)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from satuatap.reports import charts, figures, shapes

BREAKDOWNS = {
    "agency": gettext_lazy("Instansi"),
    "service": gettext_lazy("Layanan"),
    "counter": gettext_lazy("Loket"),
    "officer": gettext_lazy("Petugas"),
}
# The figures of the comparison table: (key in ``shapes.period_body``, label); nested keys use a dot.
HEADLINE = (
    ("tickets_issued", gettext_lazy("Tiket diambil")),
    ("served", gettext_lazy("Selesai dilayani")),
    ("no_show", gettext_lazy("Tidak hadir")),
    ("cancelled", gettext_lazy("Dibatalkan")),
    ("transferred", gettext_lazy("Dialihkan")),
    ("avg_wait_minutes", gettext_lazy("Rata-rata tunggu (menit)")),
    ("p50_wait_minutes", gettext_lazy("Median tunggu (menit)")),
    ("p90_wait_minutes", gettext_lazy("Persentil ke-90 tunggu (menit)")),
    ("avg_service_minutes", gettext_lazy("Rata-rata lama layanan (menit)")),
    ("within_target_share", gettext_lazy("Bagian tunggu dalam target")),
    ("walk_ins", gettext_lazy("Datang langsung")),
    ("booked_tickets", gettext_lazy("Dari pemesanan daring")),
    ("priority_share", gettext_lazy("Bagian kelompok prioritas")),
    ("bookings.booked", gettext_lazy("Pemesanan dibuat")),
    ("bookings.checked_in", gettext_lazy("Pemesanan check-in")),
    ("bookings.called", gettext_lazy("Pemesanan dipanggil")),
    ("bookings.finished", gettext_lazy("Pemesanan selesai")),
    ("out_of_order_calls", gettext_lazy("Panggilan di luar urutan")),
    ("out_of_order_by_reason.priority", gettext_lazy("… karena kelompok prioritas")),
    ("out_of_order_by_reason.priority_streak_bound", gettext_lazy("… karena batas prioritas beruntun")),
    ("out_of_order_by_reason.officer", gettext_lazy("… pilihan petugas (dengan alasan)")),
    ("complaints.filed", gettext_lazy("Pengaduan masuk")),
    ("complaints.answered", gettext_lazy("Pengaduan dijawab")),
    ("complaints.answered_in_time", gettext_lazy("Pengaduan dijawab tepat waktu")),
    ("ikm", gettext_lazy("IKM")),
    ("ikm_respondents", gettext_lazy("Responden SKM")),
    ("attendance.working_days", gettext_lazy("Hari kerja petugas")),
    ("attendance.present_days", gettext_lazy("Hari hadir petugas")),
    ("attendance.absent_days", gettext_lazy("Hari tidak hadir petugas")),
    ("attendance.served_per_present_day", gettext_lazy("Tiket selesai per hari hadir")),
    ("cases.opened", gettext_lazy("Berkas diterima")),
    ("cases.finished", gettext_lazy("Berkas selesai")),
    ("cases.finished_on_time", gettext_lazy("Berkas selesai tepat waktu")),
    ("cases.on_time_share", gettext_lazy("Bagian berkas selesai tepat waktu")),
    ("cases.overdue_open", gettext_lazy("Berkas terbuka melewati batas (hari ini)")),
)
# The officers' table: (key in ``shapes.attendance_row``, label).
ATTENDANCE_COLUMNS = (
    ("working_days", gettext_lazy("Hari kerja")),
    ("present_days", gettext_lazy("Hadir")),
    ("absent_days", gettext_lazy("Tidak hadir")),
    ("served", gettext_lazy("Tiket selesai")),
    ("avg_service_minutes", gettext_lazy("Rata-rata layanan (menit)")),
    ("served_per_present_day", gettext_lazy("Selesai per hari hadir")),
)
# The cases' tables: (key in ``shapes.case_row``, label).
CASE_COLUMNS = (
    ("opened", gettext_lazy("Diterima")),
    ("finished", gettext_lazy("Selesai")),
    ("finished_on_time", gettext_lazy("Tepat waktu")),
    ("on_time_share", gettext_lazy("Bagian tepat waktu")),
    ("overdue_open", gettext_lazy("Terbuka lewat batas")),
)
BREAKDOWN_COLUMNS = (
    ("tickets_issued", gettext_lazy("Tiket")),
    ("served", gettext_lazy("Selesai")),
    ("no_show", gettext_lazy("Tidak hadir")),
    ("cancelled", gettext_lazy("Batal")),
    ("transferred", gettext_lazy("Dialihkan")),
    ("avg_wait_minutes", gettext_lazy("Rata-rata tunggu")),
    ("p50_wait_minutes", gettext_lazy("Median tunggu")),
    ("p90_wait_minutes", gettext_lazy("P90 tunggu")),
    ("avg_service_minutes", gettext_lazy("Rata-rata layanan")),
    ("within_target_share", gettext_lazy("Dalam target")),
)
WEEKDAYS = (
    gettext_lazy("Sen"),
    gettext_lazy("Sel"),
    gettext_lazy("Rab"),
    gettext_lazy("Kam"),
    gettext_lazy("Jum"),
    gettext_lazy("Sab"),
    gettext_lazy("Min"),
)


def _pick(values: dict, key: str):
    for part in key.split("."):
        values = values.get(part) if isinstance(values, dict) else None
    return values


@dataclass
class Comparison:
    key: str
    label: str
    current: object
    previous: object

    @property
    def change(self):
        """Current minus previous when both are numbers (None otherwise), rounded as the figures are."""
        if isinstance(self.current, int | float) and isinstance(self.previous, int | float):
            return round(self.current - self.previous, 3)
        return None


@dataclass
class PageData:
    selection: figures.Selection
    by: str
    headline: dict
    previous: dict
    comparisons: list[Comparison]
    rows: list[dict]
    reasons: list[tuple[str, int]]
    charts: dict[str, str]
    series: dict[str, list]

    @property
    def attendance(self) -> dict:
        """The officers' figures added up, with ``by_officer`` (``shapes.attendance_body``)."""
        return self.headline["attendance"]

    @property
    def cases(self) -> dict:
        """The cases' figures, with ``by_agency`` and ``by_service`` (``shapes.cases_body``)."""
        return self.headline["cases"]


def build(selection: figures.Selection, by: str = "agency") -> PageData:
    summary = figures.summarize(selection)
    headline, previous = shapes.period_body(summary), shapes.period_body(summary.previous, current=False)
    comparisons = [Comparison(k, str(label), _pick(headline, k), _pick(previous, k)) for k, label in HEADLINE]
    return PageData(
        selection=selection,
        by=by,
        headline=headline,
        previous=previous,
        comparisons=comparisons,
        rows=shapes.breakdown(selection, by),
        reasons=summary.reasons,
        **_charts(selection),
    )


def _charts(selection: figures.Selection) -> dict[str, dict]:
    """The SVG charts, and their series (for the PDF, which draws its own)."""
    by_hour = figures.ticket_figures(selection, "hour", percentiles=False)
    hours = sorted(by_hour) or []
    hour_span = list(range(min(hours), max(hours) + 1)) if hours else []
    arrivals = charts.bars(
        _("Kedatangan per jam"),
        [f"{h:02d}" for h in hour_span],
        [by_hour[h].tickets_issued if h in by_hour else 0 for h in hour_span],
    )
    waits = charts.bars(
        _("Rata-rata tunggu per jam ambil nomor (menit)"),
        [f"{h:02d}" for h in hour_span],
        [shapes.minutes(by_hour[h].avg_wait) if h in by_hour else None for h in hour_span],
    )
    cells: dict[tuple[int, int], int] = {}
    for key, f in figures.ticket_figures(selection, "weekday_hour", percentiles=False).items():
        weekday, hour = divmod(int(key), 100)  # weekday 0 is Sunday: Monday first on the chart
        if hour in hour_span:
            cells[((weekday - 1) % 7, hour_span.index(hour))] = f.tickets_issued
    heat = charts.heatmap(
        _("Kedatangan per hari dan jam"), [str(d) for d in WEEKDAYS], [f"{h:02d}" for h in hour_span], cells
    )
    by_day = figures.ticket_figures(selection, "day", percentiles=False)
    days = [selection.first + dt.timedelta(days=i) for i in range(selection.days)]
    keys = [d.isoformat() for d in days]
    trend = charts.lines(
        _("Tren harian"),
        [d.strftime("%d/%m") for d in days],
        [
            (_("Tiket diambil"), [by_day[k].tickets_issued if k in by_day else 0 for k in keys]),
            (_("Selesai dilayani"), [by_day[k].served if k in by_day else 0 for k in keys]),
        ],
    )
    series = {
        "hours": [f"{h:02d}" for h in hour_span],
        "arrivals": [by_hour[h].tickets_issued if h in by_hour else 0 for h in hour_span],
        "days": [d.strftime("%d/%m") for d in days],
        "issued": [by_day[k].tickets_issued if k in by_day else 0 for k in keys],
        "served": [by_day[k].served if k in by_day else 0 for k in keys],
    }
    return {
        "charts": {"arrivals": arrivals, "waits": waits, "heatmap": heat, "trend": trend},
        "series": series,
    }
