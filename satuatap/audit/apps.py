from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "satuatap.audit"
    verbose_name = _("Log audit")  # the admin's section heading
    default_auto_field = "django.db.models.BigAutoField"
