"""Admin of the directory for the mall manager (pengelola MPP): master data, hours and closures.

Master data is archived, never deleted ("Arsipkan" / "Pulihkan"); closures are
declared and lifted through ``directory.services``. A manager sees and picks
only their own mall.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from satuatap.accounts.admin_base import ArchivedFilter, AuditedAdminMixin, MallScopedMixin
from satuatap.admin_rules import NoDeleteMixin
from satuatap.directory import services
from satuatap.directory.models import Agency, Building, Closure, Counter, Mall, OpeningHours, Service, Zone


class MasterDataAdmin(AuditedAdminMixin, NoDeleteMixin, MallScopedMixin, SimpleHistoryAdmin):
    """Archived, never deleted; every edit has an audit entry."""

    actions = ["archive_selected", "unarchive_selected"]
    readonly_fields = ["archived_at"]

    def has_view_history_or_change_history_permission(self, request, obj=None):
        # simple-history reads history rows directly: keep another mall's history out of reach.
        if obj is not None and not self.get_queryset(request).filter(pk=obj.pk).exists():
            return False
        return super().has_view_history_or_change_history_permission(request, obj)

    @admin.action(description=_("Arsipkan"), permissions=["change"])
    def archive_selected(self, request, queryset):
        count = sum(services.archive(obj, actor=request.user) for obj in queryset)
        self.message_user(request, ngettext("%(n)d data diarsipkan.", "%(n)d data diarsipkan.", count) % {"n": count})

    @admin.action(description=_("Pulihkan dari arsip"), permissions=["change"])
    def unarchive_selected(self, request, queryset):
        count = sum(services.unarchive(obj, actor=request.user) for obj in queryset)
        self.message_user(request, ngettext("%(n)d data dipulihkan.", "%(n)d data dipulihkan.", count) % {"n": count})


class OpeningHoursInline(admin.TabularInline):
    model = OpeningHours
    extra = 0


@admin.register(Mall)
class MallAdmin(MasterDataAdmin):
    mall_path = "pk"
    inlines = [OpeningHoursInline]
    list_display = ["name", "slug", "city", "timezone", "archived_at"]
    list_filter = [ArchivedFilter]
    search_fields = ["name", "slug", "city"]

    def has_add_permission(self, request):
        return request.user.is_superuser

    def get_readonly_fields(self, request, obj=None):
        fields = super().get_readonly_fields(request, obj)
        return fields if request.user.is_superuser else [*fields, "slug"]

    def get_actions(self, request):
        # A manager does not archive their own mall.
        return super().get_actions(request) if request.user.is_superuser else {}


@admin.register(Building)
class BuildingAdmin(MasterDataAdmin):
    list_display = ["name", "code", "address", "archived_at"]
    list_filter = [ArchivedFilter]
    search_fields = ["name", "code"]


@admin.register(Zone)
class ZoneAdmin(MasterDataAdmin):
    list_display = ["code", "name", "building", "archived_at"]
    list_filter = [ArchivedFilter, ("building", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["building"]
    search_fields = ["code", "name"]


@admin.register(Agency)
class AgencyAdmin(MasterDataAdmin):
    list_display = ["name", "code", "kind", "zone", "archived_at"]
    list_filter = [ArchivedFilter, "kind", ("zone", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["zone"]
    search_fields = ["name", "code"]


@admin.register(Service)
class ServiceAdmin(MasterDataAdmin):
    list_display = ["name", "code", "agency", "prefix", "fee", "daily_quota", "bookable", "archived_at"]
    list_filter = [ArchivedFilter, "kind", "bookable", ("agency", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["agency"]
    search_fields = ["name", "code", "prefix"]
    fieldsets = [
        (_("Identitas"), {"fields": ["mall", "agency", "code", "name", "kind", "archived_at"]}),
        (
            _("Standar pelayanan (enam komponen yang dipublikasikan)"),
            {
                "fields": [
                    "requirements",
                    "procedure",
                    "duration",
                    "completion_working_days",
                    "fee",
                    "product",
                    "complaint_channel",
                ]
            },
        ),
        (_("Pengaturan antrean"), {"fields": ["prefix", "daily_quota", "bookable", "kiosk_pinned"]}),
    ]


@admin.register(Counter)
class CounterAdmin(MasterDataAdmin):
    list_display = ["number", "agency", "building", "officer", "archived_at"]
    list_filter = [
        ArchivedFilter,
        ("building", admin.RelatedOnlyFieldListFilter),
        ("agency", admin.RelatedOnlyFieldListFilter),
    ]
    list_select_related = ["agency", "building", "officer"]
    search_fields = ["number", "agency__name", "agency__code"]
    filter_horizontal = ["services"]
    readonly_fields = ["archived_at", "officer"]


class ClosureForm(forms.ModelForm):
    class Meta:
        model = Closure
        fields = ["mall", "service", "counter", "starts_at", "until_date", "reason"]
        help_texts = {
            "service": _("Kosongkan layanan dan loket untuk menutup seluruh mal."),
        }

    def clean(self):
        data = super().clean()
        mall = data.get("mall") or getattr(self, "fixed_mall", None)
        if mall is not None and not self.errors:
            errors = services.closure_errors(
                mall,
                data.get("reason", ""),
                service=data.get("service"),
                counter=data.get("counter"),
                until_date=data.get("until_date"),
                starts_at=data.get("starts_at"),
            )
            if errors:
                raise ValidationError(errors)
        return data


@admin.register(Closure)
class ClosureAdmin(NoDeleteMixin, MallScopedMixin, admin.ModelAdmin):
    form = ClosureForm
    autocomplete_fields = ["service", "counter"]
    list_display = ["reason", "target", "starts_at", "until_date", "lifted_at", "created_by"]
    list_filter = [("lifted_at", admin.EmptyFieldListFilter)]
    list_select_related = ["service", "counter", "mall", "created_by"]
    search_fields = ["reason"]
    actions = ["lift_selected"]

    @admin.display(description=_("berlaku untuk"))
    def target(self, obj):
        if obj.service_id:
            return obj.service.name
        if obj.counter_id:
            return _("Loket %(n)s") % {"n": obj.counter.number}
        return _("Seluruh mal")

    def get_readonly_fields(self, request, obj=None):
        # A declared closure is history: it is lifted, not edited.
        if obj is not None:
            return [*ClosureForm.Meta.fields, "created_by", "lifted_at"]
        return []

    def get_changeform_initial_data(self, request):
        return {"starts_at": timezone.now(), **super().get_changeform_initial_data(request)}

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        if not request.user.is_superuser:
            form.fixed_mall = request.user.mall
        return form

    def save_model(self, request, obj, form, change):
        if change:
            return
        mall = obj.mall if request.user.is_superuser else request.user.mall
        closure = services.close(
            mall,
            obj.reason,
            service=obj.service,
            counter=obj.counter,
            until_date=obj.until_date,
            starts_at=obj.starts_at,
            actor=request.user,
        )
        obj.pk, obj.mall_id, obj.created_by_id = closure.pk, closure.mall_id, closure.created_by_id

    @admin.action(description=_("Cabut penutupan (buka kembali)"), permissions=["change"])
    def lift_selected(self, request, queryset):
        count = sum(services.lift_closure(c, actor=request.user) for c in queryset)
        self.message_user(
            request,
            ngettext("%(n)d penutupan dicabut.", "%(n)d penutupan dicabut.", count) % {"n": count},
            messages.SUCCESS,
        )
