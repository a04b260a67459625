"""``WaitingTally``: the waiting counts PostgreSQL's issue reads instead of counting the queue.

Triggers keep it (migration 0008) whatever writes the tickets: the hot statements, the ORM, bulk updates
and deletes. The tally must equal the count of waiting tickets per queue-day and class at every step, and
the estimate at issue read through it must be the counting formula's (``estimates.estimate_new``),
including a booking checked in before its slot (queued after the new ticket: not ahead of it).
SQLite counts the queue itself (no statement triggers): these tests are PostgreSQL's, but for the pruning.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter as Tally
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from hypothesis import HealthCheck, settings
from hypothesis.stateful import invariant, run_state_machine_as_test

from satuatap.queueing import estimates, tickets
from satuatap.queueing.housekeeping import prune_waiting_tallies
from satuatap.queueing.models import Ticket, TicketSource, TicketStatus, WaitingTally
from satuatap.queueing.tests.test_call_next_stateful import QueueMachine
from satuatap.testing import seat

WIB = ZoneInfo("Asia/Jakarta")
T0 = dt.datetime(2026, 11, 24, 9, 0, tzinfo=WIB)  # a Tuesday


def tally() -> dict:
    """The tally's non-zero rows: (service, day, priority) -> waiting."""
    rows = WaitingTally.objects.exclude(waiting=0).values_list("service_id", "day", "priority", "waiting")
    return {(s, d, p): n for s, d, p, n in rows}


def counted() -> dict:
    """The same, counted from the tickets."""
    rows = Ticket.objects.filter(status=TicketStatus.WAITING).values_list("service_id", "day", "priority_group")
    return dict(Tally((s, d, bool(g)) for s, d, g in rows))


@pytest.mark.django_db
def test_past_days_tallies_that_count_nobody_are_pruned(world):
    service = world.services["DUKCAPIL-KTP"]
    today = T0.date()
    for day, priority, waiting in [
        (today, False, 0),  # today's: kept, a ticket may join at any moment
        (today - dt.timedelta(days=1), False, 0),  # yesterday's: still today somewhere east of UTC
        (today - dt.timedelta(days=3), False, 0),  # pruned
        (today - dt.timedelta(days=3), True, 2),  # kept: it still counts two waiting tickets
    ]:
        WaitingTally.objects.create(service=service, day=day, priority=priority, waiting=waiting)
    assert prune_waiting_tallies(now=T0) == 1
    left = set(WaitingTally.objects.values_list("day", "priority"))
    assert left == {(today, False), (today - dt.timedelta(days=1), False), (today - dt.timedelta(days=3), True)}


if connection.vendor == "postgresql":

    class TalliedQueueMachine(QueueMachine):
        """The queue's state machine (issue, call, serve, no-show, recall, transfer, cancel, new days), with
        one more promise: the tally is the count of the waiting tickets after every step."""

        @invariant()
        def the_tally_counts_every_waiting_queue(self):
            assert tally() == counted()

    @pytest.mark.django_db
    def test_the_tally_follows_every_action_of_random_queue_days():
        run_state_machine_as_test(
            TalliedQueueMachine,
            settings=settings(
                max_examples=25,
                stateful_step_count=40,
                deadline=None,
                database=None,
                suppress_health_check=[HealthCheck.too_slow],
            ),
        )

    @pytest.mark.django_db
    def test_bulk_updates_and_deletes_through_the_orm_keep_the_tally(world):
        ktp, kk = world.services["DUKCAPIL-KTP"], world.services["DUKCAPIL-KK"]
        issued = [tickets.issue_ticket(ktp, now=T0 + dt.timedelta(seconds=s)) for s in range(5)]
        issued.append(tickets.issue_ticket(ktp, priority_group="lansia", now=T0 + dt.timedelta(seconds=6)))
        day = issued[0].day
        assert tally() == counted() == {(ktp.pk, day, False): 5, (ktp.pk, day, True): 1}
        # Two moved to another queue in one statement, one cancelled, one deleted, one made priority.
        Ticket.objects.filter(pk__in=[issued[0].pk, issued[1].pk]).update(service=kk)
        Ticket.objects.filter(pk=issued[2].pk).update(status=TicketStatus.CANCELLED)
        Ticket.objects.filter(pk=issued[3].pk).delete()
        Ticket.objects.filter(pk=issued[4].pk).update(priority_group="anak")
        expected = {(kk.pk, day, False): 2, (ktp.pk, day, True): 2}
        assert tally() == counted() == expected
        # Back to waiting in bulk, and a next day's queue from a bulk insert.
        Ticket.objects.filter(pk=issued[2].pk).update(status=TicketStatus.WAITING)
        tomorrow = day + dt.timedelta(days=1)
        copy = Ticket.objects.get(pk=issued[2].pk)
        copy.pk, copy.day, copy.seq, copy.public_code = None, tomorrow, 1, "tomorrow-1"
        Ticket.objects.bulk_create([copy])
        assert tally() == counted() == {**expected, (ktp.pk, day, False): 1, (ktp.pk, tomorrow, False): 1}

    @pytest.mark.django_db
    def test_a_booking_checked_in_before_its_slot_is_not_ahead_of_a_kiosk_ticket(world):
        paspor = world.services["IMIGRASI-PASPOR"]
        seat(world, 3)
        for second in range(3):
            tickets.issue_ticket(paspor, now=T0 + dt.timedelta(seconds=second))
        # Checked in at 9:01 for the 9:30 slot: it queues from 9:30, behind whoever comes before then.
        booked = tickets.issue_ticket(
            paspor,
            source=TicketSource.BOOKING,
            now=T0 + dt.timedelta(minutes=1),
            queued_at=T0 + dt.timedelta(minutes=30),
        )
        now = T0 + dt.timedelta(minutes=2)
        counting = estimates.estimate_new(paspor, now=now)  # the formula over the counted queue, just before
        kiosk = tickets.issue_ticket(paspor, now=now)
        assert kiosk.issue_estimate.position == counting.position == 3  # the three before, not the booking
        assert kiosk.issue_estimate == counting
        assert Ticket.objects.get(pk=kiosk.pk).predicted_wait_minutes == counting.minutes
        assert booked.issue_estimate.position == 3  # what was queued by 9:30 when it checked in: the three
