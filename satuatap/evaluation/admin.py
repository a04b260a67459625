"""The PEKPPP instrument in the admin: one per year, its aspects and indicators with weights and rubric.

The instrument is national, not a mall's: only a superuser (the ministry's operator, until a ministry role exists)
sees or edits it. Rows are kept, never deleted: a past year's evaluations point at them.
"""

from __future__ import annotations

from django.contrib import admin

from satuatap.admin_rules import NoDeleteMixin
from satuatap.evaluation.models import Aspect, Indicator, Instrument


class MinistryOnlyMixin(NoDeleteMixin):
    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    has_add_permission = has_change_permission = has_view_permission


class AspectInline(MinistryOnlyMixin, admin.TabularInline):
    model = Aspect
    extra = 0
    fields = ["order", "name", "weight"]


class IndicatorInline(MinistryOnlyMixin, admin.TabularInline):
    model = Indicator
    extra = 0
    fields = ["order", "name", "weight", "source", "rubric"]


@admin.register(Instrument)
class InstrumentAdmin(MinistryOnlyMixin, admin.ModelAdmin):
    list_display = ["year", "name"]
    inlines = [AspectInline]


@admin.register(Aspect)
class AspectAdmin(MinistryOnlyMixin, admin.ModelAdmin):
    list_display = ["instrument", "order", "name", "weight"]
    list_filter = ["instrument"]
    inlines = [IndicatorInline]
