"""Which visit slots a service offers on a day, and how many places are left.

Capacity-based, not per officer. A service's sessions come from its
``SlotSession`` rows when it has any (the manager's override); otherwise they are
derived from the mall's opening hours (minus the break and the issuing cutoff)
with slots of ``policy.slot_minutes``, and

    places per slot = floor(counters serving the service x slot minutes
                            / minutes per visit x (100 - walk-in share) / 100)

Where the service has a daily quota, at most ``quota x (100 - walk-in share) / 100``
places a day are bookable, spread evenly over the day's slots: the rest of the quota
stays for walk-ins. No slots on national holidays and cuti bersama (when the mall
observes them), on the mall's closures (whole mall or this service), on days the
mall is closed, outside the booking window, or while booking is switched off.

``SlotCapacity`` rows hold the places actually taken; ``bookings.book`` increments
them with a conditional UPDATE inside its transaction.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from satuatap.booking.models import Booking, BookingPolicy, BookingStatus, SlotCapacity, SlotSession
from satuatap.booking.policies import booking_state, policy_for, setting_for
from satuatap.directory.hours import holiday_name, mall_closures_on, mall_tz, service_day
from satuatap.directory.models import Service


@dataclass(frozen=True)
class SlotView:
    start: dt.datetime  # aware, in the mall's time zone
    end: dt.datetime
    capacity: int
    available: int
    bookable: bool
    reason: str = ""
    code: str = ""  # why not bookable: "full" or "too_close"

    @property
    def label(self) -> str:
        return f"{self.start:%H:%M}–{self.end:%H:%M}"


class SlotList(list):
    """A list of SlotView with the day's refusal: ``code``/``reason`` are empty when the day is open."""

    def __init__(self, items=(), *, code: str = "", reason: str = ""):
        super().__init__(items)
        self.code, self.reason = code, reason


@dataclass
class _Plan:
    """What does not change from day to day within one call: read once."""

    service: Service
    policy: BookingPolicy
    now: dt.datetime
    open_reason: str
    minutes_per_visit: int
    counters: int
    hours: dict = field(default_factory=dict)
    sessions: dict | None = None  # weekday -> [SlotSession]; None = derive from hours


def _plan(service: Service, now: dt.datetime | None) -> _Plan:
    now = now or timezone.now()
    policy = policy_for(service.mall)
    setting = setting_for(service)
    ok, reason = booking_state(service, policy, setting)
    sessions = None
    rows = list(SlotSession.objects.filter(service=service))
    if rows:
        sessions = {}
        for row in rows:
            sessions.setdefault(row.weekday, []).append(row)
    return _Plan(
        service=service,
        policy=policy,
        now=now,
        open_reason="" if ok else reason,
        minutes_per_visit=max(1, setting.minutes_per_visit),
        counters=service.counters.filter(archived_at__isnull=True).count(),
        hours={h.weekday: h for h in service.mall.hours.all()},
        sessions=sessions,
    )


def _day_refusal(plan: _Plan, day: dt.date) -> tuple[str, str]:
    """(code, reason) why ``day`` has no slots at all, or ("", "")."""
    mall, policy = plan.service.mall, plan.policy
    if plan.open_reason:
        return "booking_closed", plan.open_reason
    today = service_day(mall, plan.now)
    last = today + dt.timedelta(days=policy.window_days)
    if day < today:
        return "outside_window", _("Tanggal ini sudah lewat.")
    if day > last:
        return "outside_window", _("Pemesanan paling jauh %(n)d hari ke depan (sampai %(date)s).") % {
            "n": policy.window_days,
            "date": date_format(last, "j F Y"),
        }
    if mall.observes_national_holidays:
        name = holiday_name(day)
        if name:
            return "holiday", _("Libur nasional atau cuti bersama: %(name)s. Tidak ada layanan.") % {"name": name}
    closure = (
        mall_closures_on(mall, day)
        .filter(Q(service__isnull=True, counter__isnull=True) | Q(service=plan.service))
        .order_by("starts_at")
        .first()
    )
    if closure is not None:
        return "closed", _("Ditutup pada tanggal ini: %(reason)s") % {"reason": closure.reason}
    if day.weekday() not in plan.hours:
        return "closed", _("Mal tidak melayani pada hari ini.")
    if plan.sessions is not None and day.weekday() not in plan.sessions:
        return "no_session", _("Layanan ini tidak membuka sesi pemesanan pada hari ini.")
    if plan.sessions is None and plan.counters == 0:
        return "no_session", _("Belum ada loket yang melayani layanan ini.")
    return "", ""


