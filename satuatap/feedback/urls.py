from django.urls import path

from satuatap.feedback import tablet, views

urlpatterns = [
    path("t/<str:public_code>/survei/", views.survey, name="skm_survey"),
    path("loket/<slug:mall>/<int:number>/tablet/", tablet.tablet, name="skm_tablet"),
    path("loket/<slug:mall>/<int:number>/tablet/state.json", tablet.tablet_state, name="skm_tablet_state"),
]
