"""Random sequences of kiosk and counter actions keep the queue's promises.

A Hypothesis state machine drives the real service module (``queueing.tickets``)
on the real test database. Each example builds the ``make_world`` mall inside a
savepoint and rolls it back at teardown, so every example starts clean on both
databases. The clock is explicit: one second per step, a day at a time when the
machine says so, so nothing depends on when the suite runs.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter as Tally
from collections import defaultdict
from zoneinfo import ZoneInfo

import pytest
from django.db import transaction
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule, run_state_machine_as_test

from satuatap.directory.models import Service
from satuatap.queueing import tickets
from satuatap.queueing.models import AT_COUNTER_STATUSES, QueueSequence, Ticket, TicketEvent, TicketStatus
from satuatap.refusal import Refused
from satuatap.testing import make_world, seat

SERVICES = ["DUKCAPIL-KTP", "DUKCAPIL-KK", "IMIGRASI-PASPOR", "POLRESTA-SKCK"]
# Weighted towards the two Dukcapil counters sharing two queues, where contention and streaks happen.
ISSUE_TO = ["DUKCAPIL-KTP", "DUKCAPIL-KTP", "DUKCAPIL-KK", *SERVICES[1:]]
GROUPS = [None, None, "lansia", "disabilitas", "ibu_hamil", "anak"]  # regular about a third of the time
COUNTERS = [1, 2, 3, 4]
START = dt.datetime(2026, 3, 10, 9, 0, tzinfo=ZoneInfo("Asia/Jakarta"))


class QueueMachine(RuleBasedStateMachine):
    def __init__(self):
        super().__init__()
        self._atomic = transaction.atomic()
        self._atomic.__enter__()
        self.world = make_world()
        self.max_streak = self.world.mall.max_priority_streak
        self.officers = {n: seat(self.world, n) for n in COUNTERS}
        self.counter_services = {n: set(self.world.counters[n].services.values_list("id", flat=True)) for n in COUNTERS}
        self.services = {code: Service.objects.get(pk=s.pk) for code, s in self.world.services.items()}
        self.clock = START
        self.held: dict[int, int | None] = dict.fromkeys(COUNTERS)
        self.model_streak = dict.fromkeys(COUNTERS, 0)
        # Per counter: length of the current run of priority calls made while a regular ticket waited.
        self.passing_run = dict.fromkeys(COUNTERS, 0)

    @initialize(streak=st.sampled_from([1, 2, 3]))
    def configure_priority_bound(self, streak):
        self.world.mall.max_priority_streak = streak
        self.world.mall.save(update_fields=["max_priority_streak"])
        self.max_streak = streak

    def teardown(self):
        transaction.set_rollback(True)
        self._atomic.__exit__(None, None, None)

    def tick(self) -> dt.datetime:
        self.clock += dt.timedelta(seconds=1)
        return self.clock

    def held_ticket(self, n: int) -> Ticket | None:
        pk = self.held[n]
        return Ticket.objects.get(pk=pk) if pk else None

    # -- kiosk -------------------------------------------------------------
    @rule(code=st.sampled_from(ISSUE_TO), group=st.sampled_from(GROUPS))
    def issue(self, code, group):
        ticket = tickets.issue_ticket(self.services[code], priority_group=group or "", now=self.tick())
        assert ticket.status == TicketStatus.WAITING
        assert ticket.day == self.clock.date()

    @rule(batch=st.lists(st.tuples(st.sampled_from(ISSUE_TO), st.sampled_from(GROUPS)), min_size=2, max_size=8))
    def rush_at_the_kiosk(self, batch):
        for code, group in batch:
            self.issue(code, group)

    @rule(data=st.data())
    def cancel_a_waiting_ticket(self, data):
        waiting = list(Ticket.objects.filter(status=TicketStatus.WAITING).values_list("pk", flat=True))
        if waiting:
            pk = data.draw(st.sampled_from(waiting))
            assert tickets.cancel(Ticket(pk=pk), now=self.tick()).status == TicketStatus.CANCELLED

    @rule()
    def next_service_day(self):
        self.clock = dt.datetime.combine(self.clock.date() + dt.timedelta(days=1), START.timetz())

    # -- counter -----------------------------------------------------------
    @rule(n=st.sampled_from(COUNTERS))
    def call_next(self, n):
        self._call(n)

    @rule(n=st.sampled_from([1, 1, 2, 3]))
    def serve_next(self, n):
        """Call and finish in one step: what a busy counter does all day."""
        if self.held[n] is None and self._call(n) is not None:
            self.finish(n)

    def _call(self, n):
        now = self.tick()
        eligible = list(
            Ticket.objects.filter(
                status=TicketStatus.WAITING, day=now.date(), service_id__in=self.counter_services[n]
            ).order_by("queued_at", "id")
        )
        if self.held[n] is not None:
            with pytest.raises(Refused) as err:
                tickets.call_next(self.world.counters[n], self.officers[n], now=now)
            assert err.value.code == "counter_busy"
            return None
        called = tickets.call_next(self.world.counters[n], self.officers[n], now=now)
        priority = [t for t in eligible if t.priority_group]
        regular = [t for t in eligible if not t.priority_group]
        if self.model_streak[n] < self.max_streak:
            expected = (priority or regular or [None])[0]
        else:
            expected = (regular or priority or [None])[0]
        assert (called and called.pk) == (expected and expected.pk)
        if called is None:
            return None
        assert called.status == TicketStatus.CALLED and called.counter_id == self.world.counters[n].pk
        self.held[n] = called.pk
        self.model_streak[n] = self.model_streak[n] + 1 if called.priority_group else 0
        passing = bool(called.priority_group) and bool(regular)
        self.passing_run[n] = self.passing_run[n] + 1 if passing else 0
        assert self.passing_run[n] <= self.max_streak
        # Any older eligible ticket passed over: the call records why.
        event = TicketEvent.objects.filter(ticket=called, action=TicketEvent.Action.CALLED).latest("id")
        if any(t.queued_at < called.queued_at for t in eligible):
            assert event.reason, f"{called.number} jumped the queue without a recorded reason"
        else:
            assert event.reason == ""
        return called

    @rule(n=st.sampled_from(COUNTERS))
    def start(self, n):
        ticket = self.held_ticket(n)
        if ticket is None:
            return
        if ticket.status == TicketStatus.CALLED:
            assert tickets.start_service(ticket, self.officers[n], now=self.tick()).status == TicketStatus.SERVING
        else:
            with pytest.raises(Refused):
                tickets.start_service(ticket, self.officers[n], now=self.tick())

    @rule(n=st.sampled_from(COUNTERS))
    def finish(self, n):
        ticket = self.held_ticket(n)
        if ticket is not None:
            assert tickets.finish(ticket, self.officers[n], now=self.tick()).status == TicketStatus.DONE
            self.held[n] = None

    @rule(n=st.sampled_from(COUNTERS))
    def no_show(self, n):
        ticket = self.held_ticket(n)
        if ticket is None:
            return
        if ticket.status == TicketStatus.CALLED:
            assert tickets.no_show(ticket, self.officers[n], now=self.tick()).status == TicketStatus.NO_SHOW
            self.held[n] = None
        else:
            with pytest.raises(Refused):
                tickets.no_show(ticket, self.officers[n], now=self.tick())

    @rule(n=st.sampled_from(COUNTERS))
    def recall(self, n):
        ticket = self.held_ticket(n)
        if ticket is None:
            return
        if ticket.status == TicketStatus.CALLED:
            again = tickets.recall(ticket, self.officers[n], now=self.tick())
            assert again.recall_count == ticket.recall_count + 1
        else:
            with pytest.raises(Refused):
                tickets.recall(ticket, self.officers[n], now=self.tick())

    @rule(n=st.sampled_from(COUNTERS), code=st.sampled_from(SERVICES))
    def transfer(self, n, code):
        ticket = self.held_ticket(n)
        if ticket is None:
            return
        target = self.services[code]
        if target.pk == ticket.service_id:
            with pytest.raises(Refused) as err:
                tickets.transfer(ticket, self.officers[n], target, now=self.tick())
            assert err.value.code == "same_service"
            return
        moved = tickets.transfer(ticket, self.officers[n], target, now=self.tick())
        assert (moved.status, moved.service_id, moved.counter_id) == (TicketStatus.WAITING, target.pk, None)
        assert moved.number == ticket.number
        self.held[n] = None

    # -- invariants --------------------------------------------------------
    @invariant()
    def numbers_are_unique_and_gapless_per_queue_day(self):
        rows = Ticket.objects.values_list("issued_service_id", "day", "seq", "number")
        by_queue = defaultdict(list)
        prefixes = {s.pk: s.prefix for s in self.services.values()}
        for service_id, day, seq, number in rows:
            by_queue[(service_id, day)].append(seq)
            assert number == f"{prefixes[service_id]}{seq:03d}"
        for key, seqs in by_queue.items():
            assert sorted(seqs) == list(range(1, len(seqs) + 1)), key
        last = {(s, d): n for s, d, n in QueueSequence.objects.values_list("service_id", "day", "last_number")}
        assert last == {key: len(seqs) for key, seqs in by_queue.items()}

    @invariant()
    def no_ticket_is_held_by_two_counters(self):
        at_counters = list(Ticket.objects.filter(status__in=AT_COUNTER_STATUSES).values_list("counter_id", "pk"))
        counters = [c for c, _ in at_counters]
        assert None not in counters
        assert len(set(counters)) == len(counters)
        expected = {self.world.counters[n].pk: pk for n, pk in self.held.items() if pk}
        assert dict(at_counters) == expected

    @invariant()
    def a_ticket_is_called_at_most_once_per_stay_in_a_queue(self):
        events = Tally(
            TicketEvent.objects.filter(action__in=["called", "transferred"]).values_list("ticket_id", "action")
        )
        for (ticket_id, action), count in events.items():
            if action == "called":
                assert count <= 1 + events[(ticket_id, "transferred")], ticket_id

    @invariant()
    def counters_remember_their_priority_streak(self):
        for n in COUNTERS:
            streak = type(self.world.counters[n]).objects.values_list("priority_streak", flat=True)
            assert streak.get(pk=self.world.counters[n].pk) == self.model_streak[n]


@pytest.mark.django_db
def test_random_queue_days_keep_every_promise():
    run_state_machine_as_test(
        QueueMachine,
        settings=settings(
            max_examples=50,
            stateful_step_count=40,
            deadline=None,
            database=None,
            suppress_health_check=[HealthCheck.too_slow],
        ),
    )
