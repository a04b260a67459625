"""ASGI entry point: serves only the live WebSocket channel (/ws/).

Pages and the JSON API are served by gunicorn (WSGI); see docs/architecture.md
for the measurement behind that split.
"""

import logging
import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "satuatap.settings")
django_asgi_app = get_asgi_application()

from satuatap.project.production import refuse_unsafe_start  # noqa: E402

refuse_unsafe_start()  # uvicorn runs no system checks: demo-only settings stop it here

from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402

from satuatap.cases.routing import websocket_urlpatterns as case_patterns  # noqa: E402
from satuatap.logs import RequestIdASGIMiddleware, UvicornRedactFilter  # noqa: E402
from satuatap.queueing.routing import websocket_urlpatterns  # noqa: E402

# uvicorn logs each socket's path itself: a tracking page's token (``sat_…``) is masked there too.
for _name in ("uvicorn.error", "uvicorn.access"):
    logging.getLogger(_name).addFilter(UvicornRedactFilter())

# Every line the live process logs for a connection carries its handshake's X-Request-ID (satuatap.logs).
application = RequestIdASGIMiddleware(
    ProtocolTypeRouter(
        {
            "http": django_asgi_app,
            "websocket": AllowedHostsOriginValidator(
                AuthMiddlewareStack(URLRouter(websocket_urlpatterns + case_patterns))
            ),
        }
    )
)
