from django.urls import path

from satuatap.evaluation import national, views

urlpatterns = [
    path("m/<slug:mall>/evaluasi/", views.evaluation_current, name="evaluation_current"),
    path("m/<slug:mall>/evaluasi/<int:year>/", views.evaluation_page, name="evaluation"),
    path("m/<slug:mall>/evaluasi/<int:year>/nilai", views.evaluation_save, name="evaluation_save"),
    path("m/<slug:mall>/evaluasi/<int:year>/penilaian/", views.evaluation_score, name="evaluation_score"),
    path("nasional/", national.national_page, name="national"),
]
