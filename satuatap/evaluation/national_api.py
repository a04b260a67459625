"""``GET /reports/malls``: every mall of the installation side by side (the ministry's view).

The ministry (and a superuser) may ask; every other caller is refused (403). It lives here rather than in
``reports`` because it shows each mall's evaluation category, and the evaluation app
sits on top of the reports (``layering.SAME_LAYER``).
"""

from __future__ import annotations

import datetime as dt

from ninja import Field, Query, Router, Schema

from satuatap.accounts.access import require_role
from satuatap.accounts.models import Role
from satuatap.apiauth import BAD_INPUT, Error, ValidationErrorOut, bearer, caller
from satuatap.directory.hours import service_day
from satuatap.directory.models import Mall
from satuatap.evaluation import evaluations
from satuatap.feedback import ikm, periods
from satuatap.reports import figures, shapes
from satuatap.reports.numbers_api import check_dates

router = Router(tags=["Laporan"], auth=bearer)
REFUSALS = {**BAD_INPUT, 401: Error, 403: Error, 422: ValidationErrorOut}


class MallsQuery(Schema):
    start: dt.date | None = Field(None, alias="from", description="Tanggal awal (YYYY-MM-DD); bawaan: bulan ini")
    end: dt.date | None = Field(None, alias="to", description="Tanggal akhir (YYYY-MM-DD), termasuk")


class MallRowOut(Schema):
    mall: str
    name: str
    tickets_issued: int
    served: int
    avg_wait_minutes: float | None
    ikm: str | None
    evaluation_category: str = Field(description="Kategori PEKPPP tahun tanggal akhir (A ... F)")


@router.get("/reports/malls", response={200: list[MallRowOut], **REFUSALS}, summary="Semua mal berdampingan")
def malls_report(request, filters: Query[MallsQuery]):
    require_role(caller(request), Role.MINISTRY)
    for day in (filters.start, filters.end):
        if day is not None:
            check_dates(day, day)
    rows = []
    for mall in Mall.objects.active().order_by("pk"):
        month = periods.bounds("month", service_day(mall))  # each mall's own local month
        start, end = filters.start or month[0], filters.end or month[1]
        check_dates(start, end)
        total = figures.total(figures.Selection(mall, start, end))
        survey = ikm.compute(mall, *periods.as_datetimes(mall, start, end))
        rows.append(
            {
                "mall": mall.slug,
                "name": mall.name,
                "tickets_issued": total.tickets_issued,
                "served": total.served,
                "avg_wait_minutes": shapes.minutes(total.avg_wait),
                "ikm": None if survey.ikm is None else str(survey.ikm),
                "evaluation_category": evaluations.result(mall, end.year).category,
            }
        )
    return rows
