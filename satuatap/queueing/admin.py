"""Tickets in the admin: read-only, with everything that happened to each one.

Tickets change only through ``queueing.tickets``; the admin is for looking.
"""

from __future__ import annotations

from django.contrib import admin
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from satuatap.accounts.admin_base import MallScopedMixin
from satuatap.admin_rules import ReadOnlyMixin
from satuatap.queueing.admin_paging import EstimatedCountPaginator
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
    # Millions of tickets (issue 9): the day filter is a range on the indexed local day (no date
    # hierarchy: it reads every row's year first), the search an exact, indexed lookup, the paging
    # never counts the whole table.
    list_filter = ["status", "day", "source"]
    list_select_related = ["service__agency", "counter__agency"]
    search_fields = ["number", "public_code"]
    search_help_text = _("Nomor tiket (mis. A012) atau kode tiket, persis.")
    paginator = EstimatedCountPaginator
    list_per_page = 50  # rendering the rows is most of the page's time once the queries are index reads
    show_full_result_count = False
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

    def get_search_results(self, request, queryset, search_term):
        """A number (any case) or a public code, exactly: an index lookup, never a scan for a part of it."""
        term = search_term.strip()
        if not term:
            return queryset, False
        return queryset.filter(Q(number=term.upper()) | Q(public_code=term)), False
