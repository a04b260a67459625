"""The admin's action forms in the project's one form layout (issue 11): 44 px targets in the action bar,
the same look as the complaint form, desk and login; a screenshot at the console's size."""

import pytest
from playwright.sync_api import expect

from tests.browser.stack import PYTHON
from tests.browser.test_accessibility import assert_accessible
from tests.browser.test_booking import run_in_stack
from tests.browser.test_screens_screenshots import shot

pytestmark = pytest.mark.browser

CONSOLE = (1366, 768)
# The seeded manager is not staff; in the demo the manager is (demo.py). This module's own database only.
MANAGER_IN_THE_ADMIN = """
import django
django.setup()
from satuatap.accounts.models import User
User.objects.filter(username="manager").update(is_staff=True, is_superuser=True)
"""
CONTROL_HEIGHTS = (
    "[...document.querySelectorAll("
    "'#changelist .actions :is(select, button), #toolbar :is(#searchbar, [type=submit])')]"
    ".map(e => e.getBoundingClientRect().height)"
)


def test_an_admin_action_form_has_the_projects_form_layout(screens):
    run_in_stack(screens.stack, [PYTHON, "-c", MANAGER_IN_THE_ADMIN])
    admin = screens.officer("manager", viewport=CONSOLE, next_path="/admin/accounts/apitoken/")
    admin.locator("#result_list tbody input.action-select").first.check()
    admin.select_option("#changelist .actions select[name=action]", "revoke_selected")
    expect(admin.locator("#changelist .actions .action-counter")).to_contain_text("1")
    heights = admin.evaluate(CONTROL_HEIGHTS)
    assert len(heights) == 4 and min(heights) >= 44, heights
    stylesheets = admin.evaluate("[...document.styleSheets].map(s => s.href || '')")
    assert any(href.endswith("/satuatap/admin.css") for href in stylesheets), stylesheets
    assert_accessible(admin, "admin action form")
    shot(admin, "admin-action")
