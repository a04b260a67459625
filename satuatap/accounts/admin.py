"""Admin for accounts and device/API tokens.

A manager manages the people and devices of their own mall; raw tokens are
shown once, on issue, and the stored hash is never shown.
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db import transaction
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from satuatap.accounts.admin_base import AuditedAdminMixin, MallScopedMixin, limit_to_mall
from satuatap.accounts.models import ApiToken, Role, User
from satuatap.accounts.pairing import new_code, normalise
from satuatap.accounts.tokens import bind_counter, issue_token, revoke_token
from satuatap.admin_rules import NoDeleteMixin
from satuatap.audit.log import record
from satuatap.directory.models import Counter
from satuatap.qr import qr_svg

# Roles that read across every mall.
NATIONAL_ROLES = (Role.MINISTRY, Role.EVALUATOR)

_PEOPLE = (_("Peran dan tempat tugas"), {"fields": ["role", "mall", "agency"]})


@admin.register(User)
class UserAdmin(AuditedAdminMixin, MallScopedMixin, BaseUserAdmin):
    list_display = ["username", "first_name", "role", "agency", "is_active", "last_login"]
    list_filter = ["role", "is_active", ("agency", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["agency"]
    search_fields = ["username", "first_name", "last_name", "email"]
    fieldsets = [
        (None, {"fields": ["username", "password"]}),
        (_("Data diri"), {"fields": ["first_name", "last_name", "email"]}),
        _PEOPLE,
        (_("Hak akses"), {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]}),
        (_("Evaluasi"), {"fields": ["evaluated_malls"]}),
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
        # A manager cannot grant admin rights or permissions, nor pick the malls an evaluator scores.
        hidden = {"is_staff", "is_superuser", "groups", "user_permissions", "evaluated_malls"}
        return [(name, {**opts, "fields": [f for f in opts["fields"] if f not in hidden]}) for name, opts in fieldsets]

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        if not request.user.is_superuser and "role" in form.base_fields:
            # The ministry and the evaluator read across malls: only the installation's superuser names them.
            # A manager names no other manager (an existing one keeps the role on a change).
            form.base_fields["role"].choices = [
                c for c in Role.choices if c[0] not in NATIONAL_ROLES and (c[0] != Role.MANAGER or obj is not None)
            ]
        return form

    def has_delete_permission(self, request, obj=None):
        # People are deactivated, not deleted: their tickets and audit entries keep their name.
        return request.user.is_superuser

    def user_change_password(self, request, id, form_url=""):
        """The admin's password page of another person: a password set (or sign-in by password switched off)
        leaves an audit entry in the same transaction. Never the password, only who did it to whom."""
        with transaction.atomic():
            response = super().user_change_password(request, id, form_url)
            if request.method == "POST" and response.status_code == 302:  # saved; a refused form answers 200
                user = User.objects.get(pk=id)
                _audit_password_change(request.user, user, by="admin", usable=user.has_usable_password())
        return response


def _audit_password_change(actor, user, *, by: str, usable: bool) -> None:
    record(
        "accounts.password_changed",
        actor=actor,
        mall_id=user.mall_id,
        subject=f"accounts.user:{user.pk}",
        data={"user": user.username, "by": by, "usable": usable},
    )


def _audited_own_password_change(view):
    """The admin site's own "change my password" page (``admin:password_change``), audited the same way."""

    def password_change(request, extra_context=None):
        with transaction.atomic():
            response = view(request, extra_context)
            if request.method == "POST" and response.status_code == 302:
                _audit_password_change(request.user, request.user, by="self", usable=True)
        return response

    return password_change


# The site's URLs are built after the admin modules are imported (urls.py reads ``admin.site.urls``), so the
# wrapped view is the one they route to. It is the only password change a person can make themselves.
admin.site.password_change = _audited_own_password_change(admin.site.password_change)


class IssueTokenForm(forms.ModelForm):
    class Meta:
        model = ApiToken
        fields = ["user", "label", "zone", "counter"]

    def clean(self):
        data = super().clean()
        user, zone, counter = data.get("user"), data.get("zone"), data.get("counter")
        if user is None:
            return data
        if user.role == Role.DISPLAY and zone is None:
            self.add_error("zone", _("Token papan tampilan harus terikat pada satu zona."))
        if zone is not None and zone.mall_id != user.mall_id:
            self.add_error("zone", _("Zona ini milik mal lain."))
        if counter is not None and user.role != Role.KIOSK:
            self.add_error("counter", _("Hanya perangkat anjungan yang dapat menjadi tablet survei loket."))
        elif counter is not None and counter.mall_id != user.mall_id:
            self.add_error("counter", _("Loket ini milik mal lain."))
        return data


