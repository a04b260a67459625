import pytest

from satuatap.complaints import complaints
from satuatap.complaints.models import Complaint

pytestmark = pytest.mark.django_db


def post(client, world, data, mall=None):
    return client.post(f"/api/v1/malls/{mall or world.mall.slug}/complaints", data, content_type="application/json")


def test_filing_and_following_a_complaint_through_the_api(world, client):
    response = post(client, world, {"agency": "DUKCAPIL", "subject": "Antrian", "body": "Lama", "contact": "a@b.id"})
    assert response.status_code == 201
    filed = response.json()
    assert filed["status"] == "received"
    c = Complaint.objects.get(tracking_code=filed["tracking_code"])
    complaints.forward(complaints.verify(c, world.users["manager"]), world.users["manager"], world.agencies["DUKCAPIL"])
    complaints.answer(Complaint.objects.get(pk=c.pk), world.users["sup_dukcapil"], "Sudah ditangani.")
    data = client.get(f"/api/v1/complaints/{filed['tracking_code']}").json()
    assert data["status"] == "answered" and data["answer"] == "Sudah ditangani."
    assert [s["status"] for s in data["history"]] == ["received", "verified", "forwarded", "answered"]


def test_an_anonymous_complaint_without_agency_is_accepted(world, client):
    response = post(client, world, {"subject": "Toilet", "body": "Kotor"})
    assert response.status_code == 201
    assert client.get(f"/api/v1/complaints/{response.json()['tracking_code']}").json()["answer"] is None


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"subject": "", "body": "isi"}, "subject"),
        ({"subject": "s", "body": "  "}, "body"),
        ({"subject": "s" * 201, "body": "isi"}, "subject"),
        ({"subject": "s", "body": "isi", "agency": "TIDAK-ADA"}, "agency"),
    ],
)
def test_bad_input_is_refused_with_the_field_named(world, client, data, field):
    response = post(client, world, data)
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "invalid" and body["detail"]
    assert field in str(body)
    assert not Complaint.objects.exists()


def test_unknown_mall_and_code_are_404(world, client):
    assert post(client, world, {"subject": "s", "body": "b"}, mall="tidak-ada").status_code == 404
    response = client.get("/api/v1/complaints/ADU-XXXX-XXXX")
    assert response.status_code == 404 and response.json()["code"] == "complaint_not_found"


def test_filing_through_the_api_is_rate_limited(world, client):
    codes = [post(client, world, {"subject": "s", "body": "b"}).status_code for _ in range(complaints.FILE_LIMIT + 1)]
    assert codes[-1] == 429
    assert Complaint.objects.count() == complaints.FILE_LIMIT
