"""Every screen speaks Bahasa Indonesia by default and English once English is chosen.

The msgids are Indonesian; ``locale/en`` holds the English catalog. Choosing a
language is the switch in the top bar (a POST to /i18n/setlang/, which sets the
``django_language`` cookie); a browser's Accept-Language does not switch screens.
"""

import datetime as dt
import io
import re
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.core.management import call_command
from django.test.signals import setting_changed
from django.urls import reverse
from django.utils import translation

from satuatap.directory.hours import open_state
from satuatap.directory.models import Closure
from satuatap.queueing import tickets
from satuatap.queueing.models import Ticket
from satuatap.refusal import Refused
from satuatap.testing import make_world, seat

# Tickets issued and shown or called through code that reads the clock: it starts at MONDAY_MORNING,
# so no local midnight passes during a test (see "Time in tests" in docs/architecture.md).
pytestmark = pytest.mark.usefixtures("monday_morning")

PO = Path(settings.LOCALE_PATHS[0]) / "en" / "LC_MESSAGES" / "django.po"
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]")


@pytest.fixture(autouse=True, scope="session")
def english_catalog():
    """.mo files are built, not committed: compile the catalog when it is missing or stale."""
    mo = PO.with_suffix(".mo")
    if not mo.exists() or mo.stat().st_mtime < PO.stat().st_mtime:
        call_command("compile_locale", stdout=io.StringIO())
        # Forget catalogs (and "is there an English catalog?" answers) cached before it existed.
        setting_changed.send(sender=None, setting="LOCALE_PATHS", value=settings.LOCALE_PATHS, enter=False)


@pytest.fixture(autouse=True)
def _back_to_the_default_language():
    # A request activates its language for the thread; later tests call services outside requests.
    yield
    translation.deactivate()


