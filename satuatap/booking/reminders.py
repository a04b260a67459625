"""Booking notices and reminders: the booking's own messages, written to the notify outbox.

Each reminder sweep is idempotent: it marks the booking's own field
(``reminded_day_before_at``, ``reminded_hour_before_at``, ``turn_near_notified_at``)
with a compare-and-set in the same transaction as the message row, so a reminder is
written once even with two workers. The sweeps are jobs of the project's worker
(registered in ``BookingConfig.ready``). The turn-near message lives here, not in the
queue: only a booked ticket has a phone to tell, and the queue never imports booking.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from satuatap import personal_data
from satuatap.booking.models import Booking, BookingStatus
from satuatap.booking.policies import policy_for
from satuatap.directory.hours import local_now, service_day
from satuatap.notify.outbox import absolute_url, enqueue, local_text
from satuatap.queueing.models import TicketStatus
from satuatap.queueing.snapshots import position

BOOKING_KINDS = (
    "booking_confirmed",
    "booking_cancelled",
    "booking_rescheduled",
    "booking_reminder_day",
    "booking_reminder_hour",
    "turn_near",
    "booking_no_show",
    "survey_link",
)

DAY_BEFORE_FROM = dt.time(16, 0)  # the day-before reminder goes from 16:00 local the day before
DAY_BEFORE_MIN_NOTICE = dt.timedelta(hours=20)  # booked closer to the slot than this: the confirmation suffices
HOUR_BEFORE = dt.timedelta(hours=1)
HOUR_BEFORE_MIN_NOTICE = dt.timedelta(hours=2)
HOUR_BEFORE_TOO_LATE = dt.timedelta(minutes=15)  # the worker was down: "in an hour" would be wrong by now
BATCH = 500


def booking_link(booking) -> str:
    return absolute_url(reverse("booking_detail", kwargs={"mall": booking.mall.slug, "booking_code": booking.code}))


def booking_context(booking) -> dict:
    mall = booking.mall
    start = local_text(mall, booking.start)
    return {
        "code": booking.code,
        "service": booking.service.name,
        "agency": booking.service.agency.name,
        "mall_name": mall.name,
        "date": start["date"],
        "time": start["time"],
        "end_time": local_text(mall, booking.end)["time"],
        "link": booking_link(booking),
        # A booking exists, so its mall's policy row does too: policy_for only reads it here.
        "early_minutes": policy_for(mall).check_in_early_minutes,
        "reason": getattr(booking, "cancel_reason", ""),
    }


def booking_dedupe_key(booking, kind: str, extra: str = "") -> str:
    """One message per booking, kind and slot (a rescheduled booking is a new slot, so it is told again)."""
    key = f"booking:{booking.pk}:{kind}:{booking.start.astimezone(dt.UTC):%Y%m%dT%H%M}"
    return f"{key}:{extra}" if extra else key


def enqueue_for_booking(booking, kind: str, *, extra_context: dict | None = None, dedupe_extra: str = ""):
    """The booking's message of this kind, to the booking's phone (decrypted); idempotent per slot."""
    if kind not in BOOKING_KINDS:
        raise ValueError(f"unknown booking message kind {kind!r}")
    phone = personal_data.decrypt(booking.phone_encrypted)
    context = booking_context(booking)
    context.update(extra_context or {})
    with transaction.atomic():
        message = enqueue(
            mall=booking.mall,
            kind=kind,
            to=phone,
            context=context,
            dedupe_key=booking_dedupe_key(booking, kind, dedupe_extra),
            subject_ref=f"booking:{booking.code}",
        )
        if kind == "booking_no_show" and message is not None:
            Booking.objects.filter(pk=booking.pk, no_show_notified_at__isnull=True).update(
                no_show_notified_at=message.created_at
            )
    return message


def _mark_and_enqueue(booking, field: str, kind: str, now, **extra) -> bool:
    """Compare-and-set the booking's reminder field, and write the message in the same transaction."""
    with transaction.atomic():
        marked = Booking.objects.filter(pk=booking.pk, **{f"{field}__isnull": True}).update(**{field: now})
        if not marked:
            return False
        setattr(booking, field, now)
        enqueue_for_booking(booking, kind, **extra)
    return True


def bookings_to_tell():
    return Booking.objects.select_related("mall", "service__agency")


def remind_day_before(now: dt.datetime | None = None) -> int:
    """From 16:00 local the day before: bookings of tomorrow made at least 20 h ahead."""
    now = now or timezone.now()
    candidates = bookings_to_tell().filter(
        status=BookingStatus.ACTIVE,
        reminded_day_before_at__isnull=True,
        start__gt=now + HOUR_BEFORE,
        start__lte=now + dt.timedelta(hours=34),  # no mall's tomorrow ends later than that
        created_at__lte=F("start") - DAY_BEFORE_MIN_NOTICE,  # as the check below: not re-fetched each tick
    )
    count = 0
    for booking in candidates.order_by("start")[:BATCH]:
        local = local_now(booking.mall, now)
        if service_day(booking.mall, booking.start) != local.date() + dt.timedelta(days=1):
            continue
        if local.time() < DAY_BEFORE_FROM or booking.start - booking.created_at < DAY_BEFORE_MIN_NOTICE:
            continue
        count += _mark_and_enqueue(booking, "reminded_day_before_at", "booking_reminder_day", now)
    return count


def remind_hour_before(now: dt.datetime | None = None) -> int:
    """About an hour before the slot, for bookings made at least 2 h ahead."""
    now = now or timezone.now()
    candidates = bookings_to_tell().filter(
        status=BookingStatus.ACTIVE,
        reminded_hour_before_at__isnull=True,
        start__gt=now + HOUR_BEFORE_TOO_LATE,
        start__lte=now + HOUR_BEFORE,
        created_at__lte=F("start") - HOUR_BEFORE_MIN_NOTICE,  # as the check below: not re-fetched each tick
    )
    count = 0
    for booking in candidates.order_by("start")[:BATCH]:
        if booking.start - booking.created_at < HOUR_BEFORE_MIN_NOTICE:
            continue
        count += _mark_and_enqueue(booking, "reminded_hour_before_at", "booking_reminder_hour", now)
    return count


def notify_turn_near(now: dt.datetime | None = None) -> int:
    """A booked ticket waiting with at most ``policy.reminder_turn_near_places`` tickets ahead of it."""
    now = now or timezone.now()
    candidates = (
        bookings_to_tell()
        .select_related("ticket__service")
        .filter(
            ticket__isnull=False,
            ticket__status=TicketStatus.WAITING,
            ticket__day__gte=(now - dt.timedelta(days=1)).date(),
            turn_near_notified_at__isnull=True,
        )
    )
    places: dict[int, int] = {}
    count = 0
    for booking in candidates.order_by("ticket__queued_at")[:BATCH]:
        if booking.mall_id not in places:
            places[booking.mall_id] = policy_for(booking.mall).reminder_turn_near_places
        if not places[booking.mall_id]:
            continue  # the mall switched the message off
        ticket = booking.ticket
        ahead = position(ticket)
        if ahead > places[booking.mall_id]:
            continue
        extra = {
            "number": ticket.number,
            "ahead": ahead,
            "service": ticket.service.name,
            "ticket_link": absolute_url(reverse("ticket_status", args=[ticket.public_code])),
        }
        count += _mark_and_enqueue(booking, "turn_near_notified_at", "turn_near", now, extra_context=extra)
    return count
