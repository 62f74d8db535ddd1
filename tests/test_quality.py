"""Quality gates on the built showcase: valid HTML5, text alternatives, and no serious accessibility problem.

Every page parses as HTML5 with no parse error (html5lib, the WHATWG algorithm); every image has an
alt text and every chart a title; axe-core (tests/accessibility/, installed with `npm ci` there), injected
into the pages opened in Debian's chromium, finds no serious or critical violation on the home page, a
project, a strategy, a discussion, an organisation, a country page and the search page with results, in
English and in French.
"""

from __future__ import annotations

import functools
import http.server
import json
import threading
from collections import Counter
from pathlib import Path

import html5lib
import pytest

pytestmark = pytest.mark.slow

AXE = Path(__file__).parent / "accessibility" / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
SVG = "{http://www.w3.org/2000/svg}"
#: What axe checks: WCAG 2.0, 2.1 and 2.2 at levels A and AA, and axe's best practices.
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
AXE_RESULTS: dict[str, dict] = {}


@pytest.fixture(scope="module")
def parsed(searchable_showcase) -> dict[str, tuple[object, list]]:
    """Every HTML page of the showcase: its html5lib tree and the parse errors met on the way."""
    pages = {}
    for path in sorted(searchable_showcase.rglob("*.html")):
        parser = html5lib.HTMLParser(tree=html5lib.getTreeBuilder("etree"), namespaceHTMLElements=False)
        tree = parser.parse(path.read_bytes())
        errors = [f"line {line}, column {col}: {code} {data or ''}" for (line, col), code, data in parser.errors]
        pages[path.relative_to(searchable_showcase).as_posix()] = (tree, errors)
    return pages


def test_every_page_parses_as_html5_without_a_single_error(parsed):
    broken = {page: errors[:5] for page, (tree, errors) in parsed.items() if errors}
    print(f"\nquality: {len(parsed)} HTML pages parsed as HTML5 (html5lib), {len(broken)} with errors")
    assert len(parsed) > 400
    assert not broken, json.dumps(dict(list(broken.items())[:10]), indent=2)


def test_every_image_has_an_alt_text_and_every_chart_a_title(parsed):
    images = charts = 0
    problems = []
    for page, (tree, _) in parsed.items():
        ids = {e.get("id") for e in tree.iter() if isinstance(e.tag, str) and e.get("id")}
        for img in tree.iter("img"):
            images += 1
            if img.get("alt") is None:
                problems.append(f"{page}: <img src={img.get('src')!r}> has no alt")
        for svg in tree.iter(f"{SVG}svg"):
            charts += 1
            title = svg.find(f"{SVG}title")
            labelled = [i for i in (svg.get("aria-labelledby") or "").split() if i]
            named = (title is not None and "".join(title.itertext()).strip()) or svg.get("aria-label") or \
                (labelled and all(i in ids for i in labelled))
            if not named:
                problems.append(f"{page}: an <svg> without a title or label")
            if svg.get("role") != "img" and svg.get("aria-hidden") != "true":
                problems.append(f"{page}: an <svg> that is neither role=img nor hidden")
    print(f"\nquality: {images} images with alt text, {charts} charts with a title")
    assert charts > 0
    assert not problems, "\n".join(problems[:20])


# --- axe-core in chromium ---------------------------------------------------------------------

class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def browser_page(searchable_showcase):
    """A chromium tab on the showcase served from 127.0.0.1 (the page's CSP is bypassed only to inject axe)."""
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is not installed")
    if not AXE.is_file():
        pytest.fail(f"{AXE} is missing: run `npm ci` in tests/accessibility (scripts/setup.sh does)")
    from playwright.sync_api import sync_playwright

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(searchable_showcase)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        context = browser.new_context(bypass_csp=True, viewport={"width": 1280, "height": 900})
        page = context.new_page()
        page.origin = f"http://127.0.0.1:{server.server_port}"
        yield page
        browser.close()
    server.shutdown()
    server.server_close()
    if AXE_RESULTS:
        rules = set().union(*(r["rules"] for r in AXE_RESULTS.values()))
        minor = Counter(impact for r in AXE_RESULTS.values() for impact in r["lesser"])
        print(f"\nquality: axe-core {AXE_RESULTS[next(iter(AXE_RESULTS))]['version']} checked {len(rules)} rules "
              f"({', '.join(AXE_TAGS)}) on {len(AXE_RESULTS)} pages: 0 serious or critical violations"
              + (f"; lesser: {dict(minor)}" if minor else "; no lesser ones either"))


@pytest.mark.browser
@pytest.mark.parametrize("lang", ["en", "fr"])
@pytest.mark.parametrize("kind", list(PAGES))
def test_axe_finds_no_serious_or_critical_violation(browser_page, kind, lang):
    page = browser_page
    response = page.goto(page.origin + "/" + PAGES[kind].format(lang=lang))
    assert response is not None and response.ok
    if kind == "search":
        page.wait_for_function("() => { const r = document.querySelector('.search-results');"
                               " const s = document.querySelector('.search-status');"
                               " return r && !r.hasAttribute('aria-busy') && s && s.textContent.trim() !== ''"
                               " && document.querySelectorAll('.result').length > 0; }", timeout=20_000)
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
                           AXE_TAGS)
    rules = {r["id"] for key in ("passes", "violations", "incomplete", "inapplicable") for r in result[key]}
    serious = [f"{v['id']} ({v['impact']}): {v['help']} — " + "; ".join(n["target"][0] if isinstance(n["target"][0], str)
                                                                         else str(n["target"]) for n in v["nodes"][:3])
               for v in result["violations"] if v["impact"] in ("serious", "critical")]
    AXE_RESULTS[f"{lang}:{kind}"] = {"rules": rules, "version": result["testEngine"]["version"],
                                     "lesser": [v["impact"] for v in result["violations"] if v["impact"] not in ("serious", "critical")]}
    assert len(rules) > 50
    assert not serious, "\n".join(serious)
