"""The outbox: the only writer of ``notify.Message`` rows.

- ``enqueue`` renders a message (Bahasa Indonesia, ``notify/<kind>.txt``) and
  inserts one row in the caller's transaction; nothing is sent here, so it is
  safe inside ``transaction.atomic`` and from ``transaction.on_commit``.
  Idempotent on ``dedupe_key``.
- Each app builds its own messages and calls ``enqueue`` (``booking/reminders.py``,
  ``feedback/survey_links.py``, ``complaints/reminders.py``); the outbox
  imports no app and writes no other app's rows.
- ``deliver_due`` (the worker, each tick) claims due rows in one short
  transaction (``SELECT … FOR UPDATE SKIP LOCKED`` on PostgreSQL; the
  immediate transaction serialises claimers on SQLite), marks them
  "sending", sends each OUTSIDE any transaction, then records sent, failed
  (retry with exponential backoff) or dead (permanent error or too many
  attempts). A worker that dies mid-send leaves its rows "sending" with a
  lease in ``next_attempt_at``; they are claimed again when it runs out.
"""

from __future__ import annotations

import datetime as dt
import logging
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, connection, transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from satuatap import personal_data
from satuatap.notify import channels
from satuatap.notify.models import Channel, Message, Status

log = logging.getLogger(__name__)

BACKOFF_BASE_SECONDS = 30
BACKOFF_CAP_SECONDS = 3600
SENDING_LEASE = dt.timedelta(minutes=5)  # a claimed row not recorded by then is claimed again
MESSAGE_LANGUAGE = "id"  # templates are Bahasa Indonesia whatever language the request that caused them used


def _subjects() -> dict[str, str]:
    return {
        "booking_confirmed": _("Pemesanan kunjungan dikonfirmasi"),
        "booking_cancelled": _("Pemesanan kunjungan dibatalkan"),
        "booking_rescheduled": _("Jadwal kunjungan diubah"),
        "booking_reminder_day": _("Pengingat: kunjungan Anda besok"),
        "booking_reminder_hour": _("Pengingat: kunjungan Anda satu jam lagi"),
        "turn_near": _("Giliran Anda sudah dekat"),
        "booking_no_show": _("Anda tercatat tidak hadir"),
        "survey_link": _("Survei kepuasan masyarakat"),
        "complaint_update": _("Kabar pengaduan Anda"),
        "case_update": _("Kabar berkas permohonan Anda"),
        "case_escalated": _("Berkas melewati batas penyelesaian"),
    }


def absolute_url(path: str) -> str:
    return settings.NOTIFY_BASE_URL.rstrip("/") + path


def mask_address(address: str) -> str:
    if "@" in address:
        local, _at, domain = address.rpartition("@")
        keep = local[:2] if len(local) > 2 else local[:1]
        return f"{keep}{'*' * max(1, len(local) - len(keep))}@{domain}"[:120]
    return personal_data.mask_phone(address)[:120]


def clean_address(to: str, channel: str) -> tuple[str, str]:
    """(normalised address, "" ) or (raw, Indonesian reason it cannot be used)."""
    to = str(to or "").strip()
    if channel == Channel.EMAIL:
        try:
            validate_email(to)
        except ValidationError:
            return to, _("Alamat email tidak sah.")
        return to, ""
    if channel in (Channel.SMS, Channel.WHATSAPP):
        try:
            return personal_data.normalise_phone(to), ""
        except ValueError as err:
            return to, str(err)
    return to, ""


def channel_for(to: str) -> str:
    """Email when the contact holds "@", else SMS (carried by the gateway or the console per settings)."""
    return Channel.EMAIL if "@" in str(to or "") else Channel.SMS


def render(kind: str, context: dict) -> tuple[str, str]:
    """(subject, body) of a message, rendered in Bahasa Indonesia."""
    with translation.override(MESSAGE_LANGUAGE):
        body = render_to_string(f"notify/{kind}.txt", context).strip()
        subject = str(_subjects().get(kind, kind))
        mall_name = context.get("mall_name")
        if mall_name:
            subject = f"{subject} · {mall_name}"
    return subject[:200], body


def enqueue(
    *,
    mall,
    kind: str,
    to: str,
    channel: str | None = None,
    context: dict,
    dedupe_key: str | None = None,
    subject_ref: str = "",
) -> Message | None:
    """Store one message for later delivery; returns the row (the existing one for a known ``dedupe_key``).

    An empty ``to`` stores nothing (returns None). An unusable address (bad email, not an
    Indonesian mobile number) is stored as "dead" with the reason, so the manager sees it.
    """
    if not str(to or "").strip():
        return None
    if dedupe_key:
        existing = Message.objects.filter(dedupe_key=dedupe_key).first()
        if existing is not None:
            return existing
    channel = channel or channel_for(to)
    if channel not in Channel.values:
        raise ValueError(f"unknown channel {channel!r}")
    address, problem = clean_address(to, channel)
    context = {"mall_name": mall.name, **context}
    subject, body = render(kind, context)
    now = timezone.now()
    row = Message(
        mall=mall,
        kind=kind,
        channel=channel,
        address_encrypted=personal_data.encrypt(address),
        address_masked=mask_address(address),
        subject=subject,
        body=body,
        subject_ref=subject_ref[:100],
        dedupe_key=dedupe_key or None,
        created_at=now,
        next_attempt_at=now,
        status=Status.DEAD if problem else Status.PENDING,
        last_error=problem,
    )
    try:
        with transaction.atomic():  # a savepoint: a lost race on dedupe_key leaves the caller's transaction usable
            row.save(force_insert=True)
    except IntegrityError:
        existing = Message.objects.filter(dedupe_key=dedupe_key).first() if dedupe_key else None
        if existing is None:
            raise
        return existing
    return row


