"""The only module that changes bookings.

Every function owns its transaction, writes an audit entry and, after commit,
hands the citizen's notice to the notify outbox. Capacity is enforced inside the
transaction by a conditional UPDATE on the slot's ``SlotCapacity`` row
(``booked < capacity``), never by a check before insert; the anti-hoarding rules
are counted inside the same transaction after a per-NIK and per-phone lock
(PostgreSQL advisory locks; SQLite's IMMEDIATE transactions serialise writers).

Personal data: only keyed hashes, encrypted values and masked copies are stored
(``satuatap.personal_data``); the audit log gets the masked copies only.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import secrets

from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from satuatap import personal_data
from satuatap.audit.log import record
from satuatap.audit.reveal import reveal
from satuatap.booking import reminders
from satuatap.booking.models import (
    Booking,
    BookingPolicy,
    BookingStatus,
    NoShowSuspension,
    Ordering,
    ServiceBookingSetting,
    SlotCapacity,
)
from satuatap.booking.nik import validate_nik
from satuatap.booking.policies import policy_for
from satuatap.booking.slots import find_slot
from satuatap.directory.hours import local_now, mall_tz, or_now, service_day
from satuatap.directory.models import Mall, Service
from satuatap.queueing.models import Ticket, TicketSource
from satuatap.refusal import Refused

log = logging.getLogger(__name__)

CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # no 0/O, 1/I/L: read aloud, typed from paper
CODE_LENGTH = 8
NAME_MAX = 100
# Statuses that used a place: a cancelled booking does not count towards the weekly limits.
_COUNTED = (BookingStatus.ACTIVE, BookingStatus.CHECKED_IN, BookingStatus.NO_SHOW)
_LOCK_NIK, _LOCK_PHONE = 7301, 7302  # advisory lock namespaces (two-int form; the audit lock uses one bigint)
SWEEP_BATCH = 500


def _duplicate_day_message() -> str:
    return _(
        "NIK ini sudah punya pesanan aktif untuk layanan ini pada tanggal tersebut. Satu NIK satu pesanan per hari."
    )


def _notify(booking: Booking, kind: str) -> None:
    """Hand a notice to the outbox after commit (robust: a failing outbox never fails a booking)."""
    transaction.on_commit(lambda: reminders.enqueue_for_booking(booking, kind), robust=True)


def _audit(action: str, booking: Booking, *, actor=None, **data) -> None:
    record(
        action,
        actor=actor,
        mall_id=booking.mall_id,
        subject=f"booking:{booking.code}",
        data={
            "service": booking.service_id,
            "start": booking.start.isoformat(),
            "nik": booking.nik_masked,
            "phone": booking.phone_masked,
            **data,
        },
    )


def _lock(namespace: int, digest: str) -> None:
    """Serialise transactions of one NIK (or phone) on PostgreSQL until commit."""
    if connection.vendor == "postgresql":
        key = int(digest[:8], 16) - 2**31
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [namespace, key])


def _clean_name(raw: str) -> str:
    name = " ".join(str(raw or "").replace("\x00", "").split())
    if not name:
        raise Refused("invalid_name", _("Nama wajib diisi sesuai KTP-el."), status=422)
    if len(name) > NAME_MAX:
        raise Refused(
            "invalid_name", _("Nama terlalu panjang (paling banyak %(n)d karakter).") % {"n": NAME_MAX}, status=422
        )
    return name


def _clean_nik(raw: str) -> str:
    try:
        return validate_nik(raw)
    except Refused as err:
        raise Refused("invalid_nik", err.message, status=422) from err


def _clean_phone(raw: str) -> str:
    try:
        return personal_data.normalise_phone(raw)
    except ValueError as err:
        raise Refused("invalid_phone", str(err), status=422) from err


def _aware(mall: Mall, at: dt.datetime) -> dt.datetime:
    if timezone.is_naive(at):
        return at.replace(tzinfo=mall_tz(mall))
    return at


def normalise_code(raw: str) -> str:
    return re.sub(r"[^0-9A-Z]", "", str(raw or "").upper())


def _new_code() -> str:
    while True:
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        if not Booking.objects.filter(code=code).exists():
            return code


def _existing(mall: Mall, service: Service, start: dt.datetime, nik_hash: str, key: str | None) -> Booking | None:
    """The booking a repeated submit made already: same idempotency key, or same service, slot and NIK."""
    if key:
        found = Booking.objects.filter(mall=mall, idempotency_key=key).first()
        if found is not None:
            if found.nik_hash != nik_hash:
                raise Refused(
                    "idempotency_conflict", _("Formulir ini sudah dipakai untuk pemesanan lain. Muat ulang halaman.")
                )
            return found
    return Booking.objects.filter(service=service, start=start, nik_hash=nik_hash, status=BookingStatus.ACTIVE).first()


def _slot_or_refuse(service: Service, start: dt.datetime, now: dt.datetime):
    slots, slot = find_slot(service, start, now=now)
    if slot is None:
        if slots.code == "booking_closed":
            raise Refused("booking_closed", slots.reason)
        if not slots and slots.code:
            raise Refused("outside_window" if slots.code == "outside_window" else "day_closed", slots.reason, 422)
        if start <= now:
            raise Refused("outside_window", _("Slot ini sudah dimulai atau sudah lewat. Pilih slot lain."), 422)
        raise Refused("no_slot", _("Slot yang dipilih tidak tersedia. Pilih slot lain."), status=422)
    if not slot.bookable:
        if slot.code == "full":
            raise Refused("slot_full", _("Slot ini sudah penuh. Silakan pilih slot lain."))
        raise Refused("outside_window", slot.reason, status=422)
    return slot


def _check_rules(
    mall: Mall, service: Service, day: dt.date, nik_hash: str, phone_hash: str, now: dt.datetime, exclude=None
) -> None:
    """The anti-hoarding rules, counted under the NIK and phone locks. Each refusal says why."""
    policy = policy_for(mall)
    suspension = (
        NoShowSuspension.objects.filter(mall=mall, nik_hash=nik_hash, until__gt=now, lifted_at__isnull=True)
        .order_by("-until")
        .first()
    )
    if suspension is not None:
        raise Refused(
            "suspended",
            _(
                "Pemesanan daring untuk NIK ini ditangguhkan sampai %(date)s karena %(n)d kali tidak hadir. "
                "Anda tetap dapat mengambil nomor antrean langsung di anjungan."
            )
            % {"date": date_format(service_day(mall, suspension.until), "j F Y"), "n": suspension.no_shows},
            status=403,
        )
    others = Booking.objects.filter(mall=mall)
    if exclude is not None:
        others = others.exclude(pk=exclude.pk)
    if others.filter(service=service, day=day, nik_hash=nik_hash, status=BookingStatus.ACTIVE).exists():
        raise Refused(
            "duplicate_day",
            _duplicate_day_message(),
        )
    monday = day - dt.timedelta(days=day.weekday())
    week = others.filter(day__gte=monday, day__lte=monday + dt.timedelta(days=6), status__in=_COUNTED)
    if week.filter(nik_hash=nik_hash).count() >= policy.max_per_nik_per_week:
        raise Refused(
            "weekly_limit",
            _("Satu NIK paling banyak %(n)d pesanan dalam satu minggu (Senin–Minggu). Batas itu sudah tercapai.")
            % {"n": policy.max_per_nik_per_week},
        )
    if week.filter(phone_hash=phone_hash).count() >= policy.max_per_phone_per_week:
        raise Refused(
            "phone_limit",
            _(
                "Satu nomor HP paling banyak dipakai untuk %(n)d pesanan dalam satu minggu (Senin–Minggu). "
                "Batas itu sudah tercapai."
            )
            % {"n": policy.max_per_phone_per_week},
        )


def _take_place(service: Service, start: dt.datetime, end: dt.datetime, capacity: int) -> None:
    """Take one place of the slot or refuse: INSERT .. ON CONFLICT DO NOTHING, then a conditional UPDATE."""
    SlotCapacity.objects.bulk_create(
        [SlotCapacity(service=service, start=start, end=end, capacity=capacity, booked=0)], ignore_conflicts=True
    )
    row = SlotCapacity.objects.filter(service=service, start=start)
    # The manager may have changed the sessions since the row was made: the configured capacity wins.
    row.exclude(capacity=capacity).update(capacity=capacity)
    taken = row.filter(booked__lt=F("capacity")).update(booked=F("booked") + 1)
    if taken != 1:
        raise Refused("slot_full", _("Slot ini sudah penuh. Silakan pilih slot lain."))


def _release_place(booking: Booking) -> None:
    SlotCapacity.objects.filter(service_id=booking.service_id, start=booking.start, booked__gt=0).update(
        booked=F("booked") - 1
    )


def book(
    service: Service,
    start: dt.datetime,
    *,
    nik: str,
    name: str,
    phone: str,
    idempotency_key: str | None = None,
    now: dt.datetime | None = None,
) -> Booking:
    """Book one place of a slot.

    A repeated submit (same idempotency key, or same service, slot and NIK) returns the same booking.
    """
    now = or_now(now)
    mall = service.mall
    start = _aware(mall, start)
    nik = _clean_nik(nik)
    name = _clean_name(name)
    phone = _clean_phone(phone)
    key = (str(idempotency_key).strip()[:80] or None) if idempotency_key else None
    nik_hash = personal_data.hash_value("nik", nik)
    phone_hash = personal_data.hash_value("phone", phone)
    existing = _existing(mall, service, start, nik_hash, key)
    if existing is not None:
        return existing
    slot = _slot_or_refuse(service, start, now)
    try:
        with transaction.atomic():
            _lock(_LOCK_NIK, nik_hash)
            _lock(_LOCK_PHONE, phone_hash)
            existing = _existing(mall, service, start, nik_hash, key)
            if existing is not None:
                return existing
            day = slot.start.date()
            _check_rules(mall, service, day, nik_hash, phone_hash, now)
            _take_place(service, slot.start, slot.end, slot.capacity)
            booking = Booking.objects.create(
                mall=mall,
                service=service,
                code=_new_code(),
                start=slot.start,
                end=slot.end,
                day=day,
                status=BookingStatus.ACTIVE,
                nik_hash=nik_hash,
                nik_encrypted=personal_data.encrypt(nik),
                nik_masked=personal_data.mask_nik(nik),
                name_encrypted=personal_data.encrypt(name),
                phone_hash=phone_hash,
                phone_encrypted=personal_data.encrypt(phone),
                phone_masked=personal_data.mask_phone(phone),
                created_at=now,
                idempotency_key=key,
            )
            _audit("booking.created", booking)
            _notify(booking, "booking_confirmed")
            return booking
    except IntegrityError:
        # A simultaneous identical submit won the race (the unique constraints caught it).
        existing = _existing(mall, service, start, nik_hash, key)
        if existing is not None:
            return existing
        raise Refused(
            "duplicate_day",
            _duplicate_day_message(),
        ) from None


def find(mall: Mall, code: str) -> Booking:
    code = normalise_code(code)
    booking = (
        Booking.objects.select_related("mall", "service__agency", "ticket").filter(mall=mall, code=code).first()
        if code
        else None
    )
    if booking is None:
        raise Refused("not_found", _("Kode pemesanan tidak ditemukan. Periksa kembali kodenya."), status=404)
    return booking


def nik_matches(booking: Booking, nik: str | None) -> bool:
    return bool(nik) and personal_data.hash_value("nik", str(nik)) == booking.nik_hash


def _locked(booking: Booking) -> Booking:
    return Booking.objects.select_for_update(of=("self",)).select_related("mall", "service__agency").get(pk=booking.pk)


def _refuse_unless_active(booking: Booking) -> None:
    if booking.status == BookingStatus.CANCELLED:
        raise Refused("already_cancelled", _("Pesanan ini sudah dibatalkan."))
    if booking.status == BookingStatus.CHECKED_IN:
        raise Refused("checked_in", _("Pesanan ini sudah check-in dan menjadi nomor antrean."))
    if booking.status == BookingStatus.NO_SHOW:
        raise Refused("no_show", _("Pesanan ini sudah lewat dan tercatat tidak hadir."))


def _cancel_locked(booking: Booking, *, now: dt.datetime, actor, reason: str) -> Booking:
    _release_place(booking)
    Booking.objects.filter(pk=booking.pk, status=BookingStatus.ACTIVE).update(
        status=BookingStatus.CANCELLED, cancelled_at=now, cancel_reason=reason[:200]
    )
    booking.status, booking.cancelled_at, booking.cancel_reason = BookingStatus.CANCELLED, now, reason[:200]
    _audit("booking.cancelled", booking, actor=actor, reason=reason[:200])
    _notify(booking, "booking_cancelled")
    return booking


def cancel(
    booking: Booking, *, nik: str | None, now: dt.datetime | None = None, actor=None, reason: str = ""
) -> Booking:
    """The citizen (with the NIK) or staff (``actor``, no NIK) cancels an active booking; the place is freed."""
    now = or_now(now)
    reason = " ".join(str(reason or "").split())
    with transaction.atomic():
        current = _locked(booking)
        if actor is None and not nik_matches(current, nik):
            raise Refused("wrong_nik", _("NIK tidak sesuai dengan pesanan ini."), status=403)
        _refuse_unless_active(current)
        if actor is None and now >= current.start:
            raise Refused(
                "too_late", _("Slot sudah dimulai; pesanan tidak dapat dibatalkan lagi. Tidak hadir akan tercatat.")
            )
        return _cancel_locked(current, now=now, actor=actor, reason=reason or ("citizen" if actor is None else "staff"))


def reschedule(booking: Booking, new_start: dt.datetime, *, nik: str, now: dt.datetime | None = None) -> Booking:
    """Move an active booking to another slot of its service in one transaction (same code)."""
    now = or_now(now)
    new_start = _aware(booking.mall, new_start)
    if not nik_matches(booking, nik):
        raise Refused("wrong_nik", _("NIK tidak sesuai dengan pesanan ini."), status=403)
    _refuse_unless_active(booking)
    if now >= booking.start:
        raise Refused("too_late", _("Slot sudah dimulai; pesanan tidak dapat dijadwalkan ulang."))
    if new_start == booking.start:
        return booking
    slot = _slot_or_refuse(booking.service, new_start, now)
    try:
        with transaction.atomic():
            current = _locked(booking)
            _refuse_unless_active(current)
            _lock(_LOCK_NIK, current.nik_hash)
            _lock(_LOCK_PHONE, current.phone_hash)
            day = slot.start.date()
            _check_rules(current.mall, current.service, day, current.nik_hash, current.phone_hash, now, exclude=current)
            _take_place(current.service, slot.start, slot.end, slot.capacity)
            _release_place(current)
            old_start = current.start
            Booking.objects.filter(pk=current.pk, status=BookingStatus.ACTIVE).update(
                start=slot.start,
                end=slot.end,
                day=day,
                reminded_day_before_at=None,
                reminded_hour_before_at=None,
            )
            current.refresh_from_db()
            _audit("booking.rescheduled", current, old_start=old_start.isoformat())
            _notify(current, "booking_confirmed")
            return current
    except IntegrityError:
        raise Refused(
            "duplicate_day",
            _duplicate_day_message(),
        ) from None


def check_in_window(booking: Booking, policy: BookingPolicy | None = None) -> tuple[dt.datetime, dt.datetime]:
    """(opens, closes): from ``check_in_early_minutes`` before the slot to ``check_in_late_minutes`` after it.

    ``policy`` is the booking's mall's policy when the caller has read it already.
    """
    policy = policy or policy_for(booking.mall)
    return (
        booking.start - dt.timedelta(minutes=policy.check_in_early_minutes),
        booking.end + dt.timedelta(minutes=policy.check_in_late_minutes),
    )


def check_in(booking: Booking, *, now: dt.datetime | None = None, actor=None) -> Ticket:
    """The booking becomes a ticket in its service's queue; a second call (or kiosk) gets the same ticket."""
    now = or_now(now)
    from satuatap.queueing.tickets import issue_ticket

    with transaction.atomic():
        current = _locked(booking)
        if current.status == BookingStatus.CHECKED_IN and current.ticket_id:
            return Ticket.objects.select_related("service__agency").get(pk=current.ticket_id)
        if current.status == BookingStatus.CANCELLED:
            raise Refused("already_cancelled", _("Pesanan ini sudah dibatalkan."))
        policy = policy_for(current.mall)
        opens, closes = check_in_window(current, policy)
        window = {
            "opens": f"{local_now(current.mall, opens):%H:%M}",
            "closes": f"{local_now(current.mall, closes):%H:%M}",
        }
        if current.status == BookingStatus.NO_SHOW or now > closes:
            raise Refused(
                "too_late",
                _(
                    "Waktu check-in sudah lewat (check-in pukul %(opens)s–%(closes)s). "
                    "Silakan ambil nomor antrean biasa di anjungan."
                )
                % window,
            )
        if now < opens:
            raise Refused(
                "too_early",
                _("Terlalu awal. Check-in untuk pesanan ini dibuka pukul %(opens)s sampai %(closes)s.") % window,
            )
        queued_at = current.start if policy.ordering == Ordering.SLOT_PRIORITY else None
        try:
            ticket = issue_ticket(
                current.service, source=TicketSource.BOOKING, queued_at=queued_at, actor=actor, now=now
            )
        except Refused as err:
            raise Refused(err.code, err.message) from err
        Booking.objects.filter(pk=current.pk, status=BookingStatus.ACTIVE).update(
            status=BookingStatus.CHECKED_IN, ticket=ticket, checked_in_at=now
        )
        current.status, current.ticket, current.checked_in_at = BookingStatus.CHECKED_IN, ticket, now
        _audit("booking.checked_in", current, actor=actor, ticket=ticket.number)
    return ticket


