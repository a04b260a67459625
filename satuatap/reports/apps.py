from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "satuatap.reports"
    verbose_name = _("Laporan")  # the admin's section heading
    default_auto_field = "django.db.models.BigAutoField"
