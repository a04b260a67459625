"""Report pages: the live floor, the wait-estimate accuracy, and the SKM report (IKM) with its PDF/spreadsheet
downloads and the follow-up plan (``feedback.follow_up``) of the period shown."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from satuatap.accounts.access import REPORT_READER_ROLES, staff_mall
from satuatap.accounts.scoping import scope
from satuatap.directory.hours import local_now, service_day
from satuatap.directory.models import Agency, Counter, Mall, Service
from satuatap.feedback import follow_up, ikm, periods
from satuatap.feedback.elements import ELEMENTS
from satuatap.feedback.models import FollowUpItem
from satuatap.refusal import Refused
from satuatap.reports import skm_export
from satuatap.reports.estimate_accuracy import day_accuracy
from satuatap.reports.floor import floor_snapshot
from satuatap.reports.report_unit import report_unit


@login_required
def floor(request, mall: str):
    mall_obj = staff_mall(request.user, mall)
    return render(request, "reports/floor.html", {"mall": mall_obj, "snapshot": floor_snapshot(request.user, mall_obj)})


@login_required
def floor_snapshot_json(request, mall: str):
    return JsonResponse(floor_snapshot(request.user, staff_mall(request.user, mall)))


def _report_day(mall: Mall, raw: str | None) -> tuple[dt.date, str]:
    """The day asked for (YYYY-MM-DD), or today with a message when it is not a date."""
    today = service_day(mall)
    if not raw:
        return today, ""
    try:
        return dt.date.fromisoformat(raw.strip()), ""
    except ValueError:
        return today, _("Tanggal tidak valid (gunakan format TTTT-BB-HH); menampilkan hari ini.")


@login_required
def estimate_accuracy(request, mall: str):
    """Predicted vs actual wait of a day's tickets (the manager: the mall; a supervisor: their agency)."""
    mall_obj = staff_mall(request.user, mall)
    day, error = _report_day(mall_obj, request.GET.get("date"))
    result = day_accuracy(request.user, mall_obj, day)
    result.total.label = _("Semua layanan")
    return render(
        request,
        "reports/estimate_accuracy.html",
        {
            "mall": mall_obj,
            "day": day,
            "error": error,
            "rows": [s.as_dict() for s in result.services],
            "total": result.total.as_dict(),
            "without_prediction": result.without_prediction,
        },
    )


# --- The SKM report (IKM): the page, its downloads and its follow-up forms ------------------------------------


def _date(raw: str | None) -> dt.date | None:
    try:
        day = dt.date.fromisoformat(raw) if raw else None
    except ValueError:
        return None
    return day if day is None or periods.in_range(day) else None


def chosen_period(mall, params) -> tuple[str, dt.date, dt.date, str]:
    """(kind, first day, last day, error) from the request's period selector; bad input -> this month."""
    today = local_now(mall).date()
    kind = params.get("period") or "month"
    error = ""
    if kind == "custom":
        first, last = _date(params.get("from")), _date(params.get("to"))
        if first and last and first <= last:
            return kind, first, last, ""
        error = _("Rentang tanggal tidak sah; menampilkan bulan ini.")
    elif kind in periods.KINDS:
        day = _date(params.get("date")) if params.get("date") else today
        if day is not None:
            return (kind, *periods.bounds(kind, day), "")
        error = _("Tanggal tidak sah; menampilkan bulan ini.")
    else:
        error = _("Jenis periode tidak dikenal; menampilkan bulan ini.")
    return ("month", *periods.bounds("month", today), error)


def report_scope(request, mall: str) -> ReportScope:
    """The mall, period and unit of the report page (and its downloads and follow-up forms), from the query."""
    mall_obj = staff_mall(request.user, mall, roles=REPORT_READER_ROLES)  # the ministry reads every mall's
    params = request.GET
    kind, first, last, error = chosen_period(mall_obj, params)
    agencies = scope(request.user, Agency.objects.filter(mall=mall_obj)).order_by("name")
    services = scope(request.user, Service.objects.filter(mall=mall_obj)).select_related("agency").order_by("name")
    try:
        agency, service = report_unit(request.user, mall_obj, params.get("agency"), params.get("service"))
    except Refused:  # a page does not say why: 404 (the API says it)
        raise Http404 from None
    return ReportScope(mall_obj, periods.Period(kind, first, last), agency, service, error, agencies, services)


@dataclass
class ReportScope:
    mall: Mall
    period: periods.Period
    agency: Agency | None
    service: Service | None
    error: str
    agencies: object
    services: object

    def items(self, user):
        return follow_up.items_for(
            scope(user, FollowUpItem.objects.all()), self.mall, self.period, self.agency, self.service
        )

    def picker(self, request) -> dict:
        """The period and unit picker's context, the same on the SKM report and the reports page."""
        return {
            "mall": self.mall,
            "kinds": periods.KINDS.items(),
            "kind": self.period.kind,
            "first": self.period.first,
            "last": self.period.last,
            "error": self.error,
            "agencies": self.agencies,
            "services": self.services,
            "agency": self.agency,
            "service": self.service,
            "date": request.GET.get("date", ""),
        }

    @property
    def unit_agency(self):
        """The agency a new item belongs to (the service's, the chosen one, or none for the whole mall)."""
        return follow_up.unit_of(self.agency, self.service)[0]


