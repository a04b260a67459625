"""Forms of the public booking pages: shape checks only.

Whether a NIK or a phone number is valid, whether the slot is free, and every
anti-hoarding rule are answered by ``booking.bookings`` (one place, shared
with the API); these forms only refuse what is missing or too long.
"""

from __future__ import annotations

import secrets

from django import forms
from django.utils.translation import gettext_lazy as _

from satuatap.booking.bookings import NAME_MAX


def new_idempotency_key() -> str:
    """A fresh key for one rendered booking form: a repeated submit of that form books once."""
    return secrets.token_urlsafe(18)


class _Plain(forms.Form):
    """Messages in Bahasa Indonesia for the two checks every field here has."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.error_messages["required"] = _("Wajib diisi.")
            field.error_messages["max_length"] = _("Terlalu panjang.")


class BookingForm(_Plain):
    nik = forms.CharField(
        label=_("NIK (16 digit, sesuai KTP-el/KK)"),
        max_length=32,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "pattern": "[0-9 ]*"}),
    )
    name = forms.CharField(
        label=_("Nama lengkap"), max_length=NAME_MAX, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    phone = forms.CharField(
        label=_("Nomor HP (WhatsApp/SMS)"),
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    consent = forms.BooleanField(
        label=_(
            "Saya setuju NIK, nama dan nomor HP saya dipakai hanya untuk pemesanan ini dan pemberitahuannya "
            "(UU 27/2022 tentang Pelindungan Data Pribadi)."
        ),
    )
    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Set after _Plain's "Wajib diisi.", which would overwrite a message given on the field.
        self.fields["consent"].error_messages["required"] = _(
            "Centang persetujuan penggunaan data pribadi untuk melanjutkan."
        )


class NikForm(_Plain):
    """Cancel or reschedule: the citizen proves the booking is theirs with the NIK."""

    nik = forms.CharField(
        label=_("NIK pemesan"),
        max_length=32,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
