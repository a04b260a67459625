"""Back-office pages (the agency's case desk, a case, opening one, its printed receipt) and the public tracking page.

Every staff page asks ``accounts.access`` for the mall and the case; another agency's case is a 404.
Changes go through ``cases.services``; a refusal is shown as a message and changes nothing.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from satuatap import ratelimit, uploads
from satuatap.accounts.access import CASE_STAFF_ROLES, access_case, access_service, access_ticket, staff_mall
from satuatap.accounts.models import Role, User
from satuatap.accounts.scoping import scope
from satuatap.cases import live_updates, services, sla, tracking
from satuatap.cases.models import Case, StateKind, WorkflowState
from satuatap.directory.hours import service_day
from satuatap.directory.models import Service
from satuatap.qr import qr_svg
from satuatap.queueing.models import Ticket
from satuatap.refusal import Refused

# One page of the desk; "Berikutnya" shows the next (no COUNT over a table of 200,000 cases).
DESK_ROWS = 50
DESK_MAX_PAGE = 200
# The desk reads only the columns it shows: masked data, never the encrypted columns.
DESK_COLUMNS = (
    "registration_number",
    "mall_id",
    "name_masked",
    "due_date",
    "paused_on",
    "closed_on",
    "escalated_at",
    "service__name",
    "state__label",
    "assignee__username",
    "assignee__first_name",
    "assignee__last_name",
)
TABS = ("saya", "belum", "terlambat", "semua")
# The receipt prints on load, like the kiosk's slip, then goes back to its case (the kiosk's 20 s).
RECEIPT_RETURN_SECONDS = 20


def _case(request, mall: str, registration_number: str) -> Case:
    return access_case(request.user, Case.objects.all(), mall, registration_number)


@login_required
def case_desk(request, mall: str):
    mall_obj = staff_mall(request.user, mall, roles=CASE_STAFF_ROLES)
    today = service_day(mall_obj)
    rows = scope(request.user, Case.objects.filter(mall=mall_obj)).select_related("service", "state", "assignee")
    rows = rows.only(*DESK_COLUMNS)
    default_tab = "saya" if request.user.role == Role.OFFICER else "semua"
    tab = request.GET.get("tab") if request.GET.get("tab") in TABS else default_tab
    if tab != "semua" or not request.GET.get("closed"):
        rows = rows.filter(closed_on__isnull=True)
    if tab == "saya":
        rows = rows.filter(assignee=request.user)
    elif tab == "belum":
        rows = rows.filter(assignee__isnull=True)
    elif tab == "terlambat":
        rows = rows.filter(due_date__lt=today, paused_on__isnull=True)
    services_in_scope = scope(request.user, Service.objects.filter(mall=mall_obj)).order_by("name")
    service = request.GET.get("layanan", "")
    if service:
        rows = rows.filter(service__code=service)
    state = request.GET.get("tahap", "")
    if state:
        rows = rows.filter(state__code=state)
    page = _page_number(request.GET.get("hal"))
    start = (page - 1) * DESK_ROWS
    found = list(rows.order_by("due_date", "pk")[start : start + DESK_ROWS + 1])
    items = [{"case": c, "overdue": services.is_overdue(c, today)} for c in found[:DESK_ROWS]]
    query = request.GET.copy()
    query.pop("hal", None)
    context = {
        "mall": mall_obj,
        "items": items,
        "tab": tab,
        "tabs": [
            ("saya", _("Berkas saya")),
            ("belum", _("Belum ditugaskan")),
            ("terlambat", _("Terlambat")),
            ("semua", _("Semua")),
        ],
        "services": services_in_scope,
        "service": service,
        "state": state,
        "states": WorkflowState.objects.filter(workflow__service__in=services_in_scope)
        .values_list("code", "label")
        .distinct()
        .order_by("code"),
        "today": today,
        "page": page,
        "previous_page": page - 1 if page > 1 else None,
        "next_page": page + 1 if len(found) > DESK_ROWS and page < DESK_MAX_PAGE else None,
        "query": query.urlencode(),
    }
    return render(request, "cases/desk.html", context)


@login_required
def case_desk_stamp(request, mall: str):
    """The desk's snapshot: the stamp its live group carries (a desk whose stamp moved re-reads its page)."""
    mall_obj = staff_mall(request.user, mall, roles=CASE_STAFF_ROLES)
    return JsonResponse(live_updates.desk_document(live_updates.desk_of(request.user, mall_obj)))


