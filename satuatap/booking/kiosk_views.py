"""Check-in at the kiosk: the citizen types the booking code (or scans its QR, which types it).

The booking becomes a ticket in its service's queue (``bookings.check_in``, idempotent:
scanning twice, or at two kiosks, gives the same ticket) and the kiosk shows and prints
that ticket on its usual ticket page. Too early, too late or an unknown code: a message
with the allowed window, and nothing changes.
"""

from __future__ import annotations

from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from satuatap.accounts.access import kiosk_page
from satuatap.booking import bookings
from satuatap.directory.hours import local_now
from satuatap.directory.models import Mall
from satuatap.refusal import Refused

CODE_MAX = 32


def clean_code(raw: str) -> str:
    """What a person or a scanner typed: spaces and dashes dropped, upper case."""
    return "".join(ch for ch in (raw or "") if ch.isalnum()).upper()[:CODE_MAX]


@kiosk_page
def kiosk_check_in(request, mall: Mall):
    error, window, code = "", None, ""
    if request.method == "POST":
        code = clean_code(request.POST.get("code", ""))
        if not code:
            error = _("Ketik kode pemesanan Anda.")
        else:
            try:
                booking = bookings.find(mall, code)
            except Refused as err:
                error = err.message
            else:
                try:
                    ticket = bookings.check_in(booking, actor=request.user)
                except Refused as err:
                    error = err.message
                    opens, closes = bookings.check_in_window(booking)
                    window = {"opens": local_now(mall, opens), "closes": local_now(mall, closes)}
                else:
                    return redirect("kiosk_ticket", mall.slug, ticket.public_code)
    context = {"mall": mall, "error": error, "window": window, "code": code, "tz_label": mall.get_timezone_display()}
    return render(request, "booking/kiosk_check_in.html", context, status=422 if error else 200)
