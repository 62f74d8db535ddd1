"""What readers meet on the pages: money per currency with nothing left out silently, a project's timeline on its own
years, language names as each language writes them in a sentence, text in another language marked and kept out of
that page's search, results that read as summaries, and UI catalogues that are really translated."""

from __future__ import annotations

import re
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import yaml

from fichegen.check import check
from fichegen.i18n import copied_from, read_catalogue
from fichegen.models.funding import summarize
from fichegen.overrides import BUILTIN_THEME, Theme
from fichegen.render import charts
from fichegen.render.pages import SiteRenderer
from fichegen.translations import translation_report

FIXTURES = Path(__file__).parent / "fixtures"
REPO = Path(__file__).resolve().parents[1]
NS = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def real_records():
    result = check(FIXTURES / "real-records")
    assert result.ok(), [str(d) for d in result.errors]
    return SiteRenderer(result.graph, Theme.of(FIXTURES / "real-records"))


@pytest.fixture(scope="module")
def showcase(showcase_site) -> Path:
    return showcase_site


# --- money ------------------------------------------------------------------------------------------

def test_the_budget_charts_of_a_site_in_euros_dollars_and_francs_show_all_three(real_records):
    for lang in ("en", "fr"):
        views = real_records.views[lang]
        shown = {c.id: c for c in charts.budgets(views)}
        assert {"chart-budget-eur", "chart-budget-usd", "chart-budget-chf"} <= set(shown)
        for currency in ("EUR", "USD", "CHF"):
            chart = shown[f"chart-budget-{currency.lower()}"]
            assert views.loc.currency_name(currency) in chart.title
            # every amount of the table is in that chart's currency, never summed across currencies
            amounts = [cell for row in chart.table["rows"] for cell in row[1:3] if cell]
            symbol = {"EUR": "€", "USD": "$", "CHF": "CHF"}[currency]
            assert amounts and all(symbol in a for a in amounts), (currency, amounts)


def test_a_project_without_any_amount_is_named_and_linked_under_the_money_charts(real_records):
    views = real_records.views["en"]
    last = charts.budgets(views)[-1]
    graph = real_records.g
    named = 0
    for p in graph.projects.values():
        s = summarize(p.budget, p.funding)
        sources = list(s.sources) + [f for ph in p.phases for f in summarize(None, ph.funding).sources]
        has_amount = bool(s.budget) or any(ph.budget for ph in p.phases) or any(
            f.amount is not None and f.source.kind == "contribution" for f in sources)
        shown = f'href="/en/projects/{p.id}/"' in str(last.caption)
        assert shown != has_amount, p.id               # named exactly when the charts could not count it
        named += shown
    assert named


# --- timelines --------------------------------------------------------------------------------------

def test_a_project_timeline_spans_the_projects_years_not_the_time_since(showcase):
    html = (showcase / "en/projects/migravalue/index.html").read_text(encoding="utf-8")
    raw = re.search(r'<svg[^>]*chart-timeline.*?</svg>', html, re.S).group(0)
    svg = ET.fromstring(raw)
    ticks = [t.text for t in svg.iter(f"{NS}text") if "tick" in (t.get("class") or "")]
    assert ticks and min(ticks) >= "2006" and max(ticks) <= "2009", ticks       # a 2006–2008 project
    assert not [l for l in svg.iter(f"{NS}line") if "marker" in (l.get("class") or "")]   # the build date is years later
    assert "dashed vertical line" not in html.split('id="chart-timeline"', 1)[1].split("</figure>", 1)[0]


def test_charts_have_no_fixed_size_and_text_readable_on_a_320_px_screen(showcase):
    html = (showcase / "en/statistics/index.html").read_text(encoding="utf-8")
    roots = re.findall(r"<svg [^>]*chart-svg[^>]*>", html)
    assert roots and all("viewBox" in r and " width=" not in r and " height=" not in r for r in roots)
    # a 320 px screen leaves a 288 px column: the smallest text of a chart is still 8.5 px or more
    assert min(charts.FONT, charts.TICK_FONT) * 288 / charts.WIDTH >= 8.5
    css = (REPO / "src/fichegen/theme/static/site.css").read_text(encoding="utf-8")
    assert "min-width: 40rem" not in css


# --- words ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("lang, note", [("fr", "pas encore traduit — affiché en anglais"),
                                        ("es", "aún no traducido — se muestra en inglés"),
                                        ("pt", "ainda não traduzido — apresentado em inglês")])
def test_language_names_in_running_text_are_written_as_the_language_writes_them(real_records, lang, note):
    loc = real_records.views[lang].loc
    assert loc.t("fallback.note", language=loc.language_in_text("en")) == note
    assert loc.language("en")[0].isupper()            # standing alone (a menu, a table cell): capitalized