def _page_number(raw) -> int:
    """``?hal=N`` as a page number; anything else is the first page."""
    try:
        return min(max(int(raw), 1), DESK_MAX_PAGE)
    except (TypeError, ValueError):
        return 1


@login_required
def case_sla(request, mall: str):
    """On time / late per service (the agency's for a supervisor, the mall's for the manager)."""
    mall_obj = staff_mall(request.user, mall)
    today = service_day(mall_obj)
    context = {"mall": mall_obj, "rows": sla.per_service(request.user, mall_obj, today), "today": today}
    return render(request, "cases/sla.html", context)


@login_required
def case_new(request, mall: str):
    """Open a case: from the console with ``?ticket=<id>`` (the ticket being served), or for a dropped-off document."""
    mall_obj = staff_mall(request.user, mall, roles=(Role.OFFICER, Role.SUPERVISOR))
    data = request.POST if request.method == "POST" else request.GET
    ticket = None
    if data.get("ticket"):
        try:
            ticket_id = int(data["ticket"])
        except ValueError:
            ticket_id = 0
        ticket = access_ticket(request.user, Ticket.objects.all(), mall_obj.slug, ticket_id)
    code = data.get("service") or (ticket.service.code if ticket else "")
    service = access_service(request.user, mall_obj, code) if code else None
    error = ""
    if request.method == "POST" and service is not None:
        try:
            case = services.open_case(
                request.user,
                service,
                nik=data.get("nik"),
                name=data.get("name"),
                phone=data.get("phone", ""),
                ticket=ticket,
                missing=data.getlist("missing"),
                note=data.get("note", ""),
            )
        except Refused as err:
            error = err.message
        else:
            return redirect("case_detail", mall=mall_obj.slug, registration_number=case.registration_number)
    context = {
        "mall": mall_obj,
        "ticket": ticket,
        "service": service,
        "services": scope(request.user, Service.objects.active().filter(mall=mall_obj)).order_by("name"),
        "requirements": services.requirement_lines(service) if service else [],
        "form": data if request.method == "POST" else {},
        "missing": data.getlist("missing") if request.method == "POST" else [],
        "error": error,
    }
    return render(request, "cases/new.html", context, status=422 if error else 200)


def _assignable(case: Case):
    return User.objects.filter(
        mall_id=case.mall_id, agency_id=case.agency_id, role__in=services.ASSIGNABLE_ROLES, is_active=True
    ).order_by("first_name", "username")


@login_required
def case_detail(request, mall: str, registration_number: str):
    case = _case(request, mall, registration_number)
    if request.method == "POST":
        try:
            _change(request, case)
        except Refused as err:
            messages.error(request, err.message)
        return redirect("case_detail", mall=case.mall.slug, registration_number=case.registration_number)
    context = {
        "mall": case.mall,
        "case": case,
        "overdue": services.is_overdue(case),
        "actions": services.allowed_actions(request.user, case),
        "may_assign": services.may_assign(request.user, case),
        "may_take": case.assignee_id is None and request.user.role in services.ASSIGNABLE_ROLES,
        "officers": _assignable(case),
        "requirements": case.requirements.all(),
        "history": case.events.select_related("actor"),
        "pickup": case.state.kind == StateKind.PICKUP,
        "attachments": case.attachments.all(),
        # The page follows its case's live group, as the citizen's tracking page does, with the same proof.
        "live_token": live_updates.track_token(case),
    }
    return render(request, "cases/detail.html", context)


@login_required
def case_detail_stamp(request, mall: str, registration_number: str):
    """The case page's snapshot: its newest history row (a page whose stamp moved re-reads its body)."""
    case = _case(request, mall, registration_number)
    return JsonResponse(live_updates.desk_stamp(Case.objects.filter(pk=case.pk)))


