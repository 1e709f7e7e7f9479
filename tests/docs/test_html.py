"""Each HTML page, opened from file:// in headless Chromium (Debian's package), shows everything, offline.

Asserted on the rendered DOM: every operation, parameter, field, status and error code is visible; no console
errors or uncaught exceptions; no request leaves file://; no horizontal overflow at a 390 px phone width;
print CSS present; search filters; curl blocks are copy-able text. Screenshots go to test-artifacts/docs/.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from tests.conftest import ROOT, SPEC_DIR
from tests.docs.chromium import Chromium

ARTIFACTS = ROOT / "test-artifacts" / "docs"
PAGES = {"huawei_apig": "huawei-apig.yaml", "rainbond_console": "rainbond-console.yaml"}


@pytest.fixture(scope="module")
def browser() -> Iterator[Chromium]:
    chromium = Chromium()
    try:
        yield chromium
    finally:
        chromium.close()


def _visible_texts(browser: Chromium, selector: str) -> list[str]:
    expression = f"""Array.from(document.querySelectorAll({json.dumps(selector)}))
        .filter(e => e.offsetParent !== null && e.getClientRects().length > 0)
        .map(e => e.innerText.trim())"""
    return list(browser.js(expression))


def _spec_facts(spec: dict) -> tuple[list[str], list[str], list[str], list[str]]:  # type: ignore[type-arg]
    ops, params, statuses, codes = [], [], [], []
    for path, item in spec["paths"].items():
        for method, op in item.items():
            ops.append(f"{method.upper()} {path}")
            params += [p["name"] for p in op.get("parameters", [])]
            for status, response in op["responses"].items():
                statuses.append(status)
                for media in response.get("content", {}).values():
                    for example in media.get("examples", {}).values():
                        value = example.get("value")
                        if isinstance(value, dict) and "error_code" in value:
                            codes.append(value["error_code"])
    return ops, params, statuses, codes


@pytest.mark.parametrize("package", sorted(PAGES))
def test_page_shows_everything_offline_without_errors(browser: Chromium, docs_dir: Path, package: str) -> None:
    page = docs_dir / f"{package}.html"
    browser.open(page.as_uri())
    spec = yaml.safe_load((SPEC_DIR / PAGES[package]).read_text(encoding="utf-8"))
    ops, params, statuses, codes = _spec_facts(spec)
    endpoints = _visible_texts(browser, "section.op .endpoint")
    assert sorted(e.replace("\n", " ").replace("  ", " ") for e in endpoints) == sorted(ops)
    visible_params = _visible_texts(browser, "table.params td:first-child")
    assert set(params) | {"body"} == set(visible_params)
    for name, schema in spec["components"]["schemas"].items():
        assert browser.js(f"document.getElementById({json.dumps('model-' + name.lower())}).offsetParent !== null")
        fields = _visible_texts(browser, f"#model-{name.lower()} table.fields td:first-child")
        assert fields == list(schema.get("properties", {})), name
    shown_statuses = _visible_texts(browser, "table.responses td:first-child")
    assert sorted(shown_statuses) == sorted(statuses)
    error_list = " ".join(_visible_texts(browser, "ul.codes li"))
    for status in statuses:
        if not status.startswith("2"):
            assert status in error_list
    for code in codes:
        assert code in error_list
    for scheme in spec["components"]["securitySchemes"].values():
        assert scheme["name"] in _visible_texts(browser, "table.auth td:first-child")
    curl = _visible_texts(browser, "pre.shell")
    assert curl and all(c.startswith("curl -X ") for c in curl)
    assert len(_visible_texts(browser, "button.copy")) >= len(curl)
    browser.screenshot(ARTIFACTS / f"{package}-desktop.png")
    assert browser.problems() == []
    assert [u for u in browser.requests() if not u.startswith("file://")] == []


@pytest.mark.parametrize("package", sorted(PAGES))
def test_phone_width_has_no_horizontal_overflow(browser: Chromium, docs_dir: Path, package: str) -> None:
    browser.open((docs_dir / f"{package}.html").as_uri(), width=390, height=844, mobile=True)
    width = browser.js("document.documentElement.scrollWidth")
    assert width <= 390, f"page is {width}px wide at a 390px viewport"
    assert browser.js("getComputedStyle(document.querySelector('nav.side')).position") == "static"
    browser.screenshot(ARTIFACTS / f"{package}-phone.png", full_page=False)
    assert browser.problems() == []


def test_print_media_hides_navigation(browser: Chromium, docs_dir: Path) -> None:
    page = docs_dir / "huawei_apig.html"
    assert "@media print" in page.read_text(encoding="utf-8")
    browser.open(page.as_uri())
    browser.call("Emulation.setEmulatedMedia", {"media": "print"})
    try:
        assert browser.js("getComputedStyle(document.querySelector('nav.side')).display") == "none"
        assert browser.js("getComputedStyle(document.querySelector('button.copy')).display") == "none"
    finally:
        browser.call("Emulation.setEmulatedMedia", {"media": ""})


def _search(browser: Chromium, words: str) -> None:
    browser.js(
        f"(s => {{ s.value = {json.dumps(words)}; s.dispatchEvent(new Event('input')); }})"
        "(document.getElementById('search'))"
    )


def test_search_filters_operations_and_models(browser: Chromium, docs_dir: Path) -> None:
    browser.open((docs_dir / "huawei_apig.html").as_uri())
    _search(browser, "APIG.3002")
    assert _visible_texts(browser, "section.op h2") == ["修改APP"]
    assert _visible_texts(browser, "section.model h3") == []
    _search(browser, "roma_app_type")
    assert _visible_texts(browser, "section.model h3") == ["AppInfo"]
    _search(browser, "no-such-thing")
    assert _visible_texts(browser, "#nomatch") != []
    assert browser.problems() == []


def test_index_lists_every_api(browser: Chromium, docs_dir: Path) -> None:
    browser.open((docs_dir / "index.html").as_uri())
    hrefs = browser.js("Array.from(document.querySelectorAll('table.apis a')).map(a => a.getAttribute('href'))")
    for package in PAGES:
        assert f"{package}.html" in hrefs and f"{package}.md" in hrefs and f"{package}.en.md" in hrefs
    browser.screenshot(ARTIFACTS / "index.png")
    assert browser.problems() == []
    assert [u for u in browser.requests() if not u.startswith("file://")] == []
