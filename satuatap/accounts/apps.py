from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "satuatap.accounts"
    verbose_name = _("Akun dan hak akses")  # the admin's section heading
    default_auto_field = "django.db.models.BigAutoField"
