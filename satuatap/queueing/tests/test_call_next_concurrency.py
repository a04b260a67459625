"""Many counters and kiosks at once: nobody is called twice, no number is lost.

Real threads, real connections, committed transactions (``transaction=True``),
so PostgreSQL's row locks (SKIP LOCKED) and SQLite's IMMEDIATE transactions are
what keep the promises here. Each thread closes its own connection.
"""

from __future__ import annotations

import threading
import time
from collections import Counter as Tally

import pytest
from django.db import connection

from satuatap.accounts.models import Role, User
from satuatap.directory.models import Counter
from satuatap.queueing import tickets
from satuatap.queueing.models import QueueSequence, Ticket, TicketEvent, TicketStatus
from satuatap.refusal import Refused
from satuatap.testing import make_world, seat

TICKETS = 200
COUNTERS = 8


def run_in_threads(target, args_list):
    errors = []

    def wrapper(*args):
        try:
            target(*args)
        except BaseException as exc:  # reported to the test thread below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=wrapper, args=args) for args in args_list]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == [], errors


def seat_dukcapil_counters(world, how_many):
    """Counters 1 and 2 of the world, plus extra Dukcapil counters with their own officers."""
    ktp, kk = world.services["DUKCAPIL-KTP"], world.services["DUKCAPIL-KK"]
    seated = [(world.counters[n], seat(world, n)) for n in (1, 2)]
    for number in range(5, 5 + how_many - 2):
        counter = Counter.objects.create(
            mall=world.mall,
            building=world.counters[1].building,
            agency=world.agencies["DUKCAPIL"],
            number=number,
        )
        counter.services.set([ktp, kk])
        officer = User.objects.create_user(
            username=f"petugas{number}",
            role=Role.OFFICER,
            mall=world.mall,
            agency=world.agencies["DUKCAPIL"],
        )
        seated.append((tickets.sign_in(counter, officer), officer))
    return seated


@pytest.mark.django_db(transaction=True)
def test_eight_counters_calling_at_once_call_every_ticket_exactly_once():
    world = make_world()
    services = [world.services["DUKCAPIL-KTP"], world.services["DUKCAPIL-KK"]]
    for i in range(TICKETS):
        tickets.issue_ticket(services[i % 2], priority_group="lansia" if i % 7 == 0 else "")
    seated = seat_dukcapil_counters(world, COUNTERS)
    served: dict[int, list[int]] = {counter.pk: [] for counter, _ in seated}
    conflicts = Tally()

    def work(counter, officer):
        while True:
            try:
                ticket = tickets.call_next(counter, officer)
            except Refused as err:
                conflicts[err.code] += 1  # a refused call changes nothing: try again
                continue
            if ticket is None:
                return
            assert ticket.counter_id == counter.pk
            tickets.finish(ticket, officer)
            served[counter.pk].append(ticket.pk)

    run_in_threads(work, seated)

    all_served = [pk for pks in served.values() for pk in pks]
    assert len(all_served) == TICKETS
    assert len(set(all_served)) == TICKETS
    assert Ticket.objects.count() == TICKETS
    assert Ticket.objects.exclude(status=TicketStatus.DONE).count() == 0
    calls = Tally(TicketEvent.objects.filter(action=TicketEvent.Action.CALLED).values_list("ticket_id", flat=True))
    assert set(calls.values()) == {1}
    assert len(calls) == TICKETS
    assert TicketEvent.objects.filter(action=TicketEvent.Action.FINISHED).count() == TICKETS
    # Each call was made by the counter that served the ticket.
    by_counter = Tally(
        TicketEvent.objects.filter(action=TicketEvent.Action.CALLED).values_list("counter_id", flat=True)
    )
    assert by_counter == {pk: len(pks) for pk, pks in served.items() if pks}
    assert conflicts["conflict"] == 0, conflicts


@pytest.mark.django_db(transaction=True)
def test_kiosks_issuing_at_once_get_unique_gapless_numbers():
    world = make_world()
    service = world.services["IMIGRASI-PASPOR"]
    threads, per_thread = 8, 25
    numbers: list[str] = []
    lock = threading.Lock()

    def work():
        for _ in range(per_thread):
            ticket = tickets.issue_ticket(service)
            with lock:
                numbers.append(ticket.number)

    run_in_threads(work, [()] * threads)

    total = threads * per_thread
    assert sorted(numbers) == [f"C{n:03d}" for n in range(1, total + 1)]
    seqs = sorted(Ticket.objects.filter(issued_service=service).values_list("seq", flat=True))
    assert seqs == list(range(1, total + 1))
    assert QueueSequence.objects.get(service=service).last_number == total


@pytest.mark.django_db(transaction=True)
def test_kiosks_and_counters_working_at_once_lose_nothing():
    world = make_world()
    services = [world.services["DUKCAPIL-KTP"], world.services["DUKCAPIL-KK"]]
    seated = seat_dukcapil_counters(world, 4)
    per_kiosk, kiosks = 30, 4
    issued_done = threading.Event()
    remaining = [kiosks]
    lock = threading.Lock()
    served: list[int] = []

    def kiosk(k):
        for i in range(per_kiosk):
            tickets.issue_ticket(services[(k + i) % 2])
        with lock:
            remaining[0] -= 1
            if remaining[0] == 0:
                issued_done.set()

    def officer_loop(counter, officer):
        while True:
            finished_issuing = issued_done.is_set()
            ticket = tickets.call_next(counter, officer)
            if ticket is None:
                if finished_issuing:
                    return
                # An officer presses "call" again a moment later, not in a tight loop:
                # on SQLite every call takes the write lock, and a tight loop starves the kiosks.
                time.sleep(0.01)
                continue
            tickets.finish(ticket, officer)
            with lock:
                served.append(ticket.pk)

    def dispatch(kind, *args):
        (kiosk if kind == "kiosk" else officer_loop)(*args)

    run_in_threads(dispatch, [("kiosk", k) for k in range(kiosks)] + [("officer", c, o) for c, o in seated])

    total = per_kiosk * kiosks
    assert len(served) == len(set(served)) == total
    assert Ticket.objects.filter(status=TicketStatus.DONE).count() == total
    for service in services:
        seqs = sorted(Ticket.objects.filter(issued_service=service).values_list("seq", flat=True))
        assert seqs == list(range(1, len(seqs) + 1))
    calls = Tally(TicketEvent.objects.filter(action=TicketEvent.Action.CALLED).values_list("ticket_id", flat=True))
    assert len(calls) == total and set(calls.values()) == {1}
