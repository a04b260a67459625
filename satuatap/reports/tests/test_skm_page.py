import pytest
from django.urls import reverse

from satuatap.feedback.tests.conftest import answered

# Moved out of feedback/tests, whose conftest starts every test at MONDAY_MORNING: they keep that clock
# (answers are summed for "this month", so no month may end during a test).
pytestmark = pytest.mark.usefixtures("monday_morning")


def report(client, world, persona, **params):
    client.force_login(world.users[persona])
    return client.get(reverse("skm_report", args=[world.mall.slug]), params)


def test_manager_sees_the_malls_ikm_nrr_table_and_the_exact_weight(client, world):
    answered(world, [4] * 9)
    answered(world, [2] * 9, code="IMIGRASI-PASPOR")
    html = report(client, world, "manager").content.decode()
    assert 'id="skm-ikm">75,00<' in html
    assert "Kurang Baik" in html and "2 / 2" in html and "Sampel tercapai" in html
    assert "3,0000" in html and "Penanganan pengaduan, saran dan masukan" in html
    assert "tepat 1/9" in html and "bukan dibulatkan 0,111" in html


def test_supervisor_sees_only_their_agency(client, world):
    answered(world, [4] * 9)
    answered(world, [2] * 9, code="IMIGRASI-PASPOR")
    html = report(client, world, "sup_imigrasi").content.decode()
    assert 'id="skm-ikm">50,00<' in html
    assert "Dinas Kependudukan" not in html
    assert report(client, world, "sup_imigrasi", agency="DUKCAPIL").status_code == 404
    assert report(client, world, "sup_imigrasi", service="DUKCAPIL-KTP").status_code == 404


def test_period_selector_and_bad_input(client, world):
    answered(world, [4] * 9)
    for period in ("month", "quarter", "semester", "year"):
        assert 'id="skm-ikm">100,00<' in report(client, world, "manager", period=period).content.decode()
    old = report(client, world, "manager", period="custom", **{"from": "2020-01-01", "to": "2020-12-31"})
    assert 'id="skm-ikm">—<' in old.content.decode()
    bad = report(client, world, "manager", period="custom", **{"from": "x", "to": "2020-01-01"})
    assert bad.status_code == 200 and "tidak sah" in bad.content.decode()
    assert report(client, world, "manager", period="abad").status_code == 200


def test_officers_devices_and_anonymous_are_kept_out(client, world):
    assert report(client, world, "officer1").status_code == 404
    assert report(client, world, "kiosk").status_code == 404
    client.logout()
    assert client.get(reverse("skm_report", args=[world.mall.slug])).status_code == 302


def test_the_report_counts_answers_by_where_they_came_from(client, world):
    answered(world, [4] * 9, source="tablet")
    answered(world, [4] * 9, source="tablet")
    answered(world, [3] * 9, source="tautan")
    answered(world, [3] * 9, source="")  # stored before the source was recorded
    html = report(client, world, "manager").content.decode()
    assert '<span data-source="tablet">Tablet di loket 2</span>' in html
    assert '<span data-source="tautan">Tautan atau QR (ponsel) 1</span>' in html
    assert '<span data-source="api">API 0</span>' in html
    assert '<span data-source="-">Tidak tercatat 1</span>' in html


def test_far_dates_fall_back_to_this_month_with_a_message(client, world):
    far_year = {"period": "year", "date": "9999-06-01"}
    far_range = {"period": "custom", "from": "0001-01-01", "to": "2026-01-01"}
    for params in (far_year, far_range):
        response = report(client, world, "manager", **params)
        assert response.status_code == 200
        assert "tidak sah; menampilkan bulan ini" in response.content.decode()
    pdf = client.get(reverse("skm_report_pdf", args=[world.mall.slug]), {"period": "year", "date": "9999-06-01"})
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF-")


def test_a_service_outside_the_chosen_agency_and_a_supervisor_without_agency_get_404(client, world):
    assert report(client, world, "manager", agency="IMIGRASI", service="DUKCAPIL-KTP").status_code == 404
    supervisor = world.users["sup_dukcapil"]
    supervisor.agency = None
    supervisor.save()
    assert report(client, world, "sup_dukcapil").status_code == 404
