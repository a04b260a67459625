"""The manager's switch for online booking (whole mall or one service) and today's bookings.

The mall manager switches; a supervisor of an agency of the mall reads the page for
their agency's services (no switches). Anyone else gets a 404, like other mall pages.
Existing bookings are honoured or cancelled with notice, as the manager chooses;
walk-in service is never touched (``bookings.set_booking_enabled``).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from satuatap.accounts.access import staff_mall
from satuatap.accounts.scoping import can_manage_mall, scope
from satuatap.booking import bookings, policies
from satuatap.booking.models import Booking, ServiceBookingSetting
from satuatap.booking.policies import bookable_services
from satuatap.booking.views import ordering_text
from satuatap.directory.hours import local_now, service_day
from satuatap.directory.models import Mall
from satuatap.refusal import Refused

EXISTING_CHOICES = ("honour", "cancel")
# Suggested reasons for opening a booking's personal data (any other reason may be typed).
REVEAL_REASONS = (
    gettext_lazy("verifikasi identitas saat check-in"),
    gettext_lazy("menghubungi warga"),
    gettext_lazy("menindaklanjuti pengaduan warga"),
)


def _manage_mall(user, slug: str) -> tuple[Mall, bool]:
    """The mall and whether the user may switch (manager) or only read (a supervisor there); else 404."""
    mall = staff_mall(user, slug)
    return mall, can_manage_mall(user, mall)


def _service_rows(user, mall: Mall) -> list[dict]:
    services = scope(user, bookable_services(mall))
    settings = {s.service_id: s.enabled for s in ServiceBookingSetting.objects.filter(service__in=services)}
    return [{"service": s, "enabled": settings.get(s.pk, True)} for s in services]


def _today_rows(user, mall: Mall) -> list[dict]:
    rows = (
        scope(user, Booking.objects.filter(mall=mall, day=service_day(mall)))
        .select_related("service")
        .order_by("start", "pk")
    )
    return [
        {
            "booking": b,
            "start": local_now(mall, b.start),
            "end": local_now(mall, b.end),
        }
        for b in rows[:500]
    ]


@login_required
def booking_manage(request, mall: str):
    mall, can_switch = _manage_mall(request.user, mall)
    error = ""
    if request.method == "POST":
        if not can_switch:
            raise Http404
        error = _switch(request, mall)
        if not error:
            return redirect("booking_manage", mall.slug)
    policy = policies.policy_for(mall)
    context = {
        "mall": mall,
        "can_switch": can_switch,
        "policy": policy,
        "ordering": ordering_text(policy),
        "services": _service_rows(request.user, mall),
        "today": _today_rows(request.user, mall),
        "day": service_day(mall),
        "error": error,
        "form": request.POST if error else {},
        "reveal_reasons": REVEAL_REASONS,
    }
    return render(request, "booking/manage.html", context, status=422 if error else 200)


def _switch(request, mall: Mall) -> str:
    """Apply one switch from the form; an error message, or "" after success."""
    post = request.POST
    enabled = post.get("enabled")
    existing = post.get("existing", "honour")
    if enabled not in ("0", "1"):
        return _("Pilihan buka/tutup tidak sah.")
    if existing not in EXISTING_CHOICES:
        return _("Pilih apa yang terjadi dengan pemesanan yang sudah ada.")
    service = None
    code = post.get("service", "")
    if code:
        service = bookable_services(mall).filter(code=code).first()
        if service is None:
            return _("Layanan tidak dikenal atau tidak dapat dipesan daring.")
    try:
        cancelled = bookings.set_booking_enabled(
            mall, enabled == "1", service=service, existing=existing, actor=request.user
        )
    except Refused as err:
        return err.message
    what = service.name if service else _("seluruh mal")
    if enabled == "1":
        messages.success(request, _("Pemesanan daring dibuka untuk %(what)s.") % {"what": what})
    elif cancelled:
        messages.success(
            request,
            ngettext(
                "Pemesanan daring ditutup untuk %(what)s; %(n)s pemesanan dibatalkan dengan pemberitahuan.",
                "Pemesanan daring ditutup untuk %(what)s; %(n)s pemesanan dibatalkan dengan pemberitahuan.",
                cancelled,
            )
            % {"what": what, "n": cancelled},
        )
    else:
        messages.success(
            request,
            _("Pemesanan daring ditutup untuk %(what)s; pemesanan yang sudah ada tetap dilayani.") % {"what": what},
        )
    return ""


@never_cache
@require_POST
def booking_reveal(request, mall: str, booking_code: str):
    """Show one booking's NIK, name and phone in full, once, with the reason on the audit log.

    The mall manager may open any booking of the mall; a supervisor only their own
    agency's bookings (the agency serves and verifies the citizen); anyone else gets
    a 404, as does a booking outside the user's scope. Never cached.
    """
    if not request.user.is_authenticated:
        raise Http404
    mall = _manage_mall(request.user, mall)[0]
    code = bookings.normalise_code(booking_code)
    booking = get_object_or_404(
        scope(request.user, Booking.objects.filter(mall=mall)).select_related("mall", "service__agency"), code=code
    )
    reason = request.POST.get("reason_other", "").strip() or request.POST.get("reason", "")
    try:
        values = bookings.reveal_contact(booking, actor=request.user, reason=reason)
    except Refused as err:
        # Back to the list (whose forms post to their own URL) with the reason why.
        messages.error(request, err.message)
        return redirect("booking_manage", mall.slug)
    context = {
        "mall": mall,
        "booking": booking,
        "start": local_now(mall, booking.start),
        "end": local_now(mall, booking.end),
        "values": values,
        "reason": bookings.reveal_reason(reason),
    }
    return render(request, "booking/reveal.html", context)
