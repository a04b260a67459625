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
    assert 'id="ticket-finished"' not in html
    tickets.cancel(ticket)
    html = client.get(f"/t/{ticket.public_code}/").content.decode()
    assert re.search(r'id="ticket-finished">Nomor ini sudah dibatalkan.<', html)
