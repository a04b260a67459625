"""The manager's monthly report (issue 13) as it is seen and printed: two months of generated history beside the
test world, the page with its charts, officers and cases at the console's size, and the mayor's PDF's first page.

The servers run on the real clock, so the report asks for November 2026 by its dates; the screenshots are
``docs/screenshots/numbers-report-1366x768.png`` (the whole page) and ``mayor-pdf-page1-<w>x<h>.png``.
"""

from __future__ import annotations

from collections.abc import Iterator

import pymupdf
import pytest
from playwright.sync_api import expect

from tests.browser.conftest import MALL, SCREENSHOTS, Screens
from tests.browser.stack import Harness, Stack

pytestmark = pytest.mark.browser

NOVEMBER = "?period=month&date=2026-11-10"
REPORT_SEED = """
import datetime as dt
import json
import django

django.setup()
from satuatap.accounts.models import User
from satuatap.cases import services as cases
from satuatap.directory.models import Counter, Mall, Service
from satuatap.reports.tests.generated import generate
from satuatap.testing import World

mall = Mall.objects.get(slug="pekanbaru")
world = World(
    mall,
    services={s.code: s for s in Service.objects.filter(mall=mall)},
    counters={c.number: c for c in Counter.objects.filter(mall=mall)},
    users={u.username: u for u in User.objects.filter(mall=mall)},
)
generate(world, dt.date(2026, 10, 1), dt.date(2026, 11, 30), per_day=40)
users = world.users
opening = [("DUKCAPIL-KK", "officer1", "sup_dukcapil"), ("IMIGRASI-PASPOR", "officer3", "sup_imigrasi"),
           ("POLRESTA-SKCK", "officer4", None)]
steps = ("verifikasi", "proses", "setujui", "siapkan", "serahkan")
for i in range(27):
    code, officer, supervisor = opening[i % 3]
    day = dt.datetime(2026, 11, 2 + i, 9, tzinfo=dt.timezone(dt.timedelta(hours=7)))
    case = cases.open_case(users[officer], world.services[code], nik="1471011203900001", name="Siti Aminah", now=day)
    if supervisor and i % 4:
        done = day + dt.timedelta(days=i % 5)  # 0-4 days; due the next day, so some are late
        for step in steps:
            cases.act(users[supervisor if step == "setujui" else officer], case, step, now=done)
print(json.dumps({}))
"""


@pytest.fixture(scope="module")
def report_stack() -> Iterator[Stack]:
    with Harness(extra_seed=REPORT_SEED, web_workers=1) as harness:
        stack = harness.new_stack()
        yield stack
        harness.release(stack)


@pytest.fixture
def report_screens(browser, report_stack) -> Iterator[Screens]:
    s = Screens(browser, report_stack)
    yield s
    s.close()


def test_the_monthly_report_with_its_charts_officers_and_cases(report_screens):
    path = f"/m/{MALL}/laporan/"
    manager = report_screens.officer("manager", viewport=(1366, 768), next_path=path)
    manager.goto(report_screens.stack.url(path + NOVEMBER))
    expect(manager.locator("#numbers-scope")).to_contain_text("1 November 2026")
    for chart in ("arrivals", "waits", "heatmap", "trend"):
        expect(manager.locator(f"#chart-{chart} svg")).to_be_visible()
    expect(manager.locator("#numbers-attendance tbody tr")).to_have_count(4)
    expect(manager.locator("#numbers-cases-agency tbody tr")).to_have_count(3)
    # Nothing overflows the page sideways at the console's width.
    width = manager.evaluate("document.scrollingElement.scrollWidth")
    assert width <= 1366, f"the report is {width}px wide"
    manager.evaluate("document.fonts.ready")
    manager.screenshot(path=SCREENSHOTS / "numbers-report-1366x768.png", full_page=True)

    response = manager.request.get(report_screens.stack.url(path + "laporan.pdf" + NOVEMBER))
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
    document = pymupdf.open(stream=response.body(), filetype="pdf")
    first = document[0]
    text = first.get_text()
    assert "LAPORAN KINERJA PELAYANAN" in text and "Kedatangan per jam" in text
    picture = first.get_pixmap(dpi=100)
    picture.save(SCREENSHOTS / f"mayor-pdf-page1-{picture.width}x{picture.height}.png")
