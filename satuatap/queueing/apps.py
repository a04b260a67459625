from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QueueingConfig(AppConfig):
    name = "satuatap.queueing"
    verbose_name = _("Antrean")  # the admin's section heading
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from satuatap import jobs, live
        from satuatap.queueing import housekeeping, relay

        live.set_embedded_store(relay.store_hints)
        jobs.register("prune relayed live hints", housekeeping.prune_live_events, stage=jobs.HOUSEKEEPING)
        jobs.register("expire tickets of earlier days", housekeeping.expire_previous_days, stage=jobs.HOUSEKEEPING)
        jobs.register("prune past days' waiting tallies", housekeeping.prune_waiting_tallies, stage=jobs.HOURLY)
