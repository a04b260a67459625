"""The kiosk: pick an agency, pick a service, take a number that prints."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from satuatap.accounts.models import Role, User
from satuatap.directory.models import Closure, Mall, OpeningHours, Service
from satuatap.queueing import tickets
from satuatap.queueing.models import Ticket, TicketEvent, TicketSource
from satuatap.testing import make_world


def tag(html: str, selector_attr: str) -> str:
    """The opening tag that carries an attribute such as data-service="X" (or fail)."""
    match = re.search(r"<[a-z]+[^>]*" + re.escape(selector_attr) + r"[^>]*>", html)
    assert match, f"no element with {selector_attr}"
    return match.group(0)


def kiosk_url(world, name="kiosk", *args):
    return reverse(name, args=[world.mall.slug, *args])


@pytest.fixture
def kiosk_client(client, world):
    client.force_login(world.users["kiosk"])
    return client


def test_anonymous_visitor_is_sent_to_device_sign_in(client, world):
    for url in (kiosk_url(world), kiosk_url(world, "kiosk_agency", "DUKCAPIL")):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"] == reverse("device_sign_in")


def test_officer_cannot_use_the_kiosk(client, world):
    client.force_login(world.users["officer1"])
    response = client.get(kiosk_url(world))
    assert response.status_code == 302 and response["Location"] == reverse("device_sign_in")


def test_kiosk_of_another_mall_cannot_issue_here(client, world):
    other = Mall.objects.create(slug="lain", name="MPP Lain", city="Lain")
    stranger = User.objects.create_user(username="kiosk_lain", role=Role.KIOSK, mall=other)
    client.force_login(stranger)
    response = client.post(kiosk_url(world, "kiosk_issue"), {"service": "DUKCAPIL-KTP"})
    assert response["Location"] == reverse("device_sign_in")
    assert not Ticket.objects.exists()


def test_manager_may_open_the_kiosk(client, world):
    client.force_login(world.users["manager"])
    assert client.get(kiosk_url(world)).status_code == 200


def test_start_screen_groups_agencies_by_zone_with_their_open_state(kiosk_client, world):
    html = kiosk_client.get(kiosk_url(world)).content.decode()
    # The first zone is open: its agency is a tile, the other zone is a tab.
    assert 'href="/m/pekanbaru/kiosk/DUKCAPIL/"' in tag(html, 'data-agency="DUKCAPIL"')
    assert 'data-agency="IMIGRASI"' not in html
    assert 'aria-current="page"' in tag(html, 'data-zone="A"') and 'href="?zone=B"' in tag(html, 'data-zone="B"')
    assert "Zona A Disdukcapil" in html and "Zona B Imigrasi" in html
    assert "Buka · 2 layanan" in html

    html = kiosk_client.get(kiosk_url(world) + "?zone=B").content.decode()
    for code in ("IMIGRASI", "POLRESTA"):
        assert f'href="/m/pekanbaru/kiosk/{code}/"' in tag(html, f'data-agency="{code}"')
    assert 'data-agency="DUKCAPIL"' not in html


def test_start_screen_offers_the_most_taken_services_as_buttons_that_issue(kiosk_client, world, monday_morning):
    for _ in range(3):
        kiosk_client.post(kiosk_url(world, "kiosk_issue"), {"service": "POLRESTA-SKCK"})
    kiosk_client.post(kiosk_url(world, "kiosk_issue"), {"service": "IMIGRASI-PASPOR"})
    html = kiosk_client.get(kiosk_url(world)).content.decode()
    popular = html.split('class="kiosk-popular"')[1].split("</form>")[0]
    codes = re.findall(r'data-service="([A-Z-]+)"', popular)
    assert codes[:2] == ["POLRESTA-SKCK", "IMIGRASI-PASPOR"]
    assert 'name="service"' in tag(html, 'data-service="POLRESTA-SKCK"')
    assert re.search(r'name="priority_group" value="" checked', html)


def test_services_the_manager_pinned_come_first_on_the_start_screen(kiosk_client, world, monday_morning):
    for _ in range(3):
        kiosk_client.post(kiosk_url(world, "kiosk_issue"), {"service": "POLRESTA-SKCK"})
    Service.objects.filter(code="IMIGRASI-PASPOR").update(kiosk_pinned=True)
    html = kiosk_client.get(kiosk_url(world)).content.decode()
    popular = html.split('class="kiosk-popular"')[1].split("</form>")[0]
    codes = re.findall(r'data-service="([A-Z-]+)"', popular)
    # Pinned, then the most taken, then one service of each agency not yet there.
    assert codes[:2] == ["IMIGRASI-PASPOR", "POLRESTA-SKCK"] and len(codes) == 3 and codes[2].startswith("DUKCAPIL-")


def test_search_finds_services_by_name_or_agency_and_links_to_them(kiosk_client, world):
    html = kiosk_client.get(kiosk_url(world, "kiosk_search") + "?q=skck").content.decode()
    assert 'href="/m/pekanbaru/kiosk/POLRESTA/?service=POLRESTA-SKCK"' in tag(html, 'data-service="POLRESTA-SKCK"')
    assert 'data-service="DUKCAPIL-KTP"' not in html
    html = kiosk_client.get(kiosk_url(world, "kiosk_search") + "?q=kependudukan").content.decode()
    assert 'data-service="DUKCAPIL-KTP"' in html and 'data-service="DUKCAPIL-KK"' in html
    html = kiosk_client.get(kiosk_url(world, "kiosk_search") + "?q=zzz").content.decode()
    assert "Tidak ada layanan untuk" in html and 'class="search-hit"' not in html
    assert 'data-key="Q"' in html  # the on-screen keyboard


def test_agency_page_comes_in_pages_and_opens_at_a_chosen_service(kiosk_client, world):
    agency = world.agencies["DUKCAPIL"]
    for n in range(10):
        Service.objects.create(
            mall=world.mall, agency=agency, code=f"DUKCAPIL-X{n:02}", name=f"Zz layanan {n:02}", prefix=f"X{n}"
        )
    html = kiosk_client.get(kiosk_url(world, "kiosk_agency", "DUKCAPIL")).content.decode()
    assert html.count('name="service"') == 8 and "Halaman 1 dari 2" in html and 'id="page-next"' in html
    html = kiosk_client.get(kiosk_url(world, "kiosk_agency", "DUKCAPIL") + "?service=DUKCAPIL-X09").content.decode()
    assert "Halaman 2 dari 2" in html and html.count('name="service"') == 4
    assert "is-chosen" in html.split('data-service="DUKCAPIL-X09"')[0].rsplit('class="kiosk-service', 1)[1]
    html = kiosk_client.get(kiosk_url(world, "kiosk_agency", "DUKCAPIL") + "?page=99").content.decode()
    assert "Halaman 2 dari 2" in html


def test_agency_page_offers_its_services_and_the_priority_groups(kiosk_client, world):
    html = kiosk_client.get(kiosk_url(world, "kiosk_agency", "DUKCAPIL")).content.decode()
    button = tag(html, 'data-service="DUKCAPIL-KTP"')
    assert "disabled" not in button and 'name="service"' in button
    assert 'data-service="IMIGRASI-PASPOR"' not in html
    assert 'action="/m/pekanbaru/kiosk/issue/"' in html
    for label in ("Lansia (60+)", "Penyandang disabilitas", "Ibu hamil", "Anak"):
        assert label in html
    assert re.search(r'name="priority_group" value="" checked', html)


def test_unknown_agency_is_404(kiosk_client, world):
    assert kiosk_client.get(kiosk_url(world, "kiosk_agency", "NOPE")).status_code == 404


def test_taking_a_number_issues_a_kiosk_ticket_and_shows_it_for_printing(kiosk_client, world):
    response = kiosk_client.post(kiosk_url(world, "kiosk_issue"), {"service": "DUKCAPIL-KTP", "priority_group": ""})
    ticket = Ticket.objects.get()
    assert response.status_code == 302
    assert response["Location"] == kiosk_url(world, "kiosk_ticket", ticket.public_code)
    assert ticket.source == TicketSource.KIOSK and ticket.number == "A001" and ticket.priority_group == ""
    assert TicketEvent.objects.get(ticket=ticket, action="issued").actor == world.users["kiosk"]

    page = kiosk_client.get(response["Location"])
    html = page.content.decode()
    assert re.search(r'id="ticket-number"[^>]*>A001<', html)
    assert re.search(r'id="people-ahead">0<', html)
    assert 'id="estimated-wait"' in html
    assert "KTP-el baru" in html and "Dinas Kependudukan" in html
    assert re.search(r"Dilayani di loket: <strong>1, 2</strong>", html)
    assert re.search(r'id="ticket-zone">Zona A Disdukcapil<', html)
    assert re.search(r'id="ticket-building">Gedung Disdukcapil, Lantai 1<', html)
    assert "<svg" in html and "<path" in html  # the QR code, inline
    assert page.context["status_url"] == f"http://testserver/t/{ticket.public_code}/"
    assert 'data-return-seconds="20"' in html and "satuatap/kiosk.js" in html and "<script>" not in html


def test_second_ticket_sees_one_person_ahead(kiosk_client, world):
    tickets.issue_ticket(world.services["DUKCAPIL-KTP"])
    response = kiosk_client.post(kiosk_url(world, "kiosk_issue"), {"service": "DUKCAPIL-KTP"})
    html = kiosk_client.get(response["Location"]).content.decode()
    assert re.search(r'id="people-ahead">1<', html)


def test_priority_choice_is_stored_and_printed(kiosk_client, world):
    response = kiosk_client.post(
        kiosk_url(world, "kiosk_issue"), {"service": "POLRESTA-SKCK", "priority_group": "lansia"}
    )
    ticket = Ticket.objects.get()
    assert ticket.priority_group == "lansia"
    assert "Lansia (60+)" in kiosk_client.get(response["Location"]).content.decode()


def test_issue_time_is_printed_in_the_malls_own_timezone(client, db):
    world = make_world(slug="makassar", timezone="Asia/Makassar")
    client.force_login(world.users["kiosk"])
    at = dt.datetime(2026, 3, 2, 1, 15, tzinfo=dt.UTC)  # 09:15 WITA
    ticket = tickets.issue_ticket(world.services["DUKCAPIL-KTP"], now=at)
    html = client.get(kiosk_url(world, "kiosk_ticket", ticket.public_code)).content.decode()
    assert "02-03-2026 09:15 WITA" in html


def test_bad_priority_group_gives_a_message_and_issues_nothing(kiosk_client, world):
    response = kiosk_client.post(
        kiosk_url(world, "kiosk_issue"), {"service": "DUKCAPIL-KTP", "priority_group": "vip"}, follow=True
    )
    assert response.redirect_chain[-1][0] == kiosk_url(world, "kiosk_agency", "DUKCAPIL")
    assert re.search(r'<li class="error"[^>]*>Kelompok prioritas tidak dikenal.</li>', response.content.decode())
    assert not Ticket.objects.exists()


def test_unknown_service_gives_a_message_and_issues_nothing(kiosk_client, world):
    response = kiosk_client.post(kiosk_url(world, "kiosk_issue"), {"service": "TIDAK-ADA"}, follow=True)
    assert response.redirect_chain[-1][0] == kiosk_url(world)
    assert "Layanan tidak ditemukan" in response.content.decode()
    assert not Ticket.objects.exists()


def test_issuing_needs_a_post(kiosk_client, world):
    assert kiosk_client.get(kiosk_url(world, "kiosk_issue")).status_code == 405


def test_a_closed_service_is_shown_disabled_with_its_reason_and_cannot_be_taken(kiosk_client, world):
    Closure.objects.create(
        mall=world.mall,
        service=world.services["DUKCAPIL-KK"],
        starts_at=dt.datetime(2020, 1, 1, tzinfo=dt.UTC),
        until_date=dt.date(2100, 1, 1),
        reason="Blanko habis",
    )
    html = kiosk_client.get(kiosk_url(world, "kiosk_agency", "DUKCAPIL")).content.decode()
    assert "disabled" in tag(html, 'data-service="DUKCAPIL-KK"')
    assert "disabled" not in tag(html, 'data-service="DUKCAPIL-KTP"')
    assert re.search(r'class="closed-reason">Ditutup sementara: Blanko habis<', html)

    response = kiosk_client.post(kiosk_url(world, "kiosk_issue"), {"service": "DUKCAPIL-KK"}, follow=True)
    assert "Ditutup sementara: Blanko habis" in response.content.decode()
    assert not Ticket.objects.exists()


def test_during_the_break_nothing_is_offered_and_todays_hours_show_the_break(client, db):
    world = make_world(always_open=False)
    world.mall.observes_national_holidays = False
    world.mall.save()
    # Every day, a break that spans the whole day: the kiosk is closed whatever the clock says.
    OpeningHours.objects.filter(mall=world.mall).delete()
    for weekday in range(7):
        OpeningHours.objects.create(
            mall=world.mall,
            weekday=weekday,
            opens=dt.time(0, 0),
            closes=dt.time(23, 59, 59),
            break_start=dt.time(0, 0),
            break_end=dt.time(23, 59, 59),
        )
    client.force_login(world.users["kiosk"])
    home = client.get(kiosk_url(world)).content.decode()
    assert "tile-state closed" in home
    html = client.get(kiosk_url(world, "kiosk_agency", "IMIGRASI")).content.decode()
    assert "disabled" in tag(html, 'data-service="IMIGRASI-PASPOR"')
    assert "Istirahat 00:00–23:59." in html
    assert "Jam layanan hari ini: 00:00–23:59 (istirahat 00:00–23:59)" in html
    client.post(kiosk_url(world, "kiosk_issue"), {"service": "IMIGRASI-PASPOR"})
    assert not Ticket.objects.exists()


def test_print_stylesheet_is_an_80mm_roll_printing_only_the_ticket():
    from django.contrib.staticfiles import finders

    css = open(finders.find("satuatap/kiosk.css"), encoding="utf-8").read()
    assert "@page { size: 80mm auto; margin: 0; }" in css
    js = open(finders.find("satuatap/kiosk.js"), encoding="utf-8").read()
    assert "window.print()" in js and "--kiosk-printing" in js
