"""Idempotency keys of the queue's writes: a retried issue, call, counter action, transfer or cancel
answers what the first one did.

A kiosk or console that lost the answer (a 503, a dropped connection) sends the request again
with the same ``Idempotency-Key``. The key is stored on the event the write records, unique per
mall, in the same statement as the write, so the usual request costs nothing more. A retry's
write then fails (the unique key, or the state the first one left: counter busy, ticket done)
and rolls back, and one lookup of the key answers the first write's ticket.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable

from django.db import IntegrityError
from django.utils.translation import gettext as _

from satuatap.queueing.models import Ticket, TicketEvent
from satuatap.refusal import Refused, invalid

HEADER = "Idempotency-Key"
MAX_LENGTH = 80
_VALID = re.compile(rf"[A-Za-z0-9._:-]{{8,{MAX_LENGTH}}}")


def new_key() -> str:
    """A key for a form that sends one (the kiosk's issue form): 24 URL-safe characters."""
    return secrets.token_urlsafe(18)


def clean(raw: str | None) -> str | None:
    """The key of a request, None when absent; refused when malformed (nothing is done)."""
    if raw is None or not raw.strip():
        return None
    key = raw.strip()
    if not _VALID.fullmatch(key):
        raise invalid(
            HEADER,
            _("Idempotency-Key harus 8–80 karakter huruf, angka, titik, titik dua, garis bawah atau tanda hubung."),
        )
    return key


def replayed(mall_id: int, key: str, action: str, same_request: Callable[[TicketEvent], bool]) -> Ticket | None:
    """The ticket the first request with this key acted on, or None when the key is new (one statement)."""
    event = (
        TicketEvent.objects.select_related("ticket__service__agency", "ticket__counter", "ticket__mall")
        .filter(mall_id=mall_id, idempotency_key=key)
        .first()
    )
    if event is None:
        return None
    if event.action != action or not same_request(event):
        raise Refused(
            "idempotency_key_reused",
            _("Idempotency-Key ini sudah dipakai untuk permintaan lain."),
            status=422,
            field=HEADER,
        )
    return event.ticket


def once(key: str | None, mall_id: int, action: str, same_request, write: Callable[[], Ticket | None]):
    """Run ``write``; when it fails or finds nothing to do and the key was used before, answer that ticket."""
    if key is None:
        return write()
    try:
        done = write()
    except (IntegrityError, Refused):
        earlier = replayed(mall_id, key, action, same_request)
        if earlier is None:
            raise
        return earlier
    if done is None:  # call-next found nobody: a retry after the first call was finished
        return replayed(mall_id, key, action, same_request)
    return done
