"""axe-core finds no serious or critical accessibility problem on the showcase's main kinds of page.

axe-core comes from npm (tests/accessibility/package.json; `npm ci` there, which scripts/setup.sh runs)
and is injected into the pages opened in Debian's chromium: the home page, a project, a strategy, a
discussion, an organisation, a country page and the search page with results, in English and French,
checked against WCAG 2.0, 2.1 and 2.2 (A and AA) and axe's best practices. The static gates (valid HTML5,
text alternatives) are in tests/test_quality.py.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

AXE = Path(__file__).parents[1] / "accessibility" / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
PAGES = {
    "home": "{lang}/",
    "project": "{lang}/projects/migravalue/",
    "strategy": "{lang}/strategies/valencian-migration-strategy-2021-2026/",
    "discussion": "{lang}/discussions/territorial-approach-migration-development-2013/",
    "organisation": "{lang}/organisations/icmpd/",
    "country": "{lang}/countries/pt/",
    "search": "{lang}/search/?q=migration",
}
RESULTS: dict[str, dict] = {}


@pytest.fixture(scope="module")
def axe_tab(chromium, site):
    """A tab on the served showcase; the page's CSP is bypassed only so that axe can be injected."""
    if not AXE.is_file():
        pytest.fail(f"{AXE} is missing: run `npm ci` in tests/accessibility (scripts/setup.sh does)")
    context = chromium.new_context(bypass_csp=True, viewport={"width": 1280, "height": 900})
    yield context.new_page()
    context.close()
    if RESULTS:
        rules = set().union(*(r["rules"] for r in RESULTS.values()))
        lesser = Counter(impact for r in RESULTS.values() for impact in r["lesser"])
        print(f"\naccessibility: axe-core {next(iter(RESULTS.values()))['version']} checked {len(rules)} rules "
              f"({', '.join(AXE_TAGS)}) on {len(RESULTS)} pages: 0 serious or critical violations"
              + (f"; lesser ones: {dict(lesser)}" if lesser else ", and no lesser ones"))


@pytest.mark.parametrize("lang", ["en", "fr"])
@pytest.mark.parametrize("kind", list(PAGES))
def test_axe_finds_no_serious_or_critical_violation(axe_tab, site, kind, lang):
    page = axe_tab
    response = page.goto(site.url(PAGES[kind].format(lang=lang)))
    assert response is not None and response.ok
    if kind == "search":
        page.wait_for_function("() => { const r = document.querySelector('.search-results');"
                               " return r && !r.hasAttribute('aria-busy') && document.querySelectorAll('.result').length > 0; }",
                               timeout=20_000)
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
                           AXE_TAGS)
    rules = {r["id"] for key in ("passes", "violations", "incomplete", "inapplicable") for r in result[key]}
    serious = [f"{v['id']} ({v['impact']}): {v['help']} at " + "; ".join(str(n["target"]) for n in v["nodes"][:3])
               for v in result["violations"] if v["impact"] in ("serious", "critical")]
    RESULTS[f"{lang}:{kind}"] = {"rules": rules, "version": result["testEngine"]["version"],
                                 "lesser": [v["impact"] for v in result["violations"] if v["impact"] not in ("serious", "critical")]}
    assert len(rules) > 50, "axe ran too few rules to mean anything"
    assert not serious, "\n".join(serious)
