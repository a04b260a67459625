from django.apps import AppConfig


class FeedbackConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "satuatap.feedback"
    verbose_name = "Survei kepuasan masyarakat"

    def ready(self):
        from satuatap import jobs
        from satuatap.feedback import complaint_reminders, complaints, survey_links

        # Past their working-day deadline, to the mall manager.
        jobs.register("escalate overdue complaints", complaints.escalate_overdue, stage=jobs.SWEEPS)
        for sweep in (complaint_reminders.notify_complaint_events, survey_links.send_survey_links):
            jobs.register(f"notify sweep {sweep.__name__}", sweep, stage=jobs.NOTICES)
        jobs.register("remove orphaned complaint attachments", complaints.remove_orphan_attachments, stage=jobs.HOURLY)
