from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotifyConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "satuatap.notify"
    verbose_name = _("Notifikasi")

    def ready(self):
        from satuatap import jobs
        from satuatap.notify import outbox

        # Last in a tick: what the apps' notices wrote this tick is sent this tick.
        jobs.register("deliver the notification outbox", outbox.deliver_due, stage=jobs.DELIVERY)
