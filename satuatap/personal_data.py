"""Personal data (NIK, phone numbers) under UU 27/2022: hashed, encrypted, masked, revealed on record.

- ``hash_value`` is a keyed HMAC-SHA256 for lookups ("does this NIK already hold a
  booking?") without storing the value; the kind ("nik", "phone") is mixed in so
  the same digits never hash alike across kinds.
- ``encrypt``/``decrypt`` keep the value for the rare screen that must show it
  (Fernet: AES-128-CBC + HMAC). ``PERSONAL_DATA_ENCRYPTION_KEY`` may hold several
  comma-separated keys, newest first, to rotate keys without losing old rows.
- ``mask_nik``/``mask_phone`` are what every screen shows.
- ``audit.reveal.reveal`` is the only way a person sees a stored value in full, and it is audited
  (it lives with the audit log: the library imports no app).

Production sets both keys in the environment; without them keys are derived from
``SECRET_KEY`` with fixed labels (demo and tests only).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.utils.translation import gettext as _

KINDS = ("nik", "phone")
_HASH_LABEL = b"satuatap.personal_data.hash.v1"
_ENCRYPTION_LABEL = b"satuatap.personal_data.fernet.v1"
_PHONE_SEPARATORS = re.compile(r"[\s\-.()/]")


def _hash_key() -> bytes:
    configured = getattr(settings, "PERSONAL_DATA_HASH_KEY", "") or ""
    if configured:
        return configured.encode()
    return hmac.new(settings.SECRET_KEY.encode(), _HASH_LABEL, hashlib.sha256).digest()


def _no_spaces(value: str) -> str:
    return re.sub(r"\s", "", str(value or ""))


def _phone_form(value: str) -> str:
    """The domestic form of a valid number; otherwise the text without separators (still hashed and masked alike)."""
    try:
        return normalise_phone(value)
    except ValueError:
        return _PHONE_SEPARATORS.sub("", str(value or ""))


def _normalise(kind: str, value: str) -> str:
    return _phone_form(value) if kind == "phone" else _no_spaces(value)


def hash_value(kind: str, value: str) -> str:
    """Keyed HMAC-SHA256 (hex) of a normalised value; equal values of one kind hash alike."""
    if kind not in KINDS:
        raise ValueError(f"unknown personal data kind: {kind!r}")
    message = f"{kind}:{_normalise(kind, value)}".encode()
    return hmac.new(_hash_key(), message, hashlib.sha256).hexdigest()


@lru_cache(maxsize=8)
def _fernet_for(configured: str, secret_key: str) -> MultiFernet:
    if configured:
        keys = [k.strip() for k in configured.split(",") if k.strip()]
    else:
        derived = hmac.new(secret_key.encode(), _ENCRYPTION_LABEL, hashlib.sha256).digest()
        keys = [base64.urlsafe_b64encode(derived).decode()]
    return MultiFernet([Fernet(k) for k in keys])


def _fernet() -> MultiFernet:
    return _fernet_for(getattr(settings, "PERSONAL_DATA_ENCRYPTION_KEY", "") or "", settings.SECRET_KEY)


def encrypt(value: str) -> str:
    return _fernet().encrypt(str(value).encode()).decode()


def decrypt(token: str) -> str:
    """The plain value; ValueError when the token was not made with a configured key."""
    if not token:
        return ""
    try:
        return _fernet().decrypt(token.encode()).decode()
    except InvalidToken as err:
        raise ValueError("personal data token cannot be decrypted with the configured keys") from err


def _mask(value: str, head: int, tail: int) -> str:
    value = str(value or "")
    if len(value) <= head + tail:
        return "*" * len(value)
    return value[:head] + "*" * (len(value) - head - tail) + value[-tail:]


def mask_nik(nik: str) -> str:
    """``1471011203900001`` -> ``1471**********01``: the region's first digits and the last two."""
    return _mask(_no_spaces(nik), 4, 2)


def mask_phone(phone: str) -> str:
    """``081234567890`` -> ``0812******90``."""
    return _mask(_phone_form(phone), 4, 2)


def normalise_phone(raw: str) -> str:
    """An Indonesian mobile number in its domestic form ``08…`` (10-13 digits).

    Accepts ``+62 812-3456-7890``, ``62812…``, ``0812…`` and ``812…``; anything else
    raises ValueError with a message for people.
    """
    text = _PHONE_SEPARATORS.sub("", str(raw or ""))
    if text.startswith("+"):
        text = text[1:]
    if not text.isdigit():
        raise ValueError(_("Nomor HP hanya boleh berisi angka, misalnya 081234567890."))
    if text.startswith("62"):
        text = "0" + text[2:]
    elif text.startswith("8"):
        text = "0" + text
    if not text.startswith("08"):
        raise ValueError(_("Nomor HP harus nomor seluler Indonesia yang diawali 08 atau +62 8."))
    if not 10 <= len(text) <= 13:
        raise ValueError(_("Panjang nomor HP tidak sesuai (10–13 angka, misalnya 081234567890)."))
    return text
