"""Devices (kiosks, display boards) sign in once with their token; the session
remembers which token, and a revoked token ends the session on its next request."""

from django.contrib.auth import logout

from satuatap.accounts.models import ApiToken
from satuatap.pagesonly import is_api

SESSION_TOKEN_KEY = "device_token_id"  # noqa: S105 (a session key name, not a secret)


class DeviceTokenMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.device_token = None
        if is_api(request):  # the API has no session: its callers present their token on each call
            return self.get_response(request)
        token_id = request.session.get(SESSION_TOKEN_KEY) if hasattr(request, "session") else None
        if token_id:
            token = ApiToken.objects.select_related("zone").filter(pk=token_id, revoked_at__isnull=True).first()
            if token is None or token.user_id != getattr(request.user, "pk", None):
                logout(request)
            else:
                request.device_token = token
        return self.get_response(request)