def test_an_untranslated_copy_of_a_catalogue_is_reported_and_not_counted_as_translated(tmp_path):
    root = tmp_path / "project"
    shutil.copytree(FIXTURES / "multilingual", root)
    english = read_catalogue(BUILTIN_THEME / "i18n" / "en.yaml")
    (root / "i18n").mkdir(exist_ok=True)
    (root / "i18n" / "de.yaml").write_text(yaml.safe_dump(english, allow_unicode=True, width=1000), encoding="utf-8")
    toml = root / "fichegen.toml"
    toml.write_text(re.sub(r"languages = \[[^\]]*\]", 'languages = ["en", "fr", "de"]', toml.read_text()))
    result = check(root)
    copied = [d for d in result.diagnostics if d.code == "ui-catalogue-copied"]
    assert [(d.path, d.severity.value) for d in copied] == [("i18n/de.yaml", "warning")]
    assert "the de UI catalogue is the en one untranslated" in copied[0].message
    renderer = SiteRenderer(result.graph, Theme.of(root))
    report = translation_report(result.graph, renderer.catalogues)
    de, fr = report.per_language["de"], report.per_language["fr"]
    assert de.ui_copy_of == "en" and de.ui.percent is not None and de.ui.percent < 10
    assert fr.ui_copy_of is None and fr.ui.percent == 100
    page = renderer.render_page(next(p for p in renderer.pages() if p.key == ("page", "translations") and p.lang == "fr"))
    assert "une copie des textes en anglais, non traduite" in page


def test_translated_catalogues_share_a_few_strings_and_are_not_copies():
    catalogues = {lang: read_catalogue(BUILTIN_THEME / "i18n" / f"{lang}.yaml") for lang in ("en", "fr", "es", "pt")}
    for lang in ("fr", "es", "pt"):
        assert copied_from(catalogues[lang], {o: c for o, c in catalogues.items() if o != lang}) is None, lang


# --- other languages on a page, search ----------------------------------------------------------------

def test_sources_notes_in_another_language_carry_it_and_stay_out_of_the_search_index(showcase):
    fr = (showcase / "fr/projects/migravalue/index.html").read_text(encoding="utf-8")
    section = re.search(r'<section class="sources"[^>]*>.*?</section>', fr, re.S).group(0)
    assert "data-pagefind-ignore" in section.split(">", 1)[0]
    assert '<span class="note" lang="en">' in section
    en = (showcase / "en/projects/migravalue/index.html").read_text(encoding="utf-8")
    assert '<span class="note">' in re.search(r'<section class="sources".*?</section>', en, re.S).group(0)


def test_search_results_read_as_the_summary_in_the_pages_language(showcase):
    fr = (showcase / "fr/projects/coop4int/index.html").read_text(encoding="utf-8")
    summary = re.findall(r'<meta name="pagefind-meta" data-pagefind-meta="summary\[content\]" content="([^"]*)"', fr)
    assert len(summary) == 1 and summary[0].startswith("Coop4Int") and "Cap-Vert" in summary[0]
    assert '<meta data-pagefind' not in fr                 # every <meta> has a name
    js = (REPO / "src/fichegen/theme/static/search.js").read_text(encoding="utf-8")
    assert "meta.summary" in js


def test_pages_without_a_fiche_have_a_meta_description(showcase):
    for path in ("en/index.html", "fr/search/index.html", "es/statistics/index.html", "pt/projects/index.html",
                 "fr/countries/cv/index.html"):
        html = (showcase / path).read_text(encoding="utf-8")
        description = re.search(r'<meta name="description" content="([^"]+)">', html)
        assert description and len(description.group(1)) > 20, path


def test_a_locator_map_is_one_drawing_named_in_each_language(showcase):
    """The drawing is shared by the languages (map_views.MapCache): only its words differ, and no placeholder of
    those words is left in a page."""
    maps = {}
    for lang in ("en", "fr", "es", "pt"):
        html = (showcase / lang / "projects/coop4int/index.html").read_text(encoding="utf-8")
        maps[lang] = re.search(r'<svg[^>]*class="map-svg map-locator".*?</svg>', html, re.S).group(0)
        assert "\ue000" not in html and "\ue001" not in html
    assert "<title>Cape Verde</title>" in maps["en"] and "<title>Cap-Vert</title>" in maps["fr"]
    assert "<title>Cabo Verde</title>" in maps["es"] and ">Où le projet se déroule</title>" in maps["fr"]
    words = re.compile(r"<(title|desc)( [^>]*)?>[^<]*</\1>")
    assert len({words.sub("", m) for m in maps.values()}) == 1
