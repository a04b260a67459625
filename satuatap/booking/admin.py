"""Admin for the mall manager: booking rules, per-service booking, slot sessions, bookings (read-only, masked).

Switching booking on or off goes through actions (``bookings.set_booking_enabled``)
so the manager chooses whether existing bookings are honoured or cancelled with
notice. Bookings show masked NIK and phone only; nothing here reveals personal data.
"""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from satuatap.accounts.admin_base import AuditedAdminMixin, MallScopedMixin
from satuatap.admin_rules import NoDeleteMixin, ReadOnlyMixin
from satuatap.booking import bookings
from satuatap.booking.models import Booking, BookingPolicy, NoShowSuspension, ServiceBookingSetting, SlotSession
from satuatap.booking.policies import policy_for


class _SwitchActions:
    """On, off keeping existing bookings, off cancelling them: each admin says what ``_switch`` switches."""

    actions = ["enable", "disable_honour", "disable_cancel"]

    @admin.action(description=_("Aktifkan pemesanan daring"), permissions=["change"])
    def enable(self, request, queryset):
        self._switch(request, queryset, True, "honour")

    @admin.action(
        description=_("Nonaktifkan pemesanan daring (pesanan yang ada tetap dilayani)"), permissions=["change"]
    )
    def disable_honour(self, request, queryset):
        self._switch(request, queryset, False, "honour")

    @admin.action(
        description=_("Nonaktifkan dan batalkan pesanan yang ada (dengan pemberitahuan)"), permissions=["change"]
    )
    def disable_cancel(self, request, queryset):
        self._switch(request, queryset, False, "cancel")

    def _switch(self, request, queryset, enabled: bool, existing: str):
        raise NotImplementedError


@admin.register(BookingPolicy)
class BookingPolicyAdmin(AuditedAdminMixin, _SwitchActions, NoDeleteMixin, MallScopedMixin, admin.ModelAdmin):
    list_display = [
        "mall",
        "enabled",
        "window_days",
        "min_lead_minutes",
        "walk_in_share_percent",
        "max_per_nik_per_week",
        "max_per_phone_per_week",
        "ordering",
    ]
    readonly_fields = ["enabled"]
    fieldsets = [
        (None, {"fields": ["mall", "enabled"]}),
        (
            _("Jendela dan slot"),
            {"fields": ["window_days", "min_lead_minutes", "slot_minutes", "walk_in_share_percent"]},
        ),
        (
            _("Aturan anti-calo"),
            {"fields": ["max_per_nik_per_week", "max_per_phone_per_week", "no_show_threshold", "suspension_days"]},
        ),
        (
            _("Check-in dan urutan antrean"),
            {"fields": ["ordering", "check_in_early_minutes", "check_in_late_minutes", "reminder_turn_near_places"]},
        ),
    ]

    def changelist_view(self, request, extra_context=None):
        if not request.user.is_superuser and request.user.mall_id:
            policy_for(request.user.mall)  # the manager always finds their mall's row
        return super().changelist_view(request, extra_context)

    def has_add_permission(self, request):
        return request.user.is_superuser

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        return [*fields, "mall"] if obj is not None else fields

    def _switch(self, request, queryset, enabled: bool, existing: str):
        cancelled = 0
        for policy in queryset.select_related("mall"):
            cancelled += bookings.set_booking_enabled(policy.mall, enabled, existing=existing, actor=request.user)
        if enabled:
            self.message_user(request, _("Pemesanan daring diaktifkan."))
        elif existing == "cancel":
            self.message_user(
                request,
                ngettext(
                    "Pemesanan daring dinonaktifkan; %(n)d pesanan dibatalkan dengan pemberitahuan.",
                    "Pemesanan daring dinonaktifkan; %(n)d pesanan dibatalkan dengan pemberitahuan.",
                    cancelled,
                )
                % {"n": cancelled},
            )
        else:
            self.message_user(request, _("Pemesanan daring dinonaktifkan; pesanan yang sudah ada tetap dilayani."))


@admin.register(ServiceBookingSetting)
class ServiceBookingSettingAdmin(AuditedAdminMixin, _SwitchActions, NoDeleteMixin, MallScopedMixin, admin.ModelAdmin):
    mall_path = "service__mall"
    list_display = ["service", "enabled", "minutes_per_visit"]
    list_filter = ["enabled"]
    search_fields = ["service__name", "service__code"]
    readonly_fields = ["enabled"]

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        return [*fields, "service"] if obj is not None else fields

    def _switch(self, request, queryset, enabled: bool, existing: str):
        cancelled = 0
        for setting in queryset.select_related("service__mall"):
            service = setting.service
            cancelled += bookings.set_booking_enabled(
                service.mall, enabled, service=service, existing=existing, actor=request.user
            )
        message = (
            _("Pemesanan daring layanan diaktifkan.")
            if enabled
            else ngettext(
                "Pemesanan daring layanan dinonaktifkan; %(n)d pesanan dibatalkan.",
                "Pemesanan daring layanan dinonaktifkan; %(n)d pesanan dibatalkan.",
                cancelled,
            )
            % {"n": cancelled}
        )
        self.message_user(request, message)


@admin.register(SlotSession)
class SlotSessionAdmin(AuditedAdminMixin, MallScopedMixin, admin.ModelAdmin):
    mall_path = "service__mall"
    list_display = ["service", "weekday", "starts", "ends", "slot_minutes", "capacity"]
    list_filter = ["weekday", ("service", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["service__name", "service__code"]


@admin.register(Booking)
class BookingAdmin(ReadOnlyMixin, MallScopedMixin, admin.ModelAdmin):
    """Read-only: bookings change only through the booking pages and the kiosk."""

    list_display = ["code", "service", "start", "status", "nik_masked", "phone_masked", "checked_in_at"]
    list_filter = ["status", "day", ("service", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["code"]
    date_hierarchy = "day"
    fields = [
        "code",
        "service",
        "start",
        "end",
        "day",
        "status",
        "nik_masked",
        "phone_masked",
        "ticket",
        "created_at",
        "cancelled_at",
        "cancel_reason",
        "checked_in_at",
        "no_show_at",
    ]
    readonly_fields = fields


@admin.register(NoShowSuspension)
class NoShowSuspensionAdmin(NoDeleteMixin, MallScopedMixin, admin.ModelAdmin):
    list_display = ["nik_masked", "no_shows", "created_at", "until", "lifted_at"]
    fields = ["nik_masked", "no_shows", "created_at", "until", "lifted_at"]
    readonly_fields = fields
    actions = ["lift"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return obj is None and super().has_change_permission(request, obj)

    @admin.action(description=_("Cabut penangguhan"), permissions=["change"])
    def lift(self, request, queryset):
        count = sum(bookings.lift_suspension(s, actor=request.user) for s in queryset)
        self.message_user(
            request, ngettext("%(n)d penangguhan dicabut.", "%(n)d penangguhan dicabut.", count) % {"n": count}
        )
