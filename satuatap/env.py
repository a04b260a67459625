"""Strict readers for settings that come from the environment.

A malformed value stops the process at start-up instead of being silently
replaced by a default (the healthchecks `envbool`/`envint` idea).
"""

import os


class BadSetting(ValueError):
    pass


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    lowered = raw.strip().lower()
    if lowered in ("1", "true", "yes", "on"):
        return True
    if lowered in ("0", "false", "no", "off"):
        return False
    raise BadSetting(f"{name} must be a boolean (true/false), got {raw!r}")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise BadSetting(f"{name} must be an integer, got {raw!r}") from None


def this_machine_names() -> list[str]:
    """The names and addresses other machines on the LAN reach this one by (for ``HOST=0.0.0.0``).

    A kiosk or a TV opens ``http://<this machine's address>:8000``: Django must accept that Host.
    """
    import socket

    hostname = socket.gethostname()
    names = {"127.0.0.1", "localhost", hostname, f"{hostname}.local"}
    try:
        names.update(info[4][0] for info in socket.getaddrinfo(hostname, None, socket.AF_INET))
    except OSError:
        pass
    try:  # the address of the interface that routes outwards (no packet is sent)
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            probe.connect(("192.0.2.1", 9))
            names.add(probe.getsockname()[0])
    except OSError:
        pass
    return sorted(names)


def allowed_hosts(raw: str, bind_host: str) -> list[str]:
    """ALLOWED_HOSTS: the explicit list when given; else this machine's names when it serves the LAN."""
    if raw:
        return [h.strip() for h in raw.split(",") if h.strip()]
    if bind_host in ("0.0.0.0", "::"):  # noqa: S104 - reading the bind address, not binding
        return this_machine_names()
    return ["127.0.0.1", "localhost"]
