from django.urls import re_path

from satuatap.queueing.consumers import LiveConsumer

websocket_urlpatterns = [
    re_path(r"^ws/(?P<kind>zone|service)/(?P<mall>[-\w]+)/(?P<key>[-\w]+)/$", LiveConsumer.as_asgi()),
    re_path(r"^ws/(?P<kind>mall)/(?P<mall>[-\w]+)/$", LiveConsumer.as_asgi()),
]
