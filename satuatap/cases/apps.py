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
        self.ready_live()

    def ready_live(self):
        """The queue's live process admits the desk and tracking sockets and builds their documents."""
        from satuatap.cases import live_updates
        from satuatap.queueing import consumers, hub

        consumers.register_group("case", live_updates.case_group_for)
        consumers.register_group("desk", live_updates.desk_group_for)
        hub.register_document("case", live_updates.case_document)
        for kind, build in live_updates.DESK_DOCUMENTS.items():
            hub.register_document(kind, build)
