from django.apps import AppConfig


class NotifyConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "satuatap.notify"
    verbose_name = "Notifikasi"
