from django.urls import include, path

from satuatap.feedback import views

urlpatterns = [
    path("t/<str:public_code>/survei/", views.survey, name="skm_survey"),
    path("m/<slug:mall>/skm/", views.report, name="skm_report"),
    path("", include("satuatap.feedback.complaint_urls")),
]
