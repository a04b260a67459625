"""Public booking pages, phone first: agency → service → date → slot → form → confirmation.

Thin on purpose: every rule (window, closed days, capacity, NIK and phone checks,
anti-hoarding limits, cancel and reschedule) lives in ``booking.slots`` and
``booking.bookings``; a refusal's message (``Refused``) is shown as it is.
The booking code is the permission to see the booking's page (masked data only);
changing it also needs the NIK.
"""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from satuatap import ratelimit
from satuatap.accounts.access import public_mall_page
from satuatap.booking import bookings, policies, slots
from satuatap.booking.forms import BookingForm, NikForm, new_idempotency_key
from satuatap.booking.models import Booking, BookingPolicy, Ordering
from satuatap.booking.policies import bookable_services
from satuatap.directory.hours import local_now, mall_tz, service_day
from satuatap.directory.models import Agency, Mall, Service
from satuatap.directory.views import bullet_lines
from satuatap.qr import qr_svg
from satuatap.refusal import Refused

# Booking submits (new, cancel, reschedule) per client address per hour, on top of the
# per-minute limit of every public page: enough for a family, too few for a tout's script.
SUBMITS_PER_HOUR = 20


def ordering_text(policy) -> str:
    """The mall's ordering rule in words (the public pages must state it)."""
    if policy.ordering == Ordering.SLOT_PRIORITY:
        return _(
            "Jika Anda check-in di anjungan dalam jendela waktu slot Anda, nomor Anda masuk antrean pada jam awal "
            "slot: didahulukan dari pengunjung langsung yang mengambil nomor sesudah jam itu."
        )
    return _(
        "Pemesanan menyimpan tempat Anda pada slot itu. Nomor antrean diberikan saat check-in di anjungan, "
        "dan Anda masuk antrean sejak saat check-in, bersama pengunjung langsung."
    )


# --- lookups ------------------------------------------------------------------------------------


def submit_limited(request, limit: int | None = None) -> bool:
    """True when this client address has used its booking submits of the hour (``SUBMITS_PER_HOUR`` by default)."""
    limit = SUBMITS_PER_HOUR if limit is None else limit
    return not ratelimit.hit("booking-submit", ratelimit.client_address(request), limit=limit, window=3600)


def _service(mall: Mall, code: str) -> Service:
    service = get_object_or_404(bookable_services(mall).select_related("agency__zone"), code=code)
    service.mall = mall  # with its opening hours read already (the slots need them)
    return service


