from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BookingConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "satuatap.booking"
    verbose_name = _("Pemesanan kunjungan")

    def ready(self):
        from satuatap import jobs
        from satuatap.booking import bookings, reminders, slots
        from satuatap.queueing import quota

        # Walk-ins stop short of the quota by the bookings still to check in.
        quota.hold_places(slots.reserved_places)

        # Not checked in by their slot's end (+ late margin).
        jobs.register("sweep booking no-shows", bookings.sweep_no_shows, stage=jobs.SWEEPS)
        for sweep in (reminders.remind_day_before, reminders.remind_hour_before, reminders.notify_turn_near):
            jobs.register(f"notify sweep {sweep.__name__}", sweep, stage=jobs.NOTICES)
