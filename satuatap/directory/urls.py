from django.urls import path

from satuatap.directory import standards, views

urlpatterns = [
    path("m/<slug:mall>/", views.mall_home, name="mall_home"),
    path("m/<slug:mall>/maklumat/", standards.maklumat, name="maklumat"),
    path("m/<slug:mall>/layanan/<str:code>/", views.service_standard, name="service_standard"),
    path("m/<slug:mall>/layanan/<str:code>/poster/", standards.service_poster, name="service_poster"),
]
