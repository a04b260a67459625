from django.urls import path

from satuatap.booking import kiosk_views, manage_views, views

urlpatterns = [
    path("m/<slug:mall>/booking/", views.booking_start, name="booking_start"),
    # Fixed words before <booking_code>/ so a code never shadows them.
    path("m/<slug:mall>/booking/kelola/", manage_views.booking_manage, name="booking_manage"),
    path(
        "m/<slug:mall>/booking/kelola/<str:booking_code>/tampilkan/",
        manage_views.booking_reveal,
        name="booking_reveal",
    ),
    path("m/<slug:mall>/booking/check-in/", kiosk_views.kiosk_check_in, name="kiosk_check_in"),
    path("m/<slug:mall>/booking/instansi/<str:agency_code>/", views.booking_services, name="booking_services"),
    path("m/<slug:mall>/booking/layanan/<str:code>/", views.booking_days, name="booking_days"),
    path("m/<slug:mall>/booking/layanan/<str:code>/<str:day>/", views.booking_slots, name="booking_slots"),
    path("m/<slug:mall>/booking/layanan/<str:code>/<str:day>/pesan/", views.booking_form, name="booking_form"),
    path("m/<slug:mall>/booking/<str:booking_code>/", views.booking_detail, name="booking_detail"),
    path(
        "m/<slug:mall>/booking/<str:booking_code>/konfirmasi/",
        views.booking_confirmation,
        name="booking_confirmation",
    ),
    path("m/<slug:mall>/booking/<str:booking_code>/batal/", views.booking_cancel, name="booking_cancel"),
    path("m/<slug:mall>/booking/<str:booking_code>/ubah/", views.booking_reschedule, name="booking_reschedule"),
]