def _parse_day(raw: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        return None


def _day(raw: str) -> dt.date:
    day = _parse_day(raw)
    if day is None:
        raise Http404
    return day


def _booking(mall: Mall, code: str) -> Booking:
    booking = bookings.find(mall, code)  # unknown: Refused 404, the 404 page (RefusalMiddleware)
    booking.service.mall = mall  # with its opening hours read already (the slots need them)
    return booking


def _slot_at(service: Service, day: dt.date, hhmm: str):
    """The slot of that day starting at local ``HH:MM``, or None."""
    try:
        at = dt.time.fromisoformat(hhmm)
    except (TypeError, ValueError):
        return None
    return slots.find_slot(service, dt.datetime.combine(day, at, tzinfo=mall_tz(service.mall)))[1]


def _slot_rows(items) -> list[dict]:
    """Slots (their times are the mall's local time already) with the form's ``HH:MM`` value and the label."""
    return [{"slot": slot, "hhmm": f"{slot.start:%H:%M}", "label": slot.label} for slot in items]


def _service_context(mall: Mall, service: Service) -> dict:
    policy = policies.policy_for(mall)
    return {
        "mall": mall,
        "service": service,
        "requirements": bullet_lines(service.requirements),
        "policy": policy,
        "ordering": ordering_text(policy),
        "tz_label": mall.get_timezone_display(),
    }


# --- the steps ----------------------------------------------------------------------------------


@public_mall_page("booking")
def booking_start(request, mall: Mall):
    """Step 1: the agencies that take online bookings."""
    policy = policies.policy_for(mall)
    counts: dict[int, int] = {}
    for agency_id in bookable_services(mall).values_list("agency_id", flat=True):
        counts[agency_id] = counts.get(agency_id, 0) + 1
    agencies = list(Agency.objects.active().filter(mall=mall, pk__in=counts).select_related("zone").order_by("name"))
    for agency in agencies:
        agency.bookable_count = counts[agency.pk]
    return render(
        request,
        "booking/start.html",
        {"mall": mall, "agencies": agencies, "policy": policy, "ordering": ordering_text(policy)},
    )


@public_mall_page("booking")
def booking_services(request, mall: Mall, agency_code: str):
    """Step 2: the agency's bookable services, each with its requirements before booking."""
    agency = get_object_or_404(Agency.objects.active(), mall=mall, code=agency_code)
    services = list(bookable_services(mall).filter(agency=agency))
    if not services:
        raise Http404
    policy = policies.policy_for(mall)
    for service in services:
        service.mall = mall
        service.requirement_lines = bullet_lines(service.requirements)
        service.booking_reason = policies.booking_state(service, policy)[1]
    return render(request, "booking/services.html", {"mall": mall, "agency": agency, "services": services})


@public_mall_page("booking")
def booking_days(request, mall: Mall, code: str):
    """Step 3: the days of the window; closed ones say why (holiday, closure, booking off)."""
    service = _service(mall, code)
    days = [
        {"day": day, "iso": day.isoformat(), "reason": reason} for day, reason in slots.days_open_for_booking(service)
    ]
    context = _service_context(mall, service)
    context["days"] = days
    context["any_open"] = any(not d["reason"] for d in days)
    return render(request, "booking/days.html", context)


@public_mall_page("booking")
def booking_slots(request, mall: Mall, code: str, day: str):
    """Step 4: the slots of one day with the places left; full ones cannot be chosen."""
    service = _service(mall, code)
    day = _day(day)
    items = slots.slots_for(service, day)
    reason = items.reason or ("" if items else _("Tidak ada slot pada tanggal ini."))
    context = _service_context(mall, service)
    context.update(day=day, slots=_slot_rows(items), reason=reason)
    return render(request, "booking/slots.html", context)


@public_mall_page("booking")
def booking_form(request, mall: Mall, code: str, day: str):
    """Step 5: NIK, name, phone and consent; the submit books (idempotent on the form's key)."""
    service = _service(mall, code)
    day = _day(day)
    hhmm = (request.POST if request.method == "POST" else request.GET).get("jam", "")
    slot = _slot_at(service, day, hhmm)
    context = _service_context(mall, service)
    context.update(day=day, hhmm=hhmm, error="", slot=slot)
    if slot is not None:
        context["slot_row"] = _slot_rows([slot])[0]
    if request.method != "POST":
        if slot is None or not slot.bookable:  # gone, full or too close: the slots page says which
            return redirect("booking_slots", mall.slug, service.code, day.isoformat())
        context["form"] = BookingForm(initial={"idempotency_key": new_idempotency_key()})
        return render(request, "booking/form.html", context)

    form = BookingForm(request.POST)
    context["form"] = form
    if submit_limited(request):
        context["error"] = _("Terlalu banyak pemesanan dari perangkat ini. Coba lagi nanti.")
        return render(request, "booking/form.html", context, status=429)
    if slot is None:
        context["error"] = _("Slot ini tidak ada (lagi). Silakan pilih slot lain.")
        return render(request, "booking/form.html", context, status=422)
    if not form.is_valid():
        context["error"] = _("Periksa isian yang ditandai.")
        return render(request, "booking/form.html", context, status=422)
    data = form.cleaned_data
    try:
        booking = bookings.book(
            service,
            slot.start,
            nik=data["nik"],
            name=data["name"],
            phone=data["phone"],
            idempotency_key=data["idempotency_key"],
        )
    except Refused as err:
        if err.code == "idempotency_conflict":  # this form's key made another booking: a fresh key for the retry
            data = request.POST.copy()
            data["idempotency_key"] = new_idempotency_key()
            form = context["form"] = BookingForm(data)
            form.is_valid()
        field = err.field if err.field in form.fields else None
        if field:
            form.add_error(field, err.message)  # shown at the field; the banner only points to it
        context["error"] = _("Periksa isian yang ditandai.") if field else err.message
        return render(request, "booking/form.html", context, status=err.status if err.status in (403, 409) else 422)
    return redirect("booking_confirmation", mall.slug, booking.code)


def window_text(mall: Mall, booking: Booking, policy: BookingPolicy | None = None) -> str:
    """The check-in window in local time, e.g. "09:30–10:45" (with the date when it is not the slot's day)."""
    day = service_day(mall, booking.start)

    def label(at: dt.datetime) -> str:
        local = local_now(mall, at)
        return f"{local:%H:%M}" if local.date() == day else f"{date_format(local.date(), 'j F')} {local:%H:%M}"

    opens, closes = bookings.check_in_window(booking, policy)
    return f"{label(opens)}–{label(closes)}"


def _booking_context(request, mall: Mall, booking: Booking) -> dict:
    policy = policies.policy_for(mall)
    opens, closes = bookings.check_in_window(booking, policy)
    return {
        "mall": mall,
        "booking": booking,
        "service": booking.service,
        "policy": policy,
        "ordering": ordering_text(policy),
        "window_opens": local_now(mall, opens),
        "window_closes": local_now(mall, closes),
        "window_text": window_text(mall, booking, policy),
        "start": local_now(mall, booking.start),
        "end": local_now(mall, booking.end),
        "tz_label": mall.get_timezone_display(),
        "page_url": request.build_absolute_uri(reverse("booking_detail", args=[mall.slug, booking.code])),
    }


@public_mall_page("booking")
def booking_confirmation(request, mall: Mall, booking_code: str):
    """Step 6: the code, its QR (the kiosk scans it), and the way to the booking's page."""
    booking = _booking(mall, booking_code)
    context = _booking_context(request, mall, booking)
    context["qr_svg"] = qr_svg(booking.code)
    return render(request, "booking/confirmation.html", context)


def _detail(request, mall: Mall, booking: Booking, *, status: int = 200, **extra):
    context = _booking_context(request, mall, booking)
    context.setdefault("cancel_form", NikForm(prefix="batal"))
    context.setdefault("move_form", NikForm(prefix="ubah"))
    context.update(cancel_error="", move_error="", move_days=[], move_slots=[], move_day=None, move_hhmm="")
    context.update(extra)
    if booking.is_active:
        context["move_days"] = [
            {"iso": day.isoformat(), "day": day}
            for day, reason in slots.days_open_for_booking(booking.service)
            if not reason
        ]
        if context["move_day"] is not None:
            context["move_slots"] = _slot_rows(slots.slots_for(booking.service, context["move_day"]))
    return render(request, "booking/detail.html", context, status=status)


@public_mall_page("booking")
def booking_detail(request, mall: Mall, booking_code: str):
    """The booking's page: status, slot, masked data, check-in window; cancel and reschedule."""
    booking = _booking(mall, booking_code)
    return _detail(request, mall, booking, move_day=_parse_day(request.GET.get("tanggal", "")))


@require_POST
@public_mall_page("booking")
def booking_cancel(request, mall: Mall, booking_code: str):
    booking = _booking(mall, booking_code)
    form = NikForm(request.POST, prefix="batal")
    if submit_limited(request):
        error = _("Terlalu banyak permintaan dari perangkat ini. Coba lagi nanti.")
        return _detail(request, mall, booking, status=429, cancel_form=form, cancel_error=error)
    if not form.is_valid():
        return _detail(request, mall, booking, status=422, cancel_form=form, cancel_error=_("NIK wajib diisi."))
    try:
        bookings.cancel(booking, nik=form.cleaned_data["nik"], reason=_("Dibatalkan oleh pemesan"))
    except Refused as err:
        return _detail(request, mall, booking, status=_status(err), cancel_form=form, cancel_error=err.message)
    messages.success(request, _("Pemesanan dibatalkan. Tempat Anda dilepas untuk orang lain."))
    return redirect("booking_detail", mall.slug, booking.code)


@require_POST
@public_mall_page("booking")
def booking_reschedule(request, mall: Mall, booking_code: str):
    booking = _booking(mall, booking_code)
    form = NikForm(request.POST, prefix="ubah")
    move_day, hhmm = _parse_day(request.POST.get("tanggal", "")), request.POST.get("jam", "")

    def refuse(message: str, status: int = 422):
        return _detail(
            request, mall, booking, status=status, move_form=form, move_error=message, move_day=move_day, move_hhmm=hhmm
        )

    if submit_limited(request):
        return refuse(_("Terlalu banyak permintaan dari perangkat ini. Coba lagi nanti."), 429)
    if not form.is_valid():
        return refuse(_("NIK wajib diisi."))
    slot = _slot_at(booking.service, move_day, hhmm) if move_day else None
    if slot is None:
        return refuse(_("Pilih tanggal dan jam baru dari daftar."))
    try:
        booking = bookings.reschedule(booking, slot.start, nik=form.cleaned_data["nik"])
    except Refused as err:
        return refuse(err.message, _status(err))
    messages.success(request, _("Jadwal kunjungan diubah."))
    return redirect("booking_detail", mall.slug, booking.code)


def _status(err: Refused) -> int:
    return err.status if err.status in (403, 404, 409, 422) else 422
