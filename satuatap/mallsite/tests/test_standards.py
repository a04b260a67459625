"""The mall's maklumat pelayanan and the printable standard poster per service (public, no sign-in)."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from satuatap.directory.models import Counter, Mall
from satuatap.directory.services import archive
from satuatap.project.management.commands.demo import manager_permissions
from satuatap.qr import qr_svg

PROMISE = (
    "Dengan ini, kami menyatakan sanggup menyelenggarakan pelayanan sesuai standar pelayanan yang telah "
    "ditetapkan dan apabila tidak menepati janji ini, kami siap menerima sanksi sesuai peraturan "
    "perundang-undangan yang berlaku."
)
COMPONENTS = [
    "Persyaratan",
    "Sistem, mekanisme dan prosedur",
    "Jangka waktu penyelesaian",
    "Biaya/tarif",
    "Produk pelayanan",
    "Penanganan pengaduan, saran dan masukan",
]


@pytest.fixture
def promised(world):
    world.mall.maklumat = PROMISE
    world.mall.maklumat_signed_by = "Kepala DPMPTSP Kota Pekanbaru"
    world.mall.save()
    return world


def poster(client, code):
    return client.get(reverse("service_poster", args=["pekanbaru", code]))


def test_maklumat_page_shows_the_promise_and_who_signed_it(client, promised):
    page = client.get(reverse("maklumat", args=["pekanbaru"]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Maklumat pelayanan" in html
    assert "siap menerima sanksi sesuai peraturan" in html
    assert "Kepala DPMPTSP Kota Pekanbaru" in html


def test_maklumat_page_links_every_live_service_standard_and_poster(client, promised):
    archive(promised.services["POLRESTA-SKCK"])
    html = client.get(reverse("maklumat", args=["pekanbaru"])).content.decode()
    for code in ["DUKCAPIL-KTP", "DUKCAPIL-KK", "IMIGRASI-PASPOR"]:
        assert reverse("service_standard", args=["pekanbaru", code]) in html
        assert reverse("service_poster", args=["pekanbaru", code]) in html
    assert "Kantor Imigrasi Kelas I TPI Pekanbaru" in html
    assert reverse("service_standard", args=["pekanbaru", "POLRESTA-SKCK"]) not in html


def test_maklumat_page_says_so_when_the_mall_has_none_yet(client, world):
    html = client.get(reverse("maklumat", args=["pekanbaru"])).content.decode()
    assert "Maklumat pelayanan belum dicantumkan." in html


def test_mall_home_and_service_standard_link_the_maklumat_and_the_poster(client, world):
    home = client.get(reverse("mall_home", args=["pekanbaru"])).content.decode()
    assert reverse("maklumat", args=["pekanbaru"]) in home
    standard = client.get(reverse("service_standard", args=["pekanbaru", "IMIGRASI-PASPOR"])).content.decode()
    assert reverse("service_poster", args=["pekanbaru", "IMIGRASI-PASPOR"]) in standard


def test_poster_lays_out_the_six_components_and_says_a_free_service_is_free(client, promised):
    page = poster(client, "DUKCAPIL-KTP")
    assert page.status_code == 200
    html = page.content.decode()
    assert "KTP-el baru" in html
    positions = [html.index(label) for label in COMPONENTS]
    assert positions == sorted(positions)
    assert "Gratis / Rp 0" in html
    assert "KTP-el asli" in html and "1 hari kerja" in html and "Meja pengaduan MPP" in html


def test_poster_of_a_paid_service_shows_its_fee(client, promised):
    html = poster(client, "IMIGRASI-PASPOR").content.decode()
    assert "Rp 350.000" in html
    assert "Gratis / Rp 0" not in html


def test_poster_shows_the_counters_serving_the_service(client, promised):
    Counter.objects.create(
        mall=promised.mall, building=promised.counters[3].building, agency=promised.agencies["IMIGRASI"], number=7
    ).services.set([promised.services["IMIGRASI-PASPOR"]])
    html = poster(client, "IMIGRASI-PASPOR").content.decode()
    assert "Dilayani di loket" in html
    assert "Gedung MPP</strong>: 3, 7" in html


def test_poster_has_a_qr_code_to_the_standard_page_print_css_and_a_print_button(client, promised):
    html = poster(client, "DUKCAPIL-KTP").content.decode()
    assert "<svg" in html and "<?xml" not in html
    assert "directory/poster.css" in html
    assert '<button type="button" class="btn" data-print>' in html and "Cetak" in html
    assert "directory/print-button.js" in html  # prints on click, without an inline handler (CSP)
    page_url = "http://testserver" + reverse("service_standard", args=["pekanbaru", "DUKCAPIL-KTP"])
    assert qr_svg(page_url) in html  # the QR encodes the standard page's address
    assert page_url in html  # and the address is printed under it


def test_poster_ends_with_the_mall_maklumat(client, promised):
    html = poster(client, "POLRESTA-SKCK").content.decode()
    assert html.index("Penanganan pengaduan") < html.index("siap menerima sanksi sesuai peraturan")
    assert "Kepala DPMPTSP Kota Pekanbaru" in html


def test_poster_print_css_is_one_a4_portrait_page_and_hides_the_button():
    from django.contrib.staticfiles import finders

    css = open(finders.find("directory/poster.css"), encoding="utf-8").read()
    assert "@page { size: A4; margin: 12mm; }" in css
    assert ".no-print { display: none !important; }" in css


def test_poster_of_an_archived_unknown_or_foreign_service_is_not_found(client, world):
    archive(world.services["POLRESTA-SKCK"])
    assert poster(client, "POLRESTA-SKCK").status_code == 404
    assert poster(client, "TIDAK-ADA").status_code == 404
    archive(world.agencies["IMIGRASI"])
    assert poster(client, "IMIGRASI-PASPOR").status_code == 404
    assert client.get(reverse("service_poster", args=["tidak-ada", "DUKCAPIL-KTP"])).status_code == 404
    assert client.get(reverse("maklumat", args=["tidak-ada"])).status_code == 404


def test_maklumat_of_an_archived_mall_is_not_found(client, world):
    archive(world.mall)
    assert client.get(reverse("maklumat", args=["pekanbaru"])).status_code == 404


@pytest.mark.django_db
def test_demo_mall_has_a_maklumat_in_the_standard_form():
    call_command("demo", stdout=StringIO())
    mall = Mall.objects.get(slug="pekanbaru")
    assert PROMISE in mall.maklumat
    assert mall.maklumat_signed_by == "Kepala DPMPTSP Kota Pekanbaru"


def test_manager_edits_the_maklumat_and_its_signatory_in_the_admin(client, world):
    manager = world.users["manager"]
    manager.is_staff = True
    manager.save()
    manager.user_permissions.set(manager_permissions())
    client.force_login(manager)
    html = client.get(reverse("admin:directory_mall_change", args=[world.mall.pk])).content.decode()
    assert 'name="maklumat"' in html and 'name="maklumat_signed_by"' in html
    assert "Maklumat pelayanan" in html
