import datetime as dt
import itertools

import pytest
from django.utils import timezone

from satuatap.directory.hours import service_day
from satuatap.feedback.models import SCORE_FIELDS, SurveyResponse
from satuatap.queueing import tickets
from satuatap.queueing.models import Ticket, TicketStatus
from satuatap.testing import seat

_seq = itertools.count(1)


def finished_ticket(world, code="DUKCAPIL-KTP", finished_at=None) -> Ticket:
    """A served ticket made directly (fast), for the aggregate tests."""
    service = world.services[code]
    finished_at = finished_at or timezone.now()
    n = next(_seq)
    return Ticket.objects.create(
        mall=world.mall,
        issued_service=service,
        service=service,
        day=service_day(world.mall, finished_at),
        seq=n,
        number=f"{service.prefix}{n:03d}",
        public_code=f"uji{n:08d}",
        status=TicketStatus.DONE,
        issued_at=finished_at - dt.timedelta(minutes=30),
        queued_at=finished_at - dt.timedelta(minutes=30),
        finished_at=finished_at,
    )


def answered(world, scores, code="DUKCAPIL-KTP", at=None, source="tautan") -> SurveyResponse:
    """A stored response for a fresh finished ticket (test data, not the submit rules)."""
    ticket = finished_ticket(world, code, at)
    service = ticket.service
    return SurveyResponse.objects.create(
        ticket=ticket,
        mall=world.mall,
        agency_id=service.agency_id,
        service=service,
        answered_at=at or timezone.now(),
        source=source,
        **dict(zip(SCORE_FIELDS, scores, strict=True)),
    )


def score_sets(respondents: int, total: int) -> list[list[int]]:
    """``respondents`` answer sets of nine 1-4 scores summing to ``total`` over all answers."""
    slots = [1] * (9 * respondents)
    extra = total - len(slots)
    assert 0 <= extra <= 3 * len(slots)
    for i in range(len(slots)):
        add = min(3, extra)
        slots[i] += add
        extra -= add
    return [slots[i : i + 9] for i in range(0, len(slots), 9)]


@pytest.fixture
def served(world):
    """A ticket really served through queueing.tickets (issue, call, finish) by officer1."""
    officer = seat(world, 1)
    ticket = tickets.issue_ticket(world.services["DUKCAPIL-KTP"])
    ticket = tickets.call_next(world.counters[1], officer)
    return tickets.finish(ticket, officer)


@pytest.fixture(autouse=True)
def _one_working_morning(monday_morning):
    """Survey and IKM tests serve tickets and sum up "today" or "this month" through code that reads the
    clock: it starts at MONDAY_MORNING (root conftest), so no day or month ends during a test."""