def _change(request, case: Case) -> None:
    data = request.POST
    op = data.get("op")
    user = request.user
    if op == "act":
        services.act(user, case, data.get("action", ""), note=data.get("note", ""))
    elif op == "take":
        services.assign(user, case, user)
    elif op == "assign":
        officer = _assignable(case).filter(pk=data.get("assign_to") or 0).first() if data.get("assign_to") else None
        if data.get("assign_to") and officer is None:
            raise Refused("invalid", _("Petugas tidak ditemukan di instansi ini."), status=422, field="assign_to")
        services.assign(user, case, officer)
    elif op == "requirement":
        try:
            requirement_id = int(data.get("requirement", ""))
        except ValueError:
            requirement_id = 0
        services.set_requirement(user, case, requirement_id, data.get("present") == "1")
    elif op == "payment":
        services.record_payment(user, case, data.get("receipt_number"))
    elif op == "attach":
        if "file" in uploads.oversized_uploads(request):  # dropped while read: say so
            raise uploads.too_large("file")
        if not request.FILES.get("file"):
            raise Refused("invalid", _("Pilih berkas yang akan dilampirkan."), status=422, field="file")
        services.attach(user, case, request.FILES["file"])
    elif op == "pickup":
        ticket = services.issue_pickup_ticket(case, actor=user)
        messages.success(request, _("Nomor antrean pengambilan: %(number)s.") % {"number": ticket.number})
    else:
        raise Refused("invalid", _("Perintah tidak dikenal."), status=422)


@login_required
def case_file(request, mall: str, registration_number: str, file_id: int):
    """Download one of the case's files (the owning agency and the manager only), with the type it really has."""
    case = _case(request, mall, registration_number)
    attachment = case.attachments.filter(pk=file_id).first()
    if attachment is None:
        raise Http404
    try:
        path = uploads.private_path(attachment.path)
        handle = path.open("rb")
    except FileNotFoundError as err:
        raise Http404 from err
    stem = attachment.original_name.rsplit(".", 1)[0] or "lampiran"
    name = f"{stem}.{uploads.EXTENSIONS.get(attachment.content_type, 'bin')}"
    return FileResponse(handle, as_attachment=True, filename=name, content_type=attachment.content_type)


@login_required
def case_receipt(request, mall: str, registration_number: str):
    """The 80 mm receipt printed at the counter: the number to say aloud and a QR to the tracking page."""
    case = _case(request, mall, registration_number)
    link = request.build_absolute_uri(reverse("case_track") + f"?nomor={case.registration_number}")
    context = {
        "mall": case.mall,
        "case": case,
        "qr_svg": qr_svg(link),
        "link": link,
        "back": reverse("case_detail", args=[case.mall.slug, case.registration_number]),
        "return_seconds": RECEIPT_RETURN_SECONDS,
    }
    return render(request, "cases/receipt.html", context)


@ratelimit.limit_public_page("case_track")
def case_track(request):
    """The public tracking page: registration number and the NIK's last four digits (POST keeps them out of logs)."""
    number = request.POST.get("nomor") or request.GET.get("nomor", "")
    found = case = None
    asked = request.method == "POST"
    if asked:
        case = tracking.find(number, request.POST.get("nik4"))
        found = tracking.public_view(case) if case else None
        if case is not None and request.POST.get("op") == "pickup":
            try:
                ticket = services.issue_pickup_ticket(case)
            except Refused as err:
                messages.error(request, err.message)
            else:
                return redirect("ticket_status", public_code=ticket.public_code)
    context = {
        "number": str(number)[: tracking.NUMBER_MAX],
        "asked": asked,
        "found": found,
        "nik4": request.POST.get("nik4", "")[:4] if found else "",
        # Proof the page passed the NIK check: its live socket and snapshot ask with it, never with the number.
        "live_token": live_updates.track_token(case) if found else "",
        "mall_slug": case.mall.slug if found else "",
    }
    return render(request, "cases/track.html", context, status=404 if asked and found is None else 200)


@ratelimit.limit_public_page("case_track")
def case_track_snapshot(request, token: str):
    """The tracking page's snapshot (what its live document carries); an unknown token is a 404."""
    case = live_updates.tracked_case(token)
    return JsonResponse(tracking.public_document(case))