def _strikes(mall_id: int, nik_hash: str) -> tuple[int, NoShowSuspension | None]:
    """No-shows of a NIK counted since its last suspension began (a served suspension clears the slate)."""
    last = NoShowSuspension.objects.filter(mall_id=mall_id, nik_hash=nik_hash).order_by("-created_at").first()
    no_shows = Booking.objects.filter(mall_id=mall_id, nik_hash=nik_hash, status=BookingStatus.NO_SHOW)
    if last is not None:
        no_shows = no_shows.filter(no_show_at__gt=last.created_at)
    return no_shows.count(), last


def sweep_no_shows(now: dt.datetime | None = None) -> int:
    """Active bookings whose check-in window closed become no-shows; past the threshold the NIK is suspended."""
    now = or_now(now)
    candidates = list(
        Booking.objects.filter(status=BookingStatus.ACTIVE, end__lt=now)
        .select_related("mall")
        .order_by("end")[:SWEEP_BATCH]
    )
    policies: dict[int, object] = {}
    swept = 0
    for booking in candidates:
        if booking.mall_id not in policies:
            policies[booking.mall_id] = policy_for(booking.mall)
        policy = policies[booking.mall_id]
        if now <= booking.end + dt.timedelta(minutes=policy.check_in_late_minutes):
            continue
        with transaction.atomic():
            _lock(_LOCK_NIK, booking.nik_hash)
            changed = Booking.objects.filter(pk=booking.pk, status=BookingStatus.ACTIVE).update(
                status=BookingStatus.NO_SHOW, no_show_at=now
            )
            if changed != 1:
                continue
            booking.status, booking.no_show_at = BookingStatus.NO_SHOW, now
            strikes, last = _strikes(booking.mall_id, booking.nik_hash)
            _audit("booking.no_show", booking, strikes=strikes)
            if strikes >= policy.no_show_threshold and not (last and last.until > now and last.lifted_at is None):
                suspension = NoShowSuspension.objects.create(
                    mall_id=booking.mall_id,
                    nik_hash=booking.nik_hash,
                    nik_masked=booking.nik_masked,
                    created_at=now,
                    until=now + dt.timedelta(days=policy.suspension_days),
                    no_shows=strikes,
                )
                record(
                    "booking.suspended",
                    mall_id=booking.mall_id,
                    subject=f"booking:{booking.code}",
                    data={"nik": booking.nik_masked, "until": suspension.until.isoformat(), "no_shows": strikes},
                )
            _notify(booking, "booking_no_show")
        swept += 1
    return swept


