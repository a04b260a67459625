from django.urls import path

from satuatap.mallsite import pages, standards

urlpatterns = [
    path("m/<slug:mall>/", pages.mall_home, name="mall_home"),
    path("m/<slug:mall>/maklumat/", standards.maklumat, name="maklumat"),
    path("m/<slug:mall>/layanan/<str:code>/", pages.service_standard, name="service_standard"),
    path("m/<slug:mall>/layanan/<str:code>/poster/", standards.service_poster, name="service_poster"),
]
