from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from satuatap.api import api
from satuatap.project import health

# An unreachable database outside a view (a middleware's query) is a 503 too; anything else Django's 500.
handler500 = "satuatap.outage.server_error"

admin.site.site_header = _("satuatap · Pengelolaan MPP")
admin.site.site_title = "satuatap"

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", api.urls),
    path("", include("satuatap.accounts.urls")),
    path("", include("satuatap.queueing.urls")),
    path("", include("satuatap.mallsite.urls")),
    path("", include("satuatap.reports.urls")),
    path("", include("satuatap.evaluation.urls")),
    path("", include("satuatap.feedback.urls")),
    path("", include("satuatap.complaints.urls")),
    path("", include("satuatap.cases.urls")),
    path("", include("satuatap.booking.urls")),
]
