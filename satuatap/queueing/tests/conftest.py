import pytest


@pytest.fixture(autouse=True)
def _one_working_morning(monday_morning):
    """Queue tests run on a clock that starts at MONDAY_MORNING (root conftest).

    The queue is per local day: a test that issues a ticket and then calls it through code that reads
    the clock would find nothing to call if the mall's midnight passed in between. Tests about the
    day's edges (midnight, closing time, other zones) pass their own ``now``.
    """
