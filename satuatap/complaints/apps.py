from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComplaintsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "satuatap.complaints"
    verbose_name = _("Pengaduan")

    def ready(self):
        from satuatap import jobs
        from satuatap.complaints import complaints, reminders

        # Past their working-day deadline, to the mall manager.
        jobs.register("escalate overdue complaints", complaints.escalate_overdue, stage=jobs.SWEEPS)
        jobs.register("notify sweep notify_complaint_events", reminders.notify_complaint_events, stage=jobs.NOTICES)
        jobs.register("remove orphaned complaint attachments", complaints.remove_orphan_attachments, stage=jobs.HOURLY)
