from django.conf import settings


def live_settings(request):
    return {"LIVE_WS_PORT": settings.LIVE_WS_PORT}
