"""Walk the audit chain and name the first entry that was edited, inserted or deleted around."""

from django.core.management.base import BaseCommand, CommandError

from satuatap.audit.log import first_break
from satuatap.audit.models import AuditEntry


class Command(BaseCommand):
    help = "Verify the hash-chained audit log; exit 1 naming the first entry that does not hold."

    def handle(self, *args, **options):
        broken = first_break()
        if broken is not None:
            raise CommandError(f"audit chain broken at entry {broken.entry_id} [{broken.kind}]: {broken.detail}")
        self.stdout.write(f"audit chain intact: {AuditEntry.objects.count()} entries")