# ---------------------------------------------------------------- texts


def local_text(mall, at: dt.datetime) -> dict[str, str]:
    """Date and time in the mall's local time, Indonesian words ("Senin, 24 November 2026", "09.30 WIB")."""
    local = at.astimezone(ZoneInfo(mall.timezone))  # as directory.hours.local_now (notify imports no app)
    with translation.override(MESSAGE_LANGUAGE):
        day = formats.date_format(local, "l, j F Y")
    return {"date": day, "time": f"{local:%H.%M} {mall.get_timezone_display()}"}


# ---------------------------------------------------------------- delivery


def backoff(attempts: int) -> dt.timedelta:
    """Wait after the ``attempts``-th failed attempt: 30 s, 1 min, 2 min, 4 min, … capped at an hour."""
    return dt.timedelta(seconds=min(BACKOFF_CAP_SECONDS, BACKOFF_BASE_SECONDS * 2 ** max(0, attempts - 1)))


def _claim(now: dt.datetime, limit: int) -> list[Message]:
    """Mark up to ``limit`` due rows "sending" (one attempt more) and return them."""
    max_attempts = settings.NOTIFY_MAX_ATTEMPTS
    with transaction.atomic():
        due = (
            Message.objects.filter(
                Q(status__in=(Status.PENDING, Status.FAILED, Status.SENDING)), next_attempt_at__lte=now
            )
            .order_by("next_attempt_at", "pk")
            .values_list("pk", "status", "attempts")
        )
        if connection.features.has_select_for_update_skip_locked:
            due = due.select_for_update(skip_locked=True)
        rows = list(due[:limit])
        # A row still "sending" after its lease: the worker that claimed it died mid-send.
        abandoned = [pk for pk, status, attempts in rows if status == Status.SENDING and attempts >= max_attempts]
        if abandoned:
            Message.objects.filter(pk__in=abandoned).update(
                status=Status.DEAD, last_error=_("Pengiriman terputus terlalu sering.")
            )
        claim = [pk for pk, status, attempts in rows if pk not in abandoned]
        Message.objects.filter(pk__in=claim).update(
            status=Status.SENDING, attempts=F("attempts") + 1, next_attempt_at=now + SENDING_LEASE
        )
    return list(Message.objects.filter(pk__in=claim).select_related("mall").order_by("next_attempt_at", "pk"))


def _record(message: Message, **fields) -> None:
    """Store the outcome, only if the row is still ours ("sending" with this attempt count)."""
    Message.objects.filter(pk=message.pk, status=Status.SENDING, attempts=message.attempts).update(**fields)


def deliver(message: Message, now: dt.datetime) -> str:
    """Send one claimed message (outside any transaction) and record the outcome; returns the new status."""
    transport = channels.transport_for(message.channel)
    try:
        try:
            address = personal_data.decrypt(message.address_encrypted)
        except ValueError as err:  # encrypted with a key no longer configured: no retry can help
            raise channels.PermanentFailure(_("Alamat tidak dapat dibuka dengan kunci yang dipasang.")) from err
        ref = transport.send(message, address)
    except channels.PermanentFailure as err:
        _record(message, status=Status.DEAD, last_error=str(err)[:2000])
        return Status.DEAD
    except Exception as err:  # TemporaryFailure, and anything unexpected: try again later
        if not isinstance(err, channels.TemporaryFailure):
            log.exception("notify: unexpected error sending message %s", message.pk)
        error = str(err)[:2000] or type(err).__name__
        if message.attempts >= settings.NOTIFY_MAX_ATTEMPTS:
            _record(message, status=Status.DEAD, last_error=error)
            return Status.DEAD
        _record(message, status=Status.FAILED, last_error=error, next_attempt_at=now + backoff(message.attempts))
        return Status.FAILED
    _record(
        message,
        status=Status.SENT,
        sent_at=now,
        provider_ref=str(ref)[:200],
        last_error="",
        delivered_via=transport.name,
        sandbox=bool(settings.NOTIFY_SANDBOX),
    )
    return Status.SENT


def deliver_due(now: dt.datetime | None = None, limit: int = 100) -> int:
    """Deliver the due messages (the worker calls this each tick); returns how many were sent."""
    clock = (lambda: now) if now is not None else timezone.now
    sent = 0
    for message in _claim(clock(), limit):
        if deliver(message, clock()) == Status.SENT:
            sent += 1
    return sent
