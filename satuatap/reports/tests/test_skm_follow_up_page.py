"""The SKM report page's follow-up plan: listed with its state, proposed, added, changed and marked done through
the page's forms, each user within their scope (the service itself is tested in feedback/tests/test_follow_up.py)."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from satuatap.feedback import follow_up
from satuatap.feedback.models import FollowUpItem
from satuatap.feedback.tests.conftest import answered
from satuatap.feedback.tests.test_follow_up import params, this_month

# Follow-up items belong to "this month": the clock starts at MONDAY_MORNING, so no month ends during a test.
pytestmark = pytest.mark.usefixtures("monday_morning")


def test_report_page_lists_items_with_state_share_and_speed(client, world):
    answered(world, [4, 4, 4, 4, 4, 4, 3, 2, 1])
    period = this_month(world)
    manager = world.users["manager"]
    items = follow_up.propose(world.mall, period, actor=manager, now=timezone.now() - dt.timedelta(days=3))
    follow_up.update(items[0], actor=manager, action="Perbaiki kotak saran", owner="Subbag Umum")
    follow_up.mark_done(items[0], "Kotak saran baru <b>dipasang</b>", manager)
    client.force_login(manager)
    html = client.get(reverse("skm_report", args=[world.mall.slug]) + "?" + params(period)).content.decode()
    assert 'id="followup-share">33,3%<' in html
    assert 'id="followup-days">3,0 hari<' in html
    assert "Perbaiki kotak saran" in html and "Kotak saran baru &lt;b&gt;dipasang&lt;/b&gt;" in html
    assert "(belum diisi)" in html and "Penanganan pengaduan" in html
    assert 'id="followup-propose"' in html
    # Another period shows none of them.
    other = client.get(reverse("skm_report", args=[world.mall.slug]), {"period": "year", "date": "2020-05-01"})
    assert "Perbaiki kotak saran" not in other.content.decode()


def test_manager_proposes_adds_edits_and_marks_done_through_the_page(client, world):
    answered(world, [4, 4, 4, 4, 4, 4, 3, 2, 1])
    period = this_month(world)
    client.force_login(world.users["manager"])
    base = reverse("skm_follow_up_new", args=[world.mall.slug]) + "?" + params(period)
    response = client.post(base, {"propose": "1"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("skm_report", args=[world.mall.slug]) + "?period=month")
    assert sorted(FollowUpItem.objects.values_list("element", flat=True)) == [7, 8, 9]
    response = client.post(base, {"element": "3", "action": "Tambah loket", "owner": "Kepala MPP", "due": "2027-03-31"})
    assert response.status_code == 302
    item = FollowUpItem.objects.get(element=3)
    change = reverse("skm_follow_up_change", args=[world.mall.slug, item.pk]) + "?" + params(period)
    client.post(change, {"action": "Tambah dua loket", "owner": "Kepala MPP", "due": "2027-04-30"})
    item.refresh_from_db()
    assert (item.action, item.due) == ("Tambah dua loket", dt.date(2027, 4, 30))
    client.post(change, {"done": "1", "done_note": "Dua loket dibuka"})
    item.refresh_from_db()
    assert item.done_at is not None and item.done_note == "Dua loket dibuka"
    # Bad input: a clear message, nothing changed.
    response = client.post(base, {"element": "3", "action": "", "owner": "x", "due": "besok"}, follow=True)
    assert "wajib diisi" in response.content.decode()
    assert FollowUpItem.objects.count() == 4


def test_supervisor_manages_only_their_agencys_items(client, world):
    answered(world, [3] * 9)
    answered(world, [2] * 9, code="IMIGRASI-PASPOR")
    period = this_month(world)
    manager_item = follow_up.propose(world.mall, period, actor=world.users["manager"])[0]
    imigrasi_item = follow_up.propose(
        world.mall, period, actor=world.users["sup_imigrasi"], agency=world.agencies["IMIGRASI"]
    )[0]
    client.force_login(world.users["sup_dukcapil"])
    html = client.get(reverse("skm_report", args=[world.mall.slug]) + "?" + params(period)).content.decode()
    assert f'id="followup-{manager_item.pk}"' not in html and f'id="followup-{imigrasi_item.pk}"' not in html
    for item in (manager_item, imigrasi_item):
        url = reverse("skm_follow_up_change", args=[world.mall.slug, item.pk])
        assert client.post(url, {"done": "1", "done_note": "x"}).status_code == 404
        item.refresh_from_db()
        assert item.done_at is None
    # Their own proposal lands on their agency.
    client.post(reverse("skm_follow_up_new", args=[world.mall.slug]) + "?" + params(period), {"propose": "1"})
    assert set(
        FollowUpItem.objects.filter(created_by=world.users["sup_dukcapil"]).values_list("agency__code", flat=True)
    ) == {"DUKCAPIL"}
    # The manager sees every item of the mall.
    client.force_login(world.users["manager"])
    html = client.get(reverse("skm_report", args=[world.mall.slug]) + "?" + params(period)).content.decode()
    assert f'id="followup-{manager_item.pk}"' in html and f'id="followup-{imigrasi_item.pk}"' in html


def test_officers_and_anonymous_cannot_post_follow_ups(client, world):
    answered(world, [2] * 9)
    url = reverse("skm_follow_up_new", args=[world.mall.slug])
    assert client.post(url, {"propose": "1"}).status_code == 302  # to sign-in
    client.force_login(world.users["officer1"])
    assert client.post(url, {"propose": "1"}).status_code == 404
    assert client.get(url).status_code == 405
    assert not FollowUpItem.objects.exists()
