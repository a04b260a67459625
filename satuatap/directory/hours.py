"""The one answer to "is this open now, and why not?".

Kiosk, console, display, public pages and API all ask ``open_state``, so no
two screens disagree. Serving (counters call and serve) and issuing (new
numbers) are separate: after the issuing cutoff, waiting tickets are still served.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from satuatap.directory.models import Closure, Counter, Mall, OpeningHours, Service


@dataclass(frozen=True)
class OpenState:
    serving: bool
    issuing: bool
    reason: str = ""
    hours_today: str = ""

    @property
    def open(self) -> bool:
        return self.serving


def mall_tz(mall: Mall) -> ZoneInfo:
    return ZoneInfo(mall.timezone)


# A time field cannot hold 24:00, so a day that closes at 23:59:59 is read as running to midnight;
# otherwise a mall open around the clock would stop issuing for the last second of every day.
_LAST_SECOND = dt.time(23, 59, 59)


def closing_time(day: dt.date, hours) -> dt.datetime:
    """The naive local moment service ends on ``day``, midnight for a day that closes at 23:59:59."""
    if hours.closes >= _LAST_SECOND:
        return dt.datetime.combine(day + dt.timedelta(days=1), dt.time(0))
    return dt.datetime.combine(day, hours.closes)


def hours_on(mall: Mall, day: dt.date) -> OpeningHours | None:
    """The mall's opening hours row for ``day``'s weekday, None when closed that weekday (uses prefetched hours)."""
    return next((h for h in mall.hours.all() if h.weekday == day.weekday()), None)


def or_now(now: dt.datetime | None) -> dt.datetime:
    """The instant a service function was given (tests pass one), else the clock's."""
    return now or timezone.now()


def local_now(mall: Mall, at: dt.datetime | None = None) -> dt.datetime:
    return (at or timezone.now()).astimezone(mall_tz(mall))


def service_day(mall: Mall, at: dt.datetime | None = None) -> dt.date:
    """The mall's local date: numbering restarts at the mall's own midnight."""
    return local_now(mall, at).date()


@lru_cache(maxsize=32)
def _indonesian_holidays(year: int, language: str = "id"):
    return holidays.Indonesia(years=year, categories=("public", "government"), language=language)


def holiday_name(day: dt.date) -> str | None:
    """The holiday's name in the active language (the holidays package ships Indonesian and English)."""
    language = "en_US" if (get_language() or "").startswith("en") else "id"
    return _indonesian_holidays(day.year, language).get(day)


def is_working_day(mall: Mall, day: dt.date) -> bool:
    """Working days skip weekly closed days, national holidays, cuti bersama and the mall's closures."""
    if mall.observes_national_holidays and holiday_name(day):
        return False
    if not mall.hours.filter(weekday=day.weekday()).exists():
        return False
    return not mall_closures_on(mall, day).filter(service__isnull=True, counter__isnull=True).exists()


def working_days(mall: Mall, first: dt.date, last: dt.date) -> list[dt.date]:
    """The working days ``first``..``last`` as ``is_working_day`` answers each, in two queries (a report counts a
    year of them): the weekdays with hours, and the whole-mall closures that reach into the range."""
    tz = mall_tz(mall)
    open_weekdays = set(mall.hours.values_list("weekday", flat=True))
    range_start = dt.datetime.combine(first, dt.time.min, tzinfo=tz)
    range_end = dt.datetime.combine(last, dt.time.min, tzinfo=tz) + dt.timedelta(days=1)
    closures = list(
        Closure.objects.filter(
            mall=mall, lifted_at__isnull=True, service__isnull=True, counter__isnull=True, starts_at__lt=range_end
        ).filter(Q(until_date__gte=first) | Q(until_date__isnull=True, starts_at__gte=range_start))
    )

    def closed(day: dt.date) -> bool:
        # ``mall_closures_on`` over the list: started before the day ends, and lasting into it (a pause: its own day).
        day_start = dt.datetime.combine(day, dt.time.min, tzinfo=tz)
        return any(
            c.starts_at < day_start + dt.timedelta(days=1)
            and (c.until_date >= day if c.until_date is not None else c.starts_at >= day_start)
            for c in closures
        )

    days = (first + dt.timedelta(days=n) for n in range((last - first).days + 1))
    return [
        day
        for day in days
        if not (mall.observes_national_holidays and holiday_name(day))
        and day.weekday() in open_weekdays
        and not closed(day)
    ]


