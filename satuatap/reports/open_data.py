"""Open data (issue 13): public, cacheable JSON and CSV of a mall's services with their standards and of its
monthly volumes, waits and IKM, in a form another portal can harvest.

No personal data: only master data that is public anyway (the published service standards) and aggregates over
the mall's tickets and survey answers. Fields and units are documented in ``FIELDS`` (also served in the JSON).
Each answer carries an ETag (a hash of its body) and a Last-Modified date, and answers 304 to a matching
``If-None-Match``.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json

from django.db.models import Max
from django.http import HttpResponse, HttpResponseNotModified
from django.utils.http import http_date

from satuatap.directory.hours import local_now
from satuatap.directory.models import Mall, Service
from satuatap.feedback import ikm, periods
from satuatap.reports import figures, shapes

CACHE_SECONDS = 3600
SERVICE_FIELDS = {
    "code": "kode layanan, unik di mal",
    "name": "nama layanan",
    "agency": "kode instansi",
    "agency_name": "nama instansi",
    "kind": "jenis layanan (perizinan, non_perizinan, kependudukan, other)",
    "requirements": "persyaratan",
    "procedure": "sistem, mekanisme dan prosedur",
    "duration": "jangka waktu penyelesaian",
    "fee": "biaya/tarif",
    "product": "produk pelayanan",
    "complaint_channel": "penanganan pengaduan, saran dan masukan",
    "bookable": "dapat dipesan daring (true/false)",
}
MONTHLY_FIELDS = {
    "month": "bulan (YYYY-MM, tanggal lokal mal)",
    "tickets_issued": "tiket antrean diambil (jumlah)",
    "served": "tiket selesai dilayani (jumlah)",
    "avg_wait_minutes": "rata-rata tunggu dari ambil nomor sampai panggilan pertama (menit, 1 desimal)",
    "p90_wait_minutes": "persentil ke-90 tunggu (menit, 1 desimal, kontinu)",
    "ikm": "Indeks Kepuasan Masyarakat 25-100 (PermenPANRB 14/2017), kosong tanpa responden",
    "ikm_respondents": "responden SKM (jumlah)",
}


def services(mall: Mall) -> list[dict]:
    rows = Service.objects.active().filter(mall=mall).select_related("agency").order_by("agency__code", "code")
    return [
        {
            "code": s.code,
            "name": s.name,
            "agency": s.agency.code,
            "agency_name": s.agency.name,
            "kind": s.kind,
            "requirements": s.requirements,
            "procedure": s.procedure,
            "duration": s.duration,
            "fee": s.fee,
            "product": s.product,
            "complaint_channel": s.complaint_channel,
            "bookable": s.bookable,
        }
        for s in rows
    ]


def services_modified(mall: Mall) -> dt.datetime | None:
    return Service.history.filter(mall_id=mall.pk).aggregate(last=Max("history_date"))["last"]


def monthly(mall: Mall, year: int) -> list[dict]:
    """Every month of ``year`` up to the current one, with its ticket aggregates and IKM."""
    selection = figures.Selection(mall, dt.date(year, 1, 1), dt.date(year, 12, 31))
    by_month = figures.ticket_figures(selection, "month")
    today = local_now(mall).date()
    rows = []
    for month in range(1, 13):
        first = dt.date(year, month, 1)
        if first > today:
            break
        last = periods.bounds("month", first)[1]
        key = first.isoformat()[:7]
        f = by_month.get(key) or figures.TicketFigures(key)
        result = ikm.compute(mall, *periods.as_datetimes(mall, first, last))
        rows.append(
            {
                "month": key,
                "tickets_issued": f.tickets_issued,
                "served": f.served,
                "avg_wait_minutes": shapes.minutes(f.avg_wait),
                "p90_wait_minutes": shapes.minutes(f.p90_wait),
                "ikm": None if result.ikm is None else str(result.ikm),
                "ikm_respondents": result.respondents,
            }
        )
    return rows


def monthly_modified(mall: Mall, year: int) -> dt.datetime:
    """A past year is closed (its last instant); the current year changes by the hour."""
    now = local_now(mall)
    end_of_year = dt.datetime(year + 1, 1, 1, tzinfo=now.tzinfo)
    return min(now.replace(minute=0, second=0, microsecond=0), end_of_year)


def as_csv(rows: list[dict], fields: dict) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(fields))
    writer.writeheader()
    for row in rows:
        writer.writerow({k: _csv_value(v) for k, v in row.items()})
    return out.getvalue().encode("utf-8")


def _csv_value(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str) and value.startswith(("=", "+", "-", "@")):
        return "'" + value  # text typed by staff stays text in a spreadsheet
    return value


def as_json(mall: Mall, rows: list[dict], fields: dict, **about) -> bytes:
    body = {"mall": mall.slug, "mall_name": mall.name, **about, "fields": fields, "rows": rows}
    return json.dumps(body, ensure_ascii=False, sort_keys=True, default=str).encode("utf-8")


def respond(request, body: bytes, content_type: str, modified: dt.datetime | None) -> HttpResponse:
    """The body with its validators; 304 when the client already holds it."""
    etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
    if etag in [tag.strip() for tag in request.headers.get("If-None-Match", "").split(",")]:
        response = HttpResponseNotModified()
    else:
        response = HttpResponse(body, content_type=content_type)
    response["ETag"] = etag
    if modified is not None:
        response["Last-Modified"] = http_date(modified.timestamp())
    response["Cache-Control"] = f"public, max-age={CACHE_SECONDS}"
    response["Access-Control-Allow-Origin"] = "*"  # other portals harvest these files
    return response
