from django.apps import AppConfig


class ProjectConfig(AppConfig):
    """The project level: commands that span every app (the worker, the demo loader).

    It sits above every layer (docs/architecture.md) and holds no models.
    """

    name = "satuatap.project"
    verbose_name = "satuatap"

    def ready(self):
        # Registers the checks that refuse demo-only settings in production.
        from satuatap.project import production  # noqa: F401
