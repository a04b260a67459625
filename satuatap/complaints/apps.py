from django.apps import AppConfig


class ComplaintsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "satuatap.complaints"
    verbose_name = "Pengaduan"
