"""The booking rules of a mall and a service, created lazily, read by slots and bookings."""

from __future__ import annotations

from django.db.models import Exists
from django.utils.translation import gettext as _

from satuatap.booking.models import BookingPolicy, ServiceBookingSetting
from satuatap.directory.models import Mall, Service


def policy_for(mall: Mall) -> BookingPolicy:
    """The mall's policy; the defaults row is created on first use (safe under concurrent first use)."""
    policy = BookingPolicy.objects.filter(mall=mall).first()
    if policy is None:
        BookingPolicy.objects.bulk_create([BookingPolicy(mall_id=mall.pk)], ignore_conflicts=True)
        policy = BookingPolicy.objects.get(mall=mall)
    return policy


def setting_for(service: Service) -> ServiceBookingSetting:
    """The service's setting; an unsaved defaults object when the manager never set one."""
    return ServiceBookingSetting.objects.filter(service=service).first() or ServiceBookingSetting(service_id=service.pk)


def booking_state(
    service: Service, policy: BookingPolicy | None = None, setting: ServiceBookingSetting | None = None
) -> tuple[bool, str]:
    """(open for online booking?, why not) — switched off, not bookable or archived.

    ``policy`` and ``setting`` spare their reads when the caller has them already.
    """
    policy = policy or policy_for(service.mall)
    if service.archived_at or service.mall.archived_at:
        return False, _("Layanan ini tidak tersedia lagi.")
    if not service.bookable:
        return False, _("Layanan ini tidak dapat dipesan daring. Silakan ambil nomor antrean di anjungan.")
    if not policy.enabled:
        return False, _(
            "Pemesanan daring sedang dinonaktifkan oleh pengelola mal. Layanan langsung di anjungan tetap berjalan."
        )
    if not (setting or setting_for(service)).enabled:
        return False, _(
            "Pemesanan daring untuk layanan ini sedang dinonaktifkan. Silakan ambil nomor antrean di anjungan."
        )
    return True, ""


def bookable_services(mall: Mall):
    """Services a citizen may book online (the service's own flag; the switches are answered by slots)."""
    return (
        Service.objects.active()
        .filter(mall=mall, bookable=True, agency__archived_at__isnull=True)
        .select_related("agency")
        .order_by("name")
    )


def offers_booking(mall: Mall) -> bool:
    """Whether the mall takes online bookings for at least one live service (``booking_state``'s rules, one query).

    Reads without creating the policy row: a mall whose policy was never written has the defaults (enabled).
    """
    switched_off = BookingPolicy.objects.filter(mall=mall, enabled=False)
    return bookable_services(mall).filter(~Exists(switched_off)).exclude(booking_setting__enabled=False).exists()
