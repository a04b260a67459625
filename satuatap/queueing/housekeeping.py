"""Periodic clean-up, run by the worker process."""

import datetime as dt

from django.utils import timezone

from satuatap.directory.hours import service_day
from satuatap.directory.models import Mall
from satuatap.queueing import tickets
from satuatap.queueing.models import LiveEvent, Ticket, TicketStatus, WaitingTally
from satuatap.refusal import Refused

LIVE_EVENT_KEEP = dt.timedelta(minutes=10)
TALLY_KEEP = dt.timedelta(days=2)  # a day behind every mall's local day, whatever its time zone
END_OF_DAY_REASON = "end_of_day"


def prune_live_events(now: dt.datetime | None = None) -> int:
    """Relayed hints are worthless after a few seconds; keep ten minutes for diagnosis."""
    cutoff = (now or timezone.now()) - LIVE_EVENT_KEEP
    deleted, _ = LiveEvent.objects.filter(created_at__lt=cutoff).delete()
    return deleted


def expire_previous_days(now: dt.datetime | None = None) -> int:
    """Cancel tickets still waiting from an earlier local day: call-next never reaches them,
    and leaving them 'waiting' would inflate counts and mislead the citizen's ticket page."""
    now = now or timezone.now()
    expired = 0
    for mall in Mall.objects.active():
        stale = Ticket.objects.filter(mall=mall, status=TicketStatus.WAITING, day__lt=service_day(mall, now))
        for ticket in stale.only("pk"):
            try:
                tickets.cancel(ticket, reason=END_OF_DAY_REASON, now=now)
                expired += 1
            except Refused:  # called meanwhile by a late counter: nothing to expire
                pass
    return expired


def prune_waiting_tallies(now: dt.datetime | None = None) -> int:
    """Delete the waiting tallies of past days that count nobody (``expire_previous_days`` empties those
    queues): no estimate reads a past day's. A non-zero one is kept: it still counts a ticket waiting."""
    cutoff = ((now or timezone.now()) - TALLY_KEEP).date()
    deleted, _ = WaitingTally.objects.filter(day__lt=cutoff, waiting=0).delete()
    return deleted
