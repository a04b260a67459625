"""Complaint notices: each step of a complaint told to the complainant who left a contact.

A sweep over ``ComplaintEvent`` rows with ``notify_contact`` set (``complaints.complaints``
marks every step of a complaint whose filer left a contact), so the complaint flow itself
needs no change: email when the contact holds "@", else SMS. Idempotent: the message's
``dedupe_key`` is "complaint-event:<event id>" and the sweep skips what already has one.
A job of the project's worker (registered in ``ComplaintsConfig.ready``).
"""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone, translation

from satuatap.complaints.models import ComplaintEvent, ComplaintStatus
from satuatap.notify import outbox
from satuatap.notify.models import Message

COMPLAINT_LOOKBACK = dt.timedelta(days=7)
BATCH = 500


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
