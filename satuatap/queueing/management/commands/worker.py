"""The background worker: the work that never runs inside a request.

Each tick runs every step once; a step is idempotent and a failing step is logged
without keeping the others from running. Slow housekeeping runs once an hour.
"""

import logging
import signal
import time

from django.core.management.base import BaseCommand

from satuatap.booking.bookings import sweep_no_shows
from satuatap.complaints.complaints import escalate_overdue, remove_orphan_attachments
from satuatap.notify import outbox, reminders
from satuatap.queueing.housekeeping import expire_previous_days, prune_live_events

log = logging.getLogger(__name__)

# (name, function) in the order they run each tick.
EVERY_TICK = [
    ("prune relayed live hints", prune_live_events),
    ("expire tickets of earlier days", expire_previous_days),
    ("escalate overdue complaints", escalate_overdue),  # past their working-day deadline, to the mall manager
    ("sweep booking no-shows", sweep_no_shows),  # not checked in by their slot's end (+ late margin)
    # Reminders, turn near, survey links, complaint notices (each sweep its own step); then delivery of the outbox.
    *((f"notify sweep {sweep.__name__}", sweep) for sweep in reminders.SWEEPS),
    ("deliver the notification outbox", outbox.deliver_due),
]
HOURLY = [
    ("remove orphaned complaint attachments", remove_orphan_attachments),
]


def run_steps(steps) -> None:
    for name, step in steps:
        try:
            done = step()
        except Exception:  # one failed step must not stop the others or the worker
            log.exception("worker step failed: %s", name)
        else:
            if done:
                log.info("%s: %s", name, done)


class Command(BaseCommand):
    help = "Run background work (sweeps, reminders, the notification outbox, housekeeping) until stopped."

    def add_arguments(self, parser):
        parser.add_argument("--interval", type=float, default=5.0, help="seconds between ticks")
        parser.add_argument("--once", action="store_true", help="run one tick (and the hourly work) and exit")

    def handle(self, *args, interval: float, once: bool, **options):
        stopping = False

        def stop(*_):
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        last_hourly = None
        while True:
            run_steps(EVERY_TICK)
            if last_hourly is None or time.monotonic() - last_hourly >= 3600:
                run_steps(HOURLY)
                last_hourly = time.monotonic()
            if once or stopping:
                break
            time.sleep(interval)
        self.stdout.write("worker stopped")
