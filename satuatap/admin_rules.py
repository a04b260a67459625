"""Admin permission rules shared by every app's admin (the library: imports no app).

Rows that are archived, lifted or revoked are never deleted; logs and histories are never
edited. Django's admin then also drops "delete selected" from the list's actions.
"""

from __future__ import annotations


class NoDeleteMixin:
    """Rows that are archived, lifted or revoked, never deleted."""

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyMixin(NoDeleteMixin):
    """A log or history: shown, never added, changed or deleted in the admin."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False
