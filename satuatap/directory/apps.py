from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DirectoryConfig(AppConfig):
    name = "satuatap.directory"
    verbose_name = _("Direktori layanan")  # the admin's section heading
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from satuatap.directory import models, stamp

        # What the hot path caches per process (directory.stamp): any change drops the caches.
        stamp.watch(models.Mall, models.OpeningHours, models.Zone, models.Agency, models.Service, models.Counter)
        stamp.watch(models.Closure)
