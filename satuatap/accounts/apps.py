from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "satuatap.accounts"
    verbose_name = _("Akun dan hak akses")  # the admin's section heading
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from satuatap.accounts import models
        from satuatap.directory import stamp

        # Tokens and users are cached per process (accounts.tokens): any change drops the caches.
        stamp.watch(models.ApiToken, models.User)