def lift_suspension(suspension: NoShowSuspension, *, actor) -> bool:
    """The manager lifts a suspension early (e.g. after hearing the citizen); False when already lifted."""
    now = timezone.now()
    with transaction.atomic():
        changed = NoShowSuspension.objects.filter(pk=suspension.pk, lifted_at__isnull=True).update(lifted_at=now)
        if changed:
            record(
                "booking.suspension_lifted",
                actor=actor,
                mall_id=suspension.mall_id,
                subject=f"suspension:{suspension.pk}",
                data={"nik": suspension.nik_masked},
            )
    return bool(changed)


def set_booking_enabled(
    mall: Mall,
    enabled: bool,
    *,
    service: Service | None = None,
    existing: str = "honour",
    actor=None,
    now: dt.datetime | None = None,
) -> int:
    """Switch online booking on/off for the mall or one service; walk-in service is untouched.

    ``existing="honour"`` keeps the bookings already made (they still check in);
    ``"cancel"`` cancels the active ones whose slot has not ended, each with a notice.
    Returns the number cancelled.
    """
    if existing not in ("honour", "cancel"):
        raise Refused("invalid", _("Pilihan untuk pesanan yang ada tidak dikenal."), status=422)
    if service is not None and service.mall_id != mall.pk:
        raise Refused("not_found", _("Layanan tidak ditemukan."), status=404)
    now = or_now(now)
    with transaction.atomic():
        to_cancel = []
        if not enabled and existing == "cancel":
            active = Booking.objects.filter(mall=mall, status=BookingStatus.ACTIVE, end__gte=now)
            if service is not None:
                active = active.filter(service=service)
            # Lock them all before the audit log's lock: a citizen cancelling meanwhile never deadlocks with us.
            to_cancel = list(active.select_for_update(of=("self",)).select_related("mall", "service").order_by("pk"))
        if service is None:
            policy = policy_for(mall)
            BookingPolicy.objects.filter(pk=policy.pk).update(enabled=enabled)
        else:
            ServiceBookingSetting.objects.bulk_create(
                [ServiceBookingSetting(service_id=service.pk)], ignore_conflicts=True
            )
            ServiceBookingSetting.objects.filter(service=service).update(enabled=enabled)
        record(
            "booking.enabled" if enabled else "booking.disabled",
            actor=actor,
            mall_id=mall.pk,
            subject=f"service:{service.code}" if service is not None else f"mall:{mall.slug}",
            data={"existing": existing if not enabled else ""},
        )
        reason = _("Pemesanan daring dinonaktifkan oleh pengelola mal.")
        for booking in to_cancel:
            _cancel_locked(booking, now=now, actor=actor, reason=reason)
    return len(to_cancel)


