"""Lighthouse (mobile) scores the home page, a project, the search page and the statistics page in English and
French at 95 or more in performance, accessibility, best practices and SEO.

Lighthouse comes from npm (tests/validators/package.json, pinned: 12.2.3 runs on Node 20) and drives Debian's
chromium (CHROME_PATH) headless against the served showcase with its search index. The scores are printed."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.slow]

LIGHTHOUSE = Path(__file__).parents[1] / "validators" / "node_modules" / ".bin" / "lighthouse"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
PAGES = ("{lang}/", "{lang}/projects/coop4int/", "{lang}/search/", "{lang}/statistics/")
SCORES: dict[str, dict[str, int]] = {}


@pytest.fixture(scope="module", autouse=True)
def report():
    yield
    if SCORES:
        print("\nLighthouse (mobile): " + "; ".join(f"{page} " + " ".join(f"{c[:4]} {s}" for c, s in scores.items())
                                               for page, scores in SCORES.items()))


@pytest.mark.parametrize("lang", ["en", "fr"])
@pytest.mark.parametrize("path", PAGES)
def test_lighthouse_mobile_scores_are_95_or_more(site, tmp_path, path, lang):
    if not LIGHTHOUSE.is_file():
        pytest.fail(f"{LIGHTHOUSE} is missing: run bash scripts/setup.sh --no-build")
    out = tmp_path / "report.json"
    page = path.format(lang=lang)
    subprocess.run([str(LIGHTHOUSE), site.url(page), "--quiet", "--output=json", f"--output-path={out}",
                    f"--only-categories={','.join(CATEGORIES)}",
                    "--chrome-flags=--headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage"],
                   check=True, timeout=300, env={**os.environ, "CHROME_PATH": "/usr/bin/chromium"},
                   capture_output=True)
    result = json.loads(out.read_text(encoding="utf-8"))
    scores = {c: round(result["categories"][c]["score"] * 100) for c in CATEGORIES}
    SCORES[page] = scores
    failing = {a["id"]: a.get("displayValue") for a in result["audits"].values()
               if a.get("score") is not None and a["score"] < 0.9 and a.get("scoreDisplayMode") == "binary"}
    assert min(scores.values()) >= 95, (scores, failing)
