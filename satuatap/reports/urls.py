from django.urls import path

from satuatap.reports import views

urlpatterns = [
    path("m/<slug:mall>/floor/", views.floor, name="floor"),
    path("m/<slug:mall>/floor/snapshot.json", views.floor_snapshot_json, name="floor_snapshot"),
    path("m/<slug:mall>/estimasi/", views.estimate_accuracy, name="estimate_accuracy"),
]
