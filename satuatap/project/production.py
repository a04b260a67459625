"""Start-up checks that refuse demo-only settings outside the demo.

Anything started without ``SATUATAP_DEMO=1`` is a production install. These checks are Django
system checks at level *error*, so ``manage.py check`` (with or without ``--deploy``),
``migrate``, the worker and every other command with system checks stop with the message; the
web (``wsgi.py``) and live (``asgi.py``) processes call ``refuse_unsafe_start`` because gunicorn
and uvicorn never run system checks themselves. Each message names the setting to set.
"""

from __future__ import annotations

from cryptography.fernet import Fernet
from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured

DEMO_FLAG = "SATUATAP_DEMO"
MIN_SECRET_KEY_LENGTH = 50  # Django's own threshold for a strong key (security.W009)
_HINT = f"Set it in the environment (see README, 'Running in production'), or set {DEMO_FLAG}=1 for a demo."


def _error(id_: str, message: str) -> checks.Error:
    return checks.Error(message, hint=_HINT, id=f"satuatap.{id_}")


def _secret_key_errors() -> list[checks.Error]:
    key = settings.SECRET_KEY or ""
    if key == settings.DEMO_SECRET_KEY:
        return [_error("E001", "SECRET_KEY is unset: the demo key from the repository would sign sessions.")]
    if len(key) < MIN_SECRET_KEY_LENGTH or len(set(key)) < 5:
        return [_error("E001", f"SECRET_KEY is too weak: use at least {MIN_SECRET_KEY_LENGTH} random characters.")]
    return []


def _personal_data_errors() -> list[checks.Error]:
    errors = []
    if not settings.PERSONAL_DATA_HASH_KEY:
        errors.append(
            _error(
                "E002",
                "PERSONAL_DATA_HASH_KEY is unset: NIK and phone hashes would be derived from SECRET_KEY.",
            )
        )
    configured = settings.PERSONAL_DATA_ENCRYPTION_KEY
    if not configured:
        errors.append(
            _error(
                "E003",
                "PERSONAL_DATA_ENCRYPTION_KEY is unset: NIK and phone encryption would be derived from SECRET_KEY.",
            )
        )
    else:
        try:
            [Fernet(k.strip()) for k in configured.split(",") if k.strip()]
        except ValueError:
            errors.append(
                _error(
                    "E003",
                    "PERSONAL_DATA_ENCRYPTION_KEY is not a list of Fernet keys "
                    "(make one with: python -c 'from cryptography.fernet import Fernet; "
                    "print(Fernet.generate_key().decode())').",
                )
            )
    return errors


def _notify_errors() -> list[checks.Error]:
    if settings.NOTIFY_SANDBOX:
        return [
            _error(
                "E004",
                "NOTIFY_SANDBOX is on: no citizen would get a message. Set NOTIFY_SANDBOX=false and "
                "configure the gateway (docs/notify.md).",
            )
        ]
    return []


def _cookie_errors() -> list[checks.Error]:
    insecure = [name for name in ("SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE") if not getattr(settings, name)]
    if insecure:
        names = " and ".join(insecure)
        return [_error("E005", f"{names} off: session and CSRF cookies would travel over plain HTTP.")]
    return []


@checks.register(checks.Tags.security)
def demo_only_settings(app_configs=None, **kwargs) -> list[checks.Error]:
    """Errors for every demo-only setting when the demo flag is off."""
    if settings.DEMO:
        return []
    return _secret_key_errors() + _personal_data_errors() + _notify_errors() + _cookie_errors()


def refuse_unsafe_start() -> None:
    """Stop a web or live process that would serve production on demo-only settings."""
    errors = demo_only_settings()
    if errors:
        lines = "\n".join(f"- {e.msg}" for e in errors)
        raise ImproperlyConfigured(f"Refusing to start without {DEMO_FLAG}=1:\n{lines}\n{_HINT}")
