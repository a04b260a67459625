"""The public mall page and each service's published standard (phone first, no sign-in)."""

import pytest
from django.urls import reverse

from satuatap.directory.services import archive, close
from satuatap.queueing.tickets import issue_ticket

# Tickets issued and shown or called through code that reads the clock: it starts at MONDAY_MORNING,
# so no local midnight passes during a test (see "Time in tests" in docs/architecture.md).
pytestmark = pytest.mark.usefixtures("monday_morning")


def test_mall_home_lists_agencies_by_zone_with_their_services_and_links(client, world):
    page = client.get(reverse("mall_home", args=["pekanbaru"]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "MPP Pekanbaru" in html
    assert html.index("Zona A Disdukcapil") < html.index("Dinas Kependudukan") < html.index("Zona B Imigrasi")
    assert "KTP-el baru" in html and "Paspor baru 48 halaman" in html and "Polresta Pekanbaru" in html
    assert reverse("service_standard", args=["pekanbaru", "IMIGRASI-PASPOR"]) in html
    assert reverse("kiosk", args=["pekanbaru"]) in html
    assert reverse("display", args=["pekanbaru", "A"]) in html and reverse("display", args=["pekanbaru", "B"]) in html
    assert "Buka sekarang" in html
    assert "Jam layanan hari ini" in html and "00:00–23:59" in html


def test_mall_home_says_why_a_paused_service_is_closed(client, world):
    close(world.mall, "Jaringan SIMKIM terganggu", service=world.services["IMIGRASI-PASPOR"])
    html = client.get(reverse("mall_home", args=["pekanbaru"])).content.decode()
    assert "Ditutup sementara: Jaringan SIMKIM terganggu" in html
    assert "Buka sekarang" in html  # the rest of the mall is open


def test_mall_home_says_the_mall_is_closed_and_why(client, world):
    close(world.mall, "Gedung dievakuasi")
    html = client.get(reverse("mall_home", args=["pekanbaru"])).content.decode()
    assert "Tutup" in html and "Gedung dievakuasi" in html and "Buka sekarang" not in html


def test_mall_home_hides_archived_agencies(client, world):
    archive(world.agencies["POLRESTA"])
    html = client.get(reverse("mall_home", args=["pekanbaru"])).content.decode()
    assert "Polresta Pekanbaru" not in html and "SKCK baru" not in html


def test_unknown_mall_is_a_404(client, db):
    assert client.get(reverse("mall_home", args=["atlantis"])).status_code == 404


def test_service_standard_shows_the_six_components_counters_and_waiting(client, world):
    service = world.services["DUKCAPIL-KTP"]
    issue_ticket(service)
    issue_ticket(service)
    page = client.get(reverse("service_standard", args=["pekanbaru", "DUKCAPIL-KTP"]))
    assert page.status_code == 200
    html = page.content.decode()
    for label in [
        "Persyaratan",
        "Sistem, mekanisme dan prosedur",
        "Jangka waktu penyelesaian",
        "Biaya/tarif",
        "Produk pelayanan",
        "Penanganan pengaduan, saran dan masukan",
    ]:
        assert label in html
    assert "KTP-el asli" in html and "1 hari kerja" in html and "Meja pengaduan MPP" in html
    assert "Gratis / Rp 0" in html
    assert "Gedung Disdukcapil" in html and "1, 2" in html
    assert page.context["waiting"] == 2


@pytest.mark.parametrize("fee", ["", "Rp 0", "gratis"])
def test_a_free_service_says_gratis_rp_0(client, world, fee):
    service = world.services["POLRESTA-SKCK"]
    service.fee = fee
    service.save()
    html = client.get(reverse("service_standard", args=["pekanbaru", "POLRESTA-SKCK"])).content.decode()
    assert "Gratis / Rp 0" in html


def test_a_paid_service_shows_its_fee(client, world):
    html = client.get(reverse("service_standard", args=["pekanbaru", "IMIGRASI-PASPOR"])).content.decode()
    assert "Rp 350.000" in html and "Gratis / Rp 0" not in html


def test_service_standard_shows_a_pause_with_its_reason(client, world):
    close(world.mall, "Server SIMKIM sedang perbaikan", service=world.services["IMIGRASI-PASPOR"])
    html = client.get(reverse("service_standard", args=["pekanbaru", "IMIGRASI-PASPOR"])).content.decode()
    assert "Server SIMKIM sedang perbaikan" in html and "Buka sekarang" not in html


def test_unknown_or_archived_service_is_a_404(client, world):
    assert client.get(reverse("service_standard", args=["pekanbaru", "TIDAK-ADA"])).status_code == 404
    archive(world.services["POLRESTA-SKCK"])
    assert client.get(reverse("service_standard", args=["pekanbaru", "POLRESTA-SKCK"])).status_code == 404


def test_mall_home_is_cheap_to_render(client, world, django_assert_max_num_queries):
    with django_assert_max_num_queries(12):
        client.get(reverse("mall_home", args=["pekanbaru"]))
