"""The back office's figures of a period (issue 13): cases (berkas permohonan) opened, finished, finished within
their working-day deadline, and open past it now; for the whole selection, per agency and per service.

Counted by the database (one grouped query each). Definitions:

- **opened**: received (``Case.received_on``, the mall's local date) in the period;
- **finished**: reached a final state (handed over, or refused) in the period (``closed_on``);
- **on time**: finished on or before its due date, which counts the service's working days (``cases.deadlines``)
  and moves by the working days the case spent back with the citizen;
- **overdue open**: not finished, not waiting on the citizen, and past its due date *today*: a figure of now, not
  of the period, so the previous period has none (the same count as the case desk's ``cases.sla``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, F, Q

from satuatap.cases.models import Case
from satuatap.directory.hours import service_day
from satuatap.reports.figures import Selection

GROUPS = {"agency": "agency__code", "service": "service__code"}


@dataclass
class CaseFigures:
    opened: int = 0
    finished: int = 0
    on_time: int = 0
    overdue_open: int | None = None  # None: not counted (a past period)

    @property
    def on_time_share(self) -> float | None:
        return self.on_time / self.finished if self.finished else None


def _cases(selection: Selection):
    cases = Case.objects.filter(mall=selection.mall)
    if selection.agency is not None:
        cases = cases.filter(agency=selection.agency)
    if selection.service is not None:
        cases = cases.filter(service=selection.service)
    return cases


def _counts(selection: Selection, today: dt.date | None) -> dict:
    period = (selection.first, selection.last)
    finished = Q(closed_on__range=period)
    counts = {
        "opened": Count("pk", filter=Q(received_on__range=period)),
        "finished": Count("pk", filter=finished),
        "on_time": Count("pk", filter=finished & Q(closed_on__lte=F("due_date"))),
    }
    if today is not None:
        overdue = Q(closed_on__isnull=True, paused_on__isnull=True, due_date__lt=today)
        counts["overdue_open"] = Count("pk", filter=overdue)
    return counts


def _relevant(selection: Selection, today: dt.date | None) -> Q:
    """The rows any figure counts (keeps the grouped query to the period's cases and the open ones)."""
    period = (selection.first, selection.last)
    relevant = Q(received_on__range=period) | Q(closed_on__range=period)
    return relevant | Q(closed_on__isnull=True) if today is not None else relevant


def case_figures(selection: Selection, *, now: bool = True, today: dt.date | None = None) -> CaseFigures:
    """The selection's figures; ``now=False`` leaves out the overdue count (a previous period)."""
    today = (today or service_day(selection.mall)) if now else None
    row = _cases(selection).filter(_relevant(selection, today)).aggregate(**_counts(selection, today))
    return CaseFigures(**{k: int(v or 0) for k, v in row.items()})


def case_breakdown(selection: Selection, by: str, *, today: dt.date | None = None) -> list[tuple[str, CaseFigures]]:
    """(agency or service code, its figures) for every unit with a case to count, by code."""
    today = today or service_day(selection.mall)
    key = GROUPS[by]
    rows = (
        _cases(selection)
        .filter(_relevant(selection, today))
        .values(key)
        .annotate(**_counts(selection, today))
        .order_by(key)
    )
    found = [(row.pop(key), CaseFigures(**{k: int(v or 0) for k, v in row.items()})) for row in rows]
    return [(code, f) for code, f in found if f.opened or f.finished or f.overdue_open]  # open on time: no row
