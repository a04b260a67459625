from django.apps import AppConfig


class EvaluationConfig(AppConfig):
    name = "satuatap.evaluation"
    verbose_name = "Evaluasi PEKPPP"
