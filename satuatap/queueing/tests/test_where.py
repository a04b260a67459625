"""The slip says where to go: counters as ranges, the zone's building and floor."""

import re

from satuatap.queueing.where import counter_ranges


def test_consecutive_counters_print_as_a_range():
    assert counter_ranges([1, 2, 3, 4, 9, 17, 18, 25, 26, 27]) == "1–4, 9, 17, 18, 25–27"


def test_no_counters_print_nothing_and_duplicates_once():
    assert counter_ranges([]) == ""
    assert counter_ranges([5, 5, 3]) == "3, 5"


def test_phone_page_says_where_to_go_and_that_a_finished_ticket_is_finished(client, world, monday_morning):
    from satuatap.queueing import tickets

    ticket = tickets.issue_ticket(world.services["IMIGRASI-PASPOR"])
    html = client.get(f"/t/{ticket.public_code}/").content.decode()
    assert re.search(r'id="ticket-zone">Zona B Imigrasi &amp; Polri<', html)
    assert re.search(r'id="ticket-building">Gedung MPP, Lantai 2<', html)
    # The finished note waits hidden (ticket.js shows it if the ticket ends while the page is open).
    assert re.search(r'id="ticket-finished" hidden><', html)
    assert re.search(r'id="ticket-keep-note">', html)
    tickets.cancel(ticket)
    html = client.get(f"/t/{ticket.public_code}/").content.decode()
    assert re.search(r'id="ticket-finished">Nomor ini sudah dibatalkan.<', html)
    assert re.search(r'id="ticket-keep-note" hidden>', html)
    # The snapshot the page follows carries the same place and note.
    data = client.get(f"/t/{ticket.public_code}/snapshot.json").json()
    assert data["where"]["zone"] == "Zona B Imigrasi & Polri"
    assert data["where"]["line"] == "Gedung MPP, Lantai 2"
    assert data["texts"]["finished"] == "Nomor ini sudah dibatalkan."


def test_the_board_serves_the_malls_notices_one_a_line(client, world, monday_morning):
    mall = world.mall
    mall.board_notices = "Loket Disdukcapil tutup pukul 12.00\n\n  Parkir gratis hari ini  \n"
    mall.save()
    data = client.get(f"/m/{mall.slug}/display/snapshot.json").json()
    assert data["notices"] == ["Loket Disdukcapil tutup pukul 12.00", "Parkir gratis hari ini"]
    html = client.get(f"/m/{mall.slug}/display/").content.decode()
    assert "Loket Disdukcapil tutup pukul 12.00" in html
