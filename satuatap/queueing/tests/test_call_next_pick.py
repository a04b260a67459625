"""Call-next's pick on PostgreSQL passes over a ticket another transaction holds, in call order.

The pick (``queueing_call_next``, migration ``queueing.0007``) walks the heads of the counter's
queues in an index and locks one with SKIP LOCKED; a locked head moves its cursor past it. Here a
second connection holds the oldest ticket's row lock, as a concurrent call-next would for a moment,
and the counter must get the next ticket in call order, across its services, and the held one once
it is free. Row locks are PostgreSQL's: on SQLite, writers are serialised whole (IMMEDIATE
transactions) and the tests of this module are not defined.
"""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.db import connection, transaction

from satuatap.queueing import tickets
from satuatap.queueing.models import Ticket
from satuatap.testing import MONDAY_MORNING, make_world, seat


def hold_row_lock(ticket_id: int, locked: threading.Event, release: threading.Event, errors: list) -> None:
    """In its own connection: lock the ticket's row until ``release`` is set."""
    try:
        with transaction.atomic():
            Ticket.objects.select_for_update().get(pk=ticket_id)
            locked.set()
            if not release.wait(timeout=30):
                errors.append("never released")
    except BaseException as exc:  # reported to the test thread
        errors.append(exc)
        locked.set()
    finally:
        connection.close()


if connection.vendor == "postgresql":

    @pytest.mark.django_db(transaction=True)
    def test_a_ticket_held_by_another_transaction_is_passed_over_for_the_next_in_call_order():
        world = make_world()
        officer = seat(world, 1)
        counter = world.counters[1]
        ktp, kk = world.services["DUKCAPIL-KTP"], world.services["DUKCAPIL-KK"]
        at = MONDAY_MORNING.astimezone(dt.UTC)
        # Call order: a1 (KTP), b1 (KK), a2 (KTP): the counter serves both queues.
        a1 = tickets.issue_ticket(ktp, now=at, queued_at=at)
        a2 = tickets.issue_ticket(ktp, now=at, queued_at=at + dt.timedelta(seconds=2))
        b1 = tickets.issue_ticket(kk, now=at, queued_at=at + dt.timedelta(seconds=1))
        locked, release, errors = threading.Event(), threading.Event(), []
        holder = threading.Thread(target=hold_row_lock, args=(a1.pk, locked, release, errors))
        holder.start()
        try:
            assert locked.wait(timeout=30)
            later = at + dt.timedelta(minutes=1)
            called = []
            for step in range(2):
                ticket = tickets.call_next(counter, officer, now=later + dt.timedelta(minutes=step))
                called.append(ticket.pk)
                tickets.finish(ticket, officer, now=later + dt.timedelta(minutes=step, seconds=30))
            assert called == [b1.pk, a2.pk]  # a1 held: the next in order, the other service's first
            assert Ticket.objects.get(pk=a1.pk).status == "waiting"
        finally:
            release.set()
            holder.join()
        assert errors == []
        freed = tickets.call_next(counter, officer, now=later + dt.timedelta(minutes=5))
        assert freed.pk == a1.pk
        assert tickets.call_next(world.counters[2], seat(world, 2), now=later + dt.timedelta(minutes=5)) is None
