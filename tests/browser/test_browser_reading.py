"""Reading the built site in a real browser: navigation, languages, charts, and no JavaScript required."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

#: A walk through every kind of page; the `open_reader` fixture fails the test on any console error.
PAGES = [
    "", "en/", "en/projects/", "en/projects/coop4int/", "en/projects/migravalue/", "en/projects/lecim/",
    "en/strategies/", "en/strategies/valencian-migration-strategy-2021-2026/",
    "en/organisations/", "en/organisations/aima/", "en/discussions/",
    "en/discussions/territorial-approach-migration-development-2013/",
    "en/countries/", "en/countries/cv/", "en/themes/", "en/years/", "en/statistics/", "en/data/",
    "en/translations/", "en/search/", "en/search/?q=remittances",
    "fr/", "fr/projects/coop4int/", "fr/statistics/", "fr/search/?q=migrants",
    "es/projects/coop4int/", "pt/strategies/valencian-migration-strategy-2021-2026/",
]


def test_pages_load_without_console_errors(reader):
    """No page logs an error or throws: no blocked script, no missing file, no CSP violation."""
    for path in PAGES:
        reader.visit(path)
        reader.page.wait_for_load_state("load")
        if "search/" in path:
            reader.wait_for_results()
    assert not reader.errors, "\n".join(reader.errors)


def test_the_language_switcher_keeps_the_reader_on_the_same_fiche(reader):
    """Choosing "Français" on the English Coop4Int page opens the French Coop4Int page."""
    reader.visit("en/projects/coop4int/")
    reader.page.locator("nav.languages").get_by_role("link", name="Français").click()
    reader.page.wait_for_url("**/fr/projects/coop4int/")
    assert reader.page.locator("html").get_attribute("lang") == "fr"
    assert "Cap-Vert" in reader.page.locator("h1").inner_text()


@pytest.mark.parametrize("path", ["en/statistics/", "en/projects/"])
def test_charts_render_with_their_data_tables(reader, path):
    """Every chart draws its SVG and carries the same numbers as a table (for screen readers and printing): the table
    follows its figure, whose caption comes last (HTML wants a figcaption first or last)."""
    reader.visit(path)
    charts = reader.page.locator("figure.chart")
    assert charts.count() > 0, f"no chart on {path}"
    for i in range(charts.count()):
        chart = charts.nth(i)
        box = chart.locator("svg").first.bounding_box()
        assert box and box["width"] > 100 and box["height"] > 30, (path, i, box)
        chart_id = chart.get_attribute("id")
        assert chart.locator("figcaption").count() == 1
        assert reader.page.locator(f"#{chart_id}-data table tbody tr").count() > 0, (path, i)


def test_the_site_works_without_javascript(open_reader, site):
    """Without JavaScript a reader still navigates, switches language, reads a fiche and browses instead of searching."""
    reader = open_reader(site, javascript=False)
    reader.visit("en/")
    reader.page.locator("nav.main-nav").get_by_role("link", name="Projects", exact=True).click()
    reader.page.wait_for_url("**/en/projects/")
    reader.page.locator("main a[href$='/en/projects/coop4int/']:visible").first.click()
    reader.page.wait_for_url("**/en/projects/coop4int/")
    main = reader.page.locator("main")
    assert "Coop4Int seeks to enhance the integration of migrants" in main.inner_text()
    assert reader.page.locator(".fiche-facts").is_visible()
    reader.page.locator("nav.languages").get_by_role("link", name="Português").click()
    reader.page.wait_for_url("**/pt/projects/coop4int/")
    assert "Cabo Verde" in reader.page.locator("h1").inner_text()

    reader.visit("en/search/")
    notice = reader.page.locator("#search noscript p")
    assert notice.is_visible() and "Search needs JavaScript" in notice.inner_text()
    browse = reader.page.locator(".search-browse a")
    assert browse.count() >= 8 and browse.first.is_visible()
    # the form is in the page (nothing moves when the script fills it in) but hidden without JavaScript
    assert not reader.page.locator("#search-q").is_visible() and not reader.page.locator(".search-layout").is_visible()
    reader.page.locator(".search-browse").get_by_role("link", name="Countries", exact=True).click()
    reader.page.wait_for_url("**/en/countries/")


def test_screenshots_of_the_main_pages(reader):
    """Screenshots of the home, a project and a strategy page, for people to look at (tests/screenshots/)."""
    for name, path in (("home", "en/"), ("project", "en/projects/coop4int/"),
                       ("strategy", "en/strategies/valencian-migration-strategy-2021-2026/")):
        reader.visit(path)
        assert reader.page.locator("h1").is_visible()
        assert reader.screenshot(name).stat().st_size > 10_000
