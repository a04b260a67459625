"""``/data-terbuka/``: the human page of the open data. It lists every mall's files (services with their standards,
monthly figures; JSON and CSV) with their stable URLs and documents each field and its unit from ``open_data``'s
own field lists, so a portal's harvester and a person read the same description. Public, like the files."""

from __future__ import annotations

from django.shortcuts import render
from django.urls import reverse

from satuatap import ratelimit
from satuatap.directory.models import Mall
from satuatap.reports import open_data

FILES = (
    ("services", "api:open_services_json", "api:open_services_csv"),
    ("monthly", "api:open_monthly_json", "api:open_monthly_csv"),
)


@ratelimit.limit_public_page("open_data_page")
def open_data_page(request):
    malls = [
        {
            "mall": mall,
            "files": {
                kind: (reverse(json_name, kwargs={"mall": mall.slug}), reverse(csv_name, kwargs={"mall": mall.slug}))
                for kind, json_name, csv_name in FILES
            },
        }
        for mall in Mall.objects.active().order_by("pk")
    ]
    context = {
        "malls": malls,
        "service_fields": open_data.SERVICE_FIELDS.items(),
        "monthly_fields": open_data.MONTHLY_FIELDS.items(),
        "cache_seconds": open_data.CACHE_SECONDS,
    }
    return render(request, "reports/open_data.html", context)
