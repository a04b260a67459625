"""Open-data files in the API (public, cacheable, rate limited like the directory): see ``reports.open_data``."""

from __future__ import annotations

from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from satuatap.accounts.access import find_mall
from satuatap.apiauth import PUBLIC_REFUSALS, ValidationErrorOut, optional_bearer, public_throttle
from satuatap.directory.hours import local_now
from satuatap.refusal import invalid
from satuatap.reports import open_data

router = Router(tags=["Data terbuka"], auth=optional_bearer, throttle=public_throttle)
REFUSALS = {**PUBLIC_REFUSALS, 422: ValidationErrorOut}
JSON, CSV = "application/json", "text/csv; charset=utf-8"


# Each kind of file: (what the summary names, what the answer holds), for its JSON and its CSV route.
SERVICES = ("layanan dan standar pelayanan", "Layanan dengan standar pelayanannya; tanpa data pribadi")
MONTHLY = ("volume, tunggu dan IKM per bulan", "Per bulan: tiket diambil, selesai, rata-rata dan P90 tunggu, IKM")


def _open_file(path: str, content_type: str, kind: tuple[str, str]):
    """The route of one open-data file: public refusals, and its content type and contents in the OpenAPI document."""
    subject, what = kind
    return router.get(
        path,
        response=REFUSALS,
        summary=f"Data terbuka: {subject} ({'JSON' if content_type == JSON else 'CSV'})",
        openapi_extra={"responses": {"200": {"description": what, "content": {content_type: {}}}}},
    )


class YearQuery(Schema):
    year: int | None = Field(None, description="Tahun (bawaan: tahun ini, menurut tanggal lokal mal)")


def _mall_year(slug: str, query: YearQuery):
    """The mall (404 if unknown) and the year asked for (this one by default; 422 outside 2000..this year)."""
    mall = find_mall(slug)
    this_year = local_now(mall).year
    year = query.year or this_year
    if not 2000 <= year <= this_year:
        raise invalid("year", _("Tahun harus antara 2000 dan %(year)s.") % {"year": this_year})
    return mall, year


@_open_file("/open/malls/{mall}/services.json", JSON, SERVICES)
def open_services_json(request, mall: str):
    mall_obj = find_mall(mall)
    body = open_data.as_json(mall_obj, open_data.services(mall_obj), open_data.SERVICE_FIELDS)
    return open_data.respond(request, body, JSON, open_data.services_modified(mall_obj))


@_open_file("/open/malls/{mall}/services.csv", CSV, SERVICES)
def open_services_csv(request, mall: str):
    mall_obj = find_mall(mall)
    body = open_data.as_csv(open_data.services(mall_obj), open_data.SERVICE_FIELDS)
    return open_data.respond(request, body, CSV, open_data.services_modified(mall_obj))


@_open_file("/open/malls/{mall}/monthly.json", JSON, MONTHLY)
def open_monthly_json(request, mall: str, query: Query[YearQuery]):
    mall_obj, year = _mall_year(mall, query)
    body = open_data.as_json(mall_obj, open_data.monthly(mall_obj, year), open_data.MONTHLY_FIELDS, year=year)
    return open_data.respond(request, body, JSON, open_data.monthly_modified(mall_obj, year))


@_open_file("/open/malls/{mall}/monthly.csv", CSV, MONTHLY)
def open_monthly_csv(request, mall: str, query: Query[YearQuery]):
    mall_obj, year = _mall_year(mall, query)
    body = open_data.as_csv(open_data.monthly(mall_obj, year), open_data.MONTHLY_FIELDS)
    return open_data.respond(request, body, CSV, open_data.monthly_modified(mall_obj, year))
