"""Periodic clean-up, run by the worker process."""

import datetime as dt

from django.utils import timezone

from satuatap.queueing.models import LiveEvent

LIVE_EVENT_KEEP = dt.timedelta(minutes=10)


def prune_live_events(now: dt.datetime | None = None) -> int:
    """Relayed hints are worthless after a few seconds; keep ten minutes for diagnosis."""
    cutoff = (now or timezone.now()) - LIVE_EVENT_KEEP
    deleted, _ = LiveEvent.objects.filter(created_at__lt=cutoff).delete()
    return deleted
