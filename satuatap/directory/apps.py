from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DirectoryConfig(AppConfig):
    name = "satuatap.directory"
    verbose_name = _("Direktori layanan")  # the admin's section heading
    default_auto_field = "django.db.models.BigAutoField"
