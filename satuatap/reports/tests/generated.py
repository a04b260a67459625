"""Generated report data (tickets with their events, bookings, complaints) and a from-scratch Python recomputation
of the figures, for the tests that check ``reports.figures`` (computed by the database) against it."""

from __future__ import annotations

import datetime as dt
import math
import random
from zoneinfo import ZoneInfo

from satuatap.booking.models import Booking, BookingStatus
from satuatap.complaints.models import Complaint
from satuatap.directory.hours import service_day
from satuatap.queueing.models import Ticket, TicketEvent, TicketStatus
from satuatap.reports import rollup
from satuatap.testing import World

ACTION = TicketEvent.Action
REASONS = ["", "", "", "", "priority:lansia", "priority_streak_bound:3", "officer:berkas lengkap", "officer:janji"]


def ticket_row(world: World, service, day: dt.date, n: int, issued: dt.datetime, **fields) -> Ticket:
    """A ticket row of ``day`` with number ``n`` of its queue, issued (and queued) at ``issued``."""
    return Ticket.objects.create(
        mall=world.mall,
        issued_service=service,
        service=service,
        day=day,
        seq=n,
        number=f"{service.prefix}{n:03d}",
        public_code=f"code{n:06d}",
        issued_at=issued,
        queued_at=issued,
        **fields,
    )


def generate(world: World, first: dt.date, last: dt.date, per_day: int = 12, seed: int = 13) -> None:
    """Tickets on every day ``first``..``last`` with every status, transfers, out-of-order calls and bookings."""
    rng = random.Random(seed)
    tz = ZoneInfo(world.mall.timezone)
    services = list(world.services.values())
    counters = list(world.counters.values())
    officers = [u for u in world.users.values() if u.role == "officer"]
    day, n = first, 0
    while day <= last:
        for _ in range(rng.randint(0, per_day)):
            n += 1
            service = rng.choice(services)
            issued = dt.datetime.combine(day, dt.time(rng.randint(7, 16), rng.randint(0, 59), rng.randint(0, 59)), tz)
            status = rng.choice(["done", "done", "done", "no_show", "cancelled", "waiting"])
            source = rng.choice(["kiosk", "kiosk", "booking", "officer"])
            group = rng.choice(["", "", "", "lansia"])
            ticket = ticket_row(world, service, day, n, issued, status=status, priority_group=group, source=source)
            events = [(ACTION.ISSUED, issued, "")]
            if status in ("done", "no_show"):
                called = issued + dt.timedelta(seconds=rng.randint(30, 90 * 60))
                events.append((ACTION.CALLED, called, rng.choice(REASONS)))
                fields = {"called_at": called, "counter": rng.choice(counters), "officer": rng.choice(officers)}
                if rng.random() < 0.2:  # transferred, then called again in the new queue
                    moved = called + dt.timedelta(minutes=rng.randint(1, 10))
                    target = rng.choice([s for s in services if s.pk != service.pk])
                    recalled = moved + dt.timedelta(minutes=rng.randint(1, 30))
                    events += [(ACTION.TRANSFERRED, moved, f"to:{target.code}"), (ACTION.CALLED, recalled, "")]
                    fields.update(service=target, queued_at=moved, called_at=recalled)
                if status == "done":
                    started = fields["called_at"] + dt.timedelta(seconds=rng.randint(10, 120))
                    finished = started + dt.timedelta(seconds=rng.randint(60, 40 * 60))
                    fields.update(started_at=started, finished_at=finished)
                Ticket.objects.filter(pk=ticket.pk).update(**fields)
            TicketEvent.objects.bulk_create(
                TicketEvent(ticket=ticket, mall=world.mall, action=a, at=at, reason=r) for a, at, r in events
            )
            if source == "booking":
                _booking(world, ticket, service, issued, n, checked_in=True)
        for _ in range(rng.randint(0, 2)):  # bookings that never became a ticket
            n += 1
            start = dt.datetime.combine(day, dt.time(10), tz)
            _booking(world, None, rng.choice(services), start, n, checked_in=False, cancelled=rng.random() < 0.5)
        if rng.random() < 0.5:
            n += 1
            _complaint(world, rng, day, tz, n)
        day += dt.timedelta(days=1)


