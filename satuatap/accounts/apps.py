from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "satuatap.accounts"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from satuatap.accounts import models
        from satuatap.directory import stamp

        # Tokens and users are cached per process (accounts.tokens): any change drops the caches.
        stamp.watch(models.ApiToken, models.User)
