import pytest

from satuatap.cases import services
from satuatap.testing import make_world

NIK = "1471011203900001"
PHONE = "081234567890"


@pytest.fixture(autouse=True)
def _one_working_morning(monday_morning):
    """Case tests count working days from "today" through code that reads the clock: it starts at
    MONDAY_MORNING (root conftest), Monday 23 November 2026 09:00 WIB."""


@pytest.fixture
def world(db):
    world = make_world(always_open=False)
    world.services["DUKCAPIL-KK"].requirements = "KTP-el asli\nKartu Keluarga lama\nSurat pengantar RT/RW"
    world.services["DUKCAPIL-KK"].duration = "3 hari kerja"
    world.services["DUKCAPIL-KK"].completion_working_days = 3
    world.services["DUKCAPIL-KK"].save()
    return world


def open_kk(world, actor="officer1", **fields):
    values = {"nik": NIK, "name": "Siti Aminah", "phone": PHONE, **fields}
    return services.open_case(world.users[actor], world.services["DUKCAPIL-KK"], **values)
