"""The background worker: the work that never runs inside a request.

Each tick runs every step once; a step is idempotent and a failing step is logged
without keeping the others from running. Slow housekeeping runs once an hour. The
steps are the jobs the apps register in ``satuatap.jobs`` (each in its ``AppConfig.ready``).
"""

import logging
import signal
import time

from django.core.management.base import BaseCommand

from satuatap import jobs, logs

log = logging.getLogger(__name__)


def every_tick():
    """(name, function) in the order they run each tick (tests replace this)."""
    return jobs.every_tick()


def hourly():
    return jobs.hourly()


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
            with logs.bind(f"tick-{logs.new_request_id()[:12]}"):  # the lines of one tick share an id
                run_steps(every_tick())
                if last_hourly is None or time.monotonic() - last_hourly >= 3600:
                    run_steps(hourly())
                    last_hourly = time.monotonic()
            if once or stopping:
                break
            time.sleep(interval)
        self.stdout.write("worker stopped")
