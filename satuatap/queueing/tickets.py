"""Every change to a ticket goes through this module.

Each function owns its transaction, stamps who and when in a TicketEvent,
and announces the change after commit. Views and the API call these; nothing
else saves a Ticket.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import secrets

from django.db import IntegrityError, connection, transaction
from django.db.models import Case, F, IntegerField, Value, When
from django.db.models.expressions import CombinedExpression
from django.utils.translation import gettext as _

from satuatap import live
from satuatap.directory import cached
from satuatap.directory.hours import open_state, or_now, service_day
from satuatap.directory.models import Counter, Service
from satuatap.queueing import estimates, hints, idempotency, quota, statements
from satuatap.queueing.models import (
    AT_COUNTER_STATUSES,
    Ticket,
    TicketEvent,
    TicketSource,
    TicketStatus,
)
from satuatap.refusal import Refused

Action = TicketEvent.Action


def format_number(prefix: str, seq: int) -> str:
    return f"{prefix}{seq:03d}"


def _one_statement_write():
    """The transaction of a write that PostgreSQL runs as one statement (a data-modifying CTE or a function):
    outside a caller's transaction the statement commits itself, sparing the BEGIN and COMMIT round trips
    (``on_commit`` hints then go at once, after it). Anywhere else an atomic block, as for any write."""
    if statements.on_postgresql() and connection.get_autocommit() and not connection.in_atomic_block:
        return contextlib.nullcontext()
    return transaction.atomic()


def _announce(ticket: Ticket, event: TicketEvent, *extra_services: Service) -> None:
    _hint(ticket, event.action, event.pk, *extra_services)


def _hint(ticket: Ticket, action: str, event_id: int, *extra_services: Service) -> None:
    """``_announce`` of an event known by its action and id (the hot statements return no event row)."""
    groups = hints.groups_for(ticket.mall_id, [ticket.service, *extra_services])
    live.publish(groups, hints.payload_for(action, event_id, ticket.pk))


def _record(
    ticket: Ticket,
    action: str,
    at: dt.datetime,
    *,
    actor=None,
    counter=None,
    reason="",
    from_service=None,
    idempotency_key=None,
):
    zone_id = counter.agency.zone_id if counter is not None else ticket.service.agency.zone_id
    return TicketEvent.objects.create(
        ticket=ticket,
        mall_id=ticket.mall_id,
        action=action,
        at=at,
        actor=actor if getattr(actor, "pk", None) else None,
        counter=counter,
        zone_id=zone_id,
        from_service=from_service,
        reason=reason,
        idempotency_key=idempotency_key,
    )


def _reserved_for_bookings(service: Service, day: dt.date, source: str) -> int:
    """Walk-ins stop short of the quota by the bookings still to check in; a check-in uses its own place."""
    if source == TicketSource.BOOKING:
        return 0
    return quota.held_places(service, day)  # booking registers its places (the queue never imports booking)


def issue_ticket(
    service: Service,
    *,
    priority_group: str = "",
    source: str = TicketSource.KIOSK,
    actor=None,
    now: dt.datetime | None = None,
    queued_at: dt.datetime | None = None,
    idempotency_key: str | None = None,
) -> Ticket:
    """Issue the next number; ``queued_at`` (a booked check-in's slot start) is the FIFO key when given.

    With an ``idempotency_key`` already used for this service, the ticket issued then (no new number)."""
    return idempotency.once(
        idempotency_key,
        service.mall_id,
        Action.ISSUED,
        lambda event: event.ticket.issued_service_id == service.pk,
        lambda: _issue(service, priority_group, source, actor, now, queued_at, idempotency_key),
    )


def _issue(service, priority_group, source, actor, now, queued_at, key) -> Ticket:
    now = or_now(now)
    mall = service.mall
    priority_group = priority_group or ""
    if priority_group and priority_group not in (mall.priority_groups or []):
        raise Refused("bad_priority_group", _("Kelompok prioritas tidak dikenal."), status=422)
    day = service_day(mall, now)
    state = open_state(cached.with_hours(mall), now, service=service, closures=cached.closures_on(mall, day))
    if not state.issuing:
        raise Refused("closed", state.reason)
    # The wait shown on the new ticket, stamped so the report can compare it with the first call: the slow
    # figures from this process, the fast ones read in the issue's own statement (``estimates``).
    on_postgresql = statements.on_postgresql()
    reading = estimates.reading_at_issue(
        service, priority_group=priority_group, queued_at=queued_at, now=now, inline=on_postgresql
    )
    if on_postgresql:
        # With a quota, a refused number is rolled back (not used up): that needs the transaction.
        with _one_statement_write() if service.daily_quota is None else transaction.atomic():
            ticket, estimate = _issue_in_one_statement(
                service, day, priority_group, source, actor, now, queued_at, reading, key
            )
    else:
        with transaction.atomic():
            made = _issue_in_steps(service, day, priority_group, source, actor, now, queued_at, reading, key)
        ticket, estimate = made
    ticket.issue_estimate = estimate  # snapshots reuse it for this instance instead of asking again
    return ticket


def _quota_refused() -> Refused:
    # Raising rolls the sequence back too: no number is lost.
    return Refused("quota_reached", _("Kuota harian layanan ini sudah habis."))


def _issue_values(service, day, priority_group, source, actor, now, queued_at, key) -> dict:
    """The row of a new ticket and its event, as ``statements.issue`` and ``statements.insert_issued`` take it."""
    return dict(
        service_id=service.pk,
        mall_id=service.mall_id,
        day=day,
        prefix=service.prefix,
        public_code=secrets.token_urlsafe(12),
        priority_group=priority_group,
        source=source,
        now=now,
        queued_at=queued_at or now,
        actor_id=actor.pk if getattr(actor, "pk", None) else None,
        zone_id=service.agency.zone_id,
        idempotency_key=key,
    )


def _issued(ticket: Ticket, event_id: int, service: Service) -> Ticket:
    ticket.mall, ticket.service, ticket.issued_service = service.mall, service, service
    _hint(ticket, Action.ISSUED, event_id)
    return ticket


def _issue_in_one_statement(service, day, priority_group, source, actor, now, queued_at, reading, key):
    """PostgreSQL: the number, the ticket with its estimate and its event in one round trip (``statements.issue``)."""
    max_seq = None
    if service.daily_quota is not None:
        max_seq = service.daily_quota - _reserved_for_bookings(service, day, source)
    values = _issue_values(service, day, priority_group, source, actor, now, queued_at, key)
    made = statements.issue(
        max_seq=max_seq, estimate_sql=estimates.ISSUE_ESTIMATE_SQL, estimate_params=reading.inline, **values
    )
    if made is None:
        raise _quota_refused()
    ticket, event_id, waiting, counters = made
    estimate = reading.estimate(estimates.figure_rows(waiting, counters))
    if estimate.minutes != ticket.predicted_wait_minutes:  # the statement's staffing was out of date
        statements.restamp(ticket.pk, estimate.minutes)
        ticket.predicted_wait_minutes = estimate.minutes
    return _issued(ticket, event_id, service), estimate


def _issue_in_steps(service, day, priority_group, source, actor, now, queued_at, reading, key):
    """SQLite (writers serialised by the IMMEDIATE transaction): the number with the estimate's fast read in
    one statement (a short read under the write lock, for a round trip less), the ticket, the event."""
    seq, figures = statements.next_number_reading(
        service_id=service.pk, day=day, sql=reading.sql, params=reading.params, columns=estimates.FIGURE_COLUMNS
    )
    estimate = reading.estimate(figures)
    if service.daily_quota is not None and seq + _reserved_for_bookings(service, day, source) > service.daily_quota:
        raise _quota_refused()
    values = _issue_values(service, day, priority_group, source, actor, now, queued_at, key)
    made = statements.insert_issued(
        seq=seq, number=format_number(service.prefix, seq), predicted=estimate.minutes, **values
    )
    return _issued(*made, service), estimate


def _signed_in_counter(counter: Counter, officer) -> None:
    if counter.officer_id != officer.pk:
        raise Refused("not_signed_in", _("Anda tidak sedang bertugas di loket ini."), status=403)


def _queue_order(prefer_priority: bool):
    """Priority first (or regular first when the streak bound is reached), then first come."""
    is_priority = Case(When(priority_group="", then=Value(0)), default=Value(1), output_field=IntegerField())
    rank = Case(When(priority_group="", then=Value(1)), default=Value(0), output_field=IntegerField())
    return (rank if prefer_priority else is_priority), "queued_at", "id"


def _ready_to_call(counter: Counter, officer, now: dt.datetime, *, check_busy: bool = True):
    """Lock the counter and check it may call now; return it with its waiting queue of today.

    The counter row is locked first (its priority streak is read-modify-write).
    """
    counter = Counter.objects.select_for_update().select_related("mall", "agency").get(pk=counter.pk)
    _signed_in_counter(counter, officer)
    mall = counter.mall
    state = open_state(mall, now, counter=counter)
    if not state.serving:
        raise Refused("closed", state.reason)
    if check_busy:
        _refuse_if_busy(counter)
    day = service_day(mall, now)
    # A subquery, not a list: one round trip fewer; the same services either way.
    service_ids = counter.services.filter(archived_at__isnull=True).values("id")
    waiting = Ticket.objects.filter(mall=mall, day=day, status=TicketStatus.WAITING, service_id__in=service_ids)
    return counter, waiting


def _refuse_if_busy(counter: Counter) -> None:
    if Ticket.objects.filter(counter=counter, status__in=AT_COUNTER_STATUSES).exists():
        raise Refused("counter_busy", _("Selesaikan atau tandai tidak hadir tiket yang sedang dipanggil dulu."))


def _claim(counter: Counter, officer, ticket: Ticket, reason: str, now: dt.datetime, key=None) -> Ticket:
    """Move a locked waiting ticket to the counter, keep the streak, record and announce."""
    changed = Ticket.objects.filter(pk=ticket.pk, status=TicketStatus.WAITING).update(
        status=TicketStatus.CALLED, counter=counter, officer=officer, called_at=now
    )
    if changed != 1:  # cannot happen under the locks taken; refuse rather than double-call
        raise Refused("conflict", _("Tiket sudah dipanggil loket lain. Coba lagi."))
    # A plain UPDATE: the streak is bookkeeping, not master data worth a history row.
    streak = counter.priority_streak + 1 if ticket.priority_group else 0
    if streak != counter.priority_streak:  # usually 0 -> 0: nothing to write
        counter.priority_streak = streak
        Counter.objects.filter(pk=counter.pk).update(priority_streak=streak)
    # The row is locked and the UPDATE above set exactly these: no need to read it back.
    ticket.status, ticket.counter, ticket.officer, ticket.called_at = TicketStatus.CALLED, counter, officer, now
    event = _record(ticket, Action.CALLED, now, actor=officer, counter=counter, reason=reason, idempotency_key=key)
    _announce(ticket, event)
    return ticket


def call_next(
    counter: Counter, officer, *, now: dt.datetime | None = None, idempotency_key: str | None = None
) -> Ticket | None:
    """Call the next eligible ticket to this counter; None when nobody waits.

    One transaction picks and locks: the counter row first, then the ticket
    with SKIP LOCKED on PostgreSQL so two counters never wait on or take the
    same ticket. On SQLite the transaction is IMMEDIATE, which serialises writers.
    The usual call is ``statements.call_next`` (one function call on PostgreSQL, committing itself; two or
    three statements on SQLite); when it calls nobody, the ORM steps below run and say why (or answer None).
    A retry with the ``idempotency_key`` of an earlier call answers the ticket called then.
    """
    return idempotency.once(
        idempotency_key,
        counter.mall_id,
        Action.CALLED,
        lambda event: event.counter_id == counter.pk,
        lambda: _call_next(counter, officer, now, idempotency_key),
    )


def _call_next(counter: Counter, officer, now, key) -> Ticket | None:
    now = or_now(now)
    mall = cached.with_hours(counter.mall)
    day = service_day(mall, now)
    state = open_state(mall, now, counter=counter, closures=cached.closures_on(mall, day))
    service_ids = cached.counter_service_ids(counter.pk)
    if state.serving and service_ids:
        with _one_statement_write():
            called = statements.call_next(
                counter_id=counter.pk,
                officer_id=officer.pk,
                mall_id=mall.pk,
                day=day,
                service_ids=service_ids,
                now=now,
                zone_id=counter.agency.zone_id,
                max_streak=mall.max_priority_streak,
                idempotency_key=key,
            )
            if called == statements.NOBODY_WAITING:
                return None
            if called is not None:
                ticket, event_id, _reason, _streak = called
                ticket.service = cached.service(ticket.service_id)
                ticket.counter, ticket.officer = counter, officer
                _hint(ticket, Action.CALLED, event_id)
                return ticket
    # Not open, not signed in here, a ticket still at the counter, or nobody waiting: the steps below say which.
    with transaction.atomic():
        counter, waiting = _ready_to_call(counter, officer, now)
        max_streak = counter.mall.max_priority_streak
        streak_full = counter.priority_streak >= max_streak
        ticket = (
            waiting.select_for_update(skip_locked=True, of=("self",))
            .select_related("service__agency")  # the announcement and the answer need them
            .order_by(*_queue_order(prefer_priority=not streak_full))
            .first()
        )
        if ticket is None:
            return None
        return _claim(counter, officer, ticket, _call_reason(ticket, waiting, max_streak), now, key)


def call_ticket(
    counter: Counter,
    officer,
    number: str,
    *,
    reason: str,
    now: dt.datetime | None = None,
    idempotency_key: str | None = None,
) -> Ticket:
    """Call one particular waiting ticket out of order (a citizen who stepped out and came back).

    Queue jumping is how extortion starts: the reason is required and recorded
    on the call, where supervisors and reports see it.
    """
    return idempotency.once(
        idempotency_key,
        counter.mall_id,
        Action.CALLED,
        lambda event: event.counter_id == counter.pk and event.ticket.number == (number or "").strip().upper(),
        lambda: _call_ticket(counter, officer, number, reason, now, idempotency_key),
    )


def _call_ticket(counter: Counter, officer, number: str, reason: str, now, key) -> Ticket:
    now = or_now(now)
    reason = " ".join((reason or "").split())[:150]
    if not reason:
        raise Refused("reason_required", _("Tuliskan alasan memanggil nomor di luar urutan."), status=422)
    number = (number or "").strip().upper()
    with transaction.atomic():
        # The number is looked up first: another agency's number is "not here" (404) whatever the counter's state.
        counter, waiting = _ready_to_call(counter, officer, now, check_busy=False)
        ticket = (
            waiting.filter(number=number)
            .select_for_update(skip_locked=True, of=("self",))
            .select_related("service__agency")
            .first()
        )
        if ticket is None:
            raise Refused(
                "not_waiting",
                _("Nomor %(number)s tidak sedang menunggu di antrean loket ini.") % {"number": number or "—"},
                status=404,
            )
        _refuse_if_busy(counter)
        return _claim(counter, officer, ticket, f"officer:{reason}", now, key)


def _call_reason(ticket: Ticket, waiting, max_streak: int) -> str:
    """Why this ticket went before an older one, if it did: the recorded rule."""
    older = waiting.exclude(pk=ticket.pk).filter(queued_at__lt=ticket.queued_at)
    if ticket.priority_group:
        if older.filter(priority_group="").exists():
            return f"priority:{ticket.priority_group}"
    elif older.exclude(priority_group="").exists():
        return f"priority_streak_bound:{max_streak}"
    return ""


def _transition(
    ticket: Ticket,
    officer,
    *,
    allowed_from: tuple[str, ...],
    to: str,
    action: str,
    now: dt.datetime,
    reason: str = "",
    idempotency_key: str | None = None,
    **fields,
) -> Ticket:
    """Compare-and-set a ticket held by the officer's counter from one status to another.

    First as one statement (``statements.transition``); when its guard does not hold, the ORM
    steps below find out why and refuse (or, after a race, succeed). A retry with the
    ``idempotency_key`` of an earlier request answers the ticket as that one left it.
    """
    return idempotency.once(
        idempotency_key,
        ticket.mall_id,
        action,
        lambda event: event.ticket_id == ticket.pk,
        lambda: _transition_once(
            ticket,
            officer,
            allowed_from=allowed_from,
            to=to,
            action=action,
            now=now,
            reason=reason,
            key=idempotency_key,
            **fields,
        ),
    )


def _transition_once(ticket, officer, *, allowed_from, to, action, now, reason, key, **fields) -> Ticket:
    done = transition_if_held(
        ticket.pk,
        ticket.mall_id,
        officer,
        allowed_from=allowed_from,
        to=to,
        action=action,
        now=now,
        reason=reason,
        idempotency_key=key,
        **fields,
    )
    if done is not None:
        return done
    with transaction.atomic():
        current = _lock_held(ticket, officer, allowed_from, "service__agency")
        counter = current.counter
        changed = Ticket.objects.filter(pk=current.pk, status=current.status, counter=counter).update(
            status=to, **fields
        )
        if changed != 1:
            raise Refused("conflict", _("Tiket berubah di tempat lain. Muat ulang."))
        current.refresh_from_db()
        event = _record(current, action, now, actor=officer, counter=counter, reason=reason, idempotency_key=key)
        _announce(current, event)
    return current


def _lock_held(ticket: Ticket, officer, allowed_from, *related: str, bad_state: str = "") -> Ticket:
    """Lock the ticket and refuse unless it is at the officer's counter in one of ``allowed_from``.

    The ORM path of the counter transitions and of a transfer (why the one-statement guard did not hold)."""
    current = Ticket.objects.select_for_update(of=("self",)).select_related("counter", *related).get(pk=ticket.pk)
    counter = current.counter
    if counter is None or counter.officer_id != officer.pk:
        raise Refused("not_your_ticket", _("Tiket ini tidak sedang dilayani di loket Anda."), status=403)
    if current.status not in allowed_from:
        message = bad_state or _("Tiket %(number)s berstatus %(status)s; tindakan ini tidak dapat dilakukan.") % {
            "number": current.number,
            "status": current.get_status_display(),
        }
        raise Refused("bad_state", message)
    return current


def transition_if_held(
    ticket_id: int,
    mall_id: int,
    officer,
    *,
    allowed_from: tuple[str, ...],
    to: str,
    action: str,
    now: dt.datetime,
    reason: str = "",
    agency_id: int | None = None,
    idempotency_key: str | None = None,
    **fields,
) -> Ticket | None:
    """The transition in one statement if the ticket is at the officer's counter in a state it allows, else None
    (nothing changed). ``agency_id``: the ticket must also be in a service of that agency (the API's tenancy)."""
    increment = tuple(name for name, value in fields.items() if isinstance(value, CombinedExpression))
    values = {name: value for name, value in fields.items() if name not in increment}
    with _one_statement_write():
        done = statements.transition(
            ticket_id=ticket_id,
            mall_id=mall_id,
            officer_id=officer.pk,
            allowed_from=allowed_from,
            to=to,
            action=action,
            now=now,
            reason=reason,
            agency_id=agency_id,
            fields=values,
            increment=increment,
            idempotency_key=idempotency_key,
        )
        if done is None:
            return None
        ticket, event_id, counter_number = done
        ticket.service = cached.service(ticket.service_id)
        ticket.counter = Counter(pk=ticket.counter_id, number=counter_number, mall_id=ticket.mall_id)
        _hint(ticket, action, event_id)
    return ticket


def recall(
    ticket: Ticket, officer, *, reason: str = "", now: dt.datetime | None = None, idempotency_key: str | None = None
) -> Ticket:
    now = or_now(now)
    return _transition(
        ticket,
        officer,
        idempotency_key=idempotency_key,
        allowed_from=(TicketStatus.CALLED,),
        to=TicketStatus.CALLED,
        action=Action.RECALLED,
        now=now,
        reason=reason or "recall",
        recall_count=F("recall_count") + 1,
    )


def start_service(
    ticket: Ticket, officer, *, now: dt.datetime | None = None, idempotency_key: str | None = None
) -> Ticket:
    now = or_now(now)
    return _transition(
        ticket,
        officer,
        idempotency_key=idempotency_key,
        allowed_from=(TicketStatus.CALLED,),
        to=TicketStatus.SERVING,
        action=Action.STARTED,
        now=now,
        started_at=now,
    )


def finish(ticket: Ticket, officer, *, now: dt.datetime | None = None, idempotency_key: str | None = None) -> Ticket:
    now = or_now(now)
    return _transition(
        ticket,
        officer,
        idempotency_key=idempotency_key,
        allowed_from=(TicketStatus.SERVING, TicketStatus.CALLED),
        to=TicketStatus.DONE,
        action=Action.FINISHED,
        now=now,
        finished_at=now,
    )


def no_show(ticket: Ticket, officer, *, now: dt.datetime | None = None, idempotency_key: str | None = None) -> Ticket:
    now = or_now(now)
    return _transition(
        ticket,
        officer,
        idempotency_key=idempotency_key,
        allowed_from=(TicketStatus.CALLED,),
        to=TicketStatus.NO_SHOW,
        action=Action.NO_SHOW,
        now=now,
        finished_at=now,
    )


# The counter actions as the API's one-statement path runs them (the functions above run the same).
_ACTIONS = {
    "recall": dict(allowed_from=(TicketStatus.CALLED,), to=TicketStatus.CALLED, action=Action.RECALLED),
    "start": dict(allowed_from=(TicketStatus.CALLED,), to=TicketStatus.SERVING, action=Action.STARTED),
    "finish": dict(
        allowed_from=(TicketStatus.SERVING, TicketStatus.CALLED), to=TicketStatus.DONE, action=Action.FINISHED
    ),
    "no_show": dict(allowed_from=(TicketStatus.CALLED,), to=TicketStatus.NO_SHOW, action=Action.NO_SHOW),
}
_ACTION_FIELDS = {
    "recall": lambda now: {"reason": "recall", "recall_count": F("recall_count") + 1},
    "start": lambda now: {"started_at": now},
    "finish": lambda now: {"finished_at": now},
    "no_show": lambda now: {"finished_at": now},
}


def act_if_held(
    name: str, ticket_id: int, mall_id: int, officer, *, agency_id: int | None, idempotency_key: str | None = None
) -> Ticket | None:
    """``recall``/``start``/``finish``/``no_show`` of a ticket of the officer's agency at their counter, in one
    statement; None when that does not hold (nothing changed: ask the function of the same name, which says why,
    or answers the earlier request with the same ``idempotency_key``)."""
    now = or_now(None)
    try:
        return transition_if_held(
            ticket_id,
            mall_id,
            officer,
            agency_id=agency_id,
            now=now,
            idempotency_key=idempotency_key,
            **_ACTIONS[name],
            **_ACTION_FIELDS[name](now),
        )
    except IntegrityError:
        if idempotency_key is None:
            raise
        return None  # the key was used (a retried recall): the function of the same name answers that one


def transfer_target(mall_id: int, code: str) -> Service:
    """The live service of the mall a ticket may be transferred to (the console and the API), or 404."""
    target = Service.objects.active().filter(mall_id=mall_id, code=code).select_related("mall", "agency").first()
    if target is None:
        raise Refused("service_not_found", _("Layanan tujuan tidak ditemukan."), status=404)
    return target


def transfer(
    ticket: Ticket, officer, target: Service, *, now: dt.datetime | None = None, idempotency_key: str | None = None
) -> Ticket:
    """Send the citizen to another service's queue; the number and history stay.

    A retry with the ``idempotency_key`` of an earlier transfer of this ticket to ``target`` answers that one."""
    return idempotency.once(
        idempotency_key,
        ticket.mall_id,
        Action.TRANSFERRED,
        lambda event: event.ticket_id == ticket.pk and event.reason == f"to:{target.code}",
        lambda: _transfer(ticket, officer, target, now, idempotency_key),
    )


def _transfer(ticket: Ticket, officer, target: Service, now, key) -> Ticket:
    now = or_now(now)
    if target.mall_id != ticket.mall_id or target.archived_at:
        raise Refused("service_not_found", _("Layanan tujuan tidak ditemukan."), status=404)
    if target.pk == ticket.service_id:
        raise Refused("same_service", _("Tiket sudah berada di antrean layanan ini."), status=422)
    state = open_state(target.mall, now, service=target)
    if not state.serving:
        raise Refused("closed", state.reason)
    source = ticket.service
    with transaction.atomic():
        current = _lock_held(
            ticket,
            officer,
            AT_COUNTER_STATUSES,
            bad_state=_("Hanya tiket yang sedang dipanggil atau dilayani dapat dialihkan."),
        )
        counter = current.counter
        Ticket.objects.filter(pk=current.pk, status=current.status).update(
            status=TicketStatus.WAITING,
            service=target,
            counter=None,
            officer=None,
            called_at=None,
            started_at=None,
            queued_at=now,
        )
        current.refresh_from_db()
        event = _record(
            current,
            Action.TRANSFERRED,
            now,
            actor=officer,
            counter=counter,
            from_service=source,
            reason=f"to:{target.code}",
            idempotency_key=key,
        )
        _announce(current, event, source)
    return current


def cancel(
    ticket: Ticket,
    *,
    actor=None,
    reason: str = "",
    now: dt.datetime | None = None,
    idempotency_key: str | None = None,
) -> Ticket:
    """The citizen (or an officer) withdraws a ticket that is still waiting.

    A retry with the ``idempotency_key`` of the earlier cancel of this ticket answers that one."""
    return idempotency.once(
        idempotency_key,
        ticket.mall_id,
        Action.CANCELLED,
        lambda event: event.ticket_id == ticket.pk,
        lambda: _cancel(ticket, actor, reason, now, idempotency_key),
    )


def _cancel(ticket: Ticket, actor, reason: str, now, key) -> Ticket:
    now = or_now(now)
    with transaction.atomic():
        changed = Ticket.objects.filter(pk=ticket.pk, status=TicketStatus.WAITING).update(
            status=TicketStatus.CANCELLED, finished_at=now
        )
        if changed != 1:
            raise Refused("bad_state", _("Hanya tiket yang masih menunggu dapat dibatalkan."))
        ticket.refresh_from_db()
        event = _record(ticket, Action.CANCELLED, now, actor=actor, reason=reason, idempotency_key=key)
        _announce(ticket, event)
    return ticket


def sign_in(counter: Counter, officer) -> Counter:
    """Bind an officer to a counter of their agency; one officer per counter and vice versa."""
    if officer.agency_id != counter.agency_id:
        raise Refused("other_agency", _("Loket ini milik instansi lain."), status=403)
    with transaction.atomic():
        if Counter.objects.filter(officer=officer).exclude(pk=counter.pk).exists():
            raise Refused("officer_busy", _("Anda masih bertugas di loket lain. Keluar dari loket itu dulu."))
        changed = Counter.objects.filter(pk=counter.pk, officer__isnull=True).update(officer=officer)
        if changed != 1:
            counter.refresh_from_db()
            if counter.officer_id == officer.pk:
                return counter
            raise Refused("counter_taken", _("Loket ini sedang dipakai petugas lain."))
        counter.refresh_from_db()
    return counter


def sign_out(counter: Counter, officer) -> Counter:
    with transaction.atomic():
        if Ticket.objects.filter(counter=counter, status__in=AT_COUNTER_STATUSES).exists():
            # Leaving now would strand the citizen at the counter with no one to finish the ticket.
            raise Refused(
                "counter_busy", _("Selesaikan, alihkan, atau tandai tidak hadir tiket yang sedang dilayani dulu.")
            )
        changed = Counter.objects.filter(pk=counter.pk, officer=officer).update(officer=None)
        if changed != 1:
            raise Refused("not_signed_in", _("Anda tidak sedang bertugas di loket ini."), status=403)
        counter.refresh_from_db()
    return counter
