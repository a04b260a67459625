from django.contrib.auth import views as auth_views
from django.urls import path

from satuatap.accounts import views

urlpatterns = [
    path("", views.home, name="home"),
    path("login/", views.StaffLoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("device/", views.device_sign_in, name="device_sign_in"),
]
