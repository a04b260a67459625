"""The workflow of each service, edited by the mall manager (or the agency supervisor) in the admin.

A state that still holds cases cannot be deleted: its foreign key is ``PROTECT``, so the admin's
inline refuses the deletion and names the cases (``services.retire_state`` moves them first).
After a save the admin warns about states a case could enter but never leave.
"""

from django.contrib import admin, messages
from django.utils.translation import gettext as _

from satuatap.accounts.admin_base import MallScopedMixin
from satuatap.admin_rules import NoDeleteMixin
from satuatap.cases.models import Workflow, WorkflowAction, WorkflowState
from satuatap.cases.workflows import stranded_states


class StateInline(admin.TabularInline):
    model = WorkflowState
    extra = 0
    fields = ["order", "code", "label", "kind", "time_limit_days", "citizen_next_step"]


class ActionInline(admin.TabularInline):
    model = WorkflowAction
    extra = 0
    fields = ["code", "label", "from_state", "to_state", "roles", "note_required"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        workflow_id = request.resolver_match.kwargs.get("object_id") if request.resolver_match else None
        if db_field.name in ("from_state", "to_state") and workflow_id:
            field.queryset = field.queryset.filter(workflow_id=workflow_id)
        return field


@admin.register(Workflow)
class WorkflowAdmin(NoDeleteMixin, MallScopedMixin, admin.ModelAdmin):
    mall_path = "service__mall"
    list_display = ["service", "completion_working_days"]
    search_fields = ["service__name", "service__code"]
    inlines = [StateInline, ActionInline]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        stranded = stranded_states(form.instance)
        if stranded:
            message = _("Tahap tanpa tindakan keluar (berkas bisa tertahan): %(codes)s.") % {
                "codes": ", ".join(stranded)
            }
            messages.warning(request, message)
