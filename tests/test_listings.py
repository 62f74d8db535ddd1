"""Pages that gather fiches stay readable when the knowledge base grows: every list is split into numbered static
pages, each ordering is its own series of pages, and the home page shows what the knowledge base holds."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import html5lib
import pytest

from fichegen.build import build
from fichegen.render import paging

FIXTURES = Path(__file__).parent / "fixtures"
XHTML = "{http://www.w3.org/1999/xhtml}"

#: Eleven projects: in Senegal (all), Cabo Verde (some), France (one), two themes, and one in a world region.
STARTS = ["2015-03", "2016-01", "2017-07", "2018-02", "2019-11", "2020-05", "2021-09", "2022-01", "2023-04", "2024-02", None]


def write_site(root: Path) -> Path:
    shutil.copytree(FIXTURES / "minimal", root)
    (root / "content/projects/hello.yaml").unlink()
    (root / "fichegen.toml").write_text(
        'title = { en = "Lists", fr = "Listes" }\nlanguages = ["en", "fr"]\nfallback = ["en"]\nbuild_date = "2025-06-30"\n'
        'base_url = "https://kb.example.org"\n', encoding="utf-8")
    vocab = root / "content/vocabularies"
    vocab.mkdir(parents=True)
    (vocab / "themes.yaml").write_text("remittances:\n  label: {en: Remittances, fr: Transferts}\n"
                                      "diaspora:\n  label: {en: Diaspora, fr: Diaspora}\n", encoding="utf-8")
    for n, start in enumerate(STARTS):
        countries = ["SN"] + (["CV"] if n % 2 else []) + (["FR"] if n == 3 else [])
        lines = ["original_language: en", f"title: {{en: 'Project {chr(ord('A') + (7 * n) % 11)} number {n}'}}",
                 f"summary: {{en: 'Summary of project {n}.', fr: 'Résumé du projet {n}.'}}",
                 f"countries: [{', '.join(countries)}]", f"themes: [{'remittances' if n % 3 else 'diaspora'}]"]
        if start:
            lines.append(f"start_date: '{start}'")
        if n == 10:
            lines.append("world_regions: ['014']")
        (root / f"content/projects/p{n:02d}.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (root / "content/strategies").mkdir()
    (root / "content/strategies/plan.yaml").write_text(
        "original_language: en\ntitle: {en: A national plan}\nsummary: {en: The plan.}\n"
        "territory: {level: national, country: SN}\nperiod: {start: '2010', end: '2014'}\n", encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    """The site built with three cards to a page, so that eleven projects make four pages."""
    root = write_site(tmp_path_factory.mktemp("lists") / "project")
    patch = pytest.MonkeyPatch()
    patch.setattr(paging, "PAGE_SIZE", 3)
    try:
        result = build(root, root / "site", search=False)
    finally:
        patch.undo()
    assert result.ok, [str(d) for d in result.check.diagnostics]
    return root / "site"


def page(site: Path, path: str):
    return html5lib.parse((site / path / "index.html").read_text(encoding="utf-8"))


def links(doc, selector_class: str) -> list:
    return [a for nav in doc.iter(f"{XHTML}nav") if selector_class in nav.get("class", "")
            for a in nav.iter(f"{XHTML}a")]


def project_rows(doc) -> list[str]:
    table = next(t for t in doc.iter(f"{XHTML}table") if "listing" in t.get("class", ""))
    return ["".join(th.itertext()).strip() for tr in table.iter(f"{XHTML}tr") for th in tr.findall(f"{XHTML}th")
            if th.get("scope") == "row"]


def head_link(doc, rel: str) -> str | None:
    found = [l.get("href") for l in doc.iter(f"{XHTML}link") if l.get("rel") == rel]
    return found[0] if found else None


def test_a_long_list_is_split_into_numbered_pages_with_every_project_once(site):
    seen = []
    for n, path in enumerate(["en/projects", "en/projects/page/2", "en/projects/page/3", "en/projects/page/4"], 1):
        doc = page(site, path)
        rows = project_rows(doc)
        assert len(rows) == (3 if n < 4 else 2), path
        seen += rows
        status = next("".join(p.itertext()) for p in doc.iter(f"{XHTML}p") if p.get("class") == "page-status")
        assert f"Page {n} of 4" in status and "of 11" in status
        title = "".join(next(doc.iter(f"{XHTML}title")).itertext())
        assert f"page {n} of 4" in title                    # each page has its own title
    assert len(seen) == len(set(seen)) == 11
    assert not (site / "en/projects/page/5").exists() and not (site / "en/projects/page/1").exists()


def test_pages_link_to_each_other_with_rel_prev_and_next_and_by_number(site):
    first, second, last = page(site, "en/projects"), page(site, "en/projects/page/2"), page(site, "en/projects/page/4")
    assert head_link(first, "prev") is None and head_link(first, "next") == "https://kb.example.org/en/projects/page/2/"
    assert head_link(second, "prev") == "https://kb.example.org/en/projects/"
    assert head_link(second, "next") == "https://kb.example.org/en/projects/page/3/"
    assert head_link(last, "next") is None
    hrefs = {a.get("href") for a in links(second, "pagination")}
    assert {"/en/projects/", "/en/projects/page/3/", "/en/projects/page/4/"} <= hrefs
    assert [a.get("rel") for a in links(second, "pagination") if a.get("rel")] == ["prev", "next"] * 2  # above and below
    current = [s for s in second.iter(f"{XHTML}span") if s.get("aria-current") == "page"]
    assert current and current[0].text == "2"


def test_each_ordering_is_its_own_series_of_pages_reachable_without_javascript(site):
    newest = project_rows(page(site, "en/projects"))
    oldest = sum((project_rows(page(site, p)) for p in ["en/projects/sort/oldest", "en/projects/sort/oldest/page/2",
                                                        "en/projects/sort/oldest/page/3", "en/projects/sort/oldest/page/4"]), [])
    titles = sum((project_rows(page(site, p)) for p in ["en/projects/sort/title", "en/projects/sort/title/page/2",
                                                        "en/projects/sort/title/page/3", "en/projects/sort/title/page/4"]), [])
    assert newest[0].endswith("number 9") and oldest[0].endswith("number 0")
    assert oldest[-1].endswith("number 10")                 # the project without a date comes last, oldest first too
    assert titles == sorted(titles, key=str.casefold) and len(titles) == 11
    hrefs = {a.get("href") for a in links(page(site, "en/projects"), "pagination")}
    assert {"/en/projects/sort/oldest/", "/en/projects/sort/title/"} <= hrefs
    # the default ordering is indexed; the others are not (the same fiches twice), and not in the sitemap
    robots = [m.get("content") for m in page(site, "en/projects/sort/oldest").iter(f"{XHTML}meta") if m.get("name") == "robots"]
    assert robots == ["noindex"]
    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    assert "/en/projects/page/2/" in sitemap and "/sort/" not in sitemap


def test_a_term_page_shows_the_first_page_of_each_kind_and_pages_the_rest(site):
    doc = page(site, "en/countries/sn")
    cards = [a for a in doc.iter(f"{XHTML}article")]
    assert len(cards) == 3 + 1                              # three projects and the strategy
    hrefs = {a.get("href") for a in links(doc, "pagination")}
    assert "/en/countries/sn/projects/page/2/" in hrefs
    # a term's lists are paged newest first only (every ordering of every term would multiply the pages)
    assert not any("/sort/" in h for h in hrefs) and not (site / "en/countries/sn/projects/sort").exists()
    second = page(site, "en/countries/sn/projects/page/2")
    assert len(list(second.iter(f"{XHTML}article"))) == 3
    assert {a.get("href") for a in links(second, "pagination")} >= {"/en/countries/sn/", "/en/countries/sn/projects/page/3/"}
    assert head_link(second, "prev") == "https://kb.example.org/en/countries/sn/"
    crumbs = [a.get("href") for p in second.iter(f"{XHTML}p") if p.get("class") == "breadcrumb" for a in p.iter(f"{XHTML}a")]
    assert crumbs == ["/en/countries/", "/en/countries/sn/"]
    assert not (site / "en/countries/sn/strategies").exists()   # one strategy: no page of its own
    assert not (site / "en/countries/fr/projects").exists()     # one project in France


def test_the_pages_of_every_language_are_the_same_addresses(site):
    fr = page(site, "fr/projects/page/3")
    assert head_link(fr, "next") == "https://kb.example.org/fr/projects/page/4/"
    alternates = {l.get("hreflang"): l.get("href") for l in fr.iter(f"{XHTML}link") if l.get("rel") == "alternate" and l.get("hreflang")}
    assert alternates["en"] == "https://kb.example.org/en/projects/page/3/"
    status = next("".join(p.itertext()) for p in fr.iter(f"{XHTML}p") if p.get("class") == "page-status")
    assert "Page 3 sur 4" in status


def test_counts_are_said_in_the_plural_the_language_needs(site):
    text = (site / "en/themes/index.html").read_text(encoding="utf-8")
    assert "4 fiches" in text and "7 fiches" in text
    countries = (site / "en/countries/index.html").read_text(encoding="utf-8")
    assert ">1 fiche<" in countries and ">1 fiches<" not in countries


def test_the_home_page_shows_the_knowledge_base_whatever_the_status(site):
    doc = page(site, "en")
    text = (site / "en/index.html").read_text(encoding="utf-8")
    headings = ["".join(h.itertext()) for h in doc.iter(f"{XHTML}h2")]
    assert "Latest projects" in headings and "Strategies" in headings and "Main themes" in headings
    assert "Ongoing projects" not in text                   # every project here has ended or never had a date
    articles = ["".join(a.itertext()) for a in doc.iter(f"{XHTML}article")]
    assert any("A national plan" in a for a in articles)    # a strategy of 2010–2014 is shown all the same
    assert sum("Project " in a for a in articles) == 6
    assert '<a href="/en/projects/">All 11 projects</a>' in text
    assert len([f for f in doc.iter(f"{XHTML}form") if f.get("role") == "search"]) == 1   # one search box
    assert 'href="/en/themes/remittances/"' in text         # featured themes link their pages
    counts = [a.get("href") for ul in doc.iter(f"{XHTML}ul") if ul.get("class") == "counts" for a in ul.iter(f"{XHTML}a")]
    assert counts == ["/en/projects/", "/en/strategies/", "/en/organisations/", "/en/discussions/"]
    assert 'class="map-svg map-world"' in text and 'data-country="SN"' in text
    assert '<meta name="description"' in text


def test_maps_are_where_readers_look_for_them(site):
    for lang in ("en", "fr"):
        for path in (f"{lang}", f"{lang}/statistics", f"{lang}/themes/remittances", f"{lang}/countries"):
            assert 'class="map-svg map-world"' in (site / path / "index.html").read_text(encoding="utf-8"), path
        for path in (f"{lang}/countries/cv", f"{lang}/projects/p03", f"{lang}/world-regions/014"):
            assert 'class="map-svg map-locator"' in (site / path / "index.html").read_text(encoding="utf-8"), path
    home = (site / "en/index.html").read_text(encoding="utf-8")
    assert "<title>Senegal: 11 projects</title>" in home and "<title>France: 1 project</title>" in home
    assert "<title>Sénégal : 11 projets</title>" in (site / "fr/index.html").read_text(encoding="utf-8")
    # the same numbers as a table, the world region of p10 on its own row
    rows = re.findall(r'<tr><th scope="row">(.*?)</th><td class="num">(\d+)</td></tr>', home)
    named = {re.sub(r"<[^>]+>", "", cell).strip(): int(n) for cell, n in rows}
    assert named["Senegal"] == 11 and named["Cape Verde"] == 5 and named["France"] == 1
    assert any(name.startswith("Eastern Africa") and n == 1 for name, n in named.items())
    project = (site / "en/projects/p03/index.html").read_text(encoding="utf-8")
    locator = re.search(r'<svg[^>]*class="map-svg map-locator".*?</svg>', project, re.S).group(0)
    assert {"SN", "CV", "FR"} == set(re.findall(r'data-country="([A-Z]{2})"', locator))
    region = (site / "en/world-regions/014/index.html").read_text(encoding="utf-8")
    assert 'data-country="KE"' in region and 'data-country="ET"' in region


def test_the_translation_status_table_is_paged(tmp_path, monkeypatch):
    root = write_site(tmp_path / "project")
    monkeypatch.setattr(paging, "TABLE_PAGE_SIZE", 5)
    result = build(root, root / "site", search=False)
    assert result.ok
    first = (root / "site/en/translations/index.html").read_text(encoding="utf-8")
    third = (root / "site/en/translations/page/3/index.html").read_text(encoding="utf-8")
    assert "translation-languages" in first and "translation-languages" not in third   # the summary on page 1
    files = re.findall(r'<tr data-file="([^"]+)"', first + (root / "site/en/translations/page/2/index.html").read_text(encoding="utf-8") + third)
    assert len(files) == len(set(files)) == 12              # eleven projects and the strategy


def _list_pages_showing(site: Path, fiche: str) -> set[str]:
    """The pages of the English projects list (every ordering) that show the project `fiche`."""
    pages = [p for p in (site / "en/projects").rglob("index.html") if p.parent.name.isdigit() or
             p.parent in (site / "en/projects", site / "en/projects/sort/oldest", site / "en/projects/sort/title")]
    return {p.relative_to(site).as_posix() for p in pages if f'href="/en/projects/{fiche}/"' in p.read_text(encoding="utf-8")}


def test_a_list_page_is_made_again_only_when_what_it_shows_or_its_order_changes(tmp_path, monkeypatch):
    """Every page of a list sorts the whole list, but records only what sorting read (the dates; the names for A–Z),
    not the cards it does not show: an edited summary remakes only the list pages that show the project, an
    edited title also the A–Z pages; the site is then the one a cold build makes."""
    import hashlib

    monkeypatch.setattr(paging, "PAGE_SIZE", 3)
    root = write_site(tmp_path / "project")
    cache = root / ".fichegen-cache"
    assert build(root, search=False, cache_dir=cache).ok
    site = root / "site"
    fiche = root / "content/projects/p04.yaml"
    lists = {p.relative_to(site).as_posix() for p in (site / "en/projects").rglob("index.html")} - {"en/projects/p04/index.html"}
    lists = {p for p in lists if not re.fullmatch(r"en/projects/p\d\d/index.html", p)}
    assert len(lists) == 3 * paging.page_count(11, 3)          # newest, oldest, A–Z: four pages each

    fiche.write_text(fiche.read_text(encoding="utf-8").replace("Summary of project 4.", "A new summary."), encoding="utf-8")
    result = build(root, search=False, cache_dir=cache)
    assert result.incremental
    assert {w for w in result.written if w in lists} == _list_pages_showing(site, "p04")

    fiche.write_text(fiche.read_text(encoding="utf-8").replace("number 4", "renamed"), encoding="utf-8")
    result = build(root, search=False, cache_dir=cache)
    title_pages = {p for p in lists if p.startswith("en/projects/sort/title/")}
    assert {w for w in result.written if w in lists} == _list_pages_showing(site, "p04") | title_pages
    assert len(title_pages) == paging.page_count(11, 3)

    def files(folder: Path) -> dict[str, str]:
        return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
                for p in sorted(folder.rglob("*")) if p.is_file()}
    assert build(root, tmp_path / "cold", search=False).ok
    assert files(site) == files(tmp_path / "cold")
