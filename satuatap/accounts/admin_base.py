"""What every admin page of satuatap shares: a manager sees and picks only their own mall's rows."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from satuatap.accounts.models import Role
from satuatap.accounts.scoping import scope
from satuatap.audit.log import record

# Models whose foreign keys in admin forms are limited to the manager's mall.
_MALL_OWNED = {"building", "zone", "agency", "service", "counter", "user"}


def limit_to_mall(user, queryset: QuerySet, mall_path: str = "mall") -> QuerySet:
    """The rows of ``queryset`` this admin user may see.

    ``accounts.scoping.scope`` decides where it has a rule; for the mall's
    other tables (buildings, zones, closures, audit) a manager sees their mall.
    """
    if user.is_superuser:
        return queryset
    try:
        return scope(user, queryset)
    except LookupError:
        pass
    if user.role != Role.MANAGER or user.mall_id is None:
        return queryset.none()
    return queryset.filter(**{mall_path: user.mall_id})


class ArchivedFilter(admin.SimpleListFilter):
    title = _("status arsip")
    parameter_name = "arsip"

    def lookups(self, request, model_admin):
        return [("aktif", _("Aktif")), ("diarsipkan", _("Diarsipkan"))]

    def queryset(self, request, queryset):
        if self.value() == "aktif":
            return queryset.filter(archived_at__isnull=True)
        if self.value() == "diarsipkan":
            return queryset.filter(archived_at__isnull=False)
        return queryset


class MallScopedMixin:
    """get_queryset through ``limit_to_mall``; the mall is fixed for managers; related choices stay in the mall."""

    mall_path = "mall"

    def get_queryset(self, request):
        return limit_to_mall(request.user, super().get_queryset(request), self.mall_path)

    def get_exclude(self, request, obj=None):
        exclude = list(super().get_exclude(request, obj) or [])
        if not request.user.is_superuser and self.mall_path == "mall":
            exclude.append("mall")
        return exclude

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if request.user.is_superuser:
            return fieldsets
        return [(name, {**opts, "fields": [f for f in opts["fields"] if f != "mall"]}) for name, opts in fieldsets]

    def save_model(self, request, obj, form, change):
        if not request.user.is_superuser and self.mall_path == "mall":
            obj.mall_id = request.user.mall_id
        super().save_model(request, obj, form, change)

    def _limit_related(self, request, field, formfield):
        if formfield is None or request.user.is_superuser:
            return formfield
        model = field.related_model
        if model._meta.model_name == "mall":
            formfield.queryset = formfield.queryset.filter(pk=request.user.mall_id)
        elif model._meta.model_name in _MALL_OWNED:
            formfield.queryset = formfield.queryset.filter(mall_id=request.user.mall_id)
        return formfield

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        return self._limit_related(request, db_field, super().formfield_for_foreignkey(db_field, request, **kwargs))

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        return self._limit_related(request, db_field, super().formfield_for_manytomany(db_field, request, **kwargs))


def mall_id_of(obj, mall_path: str) -> int | None:
    """The mall an admin row belongs to, following the admin's ``mall_path`` ("pk" for a mall itself)."""
    if mall_path == "pk":
        return obj.pk
    *hops, last = mall_path.split("__")
    for hop in hops:
        obj = getattr(obj, hop, None)
        if obj is None:
            return None
    return getattr(obj, f"{last}_id", None)


class AuditedAdminMixin:
    """Every add, change and delete made in this admin writes an audit entry, in the admin's own transaction.

    The entry names the row and the fields (and inline tables) that changed, never their values: a value
    may be personal data, and the row's history (simple-history) keeps the values where there is one.
    """

    mall_path = "mall"

    def _audit(self, request, obj, action: str, fields: list[str]) -> None:
        meta = obj._meta
        record(
            f"admin.{action}",
            actor=request.user,
            mall_id=mall_id_of(obj, self.mall_path),
            subject=f"{meta.app_label}.{meta.model_name}:{obj.pk}",
            data={"object": str(obj)[:120], "fields": fields},
        )

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        changed = list(form.changed_data)
        changed += [formset.model._meta.model_name for formset in formsets if formset.has_changed()]
        if changed or not change:
            self._audit(request, form.instance, "changed" if change else "added", changed)

    def delete_model(self, request, obj):
        self._audit(request, obj, "deleted", [])
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self._audit(request, obj, "deleted", [])
        super().delete_queryset(request, queryset)
