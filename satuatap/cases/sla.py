"""Service-level figures of the back office: per service, cases finished on time or late, and open ones overdue.

A read, counted in the database (one grouped query), through the tenancy filter of the caller.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, F, Q

from satuatap.accounts.scoping import scope
from satuatap.cases.models import Case


def per_service(user, mall, today: dt.date, *, since: dt.date | None = None) -> list[dict]:
    """[{service, service_name, finished, on_time, late, on_time_share, open, overdue}] by service name."""
    cases = scope(user, Case.objects.filter(mall=mall))
    if since is not None:
        cases = cases.filter(received_on__gte=since)
    finished = Q(closed_on__isnull=False)
    rows = (
        cases.values("service__code", "service__name")
        .annotate(
            finished=Count("pk", filter=finished),
            on_time=Count("pk", filter=finished & Q(closed_on__lte=F("due_date"))),
            open=Count("pk", filter=Q(closed_on__isnull=True)),
            overdue=Count("pk", filter=Q(closed_on__isnull=True, paused_on__isnull=True, due_date__lt=today)),
        )
        .order_by("service__name")
    )
    return [
        {
            "service": row["service__code"],
            "service_name": row["service__name"],
            "finished": row["finished"],
            "on_time": row["on_time"],
            "late": row["finished"] - row["on_time"],
            "on_time_share": round(100 * row["on_time"] / row["finished"], 1) if row["finished"] else None,
            "open": row["open"],
            "overdue": row["overdue"],
        }
        for row in rows
    ]
