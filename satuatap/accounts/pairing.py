"""One-time pairing codes: a device signs in without its long-lived token ever travelling in a URL.

The manager registers a device (issues its token) in the admin and sees a short code, valid for
``DEVICE_PAIRING_MINUTES``; someone at the device types it (or scans its QR code, which opens the sign-in
form with the code filled in) and the form POSTs it. The code works once; the device then holds a session
bound to the token, which revoking the token ends (``accounts.middleware``).
"""

from __future__ import annotations

import datetime as dt
import secrets

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from satuatap.accounts.models import ApiToken, PairingCode, hash_token
from satuatap.audit.log import record
from satuatap.refusal import Refused

# No 0/O, 1/I/L: the code is read off a screen and typed on a kiosk's on-screen keyboard.
ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
LENGTH = 8


def normalise(typed: str) -> str:
    """The code as stored: upper case, without the dash or spaces people type."""
    return "".join(ch for ch in typed.upper() if ch.isalnum())


def display(code: str) -> str:
    """``ABCD-EFGH``: easier to read aloud and type."""
    return f"{code[:4]}-{code[4:]}"


def _hash(code: str) -> str:
    # Namespaced, so a code's hash can never equal a token's hash.
    return hash_token(f"pairing:{code}")


def new_code(token: ApiToken, *, actor=None, minutes: int | None = None) -> tuple[PairingCode, str]:
    """A fresh code for this live token; returns the row and the code as shown (``ABCD-EFGH``)."""
    minutes = settings.DEVICE_PAIRING_MINUTES if minutes is None else minutes
    code = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
    with transaction.atomic():
        row = PairingCode.objects.create(
            token=token, code_hash=_hash(code), expires_at=timezone.now() + dt.timedelta(minutes=minutes)
        )
        record(
            "token.pairing_code",
            actor=actor,
            mall_id=token.user.mall_id,
            subject=token.user.username,
            data={"token": token.pk, "minutes": minutes},
        )
    return row, display(code)


def redeem(typed: str) -> ApiToken:
    """The live device token this code signs in; the code is used up. Refused when unknown, used or expired."""
    code = normalise(typed)
    unknown = Refused("pairing_code_invalid", _("Kode pemasangan tidak dikenal, sudah dipakai, atau kedaluwarsa."))
    if len(code) != LENGTH:
        raise unknown
    now = timezone.now()
    with transaction.atomic():
        # Compare-and-set: of two devices typing the same code at once, one wins.
        used = PairingCode.objects.filter(
            code_hash=_hash(code),
            used_at__isnull=True,
            expires_at__gt=now,
            token__revoked_at__isnull=True,
            token__user__is_active=True,
        ).update(used_at=now)
        if used != 1:
            raise unknown
        token = (
            ApiToken.objects.select_related("user", "zone", "counter")
            .filter(pairing_codes__code_hash=_hash(code))
            .get()
        )
        record(
            "device.paired",
            mall_id=token.user.mall_id,
            subject=token.user.username,
            data={"token": token.pk},
        )
    return token
