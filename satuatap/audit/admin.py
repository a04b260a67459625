"""The audit log in the admin: read-only, the manager sees their mall's entries."""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from satuatap.admin_rules import ReadOnlyMixin
from satuatap.audit.models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["at", "actor_name", "action_name", "subject_name"]
    list_filter = ["action"]
    search_fields = ["actor", "action", "subject"]
    date_hierarchy = "at"
    fields = ["at", "mall_id", "actor", "action", "subject", "data", "prev_hash", "hash"]
    readonly_fields = fields

    @admin.display(description=_("pelaku"), ordering="actor")
    def actor_name(self, obj):
        return obj.actor or "—"

    @admin.display(description=_("tindakan"), ordering="action")
    def action_name(self, obj):
        return obj.action

    @admin.display(description=_("subjek"))
    def subject_name(self, obj):
        return obj.subject

    def get_queryset(self, request):
        # accounts.admin_base.limit_to_mall's rule for a table without a tenancy rule, read from the
        # user alone (audit is a leaf and imports no app): the superuser sees all, a manager their mall.
        entries = super().get_queryset(request)
        user = request.user
        if user.is_superuser:
            return entries
        mall_id = getattr(user, "managed_mall_id", None)
        return entries.none() if mall_id is None else entries.filter(mall_id=mall_id)
