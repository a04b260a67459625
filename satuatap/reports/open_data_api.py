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


def _file(content_type: str, what: str) -> dict:
    return {"responses": {"200": {"description": what, "content": {content_type: {}}}}}


class YearQuery(Schema):
    year: int | None = Field(None, description="Tahun (bawaan: tahun ini, menurut tanggal lokal mal)")


def _year(mall, query: YearQuery) -> int:
    this_year = local_now(mall).year
    year = query.year or this_year
    if not 2000 <= year <= this_year:
        raise invalid("year", _("Tahun harus antara 2000 dan %(year)s.") % {"year": this_year})
    return year


@router.get(
    "/open/malls/{mall}/services.json",
    response=REFUSALS,
    summary="Data terbuka: layanan dan standar pelayanan (JSON)",
    openapi_extra=_file(JSON, "Layanan dengan standar pelayanannya; tanpa data pribadi"),
)
def open_services_json(request, mall: str):
    mall_obj = find_mall(mall)
    body = open_data.as_json(mall_obj, open_data.services(mall_obj), open_data.SERVICE_FIELDS)
    return open_data.respond(request, body, JSON, open_data.services_modified(mall_obj))


@router.get(
    "/open/malls/{mall}/services.csv",
    response=REFUSALS,
    summary="Data terbuka: layanan dan standar pelayanan (CSV)",
    openapi_extra=_file(CSV, "Layanan dengan standar pelayanannya; tanpa data pribadi"),
)
def open_services_csv(request, mall: str):
    mall_obj = find_mall(mall)
    body = open_data.as_csv(open_data.services(mall_obj), open_data.SERVICE_FIELDS)
    return open_data.respond(request, body, CSV, open_data.services_modified(mall_obj))


@router.get(
    "/open/malls/{mall}/monthly.json",
    response=REFUSALS,
    summary="Data terbuka: volume, tunggu dan IKM per bulan (JSON)",
    openapi_extra=_file(JSON, "Per bulan: tiket diambil, selesai, rata-rata dan P90 tunggu, IKM"),
)
def open_monthly_json(request, mall: str, query: Query[YearQuery]):
    mall_obj = find_mall(mall)
    year = _year(mall_obj, query)
    body = open_data.as_json(mall_obj, open_data.monthly(mall_obj, year), open_data.MONTHLY_FIELDS, year=year)
    return open_data.respond(request, body, JSON, open_data.monthly_modified(mall_obj, year))


@router.get(
    "/open/malls/{mall}/monthly.csv",
    response=REFUSALS,
    summary="Data terbuka: volume, tunggu dan IKM per bulan (CSV)",
    openapi_extra=_file(CSV, "Per bulan: tiket diambil, selesai, rata-rata dan P90 tunggu, IKM"),
)
def open_monthly_csv(request, mall: str, query: Query[YearQuery]):
    mall_obj = find_mall(mall)
    year = _year(mall_obj, query)
    body = open_data.as_csv(open_data.monthly(mall_obj, year), open_data.MONTHLY_FIELDS)
    return open_data.respond(request, body, CSV, open_data.monthly_modified(mall_obj, year))
