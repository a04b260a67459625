"""The national view (``/nasional/``): every mall of the installation side by side, for the ministry and a superuser.

Per mall over the chosen period (each mall's own local dates): visitors (tickets issued) and services (tickets
served) per day, the average and 90th-percentile wait, the IKM, complaints and the share answered within their
deadline, the evaluation category, and a twelve-month trend of visitors as a sparkline.
The category is the mall's newest evaluation submitted by an evaluator up to that year (its year shown beside;
"—" for a mall never evaluated). Sortable by any column (server side: no script), drill-down links to each mall's
report and evaluation (read-only for the ministry). The figures come from ``reports.figures`` and ``feedback.ikm``
(the trend only counts tickets per month). It lives in ``evaluation`` because it shows each mall's category, and
evaluation sits on the reports (layering).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.db.models.functions import TruncMonth
from django.http import Http404
from django.shortcuts import render
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from satuatap.accounts.access import reads_every_mall
from satuatap.accounts.scoping import scope
from satuatap.directory.hours import service_day
from satuatap.directory.models import Mall
from satuatap.evaluation import evaluations
from satuatap.feedback import ikm, periods
from satuatap.queueing.models import Ticket
from satuatap.reports import figures, shapes
from satuatap.reports.views import chosen_period

TREND_MONTHS = 12
# (sort key, column heading); the row attribute of the same name is what sorts.
COLUMNS = (
    ("name", gettext_lazy("Mal")),
    ("visitors_per_day", gettext_lazy("Pengunjung per hari")),
    ("served_per_day", gettext_lazy("Layanan selesai per hari")),
    ("avg_wait", gettext_lazy("Rata-rata tunggu (menit)")),
    ("p90_wait", gettext_lazy("P90 tunggu (menit)")),
    ("ikm", gettext_lazy("IKM")),
    ("complaints", gettext_lazy("Pengaduan")),
    ("complaints_in_time", gettext_lazy("Dijawab tepat waktu")),
    ("category", gettext_lazy("Kategori evaluasi")),
)
# Categories best first, so that sorting by category ranks A above A-.
CATEGORY_RANK = {code: rank for rank, code in enumerate(["A", "A-", "B", "B-", "C", "C-", "D", "E", "F"])}


@dataclass
class MallRow:
    mall: Mall
    first: dt.date
    last: dt.date
    visitors_per_day: float
    served_per_day: float
    avg_wait: float | None
    p90_wait: float | None
    ikm: object
    complaints: int
    complaints_in_time: float | None  # share of the period's complaints answered within their deadline
    category: str | None
    category_name: str
    category_year: int | None
    trend: list[int]

    @property
    def name(self) -> str:
        return self.mall.name

    @property
    def sparkline(self) -> str:
        return sparkline(self.trend, _("Pengunjung per bulan, %(n)s bulan terakhir") % {"n": len(self.trend)})


def counted_days(mall: Mall, first: dt.date, last: dt.date) -> int:
    """Days of the period that have begun in the mall (a running month counts up to today)."""
    return max((min(last, service_day(mall)) - first).days + 1, 1)


def monthly_visitors(user, mall: Mall, last: dt.date) -> list[int]:
    """Tickets issued (by service day) in each of the ``TREND_MONTHS`` months up to the one holding ``last``, oldest
    first. A count per month only: ``figures.ticket_figures(by="month")`` would also compute every wait percentile
    of the year, which a sparkline does not show."""
    months = []
    month_start = last.replace(day=1)
    for _step in range(TREND_MONTHS):
        months.insert(0, month_start)
        month_start = (month_start - dt.timedelta(days=1)).replace(day=1)
    tickets = scope(user, Ticket.objects.filter(mall=mall, day__gte=months[0], day__lte=last))
    by_month = tickets.annotate(month=TruncMonth("day")).values("month").annotate(issued=Count("pk"))
    issued = {str(row["month"])[:7]: row["issued"] for row in by_month}
    return [issued.get(m.isoformat()[:7], 0) for m in months]


def mall_row(user, mall: Mall, params) -> MallRow:
    _kind, first, last, _error = chosen_period(mall, params)
    selection = figures.Selection(mall, first, last)
    total = figures.total(selection)
    complaints = figures.complaint_figures(selection)
    survey = ikm.compute(mall, *periods.as_datetimes(mall, first, last))
    evaluation = evaluations.latest_submitted(mall, last.year)
    days = counted_days(mall, first, last)
    return MallRow(
        mall=mall,
        first=first,
        last=last,
        visitors_per_day=round(total.tickets_issued / days, 1),
        served_per_day=round(total.served / days, 1),
        avg_wait=shapes.minutes(total.avg_wait),
        p90_wait=shapes.minutes(total.p90_wait),
        ikm=survey.ikm,
        complaints=complaints.filed,
        complaints_in_time=complaints.answered_in_time / complaints.filed if complaints.filed else None,
        category=evaluation.category if evaluation else None,
        category_name=evaluation.category_name if evaluation else "",
        category_year=evaluation.year if evaluation else None,
        trend=monthly_visitors(user, mall, last),
    )


def sort_rows(rows: list[MallRow], key: str, descending: bool) -> list[MallRow]:
    """Rows by a column; empty values (no waits, no answers) always last."""

    def value(row: MallRow):
        if key == "category":
            return None if row.category is None else CATEGORY_RANK[row.category]
        return getattr(row, key)

    known = [r for r in rows if value(r) is not None]
    empty = [r for r in rows if value(r) is None]
    return sorted(known, key=value, reverse=descending) + empty


def sparkline(values: list[int], title: str, width: int = 120, height: int = 28) -> str:
    """A small SVG line of ``values`` (no axes), with its title and numbers for screen readers."""
    top = max(values, default=0) or 1
    step = width / max(len(values) - 1, 1)
    points = " ".join(f"{i * step:.1f},{height - 2 - v / top * (height - 4):.1f}" for i, v in enumerate(values))
    numbers = format_html_join(", ", "{}", ((v,) for v in values))
    return format_html(
        '<svg class="sparkline" role="img" width="{w}" height="{h}" viewBox="0 0 {w} {h}">'
        "<title>{t}: {n}</title>"
        '<polyline fill="none" stroke="#1d4ed8" stroke-width="2" points="{p}"/></svg>',
        w=width,
        h=height,
        t=title,
        n=numbers,
        p=points,
    )


@login_required
def national_page(request):
    if not reads_every_mall(request.user):
        raise Http404
    key = request.GET.get("sort") if request.GET.get("sort") in dict(COLUMNS) else "name"
    descending = request.GET.get("dir") == "desc"
    malls = Mall.objects.active().order_by("pk")
    rows = sort_rows([mall_row(request.user, m, request.GET) for m in malls], key, descending)
    kind, first, last, error = chosen_period(rows[0].mall, request.GET) if rows else ("month", None, None, "")
    keep = {k: request.GET[k] for k in ("period", "date", "from", "to") if request.GET.get(k)}
    context = {
        "rows": rows,
        "columns": [
            (column, label, "asc" if key == column and descending else ("desc" if key == column else "asc"))
            for column, label in COLUMNS
        ],
        "sort": key,
        "descending": descending,
        "kinds": periods.KINDS.items(),
        "kind": kind,
        "first": first,
        "last": last,
        "error": error,
        "date": request.GET.get("date", ""),
        "keep": keep,
    }
    return render(request, "evaluation/national.html", context)