def _periods(plan: _Plan, day: dt.date) -> list[tuple[dt.time, dt.time, int, int]]:
    """(from, until, slot minutes, places per slot) of the day, before the daily-quota cap."""
    policy = plan.policy
    if plan.sessions is not None:
        return [(s.starts, s.ends, s.slot_minutes, s.capacity) for s in plan.sessions.get(day.weekday(), [])]
    hours = plan.hours[day.weekday()]
    slot = policy.slot_minutes
    throughput = plan.counters * slot / plan.minutes_per_visit
    places = math.floor(throughput * (100 - policy.walk_in_share_percent) / 100 + 1e-9)
    cutoff = (
        dt.datetime.combine(day, hours.closes) - dt.timedelta(minutes=plan.service.mall.issue_cutoff_minutes)
    ).time()
    if hours.break_start and hours.break_end:
        spans = [(hours.opens, min(hours.break_start, cutoff)), (hours.break_end, cutoff)]
    else:
        spans = [(hours.opens, cutoff)]
    return [(a, b, slot, places) for a, b in spans if a < b]


def _raw_slots(plan: _Plan, day: dt.date) -> list[tuple[dt.datetime, dt.datetime, int]]:
    tz = mall_tz(plan.service.mall)
    slots = []
    for starts, ends, minutes, places in _periods(plan, day):
        step = dt.timedelta(minutes=minutes)
        start = dt.datetime.combine(day, starts, tzinfo=tz)
        limit = dt.datetime.combine(day, ends, tzinfo=tz)
        while start + step <= limit:
            slots.append((start, start + step, places))
            start += step
    slots.sort(key=lambda s: s[0])
    quota = plan.service.daily_quota
    if quota is not None and slots:
        bookable = math.floor(quota * (100 - plan.policy.walk_in_share_percent) / 100 + 1e-9)
        base, extra = divmod(bookable, len(slots))
        slots = [(a, b, min(places, base + (1 if i < extra else 0))) for i, (a, b, places) in enumerate(slots)]
    return slots


def _day_slots(plan: _Plan, day: dt.date) -> SlotList:
    code, reason = _day_refusal(plan, day)
    if code:
        return SlotList(code=code, reason=reason)
    raw = _raw_slots(plan, day)
    if not raw:
        return SlotList(code="no_session", reason=_("Tidak ada slot pemesanan pada hari ini."))
    booked = dict(
        SlotCapacity.objects.filter(service=plan.service, start__gte=raw[0][0], start__lte=raw[-1][0]).values_list(
            "start", "booked"
        )
    )
    lead = dt.timedelta(minutes=plan.policy.min_lead_minutes)
    too_close = _("Sudah melewati batas pemesanan (paling lambat %(n)d menit sebelum slot dimulai).") % {
        "n": plan.policy.min_lead_minutes
    }
    views = []
    for start, end, capacity in raw:
        if start <= plan.now or capacity <= 0:
            continue  # begun or past, or no place for booking at all (walk-in share of the quota): not shown
        available = max(0, capacity - booked.get(start, 0))
        if start < plan.now + lead:
            views.append(SlotView(start, end, capacity, available, False, too_close, "too_close"))
        elif available == 0:
            views.append(SlotView(start, end, capacity, 0, False, _("Slot penuh."), "full"))
        else:
            views.append(SlotView(start, end, capacity, available, True, ""))
    if not views:
        return SlotList(code="outside_window", reason=_("Tidak ada slot tersisa pada hari ini."))
    result = SlotList(views)
    if not any(v.bookable for v in views):
        result.code = "no_places"
        result.reason = _("Semua slot pada hari ini sudah penuh atau sudah lewat batas pemesanan.")
    return result


def slots_for(service: Service, day: dt.date, *, now: dt.datetime | None = None) -> SlotList:
    """The day's slots still ahead (past-lead and full ones with ``bookable=False`` and a reason).

    An empty list carries ``.code`` and ``.reason`` (holiday, closure, window, switched off, …).
    """
    return _day_slots(_plan(service, now), day)


def days_open_for_booking(service: Service, *, now: dt.datetime | None = None) -> list[tuple[dt.date, str]]:
    """Each day of the booking window with "" when it has a bookable slot, else the reason."""
    plan = _plan(service, now)
    today = service_day(service.mall, plan.now)
    days = []
    for offset in range(plan.policy.window_days + 1):
        day = today + dt.timedelta(days=offset)
        slots = _day_slots(plan, day)
        days.append((day, "" if any(s.bookable for s in slots) else slots.reason))
    return days


def find_slot(
    service: Service, start: dt.datetime, *, now: dt.datetime | None = None
) -> tuple[SlotList, SlotView | None]:
    """The day's slots and the one starting at ``start`` (None when there is no such slot)."""
    plan = _plan(service, now)
    day = service_day(service.mall, start)
    slots = _day_slots(plan, day)
    return slots, next((s for s in slots if s.start == start), None)


def reserved_places(service: Service, day: dt.date) -> int:
    """Places of the service's daily quota held for booked citizens who have not checked in yet.

    Walk-in issuing stops this many numbers short of the quota, so a booked citizen who
    arrives later still gets a number (the booking's share was already taken off the slots).
    """
    return Booking.objects.filter(service=service, day=day, status=BookingStatus.ACTIVE).count()
