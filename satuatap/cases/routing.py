"""The back office's live sockets, served by the queue's consumer (``cases/live_updates.py`` admits them)."""

from django.urls import re_path

from satuatap.queueing.consumers import LiveConsumer

websocket_urlpatterns = [
    re_path(r"^ws/(?P<kind>desk)/(?P<mall>[-\w]+)/$", LiveConsumer.as_asgi()),
    re_path(r"^ws/(?P<kind>case)/(?P<mall>[-\w]+)/(?P<key>[-\w]+)/$", LiveConsumer.as_asgi()),
]
