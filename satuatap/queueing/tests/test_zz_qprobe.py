from django.db import connection
from django.test.utils import CaptureQueriesContext
from satuatap.accounts.tokens import issue_token
from satuatap.queueing import tickets
from satuatap.testing import seat

API = "/api/v1/malls/pekanbaru"

def post(client, url, raw, data=None):
    return client.post(url, data or {}, content_type="application/json", headers={"Authorization": f"Bearer {raw}"})

def test_probe(client, world):
    _, kraw = issue_token(world.users["kiosk"])
    post(client, f"{API}/tickets", kraw, {"service": "DUKCAPIL-KTP"})
    with CaptureQueriesContext(connection) as ctx:
        r = post(client, f"{API}/tickets", kraw, {"service": "DUKCAPIL-KTP"})
    assert r.status_code == 201
    print("\nISSUE", len(ctx.captured_queries))
    for q in ctx.captured_queries: print("  ", q["sql"][:230])
    seat(world, 1)
    _, oraw = issue_token(world.users["officer1"])
    post(client, f"{API}/counters/2/call-next", oraw)
    with CaptureQueriesContext(connection) as ctx:
        r = post(client, f"{API}/counters/1/call-next", oraw)
    assert r.status_code == 200, r.content
    print("\nCALL", len(ctx.captured_queries))
    for q in ctx.captured_queries: print("  ", q["sql"][:230])
