"""Admin for accounts and device/API tokens.

A manager manages the people and devices of their own mall; raw tokens are
shown once, on issue, and the stored hash is never shown.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from satuatap.accounts.admin_base import MallScopedMixin, limit_to_mall
from satuatap.accounts.models import ApiToken, Role, User
from satuatap.accounts.tokens import issue_token, revoke_token
from satuatap.admin_rules import NoDeleteMixin

_PEOPLE = (_("Peran dan tempat tugas"), {"fields": ["role", "mall", "agency"]})


@admin.register(User)
class UserAdmin(MallScopedMixin, BaseUserAdmin):
    list_display = ["username", "first_name", "role", "agency", "is_active", "last_login"]
    list_filter = ["role", "is_active", ("agency", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["agency"]
    search_fields = ["username", "first_name", "last_name", "email"]
    fieldsets = [
        (None, {"fields": ["username", "password"]}),
        (_("Data diri"), {"fields": ["first_name", "last_name", "email"]}),
        _PEOPLE,
        (_("Hak akses"), {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]}),
        (_("Waktu penting"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["username", "usable_password", "password1", "password2"]}),
        _PEOPLE,
    ]
    readonly_fields = ["last_login", "date_joined"]

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if request.user.is_superuser:
            return fieldsets
        # A manager cannot grant admin rights or permissions.
        hidden = {"is_staff", "is_superuser", "groups", "user_permissions"}
        return [(name, {**opts, "fields": [f for f in opts["fields"] if f not in hidden]}) for name, opts in fieldsets]

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        if not request.user.is_superuser and "role" in form.base_fields:
            form.base_fields["role"].choices = [c for c in Role.choices if c[0] != Role.MANAGER or obj is not None]
        return form

    def has_delete_permission(self, request, obj=None):
        # People are deactivated, not deleted: their tickets and audit entries keep their name.
        return request.user.is_superuser


class IssueTokenForm(forms.ModelForm):
    class Meta:
        model = ApiToken
        fields = ["user", "label", "zone"]

    def clean(self):
        data = super().clean()
        user, zone = data.get("user"), data.get("zone")
        if user is None:
            return data
        if user.role == Role.DISPLAY and zone is None:
            self.add_error("zone", _("Token papan tampilan harus terikat pada satu zona."))
        if zone is not None and zone.mall_id != user.mall_id:
            self.add_error("zone", _("Zona ini milik mal lain."))
        return data


@admin.register(ApiToken)
class ApiTokenAdmin(NoDeleteMixin, MallScopedMixin, admin.ModelAdmin):
    mall_path = "user__mall"
    form = IssueTokenForm
    list_display = ["prefix_hint", "label", "user", "zone", "created_at", "revoked_at"]
    list_filter = [("revoked_at", admin.EmptyFieldListFilter), ("zone", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["user", "zone"]
    search_fields = ["label", "user__username", "prefix"]
    actions = ["revoke_selected"]

    @admin.display(description=_("awal token"))
    def prefix_hint(self, obj):
        return f"sat_{obj.prefix}…"

    def get_readonly_fields(self, request, obj=None):
        if obj is not None:
            return ["user", "zone", "prefix_hint", "created_at", "revoked_at"]
        return []

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["user", "label", "zone"]
        return ["prefix_hint", "user", "label", "zone", "created_at", "revoked_at"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "user" and field is not None:
            field.queryset = limit_to_mall(request.user, User.objects.all()).filter(
                role__in=[Role.KIOSK, Role.DISPLAY, Role.SYSTEM], is_active=True
            )
        return field

    def save_model(self, request, obj, form, change):
        if change:
            ApiToken.objects.filter(pk=obj.pk).update(label=obj.label)
            return
        token, raw = issue_token(obj.user, label=obj.label, zone=obj.zone, actor=request.user)
        obj.pk, obj.key_hash, obj.prefix, obj.created_at = token.pk, token.key_hash, token.prefix, token.created_at
        device_url = request.build_absolute_uri(reverse("device_sign_in") + f"?token={raw}")
        messages.warning(
            request,
            _("Token baru (hanya ditampilkan sekali, simpan sekarang): %(raw)s · Tautan masuk perangkat: %(url)s")
            % {"raw": raw, "url": device_url},
        )

    @admin.action(description=_("Cabut token"), permissions=["change"])
    def revoke_selected(self, request, queryset):
        live = list(queryset.filter(revoked_at__isnull=True).select_related("user"))
        for token in live:
            revoke_token(token, actor=request.user)
        self.message_user(
            request, ngettext("%(n)d token dicabut.", "%(n)d token dicabut.", len(live)) % {"n": len(live)}
        )
