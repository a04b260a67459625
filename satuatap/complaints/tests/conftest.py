import pytest


@pytest.fixture(autouse=True)
def _one_working_morning(monday_morning):
    """Complaint tests count working days from "today" through code that reads the clock: it starts at
    MONDAY_MORNING (root conftest), so no day ends during a test (as in feedback/tests, where they were)."""
