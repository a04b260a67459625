"""Tickets in the admin: read-only, with everything that happened to each one.

Tickets change only through ``queueing.tickets``; the admin is for looking.
"""

from __future__ import annotations

from django.contrib import admin

from satuatap.accounts.admin_base import MallScopedMixin
from satuatap.admin_rules import ReadOnlyMixin
from satuatap.queueing.models import Ticket, TicketEvent


class TicketEventInline(ReadOnlyMixin, admin.TabularInline):
    model = TicketEvent
    fields = ["at", "action", "counter", "actor", "from_service", "reason"]
    readonly_fields = fields
    ordering = ["at", "id"]
    extra = 0


@admin.register(Ticket)
class TicketAdmin(ReadOnlyMixin, MallScopedMixin, admin.ModelAdmin):
    inlines = [TicketEventInline]
    list_display = ["number", "day", "service", "status", "priority_group", "counter", "issued_at"]
    list_filter = ["status", "day", "source"]
    list_select_related = ["service__agency", "counter__agency"]
    search_fields = ["number", "public_code"]
    date_hierarchy = "day"
    readonly_fields = [
        "number",
        "public_code",
        "day",
        "service",
        "issued_service",
        "status",
        "priority_group",
        "source",
        "counter",
        "officer",
        "issued_at",
        "queued_at",
        "called_at",
        "started_at",
        "finished_at",
        "recall_count",
    ]
    fields = readonly_fields