REVEAL_FIELDS = ("nik", "name", "phone")
REVEAL_REASON_MAX = 200
_LONG_DIGITS = re.compile(r"\d{6,}")


def reveal_reason(raw: str) -> str:
    """The reason as recorded: one line, at most 200 characters, long digit runs masked."""
    text = "".join(ch for ch in str(raw or "") if ch.isprintable() or ch.isspace())
    reason = _LONG_DIGITS.sub(lambda m: "*" * len(m.group()), " ".join(text.split()))
    return reason[:REVEAL_REASON_MAX]


def reveal_contact(booking: Booking, *, actor, reason: str) -> dict[str, str]:
    """The booking's NIK, name and phone in full, for staff with a stated reason.

    One ``personal_data.reveal`` audit entry per field (actor, field, reason; never
    the value), all or none. Long digit runs in the reason are masked first, so a
    NIK or number typed into the reason never reaches the log. The caller decides
    who may ask; a missing reason is refused ("reason_required", nothing recorded).
    """
    reason = reveal_reason(reason)
    if not reason:
        raise Refused("reason_required", _("Pilih atau tuliskan alasan sebelum membuka data pribadi."), status=422)
    try:
        with transaction.atomic():
            return {field: reveal(booking, field, actor=actor, reason=reason) for field in REVEAL_FIELDS}
    except ValueError as err:  # a token the configured keys cannot open (rotated away)
        log.error("booking %s: personal data cannot be decrypted: %s", booking.code, err)
        raise Refused(
            "undecryptable",
            _("Data pribadi pemesanan ini tidak dapat dibuka dengan kunci yang terpasang. Hubungi admin sistem."),
            status=409,
        ) from None
