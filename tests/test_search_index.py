"""The search index written by `fichegen build`: which pages Pagefind gets, and what they tell it."""

from __future__ import annotations

import json
import re
from pathlib import Path

from babel import Locale

from fichegen.build import build
from fichegen.render.urls import SECTION
from fichegen.search import READY_MADE_UI, index_site

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def fiche_pages(site: Path, lang: str) -> list[Path]:
    return [p for section in SECTION.values() for p in (site / lang / section).glob("*/index.html")]


def declared(html: str, attribute: str, name: str) -> list[str]:
    return re.findall(rf'<meta [^>]*{attribute}="{re.escape(name)}\[content\]" content="([^"]*)"', html)


def test_each_language_has_its_own_index_of_exactly_its_fiche_pages(searchable_showcase):
    """One index per site language, holding the fiche pages of that language: no lists, term or search pages."""
    entry = json.loads((searchable_showcase / "pagefind" / "pagefind-entry.json").read_text("utf-8"))
    for lang in ("en", "fr", "es", "pt"):
        assert entry["languages"][lang]["page_count"] == len(fiche_pages(searchable_showcase, lang)) > 20, lang
        assert entry["languages"][lang]["wasm"] == lang   # stemming in the page's own language


def test_only_fiche_pages_are_marked_as_search_content(searchable_showcase):
    """A fiche's <main> is the searchable body; list and term pages carry no such mark."""
    fiche = (searchable_showcase / "en/projects/coop4int/index.html").read_text("utf-8")
    assert re.search(r"<main [^>]*data-pagefind-body", fiche)
    for listing in ("en/projects/index.html", "en/countries/cv/index.html", "en/index.html", "en/search/index.html"):
        assert "data-pagefind-body" not in (searchable_showcase / listing).read_text("utf-8"), listing


def test_filter_values_are_the_labels_of_the_page_language(searchable_showcase):
    """Filters read as the page does: "Cap-Vert" and "Projet" in French, the English names in English."""
    for lang, kind in (("fr", "Projet"), ("en", "Project"), ("pt", "Projeto")):
        html = (searchable_showcase / lang / "projects/coop4int/index.html").read_text("utf-8")
        assert declared(html, "data-pagefind-filter", "kind") == [kind]
        countries = declared(html, "data-pagefind-filter", "country")
        assert Locale.parse(lang).territories["CV"] in countries and "CV" not in countries
        assert declared(html, "data-pagefind-filter", "year") == ["2021"]
        assert declared(html, "data-pagefind-sort", "newest") == ["2021-12-01"]
        assert len(declared(html, "data-pagefind-filter", "organisation")) == 5   # its four partners and ICMPD


def test_a_fiche_without_start_date_still_sorts(searchable_showcase):
    """An organisation has no start date: its sort keys put it last rather than out of sorted results."""
    html = (searchable_showcase / "en/organisations/aima/index.html").read_text("utf-8")
    assert declared(html, "data-pagefind-sort", "newest") == ["0000-00-00"]
    assert declared(html, "data-pagefind-sort", "oldest") == ["9999-12-31"]
    assert declared(html, "data-pagefind-filter", "organisation") == ["Agency for Integration, Migration and Asylum"]


def test_index_site_reports_pages_per_language_and_ships_only_what_readers_load(tmp_path):
    """Indexing a built site counts its fiche pages per language and leaves out Pagefind's unused UIs."""
    site = tmp_path / "site"
    assert build(FIXTURES / "search-fallback", site, search=False).ok
    assert not (site / "pagefind").exists()
    index = index_site(site, ["en", "fr"])
    assert index.pages == 2 and index.languages == {"en": 1, "fr": 1}
    bundle = site / "pagefind"
    assert (bundle / "pagefind.js").is_file()
    assert sorted(p.name for p in bundle.glob("wasm.*")) == ["wasm.en.pagefind", "wasm.fr.pagefind"]
    assert not [name for name in READY_MADE_UI if (bundle / name).exists()]
