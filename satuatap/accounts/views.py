from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.views import LoginView
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from satuatap.accounts import pairing
from satuatap.accounts.middleware import SESSION_TOKEN_KEY
from satuatap.accounts.models import Role
from satuatap.accounts.tokens import resolve_token
from satuatap.directory.models import Mall
from satuatap.refusal import Refused

DEVICE_ROLES = (Role.KIOSK, Role.DISPLAY)


def home(request):
    malls = Mall.objects.active().order_by("name")
    return render(request, "accounts/home.html", {"malls": malls})


def landing_for(user, token=None) -> str:
    """Where a person or device goes after signing in."""
    mall = user.mall
    if user.role == Role.KIOSK and mall:
        return reverse("kiosk", args=[mall.slug])
    if user.role == Role.DISPLAY and mall and token is not None and token.zone_id:
        return reverse("display", args=[mall.slug, token.zone.code])
    if user.role == Role.OFFICER:
        return reverse("console")
    return reverse("home")


@require_http_methods(["GET", "POST"])
def device_sign_in(request):
    """A kiosk, display board or survey tablet signs in once with the pairing code the manager was shown.

    The code (or, for an operator, the device token itself) only ever arrives in a POST body: a long-lived
    token in a URL ends up in access logs. A QR code may open ``?code=`` to fill the form in; the code is
    one-time and short-lived, and the form still has to be sent. A ``?token=`` link signs nothing in.
    """
    error = ""
    prefill = request.GET.get("code", "")[:20] if request.method == "GET" else ""
    if request.method == "GET" and request.GET.get("token"):
        # Off the URL at once: the page's own links (language switch) would carry it on.
        messages.error(
            request, _("Tautan dengan token tidak lagi dipakai. Minta kode pemasangan kepada pengelola MPP.")
        )
        return redirect("device_sign_in")
    if request.method == "POST":
        typed = request.POST.get("code", "").strip()
        token, error = _device_token(typed)
        if token is not None:
            login(request, token.user, backend="django.contrib.auth.backends.ModelBackend")
            request.session[SESSION_TOKEN_KEY] = token.pk
            return redirect(landing_for(token.user, token))
    return render(request, "accounts/device.html", {"error": error, "code": prefill}, status=400 if error else 200)


def _device_token(typed: str):
    """(token, "") for a good pairing code or device token, else (None, why)."""
    if not typed:
        return None, _("Masukkan kode pemasangan.")
    if typed.startswith("sat_"):
        token = resolve_token(typed)
        if token is None or token.user.role not in DEVICE_ROLES:
            return None, _("Token perangkat tidak dikenal atau sudah dicabut.")
        return token, ""
    try:
        token = pairing.redeem(typed)
    except Refused as refusal:
        return None, refusal.message
    if token.user.role not in DEVICE_ROLES:
        return None, _("Kode ini bukan untuk perangkat.")
    return token, ""


class StaffLoginView(LoginView):
    """Officers land on their console, managers on the home page, unless ?next= says otherwise."""

    template_name = "accounts/login.html"

    def get_default_redirect_url(self):
        return landing_for(self.request.user)
