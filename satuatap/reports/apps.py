from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "satuatap.reports"
    verbose_name = _("Laporan")  # the admin's section heading
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from satuatap import jobs
        from satuatap.feedback import ikm
        from satuatap.reports import rollup, visitors

        jobs.register("roll up closed report days", rollup.roll_closed_days, stage=jobs.HOURLY)
        ikm.count_visitors_with(visitors.served)  # the SKM's population from the summary tables
