"""Personal data: keyed hashes, encryption, masks, phone numbers, audited reveal."""

import pytest
from cryptography.fernet import Fernet
from django.test import override_settings

from satuatap import personal_data as pd
from satuatap.audit.log import verify_chain
from satuatap.audit.models import AuditEntry
from satuatap.audit.reveal import reveal


def test_hash_is_keyed_stable_and_separates_kinds():
    nik = "1471011203900001"
    assert pd.hash_value("nik", nik) == pd.hash_value("nik", f" {nik} ")
    assert len(pd.hash_value("nik", nik)) == 64 and nik not in pd.hash_value("nik", nik)
    assert pd.hash_value("nik", nik) != pd.hash_value("phone", nik)
    with override_settings(PERSONAL_DATA_HASH_KEY="another-key"):
        assert pd.hash_value("nik", nik) != pd.hash_value("nik", "1471011203900002")
        other = pd.hash_value("nik", nik)
    assert other != pd.hash_value("nik", nik)
    with pytest.raises(ValueError):
        pd.hash_value("email", "x")


def test_phone_forms_hash_alike():
    assert len({pd.hash_value("phone", p) for p in ["081234567890", "+62 812-3456-7890", "6281234567890"]}) == 1


def test_encrypt_round_trip_and_key_from_environment():
    token = pd.encrypt("1471011203900001")
    assert "1471011203900001" not in token
    assert pd.decrypt(token) == "1471011203900001"
    assert pd.encrypt("x") != pd.encrypt("x")  # random IV
    key = Fernet.generate_key().decode()
    with override_settings(PERSONAL_DATA_ENCRYPTION_KEY=key):
        mine = pd.encrypt("rahasia")
        assert pd.decrypt(mine) == "rahasia"
        with pytest.raises(ValueError):
            pd.decrypt(token)  # made with the derived demo key
    rotated = f"{Fernet.generate_key().decode()},{key}"
    with override_settings(PERSONAL_DATA_ENCRYPTION_KEY=rotated):
        assert pd.decrypt(mine) == "rahasia"  # old rows stay readable after rotation


def test_masks():
    assert pd.mask_nik("1471011203900001") == "1471**********01"
    assert pd.mask_phone("081234567890") == "0812******90"
    assert pd.mask_phone("+62 812 3456 7890") == "0812******90"
    assert pd.mask_nik("123") == "***"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("081234567890", "081234567890"),
        ("+6281234567890", "081234567890"),
        ("62 812-3456-7890", "081234567890"),
        ("(0812) 3456.7890", "081234567890"),
        ("81234567890", "081234567890"),
        ("0812345678", "0812345678"),
        ("0812345678901", "0812345678901"),
    ],
)
def test_normalise_phone(raw, expected):
    assert pd.normalise_phone(raw) == expected


@pytest.mark.parametrize("raw", ["", "0812abc", "021234567", "+1 555 1234567", "081234567", "08123456789012"])
def test_bad_phone_numbers_are_refused_in_indonesian(raw):
    with pytest.raises(ValueError, match="HP"):
        pd.normalise_phone(raw)


@pytest.mark.django_db
def test_reveal_decrypts_and_writes_the_audit_log(world):
    from satuatap.booking.tests.conftest import NOW, book, make_bookable, tomorrow_slot

    make_bookable(world)
    service = world.services["DUKCAPIL-KTP"]
    booking = book(service, tomorrow_slot(service), nik="1471011203900001", phone="081234567890")
    manager = world.users["manager"]
    with pytest.raises(ValueError):
        reveal(booking, "nik", actor=manager, reason="  ")
    assert not AuditEntry.objects.filter(action="personal_data.reveal").exists()
    assert reveal(booking, "nik", actor=manager, reason="Verifikasi pengaduan") == "1471011203900001"
    assert reveal(booking, "phone", actor=manager, reason="Menghubungi pemohon") == "081234567890"
    entries = list(AuditEntry.objects.filter(action="personal_data.reveal").order_by("id"))
    assert [(e.actor, e.mall_id, e.subject, e.data) for e in entries] == [
        (
            "manager",
            world.mall.pk,
            f"booking:{booking.code}",
            {"field": "nik", "reason": "Verifikasi pengaduan"},
        ),
        (
            "manager",
            world.mall.pk,
            f"booking:{booking.code}",
            {"field": "phone", "reason": "Menghubungi pemohon"},
        ),
    ]
    assert verify_chain()
    assert NOW  # the booking was made at the fixed test time