def _booking(world, ticket, service, start, n, *, checked_in, cancelled=False):
    status = BookingStatus.CHECKED_IN if checked_in else BookingStatus.CANCELLED if cancelled else BookingStatus.NO_SHOW
    Booking.objects.create(
        mall=world.mall,
        service=ticket.service if ticket else service,
        code=f"B{n:07d}",
        start=start,
        end=start + dt.timedelta(minutes=30),
        day=start.date(),
        status=status,
        nik_hash=f"h{n}",
        nik_encrypted="x",
        nik_masked="x",
        name_encrypted="x",
        phone_hash=f"p{n}",
        phone_encrypted="x",
        phone_masked="x",
        ticket=ticket,
        created_at=start - dt.timedelta(days=1),
        checked_in_at=start if checked_in else None,
    )


def _complaint(world, rng, day, tz, n):
    agency = rng.choice([None, *world.agencies.values()])
    created = dt.datetime.combine(day, dt.time(rng.randint(0, 23), 30), tz)
    complaint = Complaint.objects.create(
        mall=world.mall,
        agency=agency,
        tracking_code=f"T{n:08d}",
        subject="s",
        body="b",
        verify_due=day + dt.timedelta(days=3),
        follow_up_due=rng.choice([None, day + dt.timedelta(days=8)]),
    )
    answered = rng.choice([None, created + dt.timedelta(days=rng.randint(0, 12), hours=rng.randint(0, 20))])
    Complaint.objects.filter(pk=complaint.pk).update(created_at=created, answered_at=answered)


def percentile_cont(values: list[float], fraction: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    pos = fraction * (len(ordered) - 1)
    low = int(pos)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (pos - low)


def to_half_minute(minutes: float) -> float:
    """A closed day's value as the summary tables count it: whole seconds to the nearest half minute (a tie away
    from zero, as SQL's ROUND; a late change can make a wait negative)."""
    seconds, half = round(minutes * 60), rollup.HALF_MINUTE
    return math.copysign((abs(seconds) + half // 2) // half * half, seconds) / 60


def recompute(mall, first, last, target_minutes, *, agency=None, key=lambda t: 0) -> dict:
    """The ticket figures per key, the slow obvious way: load every ticket and its events into Python. Percentiles
    of the days before today are read from values to the nearest half minute, as the summary tables keep them."""
    today = service_day(mall)
    tickets = Ticket.objects.filter(mall=mall, day__gte=first, day__lte=last).select_related("service")
    if agency is not None:
        tickets = tickets.filter(service__agency=agency)
    groups: dict = {}
    for t in tickets:
        events = list(t.events.all())
        calls = [e.at for e in events if e.action == ACTION.CALLED]
        wait = (min(calls) - t.issued_at).total_seconds() / 60 if calls else None
        service = (t.finished_at - t.started_at).total_seconds() / 60 if t.status == "done" and t.started_at else None
        g = groups.setdefault(
            key(t), {"tickets": [], "waits": [], "counted waits": [], "services": [], "service sum": 0}
        )
        g["tickets"].append((t, any(e.action == ACTION.TRANSFERRED for e in events)))
        counted = to_half_minute if t.day < today else float  # what a percentile reads
        if wait is not None:
            g["waits"].append(wait)
            g["counted waits"].append(counted(wait))
        if service is not None:
            g["services"].append(counted(service))
            g["service sum"] += service
    result = {}
    for k, g in groups.items():
        tickets = [t for t, _ in g["tickets"]]
        waits, services = g["waits"], g["services"]
        result[k] = {
            "tickets_issued": len(tickets),
            "served": sum(t.status == TicketStatus.DONE for t in tickets),
            "no_show": sum(t.status == TicketStatus.NO_SHOW for t in tickets),
            "cancelled": sum(t.status == TicketStatus.CANCELLED for t in tickets),
            "transferred": sum(moved for _, moved in g["tickets"]),
            "called": len(waits),
            "within_target": sum(w <= target_minutes for w in waits),
            "bookings": sum(t.source == "booking" for t in tickets),
            "walk_ins": sum(t.source != "booking" for t in tickets),
            "priority": sum(bool(t.priority_group) for t in tickets),
            "avg_wait": sum(waits) / len(waits) if waits else None,
            "p50_wait": percentile_cont(g["counted waits"], 0.5),
            "p90_wait": percentile_cont(g["counted waits"], 0.9),
            "avg_service": g["service sum"] / len(services) if services else None,
            "p50_service": percentile_cont(services, 0.5),
        }
    return result
