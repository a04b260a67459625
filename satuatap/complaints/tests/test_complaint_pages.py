import pytest
from django.test import Client
from django.urls import reverse

from satuatap.complaints import complaints
from satuatap.complaints.models import Complaint, ComplaintStatus

pytestmark = pytest.mark.django_db


def as_user(world, persona) -> Client:
    client = Client()
    client.force_login(world.users[persona])
    return client


def act(client, world, complaint, action, **data):
    url = reverse("complaint_detail", kwargs={"mall": world.mall.slug, "complaint_id": complaint.pk})
    return client.post(url, {"action": action, **data})


def test_a_citizen_files_and_follows_a_complaint_through_the_pages(world, client):
    form = reverse("complaint_form", kwargs={"mall": world.mall.slug})
    assert client.get(form).status_code == 200
    response = client.post(
        form, {"agency": "DUKCAPIL", "subject": "Antrian", "body": "Lama sekali", "contact": "a@b.id"}
    )
    assert response.status_code == 302
    complaint = Complaint.objects.get()
    assert response["Location"] == reverse("complaint_track", kwargs={"tracking_code": complaint.tracking_code})

    manager, sup = as_user(world, "manager"), as_user(world, "sup_dukcapil")
    assert act(manager, world, complaint, "verify").status_code == 302
    assert act(manager, world, complaint, "forward", agency="DUKCAPIL").status_code == 302
    assert act(sup, world, complaint, "start").status_code == 302
    assert act(sup, world, complaint, "answer", answer="Petugas ditambah.").status_code == 302

    page = client.get(response["Location"])
    assert "Petugas ditambah." in page.content.decode() and "reopen-form" in page.content.decode()
    assert client.post(response["Location"], {"reason": "Belum membaik"}).status_code == 302
    complaint.refresh_from_db()
    assert complaint.status == ComplaintStatus.IN_PROGRESS
    act(sup, world, complaint, "answer", answer="Loket baru dibuka.")
    assert act(manager, world, complaint, "close").status_code == 302
    complaint.refresh_from_db()
    assert complaint.status == ComplaintStatus.CLOSED


def test_html_in_a_complaint_is_shown_as_text(world, client):
    c = complaints.file_complaint(world.mall, "<b>judul</b>", "<script>alert(1)</script>")
    for page in (
        client.get(reverse("complaint_track", kwargs={"tracking_code": c.tracking_code})),
        as_user(world, "manager").get(
            reverse("complaint_detail", kwargs={"mall": world.mall.slug, "complaint_id": c.pk})
        ),
    ):
        html = page.content.decode()
        assert "<script>alert(1)</script>" not in html and "<b>judul</b>" not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


@pytest.mark.parametrize(
    "data",
    [
        {"subject": "", "body": "isi"},
        {"subject": "perihal", "body": ""},
        {"subject": "x" * 201, "body": "isi"},
        {"subject": "perihal", "body": "x" * 5001},
        {"subject": "perihal", "body": "isi", "agency": "TIDAK-ADA"},
    ],
)
def test_bad_input_on_the_form_is_refused_with_a_message(world, client, data):
    response = client.post(reverse("complaint_form", kwargs={"mall": world.mall.slug}), data)
    assert response.status_code == 422
    assert 'id="complaint-error"' in response.content.decode()
    assert not Complaint.objects.exists()


def test_filing_is_rate_limited(world, client, settings):
    form = reverse("complaint_form", kwargs={"mall": world.mall.slug})
    codes = [client.post(form, {"subject": "s", "body": "b"}).status_code for _ in range(complaints.FILE_LIMIT + 1)]
    assert codes[-1] == 429
    assert Complaint.objects.count() == complaints.FILE_LIMIT


def test_a_supervisor_sees_only_their_agencys_complaints(world):
    mine = complaints.file_complaint(world.mall, "Dukcapil", "isi", agency=world.agencies["DUKCAPIL"])
    other = complaints.file_complaint(world.mall, "Imigrasi", "isi", agency=world.agencies["IMIGRASI"])
    general = complaints.file_complaint(world.mall, "Umum", "isi")
    sup = as_user(world, "sup_dukcapil")
    desk = sup.get(reverse("complaint_desk", kwargs={"mall": world.mall.slug})).content.decode()
    assert mine.tracking_code in desk and other.tracking_code not in desk and general.tracking_code not in desk
    for c in (other, general):
        url = reverse("complaint_detail", kwargs={"mall": world.mall.slug, "complaint_id": c.pk})
        assert sup.get(url).status_code == 404
        assert sup.post(url, {"action": "start"}).status_code == 404
    manager_desk = as_user(world, "manager").get(reverse("complaint_desk", kwargs={"mall": world.mall.slug}))
    assert all(c.tracking_code in manager_desk.content.decode() for c in (mine, other, general))


def test_an_officer_and_a_stranger_have_no_desk(world, client):
    url = reverse("complaint_desk", kwargs={"mall": world.mall.slug})
    assert as_user(world, "officer1").get(url).status_code == 404
    assert client.get(url).status_code == 302  # to sign-in


def test_a_supervisor_cannot_verify(world):
    c = complaints.file_complaint(world.mall, "s", "b", agency=world.agencies["DUKCAPIL"])
    response = act(as_user(world, "sup_dukcapil"), world, c, "verify")
    assert response.status_code == 422
    c.refresh_from_db()
    assert c.status == ComplaintStatus.RECEIVED


def test_the_contact_is_masked_for_supervisors(world):
    c = complaints.file_complaint(world.mall, "s", "b", agency=world.agencies["DUKCAPIL"], contact="081234567890")
    url = reverse("complaint_detail", kwargs={"mall": world.mall.slug, "complaint_id": c.pk})
    assert "081234567890" in as_user(world, "manager").get(url).content.decode()
    assert "081234567890" not in as_user(world, "sup_dukcapil").get(url).content.decode()


def test_escalated_complaints_are_marked_on_the_desk(world):
    import datetime as dt

    from django.utils import timezone

    complaints.file_complaint(world.mall, "s", "b")
    complaints.escalate_overdue(timezone.now() + dt.timedelta(days=30))
    desk = as_user(world, "manager").get(reverse("complaint_desk", kwargs={"mall": world.mall.slug}))
    assert "escalated-mark" in desk.content.decode()


def test_an_unknown_tracking_code_is_404(client, db):
    assert client.get(reverse("complaint_track", kwargs={"tracking_code": "ADU-XXXX-XXXX"})).status_code == 404
