"""The SKM survey link for booked citizens, written to the notify outbox after their visit.

Only a booked ticket has a phone to send the link to, so this sweep reads bookings: the one
documented direction inside the layer of booking, feedback and complaints is feedback ->
booking (docs/architecture.md). Idempotent: the message's ``dedupe_key`` is the booking's
("booking:<id>:survey_link:…") and the sweep skips what already has one. A job of the
project's worker (registered in ``FeedbackConfig.ready``).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from satuatap.booking.reminders import BATCH, booking_dedupe_key, bookings_to_tell, enqueue_for_booking
from satuatap.feedback import skm
from satuatap.feedback.models import SurveyResponse
from satuatap.notify.models import Message
from satuatap.notify.outbox import absolute_url, local_text
from satuatap.queueing.models import TicketStatus

SURVEY_LOOKBACK = dt.timedelta(hours=24)


def send_survey_links(now: dt.datetime | None = None) -> int:
    """The SKM survey link for each booked ticket finished recently, not yet answered, once."""
    now = now or timezone.now()
    lookback = min(SURVEY_LOOKBACK, dt.timedelta(hours=settings.SKM_LINK_HOURS))
    candidates = list(
        bookings_to_tell()
        .select_related("ticket")
        .filter(
            ticket__status=TicketStatus.DONE,
            ticket__finished_at__gte=now - lookback,
            ticket__finished_at__lte=now,
        )
        .order_by("ticket__finished_at")[:BATCH]
    )
    keys = {booking.pk: booking_dedupe_key(booking, "survey_link") for booking in candidates}
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
        link = absolute_url(reverse("skm_survey", args=[booking.ticket.public_code]))
        expiry = local_text(booking.mall, expires)
        extra = {"survey_link": link, "expires": f"{expiry['date']}, {expiry['time']}"}
        enqueue_for_booking(booking, "survey_link", extra_context=extra)
        count += 1
    return count
