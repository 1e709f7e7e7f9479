"""`specfirst docs --site DIR`: a static site (pages, index, search index) whose every link resolves offline,
and the GitHub Pages workflow that publishes it."""

from __future__ import annotations

import json
import re
from pathlib import Path

import yaml

from tests.conftest import ROOT, SPEC_DIR, run_specfirst


def test_site_has_pages_index_and_a_search_index_whose_links_resolve(tmp_path: Path) -> None:
    site = tmp_path / "site"
    result = run_specfirst("docs", "--site", str(site))
    assert result.returncode == 0, result.stderr
    names = {p.name for p in site.iterdir()}
    assert {"index.html", "search-index.json", ".nojekyll", "huawei_apig.html", "rainbond_console.en.html"} <= names
    index = json.loads((site / "search-index.json").read_text(encoding="utf-8"))
    found = {api["api"]: api for api in index["apis"]}
    assert sorted(found) == ["huawei_apig", "rainbond_console"]
    for package, spec_file in (("huawei_apig", "huawei-apig.yaml"), ("rainbond_console", "rainbond-console.yaml")):
        spec = yaml.safe_load((SPEC_DIR / spec_file).read_text(encoding="utf-8"))
        ids = sorted(op["operationId"] for item in spec["paths"].values() for op in item.values())
        assert sorted(e[5] for e in found[package]["operations"]) == ids
        for link, *_ in found[package]["operations"]:
            page, anchor = link.split("#")
            assert f'id="{anchor}"' in (site / page).read_text(encoding="utf-8"), link
    for page in site.glob("*.html"):  # every local link of every page names a file of the site
        for href in re.findall(r'href="([^"#:]+)(?:#[^"]*)?"', page.read_text(encoding="utf-8")):
            assert (site / href).is_file(), (page.name, href)
    again = run_specfirst("docs", "--site", str(site))
    assert again.stdout.strip().endswith(": up to date")


def test_a_site_made_for_some_specs_still_searches_the_apis_it_keeps(tmp_path: Path) -> None:
    specs = tmp_path / "spec"
    specs.mkdir()
    for name in ("huawei-apig.yaml", "rainbond-console.yaml"):
        (specs / name).write_bytes((SPEC_DIR / name).read_bytes())
    site = tmp_path / "site"
    assert run_specfirst("docs", str(specs / "huawei-apig.yaml"), str(specs / "rainbond-console.yaml"),
                         "--site", str(site)).returncode == 0  # fmt: skip
    before = {a["api"]: a for a in json.loads((site / "search-index.json").read_text(encoding="utf-8"))["apis"]}
    huawei = specs / "huawei-apig.yaml"
    huawei.write_text(huawei.read_text(encoding="utf-8").replace("修改APP", "修改APP（新）", 1), encoding="utf-8")
    one = run_specfirst("docs", str(huawei), "--site", str(site))  # rendered again: rainbond's pages are kept
    assert one.returncode == 0, one.stderr
    after = {a["api"]: a for a in json.loads((site / "search-index.json").read_text(encoding="utf-8"))["apis"]}
    assert sorted(after) == ["huawei_apig", "rainbond_console"]
    assert after["rainbond_console"] == before["rainbond_console"]
    assert "修改APP（新）" in json.dumps(after["huawei_apig"], ensure_ascii=False)


def test_site_and_out_together_is_a_usage_error(tmp_path: Path) -> None:
    result = run_specfirst("docs", "--site", str(tmp_path / "a"), "--out", str(tmp_path / "b"))
    assert result.returncode == 2 and result.stderr.count("\n") == 1 and "--site" in result.stderr


def test_pages_workflow_builds_the_site_with_the_official_actions() -> None:
    flow = yaml.safe_load((ROOT / ".github" / "workflows" / "docs.yml").read_text(encoding="utf-8"))
    steps = [s for job in flow["jobs"].values() for s in job["steps"]]
    uses = [s["uses"].split("@")[0] for s in steps if "uses" in s]
    assert ["actions/configure-pages", "actions/upload-pages-artifact", "actions/deploy-pages"] == [
        u for u in uses if u.endswith("-pages") or u.endswith("pages-artifact")
    ]
    (build,) = [s["run"] for s in steps if "specfirst docs --site" in s.get("run", "")]
    target = build.split("--site")[1].split()[0]
    (upload,) = [s for s in steps if s.get("uses", "").startswith("actions/upload-pages-artifact")]
    assert upload["with"]["path"] == target
    assert flow["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}
