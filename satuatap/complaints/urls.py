from django.urls import path

from satuatap.complaints import views

urlpatterns = [
    path("m/<slug:mall>/pengaduan/", views.complaint_form, name="complaint_form"),
    path("m/<slug:mall>/pengaduan/meja/", views.complaint_desk, name="complaint_desk"),
    path("m/<slug:mall>/pengaduan/meja/<int:complaint_id>/", views.complaint_detail, name="complaint_detail"),
    path(
        "m/<slug:mall>/pengaduan/meja/<int:complaint_id>/lampiran/<int:attachment_id>/",
        views.complaint_attachment,
        name="complaint_attachment",
    ),
    path("pengaduan/<str:tracking_code>/", views.complaint_track, name="complaint_track"),
]
