from django.contrib.auth import login
from django.contrib.auth.views import LoginView
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from satuatap.accounts.middleware import SESSION_TOKEN_KEY
from satuatap.accounts.models import Role
from satuatap.accounts.tokens import resolve_token
from satuatap.directory.models import Mall


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
    """A kiosk or display board signs in once with the token the manager issued."""
    error = ""
    raw = request.POST.get("token", "") if request.method == "POST" else request.GET.get("token", "")
    if raw:
        token = resolve_token(raw.strip())
        if token is None or token.user.role not in (Role.KIOSK, Role.DISPLAY):
            error = _("Token perangkat tidak dikenal atau sudah dicabut.")
        else:
            login(request, token.user, backend="django.contrib.auth.backends.ModelBackend")
            request.session[SESSION_TOKEN_KEY] = token.pk
            return redirect(landing_for(token.user, token))
    return render(request, "accounts/device.html", {"error": error}, status=400 if error else 200)


class StaffLoginView(LoginView):
    """Officers land on their console, managers on the home page, unless ?next= says otherwise."""

    template_name = "accounts/login.html"

    def get_default_redirect_url(self):
        return landing_for(self.request.user)
