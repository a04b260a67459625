"""Content Security Policy: every page carries it, and no page has an inline script the policy would block.

``script-src 'self'`` without 'unsafe-inline' refuses any ``<script>`` without ``src`` (unless it
carries the request's nonce), any ``on…=`` handler attribute and any ``javascript:`` link; a
``<style>`` block would need a nonce too. The walk fetches every page of the project (the tenancy
walk's URLs with real values) as the public, a kiosk, a display, an officer and the manager, and
parses each HTML answer. A scan of the templates finds the same mistakes on pages the walk
cannot reach with data (a form's error state, an empty day).
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from satuatap.accounts.tests.test_tenancy_walk import build_world, requests_to_walk, send, sign_in_as

ROOT = Path(__file__).resolve().parents[1]
DATA_SCRIPT_TYPES = {"application/json", "application/ld+json"}
pytestmark = pytest.mark.usefixtures("monday_morning")


class InlineCodeFinder(HTMLParser):
    """Collects what a strict policy blocks: inline scripts and styles without the nonce, handlers, javascript: URLs."""

    def __init__(self, nonce: str):
        super().__init__(convert_charrefs=True)
        self.nonce = nonce
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"<{tag} {name}=…>")
            if name in ("href", "src", "action", "formaction") and (value or "").strip().lower().startswith(
                "javascript:"
            ):
                self.found.append(f"<{tag} {name}={value!r}>")
        nonced = self.nonce and attributes.get("nonce") == self.nonce
        if tag == "script" and "src" not in attributes and not nonced:
            if (attributes.get("type") or "").lower() not in DATA_SCRIPT_TYPES:
                self.found.append("<script> without src")
        if tag == "style" and not nonced:
            self.found.append("<style> block")


def policy_nonce(policy: str) -> str:
    match = re.search(r"'nonce-([^']+)'", policy)
    return match.group(1) if match else ""


def inline_code(response) -> list[str]:
    finder = InlineCodeFinder(policy_nonce(response.get("Content-Security-Policy", "")))
    finder.feed(response.content.decode(errors="replace"))
    return finder.found


def script_src(policy: str) -> str:
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";") if d.strip())
    return directives.get("script-src", "")


@pytest.mark.parametrize("persona", ["anonymous", "kiosk", "display_a", "officer1", "manager"])
def test_every_page_passes_the_policy(persona, db, settings):
    settings.PUBLIC_RATE_LIMIT = 1_000_000  # one client sending many requests
    world = build_world()
    client = sign_in_as(world, persona)
    failures, pages = [], 0
    for name, path, method, body, _foreign in requests_to_walk(world, persona):
        if method != "get" or name.startswith("api:") or name in ("logout",):
            continue
        response = send(client, method, name, path, body)
        if not response.get("Content-Type", "").startswith("text/html"):
            continue
        pages += 1
        policy = response.get("Content-Security-Policy", "")
        if "'self'" not in script_src(policy) or "unsafe" in script_src(policy):
            failures.append(f"{path} as {persona}: script-src is {script_src(policy)!r}")
        found = inline_code(response)
        if found:
            failures.append(f"{path} as {persona} ({response.status_code}): {sorted(set(found))}")
    assert pages > 10, "the walk reached too few pages to mean anything"
    assert not failures, "\n".join(failures)


def test_the_admin_and_the_api_docs_pass_the_policy(admin_client, client):
    pages = ["/admin/", "/admin/accounts/user/", "/admin/accounts/user/add/", "/api/v1/docs"]
    for path, response in [(p, admin_client.get(p)) for p in pages] + [("/admin/login/", client.get("/admin/login/"))]:
        assert response.status_code == 200, path
        assert "script-src 'self'" in response["Content-Security-Policy"], path
        assert inline_code(response) == [], path


def test_no_template_has_inline_script_handlers_or_style_blocks():
    failures = []
    for template in sorted((ROOT / "satuatap").rglob("templates/**/*.html")):
        finder = InlineCodeFinder(nonce="")
        # Template tags are not HTML: blank them so the parser sees the markup around them.
        finder.feed(re.sub(r"{%.*?%}|{{.*?}}|{#.*?#}", "x", template.read_text(encoding="utf-8"), flags=re.S))
        if finder.found:
            failures.append(f"{template.relative_to(ROOT)}: {sorted(set(finder.found))}")
    assert not failures, "\n".join(failures)


def test_the_finder_sees_what_the_policy_blocks():
    html = (
        '<script>alert(1)</script><script type="module">x()</script><script nonce="n1">ok()</script>'
        '<script src="/static/a.js"></script><script type="application/json" id="d">{}</script>'
        '<button onclick="x()">b</button><a href="javascript:x()">a</a><style>p{}</style>'
    )
    finder = InlineCodeFinder(nonce="n1")
    finder.feed(html)
    assert finder.found == [
        "<script> without src",
        "<script> without src",
        "<button onclick=…>",
        "<a href='javascript:x()'>",
        "<style> block",
    ]