@admin.register(ApiToken)
class ApiTokenAdmin(NoDeleteMixin, MallScopedMixin, admin.ModelAdmin):
    mall_path = "user__mall"
    form = IssueTokenForm
    list_display = ["prefix_hint", "label", "user", "zone", "counter", "created_at", "revoked_at"]
    list_filter = [("revoked_at", admin.EmptyFieldListFilter), ("zone", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["user", "zone", "counter"]
    search_fields = ["label", "user__username", "prefix"]
    actions = ["pair_selected", "revoke_selected"]

    @admin.display(description=_("awal token"))
    def prefix_hint(self, obj):
        return f"sat_{obj.prefix}…"

    def get_readonly_fields(self, request, obj=None):
        if obj is not None:
            return ["user", "zone", "counter", "prefix_hint", "created_at", "revoked_at"]
        return []

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["user", "label", "zone", "counter"]
        return ["prefix_hint", "user", "label", "zone", "counter", "created_at", "revoked_at"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "counter" and field is not None:
            field.queryset = limit_to_mall(request.user, Counter.objects.active()).select_related("agency")
        if db_field.name == "user" and field is not None:
            field.queryset = limit_to_mall(request.user, User.objects.all()).filter(
                role__in=[Role.KIOSK, Role.DISPLAY, Role.SYSTEM], is_active=True
            )
        return field

    def save_model(self, request, obj, form, change):
        if change:
            with transaction.atomic():
                ApiToken.objects.filter(pk=obj.pk).update(label=obj.label)
                record(
                    "token.relabelled",
                    actor=request.user,
                    mall_id=obj.user.mall_id,
                    subject=obj.user.username,
                    data={"token": obj.pk, "label": obj.label},
                )
            return
        token, raw = issue_token(obj.user, label=obj.label, zone=obj.zone, actor=request.user)
        token = ApiToken.objects.select_related("user").get(pk=token.pk)
        obj.pk, obj.key_hash, obj.prefix, obj.created_at = token.pk, token.key_hash, token.prefix, token.created_at
        if obj.counter_id:
            bind_counter(token, obj.counter, actor=request.user)
        if token.user.role in (Role.KIOSK, Role.DISPLAY):
            self._show_pairing_code(request, token)
        else:  # an agency system keeps its bearer token; it never signs in through /device/
            messages.warning(
                request, _("Token baru (hanya ditampilkan sekali, simpan sekarang): %(raw)s") % {"raw": raw}
            )

    def _show_pairing_code(self, request, token):
        _row, code = new_code(token, actor=request.user)
        link = request.build_absolute_uri(reverse("device_sign_in") + "?code=" + normalise(code))
        text = _(
            "Kode pemasangan perangkat %(label)s: %(code)s (sekali pakai, berlaku %(minutes)d menit). "
            "Buka %(url)s di perangkat lalu ketik kode ini, atau pindai kode QR."
        ) % {
            "label": token.label or token.user.username,
            "code": code,
            "minutes": settings.DEVICE_PAIRING_MINUTES,
            "url": request.build_absolute_uri(reverse("device_sign_in")),
        }
        messages.warning(request, format_html("{}<br>{}", text, mark_safe(qr_svg(link))))  # noqa: S308 (our SVG)

    @admin.action(description=_("Buat kode pemasangan baru"), permissions=["change"])
    def pair_selected(self, request, queryset):
        live = list(
            queryset.filter(revoked_at__isnull=True, user__role__in=[Role.KIOSK, Role.DISPLAY]).select_related("user")
        )
        for token in live:
            self._show_pairing_code(request, token)
        if not live:
            self.message_user(request, _("Tidak ada token perangkat aktif yang dipilih."), messages.ERROR)

    @admin.action(description=_("Cabut token"), permissions=["change"])
    def revoke_selected(self, request, queryset):
        live = list(queryset.filter(revoked_at__isnull=True).select_related("user"))
        for token in live:
            revoke_token(token, actor=request.user)
        self.message_user(
            request, ngettext("%(n)d token dicabut.", "%(n)d token dicabut.", len(live)) % {"n": len(live)}
        )
