"""The mall manager's view of the outbox: what was sent to whom (masked), and what failed and why.

The outbox itself (``notify``) is a leaf; its page needs accounts' tenancy, so it lives here with the
manager's other pages.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from satuatap.accounts.access import managed_mall
from satuatap.notify.models import Message, Status

PAGE_ROWS = 200
# The notice each kind is (a kind is the name of its template in notify/templates/notify/).
KIND_LABELS = {
    "booking_confirmed": _("Pemesanan dikonfirmasi"),
    "booking_cancelled": _("Pemesanan dibatalkan"),
    "booking_rescheduled": _("Pemesanan dijadwalkan ulang"),
    "booking_no_show": _("Pemesan tidak hadir"),
    "booking_reminder_day": _("Pengingat H-1"),
    "booking_reminder_hour": _("Pengingat 1 jam sebelum"),
    "turn_near": _("Giliran hampir tiba"),
    "survey_link": _("Tautan survei kepuasan"),
    "complaint_update": _("Kabar pengaduan"),
}


def kind_label(kind: str) -> str:
    return str(KIND_LABELS.get(kind, kind.replace("_", " ").capitalize()))


@login_required
def outbox_page(request, mall: str):
    mall_obj = managed_mall(request.user, mall)  # the outbox holds citizens' (masked) contacts: the manager only
    rows = Message.objects.filter(mall=mall_obj)
    counts = dict(rows.values_list("status").annotate(n=Count("pk")).values_list("status", "n"))
    status = request.GET.get("status", "")
    if status in Status.values:
        rows = rows.filter(status=status)
    else:
        status = ""
    context = {
        "mall": mall_obj,
        "messages_page": [
            (message, kind_label(message.kind)) for message in rows.order_by("-created_at", "-pk")[:PAGE_ROWS]
        ],
        "statuses": [(value, label, counts.get(value, 0)) for value, label in Status.choices],
        "status": status,
        "limit": PAGE_ROWS,
    }
    return render(request, "reports/outbox.html", context)
