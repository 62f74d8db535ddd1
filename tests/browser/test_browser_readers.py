"""The pages as readers see them in Debian's chromium: the maps pass axe-core with no violation at all in every
language, no page scrolls sideways on a 320 px phone, and screenshots of the home, a country and a project page
at 1280 and 390 px land in tests/screenshots/ for a person to look at."""

from __future__ import annotations

import pytest

from conftest import SCREENSHOTS
from test_browser_accessibility import AXE, AXE_TAGS

pytestmark = pytest.mark.browser

LANGUAGES = ("en", "fr", "es", "pt")
#: Pages with a map: the world map (home, statistics, a theme, the countries) and locator maps (a country, a project).
MAP_PAGES = ("{lang}/", "{lang}/statistics/", "{lang}/themes/remittances/", "{lang}/countries/",
             "{lang}/countries/pt/", "{lang}/projects/migravalue/")
#: A sample of every kind of page, for the phone-width check.
SAMPLE = MAP_PAGES + ("{lang}/projects/", "{lang}/organisations/", "{lang}/strategies/valencian-migration-strategy-2021-2026/",
                      "{lang}/discussions/territorial-approach-migration-development-2013/", "{lang}/translations/",
                      "{lang}/data/", "{lang}/search/?q=migration", "{lang}/programmes/")


@pytest.fixture(scope="module")
def axe_tab(chromium):
    context = chromium.new_context(bypass_csp=True, viewport={"width": 390, "height": 844})
    yield context.new_page()
    context.close()


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("path", MAP_PAGES)
def test_pages_with_maps_have_no_axe_violation_at_all(axe_tab, site, path, lang):
    page = axe_tab
    response = page.goto(site.url(path.format(lang=lang)))
    assert response is not None and response.ok
    assert page.locator("svg.map-svg").count() == 1
    names = page.locator("svg.map-svg [role=img] > title").evaluate_all("titles => titles.map(t => t.textContent)")
    assert names and all(n.strip() for n in names)          # each country or place drawn is named
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
                           AXE_TAGS)
    found = [f"{v['id']} ({v['impact']}): {v['help']} at " + "; ".join(str(n["target"]) for n in v["nodes"][:3])
             for v in result["violations"]]
    assert not found, "\n".join(found)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_no_page_scrolls_sideways_on_a_320_px_phone(open_reader, site, lang):
    reader = open_reader(site, viewport={"width": 320, "height": 640})
    wide = []
    for path in SAMPLE:
        reader.visit(path.format(lang=lang))
        if "search" in path:
            reader.wait_for_results()
        scroll, inner = reader.page.evaluate("[document.scrollingElement.scrollWidth, innerWidth]")
        if scroll > inner:
            culprits = reader.page.evaluate(
                "() => [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > innerWidth + 1)"
                ".slice(0, 5).map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().width))")
            wide.append(f"{path.format(lang=lang)}: {scroll} px > {inner} px ({', '.join(culprits)})")
    assert not wide, "\n".join(wide)


@pytest.mark.parametrize("width", [1280, 390])
@pytest.mark.parametrize("lang", ["en", "fr"])
def test_screenshots_of_the_home_a_country_and_a_project_page(open_reader, site, lang, width):
    reader = open_reader(site, viewport={"width": width, "height": 900})
    SCREENSHOTS.mkdir(exist_ok=True)
    for name, path in (("home", f"{lang}/"), ("country", f"{lang}/countries/pt/"), ("project", f"{lang}/projects/coop4int/")):
        reader.visit(path)
        target = SCREENSHOTS / f"readers-{name}-{lang}-{width}.png"
        reader.page.screenshot(path=str(target), full_page=True)
        assert target.stat().st_size > 10_000
        assert reader.page.evaluate("document.scrollingElement.scrollWidth <= innerWidth")
