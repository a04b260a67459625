"""Which counter an officer signs in at: their usual ones first, then the free ones; taken ones named only.

Read-only. Disdukcapil has 90 counters: a grid of all of them, taken ones included, is a page
of 4,000 px where the officer hunts for the one they sat at yesterday.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Count
from django.utils import timezone

from satuatap.accounts.scoping import scope
from satuatap.directory.models import Counter
from satuatap.queueing.models import TicketEvent

USUAL_DAYS = 30
USUAL_COUNT = 4


def choices(officer, now: dt.datetime | None = None) -> dict:
    counters = list(
        scope(officer, Counter.objects.active())
        .select_related("officer")
        .prefetch_related("services")
        .order_by("number")
    )
    since = (now or timezone.now()) - dt.timedelta(days=USUAL_DAYS)
    used = list(
        TicketEvent.objects.filter(actor=officer, at__gte=since, counter__in=[c.pk for c in counters])
        .values("counter")
        .annotate(n=Count("id"))
        .order_by("-n")
        .values_list("counter", flat=True)[:USUAL_COUNT]
    )
    free = [c for c in counters if c.officer_id is None]
    by_id = {c.pk: c for c in free}
    usual = [by_id[pk] for pk in used if pk in by_id]
    return {
        "usual_counters": usual,
        "free_counters": [c for c in free if c not in usual],
        "taken_counters": [c for c in counters if c.officer_id is not None],
    }
