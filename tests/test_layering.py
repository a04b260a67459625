"""Layers point down, never up: every import under satuatap/ obeys ``satuatap/layering.py``.

The rules and the picture are in docs/architecture.md. ``scripts/import_table.py`` prints
the app-to-app table this test checks.
"""

from pathlib import Path

import pytest

from satuatap import layering

ROOT = Path(__file__).resolve().parent.parent


def test_no_import_against_the_layers_and_no_private_name_across_modules():
    edges, private = layering.walk_tree(ROOT)
    assert len(edges) > 100, "the walk found the package's imports"
    found = layering.violations(edges, private)
    assert not found, "imports against the layering (docs/architecture.md):\n" + "\n".join(found)


def test_no_two_units_import_each_other():
    edges, _ = layering.walk_tree(ROOT)
    table = layering.unit_table(edges)
    cycles = sorted({tuple(sorted(pair)) for pair in table if (pair[1], pair[0]) in table})
    assert not cycles, f"two-way imports: {cycles}"


def test_every_app_on_disk_is_named_by_the_rules():
    apps = {p.parent.name for p in (ROOT / "satuatap").glob("*/apps.py")}
    named = {unit for layer in layering.LAYERS for unit in layer} | set(layering.LEAVES) | {layering.PROJECT}
    assert apps <= named, f"name these apps in satuatap/layering.py LAYERS: {sorted(apps - named)}"


def test_the_walk_skips_tests_migrations_and_the_test_helper():
    files = {p.relative_to(ROOT).as_posix() for p in layering.python_files(ROOT)}
    assert "satuatap/queueing/tickets.py" in files and "satuatap/layering.py" in files
    assert not any("/tests/" in f or "/migrations/" in f for f in files)
    assert "satuatap/testing.py" not in files


# ------------------------------------------------------------------ the checker checks


def check(source: str, module: str, *, is_package: bool = False) -> list[str]:
    known = {
        "satuatap.booking.slots",
        "satuatap.directory.hours",
        "satuatap.queueing.live",
        "satuatap.queueing.estimates",
        "satuatap.queueing.views.kiosk",
        "satuatap.queueing.models",
    }
    edges, private = layering.walk_source(source, module, is_package=is_package, known_modules=known)
    return layering.violations(edges, private)


@pytest.mark.parametrize(
    "source",
    [
        "from satuatap.queueing.models import QueueSequence\n",
        "import satuatap.queueing.models\n",
        "import satuatap.queueing.models as qm\n",
        "from satuatap.queueing import live\n",
        "def quota():\n    from satuatap.queueing.models import QueueSequence\n    return QueueSequence\n",
        "class Hours:\n    def f(self):\n        if True:\n            import satuatap.queueing.live\n",
        "from ..queueing import live\n",
        "from ..queueing.models import Ticket\n",
    ],
)
def test_an_upward_import_from_the_ground_floor_is_caught_in_every_form(source):
    found = check(source, "satuatap.directory.hours")
    assert found and "directory -> queueing" in found[0], found


def test_a_relative_import_inside_the_app_is_fine():
    assert check("from . import hours\nfrom .models import Mall\n", "satuatap.directory.services") == []
    assert check("from .. import models\n", "satuatap.directory.management", is_package=True) == []


def test_leaves_and_the_library_import_no_domain_app():
    assert "notify -> booking" in check("from satuatap.booking.models import Booking\n", "satuatap.notify.outbox")[0]
    assert "library -> audit" in check("from satuatap.audit.log import record\n", "satuatap.personal_data")[0]
    assert "audit -> accounts" in check("from satuatap.accounts.models import Role\n", "satuatap.audit.admin")[0]
    # Everyone may call a leaf and the library; the project level may import anything.
    assert check("from satuatap.notify import outbox\n", "satuatap.queueing.tickets") == []
    assert check("from satuatap import live, ratelimit\n", "satuatap.directory.services") == []
    assert check("from satuatap.booking import bookings\n", "satuatap.project.management.commands.worker") == []


def test_apps_of_one_layer_do_not_import_each_other_unless_the_rules_name_the_direction():
    assert "booking -> feedback" in check("from satuatap.feedback import skm\n", "satuatap.booking.reminders")[0]
    assert "cases -> complaints" in check("import satuatap.complaints.models\n", "satuatap.cases.services")[0]
    assert check("from satuatap.booking import reminders\n", "satuatap.feedback.survey_links") == []
    assert "queueing -> booking" in check("from satuatap.booking.slots import x\n", "satuatap.queueing.tickets")[0]


def test_an_app_the_rules_do_not_name_is_refused():
    assert check("from satuatap.directory.models import Mall\n", "satuatap.newapp.models")


def test_a_private_name_taken_from_another_module_is_caught():
    found = check("from satuatap.directory.hours import _mall_closures_on\n", "satuatap.booking.slots")
    assert found == [
        "<source>:1: satuatap.booking.slots uses private satuatap.directory.hours._mall_closures_on",
    ]
    found = check("from satuatap.queueing import estimates\nx = estimates._now(None)\n", "satuatap.queueing.tickets")
    assert "uses private satuatap.queueing.estimates._now" in found[0]
    found = check("from .estimates import _now\n", "satuatap.queueing.tickets")
    assert "uses private satuatap.queueing.estimates._now" in found[0]
    # Dunder names and one's own private names are fine.
    assert check("from satuatap.queueing.models import __doc__\n_x = 1\nprint(_x)\n", "satuatap.queueing.tickets") == []


def test_the_table_counts_import_statements_between_units():
    edges, _ = layering.walk_source(
        "from satuatap.directory.models import Mall, Service\nfrom satuatap.directory import hours\n",
        "satuatap.queueing.tickets",
        known_modules={"satuatap.directory.hours"},
    )
    assert layering.unit_table(edges) == {("queueing", "directory"): 2}
    table = layering.format_table(edges)
    assert "queueing" in table and "ok" in table and "two-way pairs (cycles): 0" in table
