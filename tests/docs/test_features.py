"""The docs' interactive features in headless Chromium (one browser for the module): rendered Markdown that runs
nothing hostile, tag navigation and its expanders, the language link, the curl/Python/async sample toggle,
search across tags; on every page no console error, no request outside file://, no overflow at 390 px.
Screenshots go to test-artifacts/docs/.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ROOT, run_specfirst
from tests.docs.chromium import Chromium

ARTIFACTS = ROOT / "test-artifacts" / "docs"
SPECS = Path(__file__).resolve().parent / "specs"


@pytest.fixture(scope="module")
def browser() -> Iterator[Chromium]:
    chromium = Chromium()
    try:
        yield chromium
    finally:
        chromium.close()


def _many(count: int = 120, tags: int = 6) -> dict[str, Any]:
    """A spec big enough to be split into one page per tag; tag t<k> owns its own model M<k>."""
    paths = {
        f"/items{i}/{{item_id}}": {
            "get": {
                "operationId": f"op{i}",
                "tags": [f"t{i % tags}"],
                "summary": f"Operation number {i}",
                "parameters": [{"name": "item_id", "in": "path", "required": True, "schema": {"type": "string"}}],
                "responses": {
                    "200": {
                        "description": "ok",
                        "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/M{i % tags}"}}},
                    }
                },
            }
        }
        for i in range(count)
    }
    schemas = {f"M{k}": {"type": "object", "properties": {"value": {"type": "string"}}} for k in range(tags)}
    return {
        "openapi": "3.0.3",
        "info": {"title": "Many", "version": "1"},
        "paths": paths,
        "components": {"schemas": schemas},
    }


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("features") / "docs"
    many = out.parent / "many.json"
    many.write_text(json.dumps(_many()), encoding="utf-8")
    specs = [str(SPECS / "hostile-prose.yaml"), str(SPECS / "tagged.yaml"), str(ROOT / "spec" / "huawei-apig.yaml")]
    specs.append(str(many))
    result = run_specfirst("docs", *specs, "--out", str(out))
    assert result.returncode == 0, result.stderr
    return out


def _clean(browser: Chromium) -> None:
    assert browser.problems() == []
    assert [u for u in browser.requests() if not u.startswith("file://")] == []


def _visible(browser: Chromium, selector: str) -> list[str]:
    return list(
        browser.js(
            f"Array.from(document.querySelectorAll({json.dumps(selector)}))"
            ".filter(e => e.checkVisibility() && e.getClientRects().length > 0).map(e => e.innerText.trim())"
        )
    )


def test_hostile_descriptions_run_nothing(browser: Chromium, pages: Path) -> None:
    browser.open((pages / "hostile_prose.html").as_uri())
    for anchor in browser.js("Array.from(document.querySelectorAll('a')).map(a => a.getAttribute('href'))"):
        assert anchor.startswith(("http://", "https://", "mailto:", "#")) or anchor == "index.html", anchor
    browser.js(
        "document.querySelectorAll('a, b, p, li, td').forEach(e => e.dispatchEvent(new MouseEvent('mouseover')))"
    )
    assert browser.js("window.pwned === undefined")
    assert browser.js("document.scripts.length") == 1  # the page's own script only
    on_attributes = (
        "Array.from(document.querySelectorAll('*')).flatMap(e => e.getAttributeNames()).filter(n => /^on/.test(n))"
    )
    assert browser.js(on_attributes) == []
    assert browser.js("document.querySelectorAll('iframe, img, svg, style:not(head style)').length") == 0
    prose = browser.js("document.querySelector('header.top .prose').innerHTML")
    assert "<strong>bold</strong>" in prose and "<code>code</code>" in prose
    assert '<a href="https://example.com/x">safe link</a>' in prose
    assert "&lt;script&gt;" in prose  # shown as text
    assert _visible(browser, "#get_thing .prose li") == ["one", 'two <b onmouseover="window.pwned=1">hover</b>']
    browser.screenshot(ARTIFACTS / "hostile-prose.png")
    _clean(browser)


def test_tags_group_the_navigation_and_the_page(browser: Chromium, pages: Path) -> None:
    browser.open((pages / "tagged.html").as_uri())
    assert _visible(browser, "nav.side h2.group") == ["Catalogue", "Sales", "default"]
    assert _visible(browser, "nav.side details.tag > summary") == ["pets", "orders", "users", "default"]
    assert _visible(browser, "section.tag > h2.tag-name") == [
        "Catalogue pets", "Sales orders", "Sales users", "default"]  # fmt: skip
    sections = (
        "Array.from(document.querySelectorAll('section.tag'))"
        ".map(t => [t.id, Array.from(t.querySelectorAll('section.op')).map(o => o.id)])"
    )
    assert browser.js(sections) == [
        ["tag-pets", ["getPet"]],
        ["tag-orders", ["placeOrder"]],
        ["tag-users", ["deleteUser"]],
        ["tag-default", ["health"]],
    ]
    browser.js("document.querySelector('nav.side a[href=\"#placeOrder\"]').click()")
    assert browser.js("location.hash") == "#placeOrder"
    assert browser.js("document.getElementById('placeOrder').getBoundingClientRect().top") < 100
    # the tag expanders of the navigation fold their operations away and back
    browser.js("document.querySelector('nav.side details.tag summary').click()")
    assert "GET Find a pet by id" not in _visible(browser, "nav.side li a")
    browser.js("document.querySelector('nav.side details.tag summary').click()")
    assert "GET Find a pet by id" in _visible(browser, "nav.side li a")
    browser.screenshot(ARTIFACTS / "tagged-desktop.png")
    _clean(browser)


def test_search_across_tags(browser: Chromium, pages: Path) -> None:
    browser.open((pages / "tagged.html").as_uri())
    browser.js("(s => { s.value = 'order'; s.dispatchEvent(new Event('input')); })(document.getElementById('search'))")
    assert _visible(browser, "section.op > h2") == ["Place an order"]
    browser.js("(s => { s.value = 'users'; s.dispatchEvent(new Event('input')); })(document.getElementById('search'))")
    assert _visible(browser, "section.op > h2") == ["Delete a user"]
    browser.js("(s => { s.value = ''; s.dispatchEvent(new Event('input')); })(document.getElementById('search'))")
    assert len(_visible(browser, "section.op > h2")) == 4
    _clean(browser)


def test_sample_tabs_and_async_toggle(browser: Chromium, pages: Path) -> None:
    browser.open((pages / "huawei_apig.html").as_uri())
    assert [t.startswith("curl -X PUT") for t in _visible(browser, "#update_app .pane pre")] == [True]
    browser.js("document.querySelector('#update_app .tab[data-tab=\"python\"]').click()")
    (sync,) = _visible(browser, "#update_app .pane pre")
    assert "apig.update_app(" in sync and "await" not in sync
    browser.js("(c => { c.click(); })(document.querySelector('#update_app .async-toggle'))")
    (run_async,) = _visible(browser, "#update_app .pane pre")
    assert "await apig.update_app(" in run_async and "asyncio.run(main())" in run_async
    browser.js("document.querySelector('#update_app .tab[data-tab=\"curl\"]').click()")
    assert _visible(browser, "#update_app .pane pre")[0].startswith("curl -X PUT")
    assert _visible(browser, "#update_app label.async") == []
    browser.screenshot(ARTIFACTS / "samples.png", full_page=False)
    _clean(browser)


def test_language_link_switches_the_ui(browser: Chromium, pages: Path) -> None:
    browser.open((pages / "huawei_apig.html").as_uri())
    assert browser.js("document.documentElement.lang") == "zh-CN"
    assert "请求参数" in _visible(browser, "section.op h3")
    _clean(browser)
    browser.events.clear()  # `open` leaves its load event on record: wait for the next page's own
    browser.js("document.querySelector('a.lang[hreflang=\"en\"]').click()")
    browser.wait_for("Page.loadEventFired")
    assert browser.js("location.pathname").endswith("/huawei_apig.en.html")
    assert browser.js("document.documentElement.lang") == "en"
    assert "Parameters" in _visible(browser, "section.op h3")
    assert browser.js("document.querySelector('a.lang[hreflang=\"zh\"]').getAttribute('href')") == "huawei_apig.html"
    _clean(browser)


@pytest.mark.parametrize("page", ["tagged.html", "hostile_prose.html", "huawei_apig.en.html", "many.tag-t1.html"])
def test_no_overflow_at_phone_width(browser: Chromium, pages: Path, page: str) -> None:
    browser.open((pages / page).as_uri(), width=390, height=844, mobile=True)
    browser.js("document.querySelectorAll('.tab[data-tab=\"python\"]').forEach(b => b.click())")
    assert browser.js("document.documentElement.scrollWidth") <= 390
    browser.screenshot(ARTIFACTS / f"phone-{page.replace('.html', '')}.png", full_page=False)
    _clean(browser)


def test_schema_expanders_alternatives_enums_and_marks(browser: Chromium, pages: Path) -> None:
    browser.open((pages / "tagged.html").as_uri())
    owner = "#model-owner > .table-wrap > table.fields"
    assert _visible(browser, f"{owner} > tbody > tr > td:first-child > code") == ["password", "address", "kind"]
    assert _visible(browser, f"{owner} .badge.mark") == ["write-only"]
    assert 'enum: "person", "shop"' in " ".join(_visible(browser, f"{owner} td.c"))
    assert "city" not in _visible(browser, "#model-owner code")  # folded
    browser.js("document.querySelector('#model-owner details.nested > summary').click()")
    assert {"city", "zip"} <= set(_visible(browser, "#model-owner details.nested td:first-child code"))
    assert _visible(browser, "#model-payment h4") == ["One of"]
    assert [t.split("\n")[0] for t in _visible(browser, "#model-payment ol.alternatives > li")] == [
        "Card", "object · Bank transfer"]  # fmt: skip
    link = "document.querySelector('#model-payment ol.alternatives a').getAttribute('href')"
    assert browser.js(link) == "#model-card"
    assert "iban" not in _visible(browser, "#model-payment code")
    browser.js("document.querySelector('#model-payment details.nested > summary').click()")
    assert "iban" in _visible(browser, "#model-payment code")
    browser.screenshot(ARTIFACTS / "schemas.png")
    _clean(browser)


def test_a_big_api_has_one_page_per_tag_and_one_of_its_models(pages: Path) -> None:
    names = sorted(p.name for p in pages.glob("many*.html"))
    assert names == ["many.html", "many.models.html"] + [f"many.tag-t{k}.html" for k in range(6)]
    home = (pages / "many.html").read_text(encoding="utf-8")
    assert 'class="op"' not in home and home.count('href="many.tag-t') >= 12  # navigation and tag list
    assert 'href="many.models.html"' in home
    page = (pages / "many.tag-t2.html").read_text(encoding="utf-8")
    assert page.count('<section class="op"') == 20 and 'id="op2"' in page and 'id="op3"' not in page
    assert 'class="model"' not in page and 'href="#model-' not in page  # each model is shown once, on its page
    assert 'href="many.models.html#model-m2"' in page and 'href="many.models.html#model-m3"' not in page
    models = (pages / "many.models.html").read_text(encoding="utf-8")
    assert models.count('<section class="model"') == 6 and 'class="op"' not in models
    assert all(f'href="#model-m{k}"' in models for k in range(6))  # its own list links within the page
    index = (pages / "index.html").read_text(encoding="utf-8")
    assert 'href="many.tag-t5.html"' in index


def test_a_model_link_on_a_tag_page_opens_the_model(browser: Chromium, pages: Path) -> None:
    browser.open((pages / "many.tag-t4.html").as_uri())
    browser.events.clear()  # `open` leaves its load event on record: wait for the next page's own
    browser.js("document.querySelector('#op4 a[href$=\"#model-m4\"]').click()")
    browser.wait_for("Page.loadEventFired")
    assert browser.js("location.pathname").endswith("/many.models.html") and browser.js("location.hash") == "#model-m4"
    assert browser.js("document.getElementById('model-m4').getBoundingClientRect().top < window.innerHeight")
    assert "value" in _visible(browser, "#model-m4 table.fields td:first-child code")
    _clean(browser)


def test_search_across_tag_pages(browser: Chromium, pages: Path) -> None:
    browser.open((pages / "many.tag-t0.html").as_uri())
    browser.js(
        "(s => { s.value = 'number 117'; s.dispatchEvent(new Event('input')); })(document.getElementById('search'))"
    )
    assert _visible(browser, "#results a") == ["GET Operation number 117 t3"]
    assert _visible(browser, "#browse") == []
    _clean(browser)
    browser.events.clear()  # `open` leaves its load event on record: wait for the next page's own
    browser.js("document.querySelector('#results a').click()")
    browser.wait_for("Page.loadEventFired")
    assert browser.js("location.pathname").endswith("/many.tag-t3.html") and browser.js("location.hash") == "#op117"
    # scrolled to it (the last operation of its page: as far as the page goes)
    assert browser.js("window.scrollY") > 0
    assert 0 <= browser.js("document.getElementById('op117').getBoundingClientRect().top") < 400
    browser.js(
        "(s => { s.value = 'no such words'; s.dispatchEvent(new Event('input')); })(document.getElementById('search'))"
    )
    assert _visible(browser, "#results li") == ["No match"]
    browser.screenshot(ARTIFACTS / "tag-page.png", full_page=False)
    _clean(browser)


def test_a_big_api_without_tags_gets_a_page_per_leading_path(tmp_path: Path) -> None:
    spec = _many()
    for item in spec["paths"].values():
        del item["get"]["tags"]
    spec["paths"] = {f"/v1/area{i % 4}{p}": item for i, (p, item) in enumerate(spec["paths"].items())}
    (tmp_path / "untagged.json").write_text(json.dumps(spec), encoding="utf-8")
    result = run_specfirst("docs", str(tmp_path / "untagged.json"), "--out", str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    names = sorted(p.name for p in (tmp_path / "out").glob("untagged*.html"))
    assert names == ["untagged.html", "untagged.models.html"] + [f"untagged.tag-v1-area{k}.html" for k in range(4)]
    page = (tmp_path / "out" / "untagged.tag-v1-area1.html").read_text(encoding="utf-8")
    assert page.count('<section class="op"') == 30 and "default" in page


def _wide(models: int = 120) -> dict[str, Any]:
    """Three operations reaching `models` component schemas: one page holding more sections than a screen shows."""
    every = {"type": "object", "properties": {f"p{k}": {"$ref": f"#/components/schemas/M{k}"} for k in range(models)}}
    schemas: dict[str, Any] = {
        f"M{k}": {"type": "object", "properties": {f"field{k}": {"type": "string"}}} for k in range(models)
    }
    schemas["Every"] = every
    answer = {
        "200": {
            "description": "ok",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Every"}}},
        }
    }
    names = ("alpha", "bravo", "charlie")
    paths = {f"/{n}": {"get": {"operationId": n, "summary": f"Operation {n}", "responses": answer}} for n in names}
    return {
        "openapi": "3.0.3",
        "info": {"title": "Wide", "version": "1"},
        "paths": paths,
        "components": {"schemas": schemas},
    }


def test_a_page_with_many_sections_lays_out_only_what_is_near_the_screen(browser: Chromium, tmp_path: Path) -> None:
    spec = tmp_path / "wide.json"
    spec.write_text(json.dumps(_wide()), encoding="utf-8")
    assert run_specfirst("docs", str(spec), "--out", str(tmp_path / "docs")).returncode == 0
    browser.open((tmp_path / "docs" / "wide.html").as_uri())
    style = "getComputedStyle(document.querySelector('section.model')).contentVisibility"
    assert browser.js("document.body.className") == "big" and browser.js(style) == "auto"
    browser.js("(s => { s.value = 'bravo'; s.dispatchEvent(new Event('input')); })(document.getElementById('search'))")
    assert _visible(browser, "section.op > h2") == ["Operation bravo"]
    browser.js("document.getElementById('model-m119').scrollIntoView()")
    shown = browser.js(
        "new Promise(done => requestAnimationFrame(() => requestAnimationFrame(() =>"
        " done(document.querySelector('#model-m119 table.fields td:first-child').innerText.trim()))))"
    )
    assert shown == "field119"  # what comes into view is rendered
    _clean(browser)


def test_a_small_page_is_laid_out_whole(browser: Chromium, pages: Path) -> None:
    browser.open((pages / "huawei_apig.html").as_uri())
    assert browser.js("document.body.className") == ""
    assert browser.js("getComputedStyle(document.querySelector('section.model')).contentVisibility") == "visible"
