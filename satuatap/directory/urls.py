from django.urls import path

from satuatap.directory import views

urlpatterns = [
    path("m/<slug:mall>/", views.mall_home, name="mall_home"),
    path("m/<slug:mall>/layanan/<str:code>/", views.service_standard, name="service_standard"),
]