def in_english(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    return client


def page(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def assert_shows(html: str, *texts: str):
    for text in texts:
        assert text in html, f"{text!r} not on the page"


def assert_hides(html: str, *texts: str):
    for text in texts:
        assert text not in html, f"{text!r} still on the page"


# ---- The catalog ---------------------------------------------------------------


def test_every_message_has_an_english_translation_with_the_same_placeholders():
    po = polib.pofile(str(PO))
    assert not po.fuzzy_entries() and not po.untranslated_entries()
    for entry in po.translated_entries():
        translations = entry.msgstr_plural.values() if entry.msgid_plural else [entry.msgstr]
        for text in translations:
            assert sorted(PLACEHOLDER.findall(text)) == sorted(PLACEHOLDER.findall(entry.msgid)), entry.msgid


# ---- Screens ---------------------------------------------------------------------


def test_login_page_in_indonesian_by_default_and_in_english_when_chosen(client, db):
    html = page(client, reverse("login"))
    assert_shows(html, '<html lang="id">', "Masuk petugas", "Kata sandi", ">English</button>")

    html = page(in_english(client), reverse("login"))
    assert_shows(
        html, '<html lang="en">', "Staff sign-in", "Password", "Sign in as a device", ">Bahasa Indonesia</button>"
    )
    assert_hides(html, "Kata sandi", "Masuk petugas")


def test_a_browser_asking_for_english_still_gets_indonesian_until_english_is_chosen(client, db):
    html = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert_shows(html, '<html lang="id">', "Masuk petugas")


def test_choosing_indonesian_again_switches_back(client, db):
    in_english(client)
    client.post(reverse("set_language"), {"language": "id", "next": "/"})
    assert_shows(page(client, reverse("login")), "Masuk petugas")


def test_kiosk_start_screen_and_agency_page(client, world):
    client.force_login(world.users["kiosk"])
    home = reverse("kiosk", args=[world.mall.slug])
    agency = reverse("kiosk_agency", args=[world.mall.slug, "DUKCAPIL"])
    assert_shows(
        page(client, home), "Selamat datang. Pilih layanan Anda.", "Buka · 2 layanan", "Zona A", "Cari layanan"
    )
    assert_shows(page(client, agency), "Pilih layanan", "Prioritas (jika berhak):", "Lansia (60+)", "Kembali")

    in_english(client)
    html = page(client, home)
    assert_shows(html, "Welcome. Choose your service.", "Open · 2 services", "Search for a service", "Most used")
    assert_hides(html, "Selamat datang")
    html = page(client, agency)
    assert_shows(html, "Choose a service", "Priority (if eligible):", "Senior citizen (60+)", "Back", "Fee:")
    assert_hides(html, "Pilih layanan", "Lansia")


def test_kiosk_printed_ticket(client, world):
    client.force_login(world.users["kiosk"])
    ticket = tickets.issue_ticket(world.services["DUKCAPIL-KTP"])
    url = reverse("kiosk_ticket", args=[world.mall.slug, ticket.public_code])
    assert_shows(page(client, url), "Antrean di depan Anda", "Pindai untuk memantau antrean")
    html = page(in_english(client), url)
    assert_shows(html, "People ahead of you", "Scan to follow the queue on your phone.", "Queue number")


def test_mall_home_and_service_standard(client, world):
    home = reverse("mall_home", args=[world.mall.slug])
    standard = reverse("service_standard", args=[world.mall.slug, "DUKCAPIL-KTP"])
    assert_shows(page(client, home), "Instansi dan layanan per zona", "Jam layanan", "Senin", "Gratis / Rp 0")
    assert_shows(page(client, standard), "Standar pelayanan", "Persyaratan", "orang menunggu")

    in_english(client)
    html = page(client, home)
    assert_shows(html, "Agencies and services by zone", "Opening hours", "Monday", "Free / Rp 0", "2 services")
    assert_hides(html, "Senin", "Instansi dan layanan")
    html = page(client, standard)
    assert_shows(html, "Service standard", "Requirements", "people waiting", "Served at counters")


def test_counter_console(client, world):
    officer = seat(world, 1)
    client.force_login(officer)
    tickets.issue_ticket(world.services["DUKCAPIL-KTP"])
    assert_shows(page(client, reverse("console")), "Panggil berikutnya", "Nomor saat ini", "Alihkan ke layanan")

    in_english(client)
    html = page(client, reverse("console"))
    assert_shows(html, "Call next", "Current number", "Transfer to service", "Leave counter", "Live updates")
    assert_hides(html, "Panggil berikutnya")
    # The message after an action comes from the view, in English too.
    response = client.post(reverse("console_action", args=["call-next"]), follow=True)
    assert re.search(r"Number A0*1 called to counter 1\.", response.content.decode())


def test_console_counter_picker(client, world):
    client.force_login(world.users["officer2"])
    assert_shows(page(client, reverse("console")), "Pilih loket tempat Anda bertugas", "Loket 1")
    html = page(in_english(client), reverse("console"))
    assert_shows(html, "Choose the counter you are working at", "Counter 1", "Free")


def test_display_board_and_its_snapshot(client, world):
    officer = seat(world, 1)
    tickets.issue_ticket(world.services["DUKCAPIL-KTP"])
    tickets.call_next(world.counters[1], officer)
    board = reverse("display", args=[world.mall.slug, "A"])
    snapshot = reverse("display_snapshot", args=[world.mall.slug, "A"])
    assert_shows(page(client, board), "Panggilan terakhir", "Aktifkan suara", 'data-label-counter="Loket"')

    in_english(client)
    html = page(client, board)
    assert_shows(html, "Recent calls", "Turn on sound", 'data-label-counter="Counter"', "Counter 1", '<html lang="en">')
    assert_hides(html, "Panggilan terakhir", "Aktifkan suara")
    # The spoken sentence stays Indonesian on purpose: the hall's voice is Indonesian.
    call = client.get(snapshot).json()["called"][0]
    assert call["utterance"].startswith("Nomor antrean")


def test_public_ticket_page_and_its_snapshot(client, world):
    ticket = tickets.issue_ticket(world.services["DUKCAPIL-KTP"])
    url = reverse("ticket_status", args=[ticket.public_code])
    assert_shows(page(client, url), "Nomor antrean Anda", "Menunggu", "Batalkan antrean")

    in_english(client)
    html = page(client, url)
    assert_shows(html, "Your queue number", "Waiting", "Cancel ticket", "People ahead of you", "Updates automatically")
    assert_hides(html, "Nomor antrean Anda", "Batalkan antrean")
    data = client.get(reverse("ticket_snapshot", args=[ticket.public_code])).json()
    assert data["texts"]["status_label"] == "Waiting"
    assert data["texts"]["estimate"] in ("—",) or data["texts"]["estimate"].endswith(" min")

    # Being called: the counter line is English too.
    tickets.call_next(world.counters[1], seat(world, 1))
    data = client.get(reverse("ticket_snapshot", args=[ticket.public_code])).json()
    assert data["texts"]["counter"] == "Please go to counter 1"


def test_home_and_device_sign_in_pages(client, world):
    assert_shows(page(client, reverse("home")), "Anjungan ambil nomor", "Papan panggilan")
    in_english(client)
    assert_shows(page(client, reverse("home")), "Ticket kiosk", "Call board", "Public Service Mall")
    response = client.post(reverse("device_sign_in"), {"code": "sat_nonsense"})
    assert "Unknown or revoked device token." in response.content.decode()


# ---- Messages from the service layer ----------------------------------------------


def close_ktp(world):
    Closure.objects.create(
        mall=world.mall,
        service=world.services["DUKCAPIL-KTP"],
        starts_at=dt.datetime(2020, 1, 1, tzinfo=dt.UTC),
        until_date=dt.date(2100, 1, 1),
        reason="Blanko habis",
    )


def test_a_closed_service_explains_itself_in_english_at_the_kiosk(client, world):
    close_ktp(world)
    client.force_login(world.users["kiosk"])
    in_english(client)
    issue = reverse("kiosk_issue", args=[world.mall.slug])
    html = client.post(issue, {"service": "DUKCAPIL-KTP"}, follow=True).content.decode()
    assert "Temporarily closed: Blanko habis" in html
    assert "Ditutup sementara" not in html
    assert not Ticket.objects.exists()


def test_service_layer_errors_follow_the_active_language(world):
    close_ktp(world)
    service = world.services["DUKCAPIL-KTP"]
    with pytest.raises(Refused) as indonesian:
        tickets.issue_ticket(service)
    assert indonesian.value.code == "closed" and indonesian.value.message.startswith("Ditutup sementara")
    with translation.override("en"), pytest.raises(Refused) as english:
        tickets.issue_ticket(service)
    assert english.value.message == "Temporarily closed: Blanko habis"

    seat(world, 1)
    with translation.override("en"), pytest.raises(Refused) as taken:
        tickets.sign_in(world.counters[1], world.users["officer2"])
    assert taken.value.message == "This counter is in use by another officer."


def test_a_national_holiday_is_named_in_the_chosen_language(db):
    world = make_world(slug="libur", always_open=False)
    independence_day = dt.datetime(2026, 8, 17, 10, tzinfo=dt.timezone(dt.timedelta(hours=7)))
    assert open_state(world.mall, independence_day).reason == "Libur nasional: Hari Kemerdekaan Republik Indonesia."
    with translation.override("en"):
        assert open_state(world.mall, independence_day).reason == "National holiday: Independence Day."


def test_the_api_answers_in_the_language_its_client_asks_for(client, db):
    indonesian = client.get("/api/v1/no-such-endpoint/")
    english = client.get("/api/v1/no-such-endpoint/", HTTP_ACCEPT_LANGUAGE="en")
    assert indonesian.status_code == english.status_code == 404
    assert indonesian.json()["detail"] != english.json()["detail"]
    assert english.json()["detail"] == "API address not found."
