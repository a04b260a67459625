from django.apps import AppConfig


class FeedbackConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "satuatap.feedback"
    verbose_name = "Survei kepuasan masyarakat"
