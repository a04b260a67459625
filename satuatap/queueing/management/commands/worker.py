"""The background worker: periodic housekeeping that never runs inside a request.

Today it prunes relayed live hints and cancels tickets left waiting from an
earlier day; later issues add the notification outbox and the booking no-show
sweep here, each as one idempotent step per tick.
"""

import logging
import signal
import time

from django.core.management.base import BaseCommand

from satuatap.feedback.complaints import escalate_overdue
from satuatap.queueing.housekeeping import expire_previous_days, prune_live_events

log = logging.getLogger(__name__)


class Command(BaseCommand):
    help = "Run background work (housekeeping, later notifications) until stopped."

    def add_arguments(self, parser):
        parser.add_argument("--interval", type=float, default=5.0, help="seconds between ticks")
        parser.add_argument("--once", action="store_true", help="run one tick and exit")

    def handle(self, *args, interval: float, once: bool, **options):
        stopping = False

        def stop(*_):
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        while True:
            try:
                pruned = prune_live_events()
                expired = expire_previous_days()
                escalate_overdue()  # complaints past their working-day deadline, to the mall manager
                if pruned or expired:
                    log.info("pruned %s live events, expired %s tickets of earlier days", pruned, expired)
            except Exception:  # one failed tick must not stop the worker
                log.exception("worker tick failed")
            if once or stopping:
                break
            time.sleep(interval)
        self.stdout.write("worker stopped")
