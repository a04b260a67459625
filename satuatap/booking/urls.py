from django.urls import include, path

from satuatap.booking import kiosk_views, manage_views, views

urlpatterns = [
    path(
        "m/<slug:mall>/booking/",
        include(
            [
                path("", views.booking_start, name="booking_start"),
                # Fixed words before <booking_code>/ so a code never shadows them.
                path("kelola/", manage_views.booking_manage, name="booking_manage"),
                path("kelola/<str:booking_code>/tampilkan/", manage_views.booking_reveal, name="booking_reveal"),
                path("check-in/", kiosk_views.kiosk_check_in, name="kiosk_check_in"),
                path("instansi/<str:agency_code>/", views.booking_services, name="booking_services"),
                path("layanan/<str:code>/", views.booking_days, name="booking_days"),
                path("layanan/<str:code>/<str:day>/", views.booking_slots, name="booking_slots"),
                path("layanan/<str:code>/<str:day>/pesan/", views.booking_form, name="booking_form"),
                path("<str:booking_code>/", views.booking_detail, name="booking_detail"),
                path("<str:booking_code>/konfirmasi/", views.booking_confirmation, name="booking_confirmation"),
                path("<str:booking_code>/batal/", views.booking_cancel, name="booking_cancel"),
                path("<str:booking_code>/ubah/", views.booking_reschedule, name="booking_reschedule"),
            ]
        ),
    ),
]
