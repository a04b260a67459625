"""The mall's maklumat pelayanan and the printable standard poster agencies hang at their counters."""

from __future__ import annotations

from django.db.models import Prefetch
from django.shortcuts import render
from django.urls import reverse

from satuatap.accounts.access import find_mall, public_mall_page
from satuatap.directory.models import Agency, Mall, Service
from satuatap.directory.views import published_fee, standard_of
from satuatap.qr import qr_svg


@public_mall_page()
def maklumat(request, mall: Mall):
    agencies = (
        Agency.objects.active()
        .filter(mall=mall)
        .order_by("name")
        .prefetch_related(Prefetch("services", queryset=Service.objects.active().order_by("name"), to_attr="live"))
    )
    return render(
        request,
        "directory/maklumat.html",
        {"mall": mall, "paragraphs": _paragraphs(mall.maklumat), "agencies": agencies},
    )


def service_poster(request, mall: str, code: str):
    context = standard_of(find_mall(mall, with_hours=True), code)
    mall, service = context["mall"], context["service"]
    page_url = request.build_absolute_uri(reverse("service_standard", args=[mall.slug, service.code]))
    context.update(
        fee=published_fee(service.fee),
        page_url=page_url,
        qr_svg=qr_svg(page_url),
        maklumat=_paragraphs(mall.maklumat),
    )
    return render(request, "directory/service_poster.html", context)


def _paragraphs(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]
