from django.urls import path

from satuatap.notify import views

urlpatterns = [
    path("m/<slug:mall>/notifikasi/", views.outbox_page, name="notify_outbox"),
]
