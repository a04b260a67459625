"""Complaint pages: the public form and tracking page, and the staff desk (manager, supervisors)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from satuatap import ratelimit
from satuatap.accounts.access import may_act_for_agency, public_mall_page, staff_mall
from satuatap.accounts.scoping import can_manage_mall, scope
from satuatap.complaints import complaints
from satuatap.complaints.models import Complaint, ComplaintAttachment, ComplaintStatus
from satuatap.directory.models import Agency, Mall
from satuatap.refusal import Refused
from satuatap.uploads import oversized_uploads

S = ComplaintStatus


def _filing_limited(request) -> bool:
    return not complaints.filing_allowed(ratelimit.client_address(request))


@public_mall_page("ticket", with_hours=False)
def complaint_form(request, mall: Mall):
    agencies = Agency.objects.filter(mall=mall).order_by("name")
    form, error = {}, ""
    if request.method == "POST":
        form = request.POST
        files = request.FILES.getlist("attachment")
        # A file past the size limit was dropped while it was read (satuatap/uploads.py): say so.
        oversized = "attachment" in oversized_uploads(request)
        agency = None
        if form.get("agency"):
            agency = agencies.filter(code=form["agency"]).first()
        if form.get("agency") and agency is None:
            error = _("Instansi tidak dikenal di mal ini.")
        elif _filing_limited(request):
            error = _("Terlalu banyak pengaduan dari perangkat ini. Coba lagi nanti.")
            return render(
                request, "complaints/complaint_form.html", _form_context(mall, agencies, form, error), status=429
            )
        elif oversized:
            error = complaints.too_large_error().message
        else:
            try:
                complaint = complaints.file_complaint(
                    mall,
                    form.get("subject"),
                    form.get("body"),
                    agency=agency,
                    contact=form.get("contact", ""),
                    attachment=files,
                )
            except Refused as err:
                error = err.message
            else:
                return redirect("complaint_track", tracking_code=complaint.tracking_code)
        if files or oversized:  # a browser cannot refill a file input: say so, the text is kept
            error = f"{error} {_('Isian Anda tetap ada, tetapi lampiran perlu dipilih ulang.')}"
        return render(request, "complaints/complaint_form.html", _form_context(mall, agencies, form, error), status=422)
    return render(request, "complaints/complaint_form.html", _form_context(mall, agencies, form, error))


def _form_context(mall, agencies, form, error):
    return {
        "mall": mall,
        "agencies": agencies,
        "form": form,
        "error": error,
        "attachment_max_bytes": settings.COMPLAINT_ATTACHMENT_MAX_BYTES,
    }


@ratelimit.limit_public_page("ticket")
def complaint_track(request, tracking_code: str):
    """The tracking code is the permission; POST reopens an answered complaint."""
    complaint = Complaint.objects.select_related("mall", "agency").filter(tracking_code=tracking_code).first()
    if complaint is None:
        raise Http404
    error = ""
    if request.method == "POST":
        try:
            complaints.reopen(complaint, request.POST.get("reason"))
        except Refused as err:
            error = err.message
        else:
            return redirect("complaint_track", tracking_code=complaint.tracking_code)
    context = {
        "complaint": complaint,
        "mall": complaint.mall,
        "history": complaint.events.all(),
        "attachments": complaint.attachments.all(),  # name and size only: never served to the public
        "can_reopen": complaint.status == S.ANSWERED,
        "error": error,
    }
    return render(request, "complaints/complaint_track.html", context, status=422 if error else 200)


def mask(contact: str) -> str:
    if len(contact) <= 4:
        return "•" * len(contact)
    return contact[:2] + "•" * (len(contact) - 4) + contact[-2:]


@login_required
def complaint_desk(request, mall: str):
    mall_obj = staff_mall(request.user, mall)
    rows = (
        scope(request.user, Complaint.objects.filter(mall=mall_obj))
        .select_related("agency", "mall")
        .prefetch_related("attachments")
    )
    status = request.GET.get("status", "")
    if status in S.values:
        rows = rows.filter(status=status)
    items = [{"c": c, "overdue": complaints.is_overdue(c)} for c in rows[:200]]
    return render(
        request,
        "complaints/complaint_desk.html",
        {"mall": mall_obj, "items": items, "statuses": S.choices, "status": status},
    )


def _actions(user, complaint) -> set[str]:
    if can_manage_mall(user, complaint.mall):
        allowed = {S.RECEIVED: {"verify", "not_ours"}, S.VERIFIED: {"forward", "not_ours"}, S.ANSWERED: {"close"}}
        return allowed.get(complaint.status, set())
    if may_act_for_agency(user, complaint.mall_id, complaint.agency_id, manager=False):
        return {S.FORWARDED: {"start", "answer"}, S.IN_PROGRESS: {"answer"}}.get(complaint.status, set())
    return set()


def _act(user, complaint, action, post, agencies):
    if action == "verify":
        return complaints.verify(complaint, user)
    if action == "forward":
        return complaints.forward(complaint, user, agencies.filter(code=post.get("agency", "")).first())
    if action == "not_ours":
        return complaints.not_our_authority(complaint, user, post.get("reason"), post.get("where_to_go"))
    if action == "start":
        return complaints.start(complaint, user)
    if action == "answer":
        return complaints.answer(complaint, user, post.get("answer"))
    if action == "close":
        return complaints.close(complaint, user)
    raise Refused("invalid", _("Tindakan tidak dikenal."), status=422)


@login_required
def complaint_detail(request, mall: str, complaint_id: int):
    mall_obj = staff_mall(request.user, mall)
    complaint = get_object_or_404(scope(request.user, Complaint.objects.filter(mall=mall_obj)), pk=complaint_id)
    agencies = Agency.objects.filter(mall=mall_obj).order_by("name")
    error = ""
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action not in _actions(request.user, complaint):
                raise Refused("forbidden", _("Tindakan ini tidak tersedia untuk Anda."), status=403)
            _act(request.user, complaint, action, request.POST, agencies)
        except Refused as err:
            error = err.message
        else:
            return redirect("complaint_detail", mall=mall_obj.slug, complaint_id=complaint.pk)
    manager = can_manage_mall(request.user, mall_obj)
    context = {
        "mall": mall_obj,
        "complaint": complaint,
        "contact": complaint.contact if manager else mask(complaint.contact),
        "history": complaint.events.select_related("actor"),
        "attachments": complaint.attachments.all(),
        "actions": _actions(request.user, complaint),
        "agencies": agencies,
        "overdue": complaints.is_overdue(complaint),
        "error": error,
    }
    return render(request, "complaints/complaint_detail.html", context, status=422 if error else 200)


@login_required
def complaint_attachment(request, mall: str, complaint_id: int, attachment_id: int):
    """A complaint's attachment, for the staff who may see the complaint; always a download, never shown inline."""
    mall_obj = staff_mall(request.user, mall)
    # The complaint first, by its pk (an id out of the column's range is a plain 404), then its attachment;
    # both through scoping.
    complaint = get_object_or_404(scope(request.user, Complaint.objects.filter(mall=mall_obj)), pk=complaint_id)
    rows = ComplaintAttachment.objects.filter(complaint=complaint)
    attachment = get_object_or_404(scope(request.user, rows), pk=attachment_id)
    try:
        handle = complaints.attachment_path(attachment).open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        handle, as_attachment=True, filename=attachment.download_name, content_type=attachment.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
