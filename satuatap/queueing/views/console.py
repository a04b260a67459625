"""The counter officer's console: sign in at a counter, call, serve, transfer.

Actions are htmx posts that swap the panel (and the message, out of band);
without JavaScript the same forms post normally and redirect back. Every
change goes through ``queueing.tickets``, which refuses what is not the
officer's to do.
"""

from __future__ import annotations

import re
from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from satuatap.accounts.models import Role
from satuatap.accounts.scoping import scope
from satuatap.directory.models import Counter, Service
from satuatap.queueing import counter_picker, idempotency, snapshots, tickets
from satuatap.queueing.models import Ticket, TicketStatus
from satuatap.queueing.views.kiosk import priority_label
from satuatap.refusal import Refused

ACTIONS = ("call-next", "call-ticket", "recall", "start", "finish", "no-show", "transfer")


def officer_required(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if request.user.role != Role.OFFICER:
            return render(request, "queueing/console_forbidden.html", status=403)
        return view(request, *args, **kwargs)

    return wrapper


def _my_counter(user) -> Counter | None:
    return scope(user, Counter.objects.active()).filter(officer=user).select_related("mall", "agency__zone").first()


def _transfer_groups(counter: Counter, current_service_id: int | None):
    """Other services of the mall for the transfer select: the counter's own agency first, then the rest.

    Most transfers stay inside the agency (a KTP applicant who also needs a KK), so the officer finds
    the usual target at the top; the console's search box filters the rest.
    """
    services = (
        Service.objects.active()
        .filter(mall_id=counter.mall_id, agency__archived_at__isnull=True)
        .exclude(pk=current_service_id)
        .select_related("agency")
        .order_by("agency__name", "name")
    )
    own: list = []
    groups: dict[str, list] = {}
    for service in services:
        if service.agency_id == counter.agency_id:
            own.append(service)
        else:
            groups.setdefault(service.agency.name, []).append(service)
    head = [(_("%(agency)s (instansi ini)") % {"agency": counter.agency.name}, own)] if own else []
    return head + list(groups.items())


def _next_action(status: str | None, can: dict) -> str:
    """The button the officer most likely presses now: it stands out on the console."""
    if status is None:
        return "call_next" if can["call_next"] else ""
    return "start" if status == TicketStatus.CALLED else "finish"


def _panel_context(counter: Counter) -> dict:
    snap = snapshots.console_snapshot(counter)
    current = snap["current"]
    status = current["status"] if current else None
    current_service_id = None
    if current:
        current_service_id = Ticket.objects.filter(pk=current["id"]).values_list("service_id", flat=True).first()
        current["priority_label"] = priority_label(current["priority_group"]) if current["priority_group"] else ""
    can = {
        "call_next": current is None and snap["open"],
        "recall": status == TicketStatus.CALLED,
        "start": status == TicketStatus.CALLED,
        "finish": status in (TicketStatus.CALLED, TicketStatus.SERVING),
        "no_show": status == TicketStatus.CALLED,
        "transfer": current is not None,
        "sign_out": current is None,
    }
    return {
        "counter": counter,
        "snap": snap,
        "current": current,
        "can": can,
        "next_action": _next_action(status, can),
        "transfer_groups": _transfer_groups(counter, current_service_id) if current else [],
    }


@officer_required
def console(request):
    # The console shows messages in its own #console-message box, not in the page's list.
    console_messages = [{"tags": m.tags, "text": str(m)} for m in messages.get_messages(request)]
    counter = _my_counter(request.user)
    context = {"messages": [], "console_messages": console_messages, "counter": counter}
    if counter is None:
        context.update(counter_picker.choices(request.user))
    else:
        context.update(_panel_context(counter))
        context["snapshot_url"] = reverse("console_snapshot")
        context["panel_url"] = reverse("console_panel")
    return render(request, "queueing/console.html", context)


@officer_required
def console_panel(request):
    counter = _my_counter(request.user)
    if counter is None:
        response = HttpResponse(status=204)
        response["HX-Refresh"] = "true"
        return response
    return render(request, "queueing/console_panel.html", _panel_context(counter))


@officer_required
def console_snapshot_json(request):
    counter = _my_counter(request.user)
    if counter is None:
        return JsonResponse({"counter": None})
    return JsonResponse(snapshots.console_snapshot(counter))


@require_POST
@officer_required
def console_sign_in(request, number):
    counter = scope(request.user, Counter.objects.active()).filter(number=number).first()
    if counter is None:
        messages.error(request, _("Loket %(number)s tidak ditemukan di instansi Anda.") % {"number": number})
        return redirect("console")
    try:
        tickets.sign_in(counter, request.user)
    except Refused as err:
        messages.error(request, err.message)
    else:
        messages.success(request, _("Anda bertugas di loket %(number)s.") % {"number": counter.number})
    return redirect("console")


@require_POST
@officer_required
def console_sign_out(request):
    counter = _my_counter(request.user)
    if counter is None:
        messages.error(request, _("Anda tidak sedang bertugas di loket mana pun."))
        return redirect("console")
    try:
        tickets.sign_out(counter, request.user)
    except Refused as err:
        messages.error(request, err.message)
    else:
        messages.success(request, _("Anda keluar dari loket %(number)s.") % {"number": counter.number})
    return redirect("console")


def _target_ticket(request, counter: Counter) -> Ticket:
    """The ticket an action names (``ticket`` field), or the one at the counter."""
    raw = request.POST.get("ticket", "").strip()
    tickets_seen = scope(request.user, Ticket.objects.select_related("service__agency", "counter"))
    if raw:
        if not re.fullmatch(r"[0-9]{1,18}", raw):
            raise Refused("bad_ticket", _("Tiket tidak ditemukan."), status=404)
        ticket = tickets_seen.filter(pk=int(raw)).first()
    else:
        ticket = tickets_seen.filter(counter=counter, status__in=[TicketStatus.CALLED, TicketStatus.SERVING]).first()
    if ticket is None:
        raise Refused("no_ticket", _("Tiket tidak ditemukan."), status=404)
    return ticket


def _do(request, action: str, counter: Counter) -> str:
    """Run one console action; return the confirmation. Raises Refused when refused.

    console.js sends an ``Idempotency-Key`` per press and sends it again when it retries (503, network):
    a retried call or finish answers what the first did."""
    officer = request.user
    key = idempotency.clean(request.headers.get(idempotency.HEADER))
    if action == "call-next":
        ticket = tickets.call_next(counter, officer, idempotency_key=key)
        if ticket is None:
            return _("Tidak ada antrean yang menunggu.")
        return _("Nomor %(number)s dipanggil ke loket %(counter)s.") % {
            "number": ticket.number,
            "counter": counter.number,
        }
    if action == "call-ticket":
        ticket = tickets.call_ticket(
            counter,
            officer,
            request.POST.get("number", ""),
            reason=request.POST.get("reason", ""),
            idempotency_key=key,
        )
        return _("Nomor %(number)s dipanggil ke loket %(counter)s di luar urutan.") % {
            "number": ticket.number,
            "counter": counter.number,
        }
    ticket = _target_ticket(request, counter)
    if action == "recall":
        tickets.recall(ticket, officer, idempotency_key=key)
        return _("Nomor %(number)s dipanggil ulang.") % {"number": ticket.number}
    if action == "start":
        tickets.start_service(ticket, officer, idempotency_key=key)
        return _("Mulai melayani nomor %(number)s.") % {"number": ticket.number}
    if action == "finish":
        tickets.finish(ticket, officer, idempotency_key=key)
        return _("Nomor %(number)s selesai dilayani.") % {"number": ticket.number}
    if action == "no-show":
        tickets.no_show(ticket, officer, idempotency_key=key)
        return _("Nomor %(number)s ditandai tidak hadir.") % {"number": ticket.number}
    code = request.POST.get("service", "").strip()
    target = tickets.transfer_target(counter.mall_id, code)
    tickets.transfer(ticket, officer, target)
    return _("Nomor %(number)s dialihkan ke %(service)s.") % {"number": ticket.number, "service": target.name}


@require_POST
@officer_required
def console_action(request, action):
    counter = _my_counter(request.user)
    if counter is None:
        messages.error(request, _("Anda belum masuk ke loket."))
        if request.htmx:
            response = HttpResponse(status=204)
            response["HX-Refresh"] = "true"
            return response
        return redirect("console")
    if action not in ACTIONS:
        level, text = messages.ERROR, _("Tindakan tidak dikenal.")
    else:
        try:
            level, text = messages.SUCCESS, _do(request, action, counter)
        except Refused as err:
            level, text = messages.ERROR, err.message
    if request.htmx:
        context = _panel_context(counter)
        context["oob_messages"] = [{"tags": "error" if level == messages.ERROR else "success", "text": text}]
        return render(request, "queueing/console_panel.html", context)
    messages.add_message(request, level, text)
    return redirect("console")
