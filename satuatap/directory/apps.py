from django.apps import AppConfig


class DirectoryConfig(AppConfig):
    name = "satuatap.directory"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from satuatap.directory import models, stamp

        # What the hot path caches per process (directory.stamp): any change drops the caches.
        stamp.watch(models.Mall, models.OpeningHours, models.Zone, models.Agency, models.Service, models.Counter)
        stamp.watch(models.Closure)
