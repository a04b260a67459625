"""Registration numbers under 16 threads opening cases at once: real connections, committed transactions."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from satuatap.cases import services
from satuatap.cases.models import Case
from satuatap.cases.tests.conftest import NIK
from satuatap.testing import make_world

THREADS = 16


def run_together(target, count) -> list:
    barrier = threading.Barrier(count)
    results: list = [None] * count

    def wrapper(i):
        try:
            barrier.wait()
            results[i] = target()
        except BaseException as exc:  # reported to the test thread
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=wrapper, args=(i,)) for i in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


@pytest.mark.django_db(transaction=True)
def test_sixteen_officers_opening_at_once_get_sixteen_numbers():
    world = make_world()
    service = world.services["DUKCAPIL-KK"]
    services.workflow_for(service)
    officer = world.users["officer1"]

    results = run_together(lambda: services.open_case(officer, service, nik=NIK, name="Warga"), THREADS)

    assert all(isinstance(r, Case) for r in results), results
    numbers = sorted(r.registration_number for r in results)
    assert numbers == [f"PEK-2026-DUKCAPIL-{n:06d}" for n in range(1, THREADS + 1)]
    assert Case.objects.count() == THREADS
