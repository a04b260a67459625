from django.urls import include, path

from satuatap.feedback import tablet, views

urlpatterns = [
    path("t/<str:public_code>/survei/", views.survey, name="skm_survey"),
    path("m/<slug:mall>/skm/", views.report, name="skm_report"),
    path("m/<slug:mall>/skm/laporan.pdf", views.report_pdf, name="skm_report_pdf"),
    path("m/<slug:mall>/skm/laporan.xlsx", views.report_xlsx, name="skm_report_xlsx"),
    path("m/<slug:mall>/skm/tindak-lanjut/", views.follow_up_new, name="skm_follow_up_new"),
    path("m/<slug:mall>/skm/tindak-lanjut/<int:item_id>/", views.follow_up_change, name="skm_follow_up_change"),
    path("loket/<slug:mall>/<int:number>/tablet/", tablet.tablet, name="skm_tablet"),
    path("loket/<slug:mall>/<int:number>/tablet/state.json", tablet.tablet_state, name="skm_tablet_state"),
    path("", include("satuatap.feedback.complaint_urls")),
]
