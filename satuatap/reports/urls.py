from django.urls import path

from satuatap.reports import numbers_page, open_data_page, outbox_page, views

urlpatterns = [
    path("m/<slug:mall>/floor/", views.floor, name="floor"),
    path("m/<slug:mall>/floor/snapshot.json", views.floor_snapshot_json, name="floor_snapshot"),
    path("m/<slug:mall>/estimasi/", views.estimate_accuracy, name="estimate_accuracy"),
    path("m/<slug:mall>/skm/", views.report, name="skm_report"),
    path("m/<slug:mall>/skm/laporan.pdf", views.report_pdf, name="skm_report_pdf"),
    path("m/<slug:mall>/skm/laporan.xlsx", views.report_xlsx, name="skm_report_xlsx"),
    path("m/<slug:mall>/skm/tindak-lanjut/", views.follow_up_new, name="skm_follow_up_new"),
    path("m/<slug:mall>/skm/tindak-lanjut/<int:item_id>/", views.follow_up_change, name="skm_follow_up_change"),
    path("m/<slug:mall>/laporan/", numbers_page.numbers_report, name="numbers_report"),
    path("m/<slug:mall>/laporan/laporan.csv", numbers_page.numbers_csv, name="numbers_report_csv"),
    path("m/<slug:mall>/laporan/laporan.xlsx", numbers_page.numbers_xlsx, name="numbers_report_xlsx"),
    path("m/<slug:mall>/laporan/laporan.pdf", numbers_page.numbers_pdf, name="numbers_report_pdf"),
    path("m/<slug:mall>/notifikasi/", outbox_page.outbox_page, name="notify_outbox"),
    path("data-terbuka/", open_data_page.open_data_page, name="open_data"),
]
