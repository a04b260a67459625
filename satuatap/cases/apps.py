from django.apps import AppConfig


class CasesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "satuatap.cases"
    verbose_name = "Berkas permohonan"

    def ready(self):
        from satuatap import jobs
        from satuatap.cases import services

        # Past their working-day deadline, once, to the agency's supervisor (the desk marks them).
        jobs.register("escalate overdue cases", services.escalate_overdue, stage=jobs.SWEEPS)
