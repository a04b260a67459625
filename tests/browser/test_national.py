"""The ministry's and the evaluator's screens in a browser: a self-assessment, the evaluator's scoring and the
printable result with its two parts, the national view of two malls with history, and the open-data page
(screenshots of each)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import Screens
from tests.browser.stack import Harness, Stack
from tests.browser.test_screens_screenshots import shot

pytestmark = pytest.mark.browser

STAFF = (1366, 768)
# The accounts above the malls, and a second mall (Makassar, WITA) from the demo's catalogue; both malls get 60 days
# of generated history ending yesterday, so the national view has figures and a trend.
NATIONAL_SEED = """
import dataclasses
import django

django.setup()
from satuatap.directory.models import Mall
from satuatap.project import demo_malls
from satuatap.testing import PASSWORD, national_users

national_users()
spec = demo_malls.OTHER_MALLS[0]
makassar = demo_malls.build_mall(spec, "x")
for mall, visitors in ((Mall.objects.get(slug="pekanbaru"), 40), (makassar, 25)):
    character = dataclasses.replace(spec.character, visitors_per_day=visitors)
    demo_malls.load_history(mall, character, 60)
print("{}")
"""


@pytest.fixture(scope="module")
def national_stack() -> Iterator[Stack]:
    with Harness(extra_seed=NATIONAL_SEED, web_workers=1) as harness:
        stack = harness.new_stack()
        yield stack
        harness.release(stack)


@pytest.fixture
def national_screens(browser, national_stack) -> Iterator[Screens]:
    s = Screens(browser, national_stack)
    yield s
    s.close()


def test_self_assessment_evaluator_scoring_result_and_national_view(national_screens):
    manager = national_screens.officer("manager", viewport=STAFF, next_path="/m/pekanbaru/evaluasi/")
    expect(manager.locator("#evaluation-category")).to_be_visible()
    row = manager.locator("#evaluation-indicators details").last
    row.locator("summary").click()
    row.locator('input[name="score"]').fill("4")
    row.locator('textarea[name="evidence"]').fill("Aplikasi antrean dan pemesanan daring (satuatap)")
    with manager.expect_navigation():
        row.locator('button[type="submit"]').click()
    expect(manager.locator("#evaluation-indicators")).to_contain_text("Aplikasi antrean dan pemesanan daring")
    manager.locator("#evaluation-indicators details").first.locator("summary").click()
    shot(manager, "evaluation-self-assessment")

    evaluator = national_screens.officer("evaluator", viewport=STAFF, next_path="/m/pekanbaru/evaluasi/")
    with evaluator.expect_navigation():
        evaluator.click("#evaluation-score-link")
    scores = evaluator.locator('#evaluation-score-form input[type="number"]')
    for index in range(scores.count()):
        scores.nth(index).fill("4.6" if index % 2 else "4.2")
    evaluator.locator("#evaluation-score-form textarea").first.fill("Standar pelayanan lengkap untuk semua layanan.")
    with evaluator.expect_navigation():
        evaluator.click("#evaluation-submit")
    expect(evaluator.locator("#evaluation-parts")).to_contain_text("IKM")
    expect(evaluator.locator("#evaluation-indicators")).to_contain_text("Standar pelayanan lengkap")
    assert evaluator.locator("#evaluation-category").inner_text().strip() in {"A", "A-", "B"}
    shot(evaluator, "evaluation-result")

    ministry = national_screens.officer("kementerian", viewport=STAFF, next_path="/nasional/")
    ministry.goto(national_screens.stack.url("/nasional/?sort=visitors_per_day&dir=desc"))
    rows = ministry.locator("#national-table tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.first).to_have_attribute("data-mall", "pekanbaru")  # 40 visitors a day against 25
    expect(ministry.locator("#national-table svg.sparkline")).to_have_count(2)
    expect(rows.first.locator(".category-badge")).to_be_visible()  # scored above, this year
    shot(ministry, "national-view")
    with ministry.expect_navigation():
        rows.nth(1).locator("td a").first.click()
    assert "/m/makassar/laporan/" in ministry.url
    expect(ministry.locator("#numbers-comparison")).to_be_visible()
    public = national_screens.public("/data-terbuka/")
    expect(public.locator("#open-data-files tbody tr")).to_have_count(2)
    shot(public, "open-data")
    errors = [line for line in national_screens.console if "pageerror" in line or "Content Security" in line]
    assert not errors, errors  # no CSP refusal, no script error
