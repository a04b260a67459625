"""CPU seconds per kind of process on this machine, between two readings of ``/proc``.

The HTTP benches print where a phase's CPU went (the web workers, the database, Redis, the live
process, the load generator), so a figure of requests/s comes with the cost that bounds it.
Processes are told apart by their command line; a process that started and ended between the
two readings is not counted (the sync workers' connections are kept, the database's too).
With ``only`` (words such as the servers' ports and the database's name) the web, live and database
processes of other runs on the same machine are left out: a PostgreSQL backend names its database
in its command line, a gunicorn or uvicorn process its port. The database server's own processes
(WAL writer, checkpointer, autovacuum) are counted apart, as "PostgreSQL (server)".
"""

from __future__ import annotations

import os

TICK = os.sysconf("SC_CLK_TCK")

# First match wins: (label, words the command line contains).
KINDS = (
    ("load generator", ("wrk",)),
    ("web (gunicorn)", ("gunicorn",)),
    ("live (uvicorn)", ("uvicorn",)),
    ("PostgreSQL", ("postgres",)),
    ("Redis", ("redis-server",)),
    ("worker", ("manage.py worker",)),
)


# PostgreSQL's own processes: shared by every database on the server, but their work is the run's too.
SERVER_PROCESSES = ("walwriter", "checkpointer", "background writer", "autovacuum", "logical replication")
SCOPED = ("web (gunicorn)", "live (uvicorn)", "PostgreSQL")


def _kind(pid: str, only: tuple[str, ...]) -> str | None:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            line = f.read().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return None
    for label, words in KINDS:
        if any(word in line for word in words):
            if label == "PostgreSQL" and any(name in line for name in SERVER_PROCESSES):
                return "PostgreSQL (server)"
            if only and label in SCOPED and not any(word in line for word in only):
                return None
            return label
    return None


def reading(only: tuple[str, ...] = ()) -> dict[str, tuple[str, float]]:
    """pid -> (kind, CPU seconds so far) for every process of a known kind (of this run's, with ``only``)."""
    out = {}
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        kind = _kind(pid, only)
        if kind is None:
            continue
        try:
            with open(f"/proc/{pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        # utime, stime (own) and cutime, cstime (children waited for): fields 14-17 of stat.
        out[pid] = (kind, sum(int(x) for x in fields[11:15]) / TICK)
    return out


def spent(before: dict, after: dict) -> dict[str, float]:
    """CPU seconds per kind between two readings (processes in both, and those only in the second)."""
    totals: dict[str, float] = {}
    for pid, (kind, cpu) in after.items():
        totals[kind] = totals.get(kind, 0.0) + cpu - before.get(pid, (kind, 0.0))[1]
    return totals


def per_request(totals: dict[str, float], requests: int) -> str:
    """One line: milliseconds of CPU per request by kind, largest first, and their sum."""
    if not requests:
        return "no requests"
    parts = sorted(((cpu * 1000 / requests, kind) for kind, cpu in totals.items() if cpu > 0), reverse=True)
    total = sum(ms for ms, _ in parts)
    return f"CPU per request {total:.2f} ms: " + ", ".join(f"{kind} {ms:.2f}" for ms, kind in parts)
