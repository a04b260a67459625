from django.apps import AppConfig


class MallsiteConfig(AppConfig):
    """The mall's public site and the directory's web side: public pages, the directory API, its admin.

    No models: it shows the directory with the queue's waiting counts and the booking offer, so it sits
    in the top layer (docs/architecture.md).
    """

    name = "satuatap.mallsite"
    default_auto_field = "django.db.models.BigAutoField"
