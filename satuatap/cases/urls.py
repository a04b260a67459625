from django.urls import path

from satuatap.cases import views

urlpatterns = [
    path("m/<slug:mall>/berkas/", views.case_desk, name="case_desk"),
    path("m/<slug:mall>/berkas/stempel.json", views.case_desk_stamp, name="case_desk_stamp"),
    path("m/<slug:mall>/berkas/baru/", views.case_new, name="case_new"),
    path("m/<slug:mall>/berkas-kinerja/", views.case_sla, name="case_sla"),
    path("m/<slug:mall>/berkas/<str:registration_number>/", views.case_detail, name="case_detail"),
    path("m/<slug:mall>/berkas/<str:registration_number>/stempel.json", views.case_detail_stamp, name="case_stamp"),
    path("m/<slug:mall>/berkas/<str:registration_number>/tanda-terima/", views.case_receipt, name="case_receipt"),
    path("m/<slug:mall>/berkas/<str:registration_number>/lampiran/<int:file_id>/", views.case_file, name="case_file"),
    path("lacak-berkas/", views.case_track, name="case_track"),
    path("lacak-berkas/langsung/<str:token>/", views.case_track_snapshot, name="case_track_snapshot"),
]
