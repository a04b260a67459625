"""Sweeps the worker runs each tick (``SWEEPS``, each its own step), before delivery of the outbox.

Each sweep is idempotent. Booking reminders mark the booking's own field
(``reminded_day_before_at``, ``reminded_hour_before_at``,
``turn_near_notified_at``) with a compare-and-set in the same transaction as
the message row, so a reminder is written once even with two workers. Survey
links and complaint notices have no field of their own: their message's
``dedupe_key`` is the record ("booking:<id>:survey_link:…",
"complaint-event:<event id>"), and the sweep skips what already has one.

Complaint notices are a sweep over ``ComplaintEvent`` rows with
``notify_contact`` set (``feedback.complaints`` marks every step of a
complaint whose filer left a contact), so the complaint flow itself needed
no change: email when the contact holds "@", else SMS.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone, translation

from satuatap.booking.models import Booking, BookingStatus
from satuatap.booking.policies import policy_for
from satuatap.complaints.models import ComplaintEvent, ComplaintStatus
from satuatap.directory.hours import local_now, service_day
from satuatap.feedback import skm
from satuatap.feedback.models import SurveyResponse
from satuatap.notify import outbox
from satuatap.notify.models import Message
from satuatap.queueing.models import TicketStatus
from satuatap.queueing.snapshots import position

log = logging.getLogger(__name__)

DAY_BEFORE_FROM = dt.time(16, 0)  # the day-before reminder goes from 16:00 local the day before
DAY_BEFORE_MIN_NOTICE = dt.timedelta(hours=20)  # booked closer to the slot than this: the confirmation suffices
HOUR_BEFORE = dt.timedelta(hours=1)
HOUR_BEFORE_MIN_NOTICE = dt.timedelta(hours=2)
HOUR_BEFORE_TOO_LATE = dt.timedelta(minutes=15)  # the worker was down: "in an hour" would be wrong by now
SURVEY_LOOKBACK = dt.timedelta(hours=24)
COMPLAINT_LOOKBACK = dt.timedelta(days=7)
BATCH = 500


def _mark_and_enqueue(booking, field: str, kind: str, now, **extra) -> bool:
    """Compare-and-set the booking's reminder field, and write the message in the same transaction."""
    with transaction.atomic():
        marked = Booking.objects.filter(pk=booking.pk, **{f"{field}__isnull": True}).update(**{field: now})
        if not marked:
            return False
        setattr(booking, field, now)
        outbox.enqueue_for_booking(booking, kind, **extra)
    return True


def _bookings():
    return Booking.objects.select_related("mall", "service__agency")


def remind_day_before(now: dt.datetime | None = None) -> int:
    """From 16:00 local the day before: bookings of tomorrow made at least 20 h ahead."""
    now = now or timezone.now()
    candidates = _bookings().filter(
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
    candidates = _bookings().filter(
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
        _bookings()
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
            "ticket_link": outbox.absolute_url(reverse("ticket_status", args=[ticket.public_code])),
        }
        count += _mark_and_enqueue(booking, "turn_near_notified_at", "turn_near", now, extra_context=extra)
    return count


def send_survey_links(now: dt.datetime | None = None) -> int:
    """The SKM survey link for each booked ticket finished recently, not yet answered, once."""
    now = now or timezone.now()
    lookback = min(SURVEY_LOOKBACK, dt.timedelta(hours=settings.SKM_LINK_HOURS))
    candidates = list(
        _bookings()
        .select_related("ticket")
        .filter(
            ticket__status=TicketStatus.DONE,
            ticket__finished_at__gte=now - lookback,
            ticket__finished_at__lte=now,
        )
        .order_by("ticket__finished_at")[:BATCH]
    )
    keys = {booking.pk: outbox.booking_dedupe_key(booking, "survey_link") for booking in candidates}
    done = set(Message.objects.filter(dedupe_key__in=keys.values()).values_list("dedupe_key", flat=True))
    answered = set(
        SurveyResponse.objects.filter(ticket_id__in=[b.ticket_id for b in candidates]).values_list(
            "ticket_id", flat=True
        )
    )
    count = 0
    for booking in candidates:
        if keys[booking.pk] in done or booking.ticket_id in answered:
            continue
        expires = skm.expires_at(booking.ticket)
        if expires is None or expires - now < dt.timedelta(hours=1):
            continue
        link = outbox.absolute_url(reverse("skm_survey", args=[booking.ticket.public_code]))
        expiry = outbox.local_text(booking.mall, expires)
        extra = {"survey_link": link, "expires": f"{expiry['date']}, {expiry['time']}"}
        outbox.enqueue_for_booking(booking, "survey_link", extra_context=extra)
        count += 1
    return count


def complaint_context(event) -> dict:
    complaint = event.complaint
    S = ComplaintStatus
    with translation.override(outbox.MESSAGE_LANGUAGE):
        status = str(S(event.to_status).label)
    return {
        "tracking_code": complaint.tracking_code,
        "complaint_subject": complaint.subject[:80],
        "status": status,
        "note": event.note[:300] if event.to_status in (S.FORWARDED, S.NOT_OUR_AUTHORITY) else "",
        "where_to_go": complaint.where_to_go[:300] if event.to_status == S.NOT_OUR_AUTHORITY else "",
        "answer": complaint.answer[:600] if event.to_status == S.ANSWERED else "",
        "track_link": outbox.absolute_url(reverse("complaint_track", args=[complaint.tracking_code])),
    }


def notify_complaint_events(now: dt.datetime | None = None) -> int:
    """Tell the complainant (who left a contact) of each step of their complaint, once per step."""
    now = now or timezone.now()
    events = list(
        ComplaintEvent.objects.filter(notify_contact=True, at__gte=now - COMPLAINT_LOOKBACK, at__lte=now)
        .select_related("complaint__mall")
        .order_by("pk")[:BATCH]
    )
    keys = {event.pk: f"complaint-event:{event.pk}" for event in events}
    done = set(Message.objects.filter(dedupe_key__in=keys.values()).values_list("dedupe_key", flat=True))
    count = 0
    for event in events:
        complaint = event.complaint
        if keys[event.pk] in done or not complaint.contact.strip():
            continue
        outbox.enqueue(
            mall=complaint.mall,
            kind="complaint_update",
            to=complaint.contact,
            context=complaint_context(event),
            dedupe_key=keys[event.pk],
            subject_ref=f"complaint:{complaint.tracking_code}",
        )
        count += 1
    return count


# In the order they run; the worker runs each as its own step (a failing one is logged, the others run),
# then delivers the outbox (``outbox.deliver_due``).
SWEEPS = (remind_day_before, remind_hour_before, notify_turn_near, send_survey_links, notify_complaint_events)


def run_sweeps(now: dt.datetime | None = None) -> dict[str, int]:
    """Every sweep once, at ``now``: messages written per sweep name (the worker's steps, for one clock)."""
    return {sweep.__name__: sweep(now) for sweep in SWEEPS}