def mall_closures_on(mall: Mall, day: dt.date):
    """Closures in force on a local day: a pause without end date lasts its own day only."""
    tz = mall_tz(mall)
    day_start = dt.datetime.combine(day, dt.time.min, tzinfo=tz)
    day_end = day_start + dt.timedelta(days=1)
    return Closure.objects.filter(mall=mall, lifted_at__isnull=True, starts_at__lt=day_end).filter(
        Q(until_date__gte=day) | Q(until_date__isnull=True, starts_at__gte=day_start)
    )


def _latest_in_force(closures: list[Closure], now: dt.datetime, service, counter) -> Closure | None:
    """The query of ``open_state`` over a list: the latest started closure of the mall, service or counter."""

    def applies(closure: Closure) -> bool:
        if closure.service_id is None and closure.counter_id is None:
            return True
        return (service is not None and closure.service_id == service.pk) or (
            counter is not None and closure.counter_id == counter.pk
        )

    started = [c for c in closures if c.starts_at <= now and applies(c)]
    return max(started, key=lambda c: c.starts_at, default=None)


def _fmt(t: dt.time) -> str:
    return t.strftime("%H:%M")


def describe_hours(hours: OpeningHours | None) -> str:
    if hours is None:
        return _("Tutup")
    text = f"{_fmt(hours.opens)}–{_fmt(hours.closes)}"
    if hours.break_start and hours.break_end:
        text += " " + _("(istirahat %(start)s–%(end)s)") % {
            "start": _fmt(hours.break_start),
            "end": _fmt(hours.break_end),
        }
    return text


def open_state(
    mall: Mall,
    at: dt.datetime | None = None,
    *,
    service: Service | None = None,
    counter: Counter | None = None,
    issued_today: int | None = None,
    closures: list[Closure] | None = None,
) -> OpenState:
    """Open or closed at ``at`` (default now) for the mall, a service or a counter.

    ``closures``: the mall's closures on that local day (``mall_closures_on`` as a list, e.g. from
    ``directory.cached.closures_on``); given, no query is made for them.

    ``issued_today`` is the count of numbers the queue issued today for ``service``; given, a
    reached daily quota stops issuing. The directory does not count tickets itself: ask
    ``queueing.quota.open_state`` for the answer with the quota counted.
    """
    now = local_now(mall, at)
    day, clock = now.date(), now.time()
    hours = hours_on(mall, day)
    hours_text = describe_hours(hours)

    def closed(reason: str) -> OpenState:
        return OpenState(serving=False, issuing=False, reason=reason, hours_today=hours_text)

    if mall.archived_at or (service and service.archived_at) or (counter and counter.archived_at):
        return closed(_("Tidak tersedia lagi."))
    holiday = holiday_name(day) if mall.observes_national_holidays else None
    if holiday:
        return closed(_("Libur nasional: %(name)s.") % {"name": holiday})
    if closures is None:
        scope = Q(service__isnull=True, counter__isnull=True)
        if service is not None:
            scope |= Q(service=service)
        if counter is not None:
            scope |= Q(counter=counter)
        closure = mall_closures_on(mall, day).filter(scope, starts_at__lte=now).order_by("-starts_at").first()
    else:
        closure = _latest_in_force(closures, now, service, counter)
    if closure:
        return closed(_("Ditutup sementara: %(reason)s") % {"reason": closure.reason})
    if hours is None:
        return closed(_("Tutup pada hari ini."))
    if clock < hours.opens:
        return closed(_("Belum buka. Layanan buka pukul %(time)s.") % {"time": _fmt(hours.opens)})
    closing = closing_time(day, hours)
    if now.replace(tzinfo=None) >= closing:
        return closed(_("Layanan hari ini sudah tutup."))
    if hours.break_start and hours.break_end and hours.break_start <= clock < hours.break_end:
        return closed(
            _("Istirahat %(start)s–%(end)s.") % {"start": _fmt(hours.break_start), "end": _fmt(hours.break_end)}
        )
    cutoff_at = closing - dt.timedelta(minutes=mall.issue_cutoff_minutes)
    cutoff = cutoff_at.time()
    if now.replace(tzinfo=None) >= cutoff_at:
        return OpenState(
            serving=True,
            issuing=False,
            reason=_("Pengambilan nomor sudah ditutup (batas pukul %(time)s).") % {"time": _fmt(cutoff)},
            hours_today=hours_text,
        )
    if service is not None and issued_today is not None and service.daily_quota is not None:
        if issued_today >= service.daily_quota:
            return OpenState(
                serving=True, issuing=False, reason=_("Kuota harian layanan ini sudah habis."), hours_today=hours_text
            )
    return OpenState(serving=True, issuing=True, hours_today=hours_text)
