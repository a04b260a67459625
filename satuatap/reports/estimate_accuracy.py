"""How good were the wait estimates? Predicted vs actual wait of a day's tickets.

The prediction is what the citizen was shown when the number was issued
(``Ticket.predicted_wait_minutes``, stamped by ``issue_ticket``; formula in
``satuatap.queueing.estimates``). The actual wait is from issue to the first
call (the first CALLED event; a transfer or a recall does not move it).
Tickets never called (cancelled, still waiting, the day ended) have no actual
wait: they are counted, not measured.

Figures per service and for the whole day: median and 90th percentile of the
absolute error, mean signed error (positive: the estimate was too long), all in
minutes. The median is the usual one (middle value, mean of the two middle
ones); the 90th percentile is the nearest-rank one (the smallest value at
least 90 % of the errors do not exceed), so it is always an observed error.
"""

from __future__ import annotations

import datetime as dt
import math
import statistics
from dataclasses import dataclass, field

from django.db.models import Min, Q

from satuatap.accounts.scoping import scope
from satuatap.directory.models import Mall
from satuatap.queueing.models import Ticket, TicketEvent


def percentile(values: list[float], p: float) -> float | None:
    """Nearest-rank percentile (``p`` in 0..100); None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, math.ceil(p / 100 * len(ordered)))
    return ordered[rank - 1]


@dataclass
class Accuracy:
    """Errors of one group of tickets (a service, or the whole day)."""

    label: str
    code: str = ""
    issued: int = 0  # tickets issued with a prediction
    predicted: list[float] = field(default_factory=list)
    actual: list[float] = field(default_factory=list)

    @property
    def measured(self) -> int:
        return len(self.actual)

    @property
    def not_called(self) -> int:
        return self.issued - self.measured

    @property
    def errors(self) -> list[float]:
        return [p - a for p, a in zip(self.predicted, self.actual, strict=True)]

    @property
    def abs_errors(self) -> list[float]:
        return [abs(e) for e in self.errors]

    @property
    def median_abs_error(self) -> float | None:
        return statistics.median(self.abs_errors) if self.actual else None

    @property
    def p90_abs_error(self) -> float | None:
        return percentile(self.abs_errors, 90)

    @property
    def mean_abs_error(self) -> float | None:
        return statistics.fmean(self.abs_errors) if self.actual else None

    @property
    def mean_error(self) -> float | None:
        return statistics.fmean(self.errors) if self.actual else None

    @property
    def median_predicted(self) -> float | None:
        return statistics.median(self.predicted) if self.predicted else None

    @property
    def median_actual(self) -> float | None:
        return statistics.median(self.actual) if self.actual else None

    def add(self, predicted: int, actual: float | None) -> None:
        self.issued += 1
        if actual is not None:
            self.predicted.append(float(predicted))
            self.actual.append(actual)

    def as_dict(self) -> dict:
        def r(value):
            return None if value is None else round(value, 1)

        return {
            "label": self.label,
            "code": self.code,
            "issued": self.issued,
            "measured": self.measured,
            "not_called": self.not_called,
            "median_predicted": r(self.median_predicted),
            "median_actual": r(self.median_actual),
            "median_abs_error": r(self.median_abs_error),
            "p90_abs_error": r(self.p90_abs_error),
            "mean_abs_error": r(self.mean_abs_error),
            "mean_error": r(self.mean_error),
        }


@dataclass
class DayAccuracy:
    services: list[Accuracy]
    total: Accuracy
    without_prediction: int  # tickets of the day issued before predictions were stamped


def first_call_at():
    """Annotation: the ticket's first call (its first CALLED event), None if never called."""
    return Min("events__at", filter=Q(events__action=TicketEvent.Action.CALLED))


def actual_wait(issued_at: dt.datetime, first_call: dt.datetime | None) -> float | None:
    """Minutes from issue to the first call (at least 0); None if never called."""
    return None if first_call is None else max(0.0, (first_call - issued_at).total_seconds() / 60)


def measure(tickets) -> tuple[list[Accuracy], Accuracy, int]:
    """Group a ticket queryset by its issuing service and measure it (one query)."""
    rows = (
        tickets.annotate(first_call=first_call_at())
        .order_by("issued_service__agency__name", "issued_service__name", "issued_at")
        .values_list(
            "issued_service_id",
            "issued_service__code",
            "issued_service__name",
            "predicted_wait_minutes",
            "issued_at",
            "first_call",
        )
    )
    by_service: dict[int, Accuracy] = {}
    total = Accuracy(label="")
    without = 0
    for service_id, code, name, predicted, issued_at, first_call in rows:
        if predicted is None:
            without += 1
            continue
        actual = actual_wait(issued_at, first_call)
        by_service.setdefault(service_id, Accuracy(label=name, code=code)).add(predicted, actual)
        total.add(predicted, actual)
    return list(by_service.values()), total, without


def day_accuracy(user, mall: Mall, day: dt.date) -> DayAccuracy:
    """The day's figures for what the user may see (the manager: the mall; a supervisor: their agency)."""
    tickets = scope(user, Ticket.objects.filter(mall=mall, day=day))
    services, total, without = measure(tickets)
    return DayAccuracy(services=services, total=total, without_prediction=without)
