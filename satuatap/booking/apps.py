from django.apps import AppConfig


class BookingConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "satuatap.booking"
    verbose_name = "Pemesanan kunjungan"
