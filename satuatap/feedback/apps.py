from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FeedbackConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "satuatap.feedback"
    verbose_name = _("Survei kepuasan masyarakat")

    def ready(self):
        from satuatap import jobs
        from satuatap.feedback import survey_links

        jobs.register("notify sweep send_survey_links", survey_links.send_survey_links, stage=jobs.NOTICES)
