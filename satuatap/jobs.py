"""Periodic jobs: each app registers its own, the project's worker runs them (``manage.py worker``).

A lower layer never imports a higher one to get its work done on time: every app registers
its sweeps here in its ``AppConfig.ready`` and the worker (``satuatap/project``) runs all of
them. A job is idempotent and takes an optional ``now``; a failing job is logged by the worker
without keeping the others from running.

Jobs run by stage, then in registration order (the order of ``INSTALLED_APPS``): housekeeping
first, then the sweeps that change records, then the notices they cause, and last the delivery
of the outbox, so that a notice written in a tick is sent in the same tick.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

HOUSEKEEPING = 10  # prune, expire
SWEEPS = 20  # records that change with time (escalations, no-shows)
NOTICES = 30  # reminders and notices written to the outbox
DELIVERY = 90  # the outbox sends what is due
HOURLY = 100  # once an hour (slow housekeeping)


@dataclass(frozen=True)
class Job:
    name: str
    run: Callable[..., object]
    stage: int


_jobs: list[Job] = []


def register(name: str, run: Callable[..., object], *, stage: int) -> None:
    """Add a job (once per name: ``ready`` may run again in tests)."""
    if any(job.name == name for job in _jobs):
        return
    _jobs.append(Job(name, run, stage))


def every_tick() -> list[tuple[str, Callable[..., object]]]:
    """(name, function) of the jobs of each tick, in the order they run."""
    return [(job.name, job.run) for job in sorted(_jobs, key=lambda j: j.stage) if job.stage < HOURLY]


def hourly() -> list[tuple[str, Callable[..., object]]]:
    return [(job.name, job.run) for job in _jobs if job.stage >= HOURLY]


def run_stage(stage: int, now: dt.datetime | None = None) -> dict[str, int]:
    """Every job of one stage once, at ``now``: results by function name (for one clock in tests)."""
    return {job.run.__name__: job.run(now) for job in _jobs if job.stage == stage}
