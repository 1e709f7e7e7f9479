"""Docs in a browser: DOMContentLoaded, first contentful paint and one search keystroke, in headless Chromium.

For each document (GitHub and Stripe by default) `specfirst docs` builds the reference (timed), then Chromium opens
from file:// the API's home page and its largest page (a big API has one page per tag), and types one word in the
search box: the time from the input event to the next painted frame. Where npm is available, Redocly's
`build-docs` output of the same document is measured the same way (installed into test-artifacts/bench-node/).
Targets (not asserted): first paint under 1 s, a keystroke under 100 ms.

    .venv/bin/python bench/docs.py [--quick] [--no-redocly] [DOC ...]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from tests.docs.chromium import Chromium  # noqa: E402 - the repository's own DevTools driver

CORPUS = ROOT.parent / "shared" / "specs"
WORK = ROOT / "test-artifacts" / "bench-docs"
NODE = ROOT / "test-artifacts" / "bench-node"
DEFAULT = ["github-api.json", "stripe-spec3.yaml"]
QUICK = ["github-api.json"]
WORD = "repo"

# first contentful paint may be reported after the load event: wait for it (up to 5 s, -1 when none came)
PAINT = """(async () => {
  const nav = performance.getEntriesByType('navigation')[0];
  const fcp = await new Promise(done => {
    new PerformanceObserver(list => {
      const hit = list.getEntriesByName('first-contentful-paint')[0];
      if (hit) { done(hit.startTime); }
    }).observe({type: 'paint', buffered: true});
    setTimeout(() => done(-1), 5000);
  });
  return [nav.domContentLoadedEventEnd, fcp];
})()"""
# one keystroke: set the word, fire `input`, wait for the frame that shows the result
KEY = """(async () => {
  const box = document.querySelector(%s);
  if (!box) { return -1; }
  box.focus();
  const t0 = performance.now();
  box.value = %s;
  box.dispatchEvent(new Event('input', {bubbles: true}));
  await new Promise(done => requestAnimationFrame(() => setTimeout(done, 0)));
  return performance.now() - t0;
})()"""


def build_ours(spec: Path) -> tuple[Path, float]:
    out = WORK / spec.stem
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "specfirst", "docs", str(spec), "--out", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode:
        raise SystemExit(f"specfirst docs {spec.name} failed: {done.stderr.strip()}")
    return out, time.perf_counter() - started


def build_redocly(spec: Path) -> tuple[Path | None, float]:
    npx = shutil.which("npx")
    if not npx:
        return None, 0.0
    cli = NODE / "node_modules" / ".bin" / "redocly"
    if not cli.exists():
        NODE.mkdir(parents=True, exist_ok=True)
        subprocess.run(["npm", "init", "-y"], cwd=NODE, capture_output=True, check=False)
        install = subprocess.run(
            ["npm", "install", "--no-audit", "--no-fund", "@redocly/cli"], cwd=NODE, capture_output=True, check=False
        )
        if install.returncode or not cli.exists():
            return None, 0.0
    out = WORK / f"redocly-{spec.stem}.html"
    started = time.perf_counter()
    done = subprocess.run(
        [str(cli), "build-docs", str(spec), "-o", str(out)],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "REDOCLY_TELEMETRY": "off", "REDOCLY_SUPPRESS_UPDATE_NOTICE": "true"},
    )
    return (out if done.returncode == 0 and out.exists() else None), time.perf_counter() - started


def measure(browser: Chromium, page: Path, search: str) -> tuple[float, float, float]:
    """(DOMContentLoaded ms, first contentful paint ms, keystroke ms) of one page opened cold."""
    browser.open(page.as_uri())
    dcl, fcp = browser.js(PAINT)
    key = browser.js(KEY % (json.dumps(search), json.dumps(WORD)))
    return float(dcl), float(fcp), float(key)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("docs", nargs="*", help=f"documents in {CORPUS} (default: {' '.join(DEFAULT)})")
    parser.add_argument("--quick", action="store_true", help=f"only {' '.join(QUICK)}")
    parser.add_argument("--no-redocly", action="store_true", help="skip the Redocly comparison")
    args = parser.parse_args()
    names = args.docs or (QUICK if args.quick else DEFAULT)
    rows: list[tuple[str, str, float, int, float, float, float]] = []
    browser = Chromium()
    try:
        for name in names:
            spec = CORPUS / name
            out, built = build_ours(spec)
            htmls = [p for p in out.glob("*.html") if p.name != "index.html"]
            home = min(htmls, key=lambda p: len(p.name))
            largest = max(htmls, key=lambda p: p.stat().st_size)
            for label, page in (("specfirst home", home), ("specfirst largest", largest)):
                dcl, fcp, key = measure(browser, page, "#search")
                rows.append((name, f"{label} ({page.name})", built, page.stat().st_size, dcl, fcp, key))
            if not args.no_redocly:
                redoc, built = build_redocly(spec)
                if redoc is not None:
                    dcl, fcp, key = measure(browser, redoc, 'input[role="search"], input.search-input, input')
                    rows.append((name, "redocly build-docs", built, redoc.stat().st_size, dcl, fcp, key))
                else:
                    print(f"{name}: redocly not available (npm missing or install failed)", file=sys.stderr)
    finally:
        browser.close()
    print(f"{'document':<20} {'page':<48} {'build s':>8} {'size MB':>8} {'DCL ms':>8} {'FCP ms':>8} {'key ms':>8}")
    for name, label, built, size, dcl, fcp, key in rows:
        print(f"{name:<20} {label[:48]:<48} {built:>8.1f} {size / 1e6:>8.2f} {dcl:>8.0f} {fcp:>8.0f} {key:>8.1f}")
    for name in names:
        ours = [r for r in rows if r[0] == name and r[1].startswith("specfirst largest")]
        theirs = [r for r in rows if r[0] == name and r[1] == "redocly build-docs"]
        if ours and theirs and ours[0][5] > 0:
            print(f"{name}: Redocly FCP / specfirst largest-page FCP = {theirs[0][5] / ours[0][5]:.2f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