def report_query(request, *extra: str) -> str:
    """A report page's own query string, kept across the forms and downloads (only its known keys, and ``extra``)."""
    keep = QueryDict(mutable=True)
    for key in ("period", "date", "from", "to", "agency", "service", *extra):
        if request.GET.get(key):
            keep[key] = request.GET[key]
    return keep.urlencode()


@login_required
def report(request, mall: str):
    rs = report_scope(request, mall)
    start, end = rs.period.datetimes(rs.mall)
    result = ikm.compute(rs.mall, start, end, agency=rs.agency, service=rs.service)
    items = list(rs.items(request.user))
    can_edit = follow_up.may_manage(request.user, rs.mall, rs.unit_agency)
    today = service_day(rs.mall)
    rows = [
        {
            "item": item,
            "name": item.element_name,
            "editable": follow_up.may_manage(request.user, rs.mall, item.agency_id),
            "overdue": item.is_overdue(today),
        }
        for item in items
    ]
    query = report_query(request)
    context = {
        **rs.picker(request),
        "result": result,
        "sources": ikm.sources(rs.mall, start, end, agency=rs.agency, service=rs.service),
        "follow_ups": rows,
        "follow_up_summary": follow_up.summarize(items, rs.mall),
        "can_propose": can_edit and result.respondents > 0,
        "can_add": can_edit,
        "elements": ELEMENTS,
        "default_due": rs.period.last + dt.timedelta(days=follow_up.DEFAULT_DUE_DAYS),
        "query": query,
        "tablet_counters": scope(request.user, Counter.objects.active().filter(mall=rs.mall))
        .select_related("agency")
        .order_by("number"),
    }
    return render(request, "reports/skm_report.html", context)


def _export(request, mall: str, extension: str):
    rs = report_scope(request, mall)
    data = skm_export.build(rs.mall, rs.period, rs.items(request.user), agency=rs.agency, service=rs.service)
    return skm_export.download(data, extension)


@login_required
def report_pdf(request, mall: str):
    return _export(request, mall, "pdf")


@login_required
def report_xlsx(request, mall: str):
    return _export(request, mall, "xlsx")


def _refused(request, err: Refused) -> None:
    """A refused follow-up change: the 403 page when the user may not manage it, else a message on the report page."""
    if err.status == 403:
        raise err  # RefusalMiddleware: the 403 page
    messages.error(request, err.message)


def _back(rs: ReportScope, query: str):
    url = reverse("skm_report", kwargs={"mall": rs.mall.slug})
    return redirect(f"{url}?{query}#tindak-lanjut" if query else f"{url}#tindak-lanjut")


@require_POST
@login_required
def follow_up_new(request, mall: str):
    """Propose items for the lowest elements, or add one by hand, for the report's period and unit."""
    rs = report_scope(request, mall)
    try:
        if request.POST.get("propose"):
            created = follow_up.propose(
                rs.mall, rs.period, actor=request.user, agency=rs.unit_agency, service=rs.service
            )
            if created:
                messages.success(
                    request,
                    ngettext("%(n)s tindak lanjut diusulkan.", "%(n)s tindak lanjut diusulkan.", len(created))
                    % {"n": len(created)},
                )
            else:
                messages.info(request, _("Unsur terendah periode ini sudah punya tindak lanjut."))
        else:
            follow_up.add(
                rs.mall,
                rs.period,
                actor=request.user,
                agency=rs.unit_agency,
                service=rs.service,
                element=request.POST.get("element"),
                action=request.POST.get("action"),
                owner=request.POST.get("owner"),
                due=request.POST.get("due"),
            )
            messages.success(request, _("Tindak lanjut ditambahkan."))
    except Refused as err:
        _refused(request, err)
    return _back(rs, report_query(request))


@require_POST
@login_required
def follow_up_change(request, mall: str, item_id: int):
    """Edit an item (what, who, by when) or mark it done with a note."""
    rs = report_scope(request, mall)
    item = get_object_or_404(scope(request.user, FollowUpItem.objects.filter(mall=rs.mall)), pk=item_id)
    try:
        if request.POST.get("done"):
            follow_up.mark_done(item, request.POST.get("done_note"), request.user)
            messages.success(request, _("Tindak lanjut ditandai selesai."))
        else:
            follow_up.update(
                item,
                actor=request.user,
                action=request.POST.get("action"),
                owner=request.POST.get("owner"),
                due=request.POST.get("due"),
            )
            messages.success(request, _("Tindak lanjut diperbarui."))
    except Refused as err:
        _refused(request, err)
    return _back(rs, report_query(request))
