"""Search as a reader uses it: the Pagefind index built by `fichegen build`, queried by static/search.js."""

from __future__ import annotations

import gzip
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest

pytestmark = pytest.mark.browser

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def path_of(url: str) -> str:
    return urlsplit(url).path


def meta_values(reader, url: str, attribute: str, name: str) -> list[str]:
    """The values a built page declares for Pagefind, e.g. its countries (data-pagefind-filter="country[content]")."""
    html = reader.page.request.get(url).text()
    return re.findall(rf'<meta [^>]*{attribute}="{re.escape(name)}\[content\]" content="([^"]*)"', html)


def test_searching_remittances_finds_migravalue(reader):
    """The English index finds the project about migrants' remittances, with a highlighted excerpt."""
    reader.search("en", "remittances")
    urls = [path_of(u) for u in reader.result_urls()]
    assert "/en/projects/migravalue/" in urls
    assert reader.page.locator(".result-excerpt mark").count() > 0
    assert re.search(r"\d+ results? for remittances", reader.status())


def test_french_search_finds_french_pages_with_french_stemming(reader):
    """On the French site, "intégration" finds French pages only, among them Coop4Int."""
    reader.search("fr", "intégration")
    urls = [path_of(u) for u in reader.result_urls()]
    assert urls and all(u.startswith("/fr/") for u in urls), urls
    assert "/fr/projects/coop4int/" in urls
    # "intégrer" shares the stem of "intégration" in French, not a prefix match of its letters only
    reader.search("fr", "intégrer")
    assert "/fr/projects/coop4int/" in [path_of(u) for u in reader.result_urls()]


def test_filters_are_offered_with_localized_labels(reader):
    """A French reader filters by "Cap-Vert", not by the code CV or the English name."""
    reader.search("fr", "migrants")
    country = reader.page.locator('.facet[data-facet="country"]')
    country.locator("summary").click()
    labels = country.locator(".facet-value label").all_inner_texts()
    assert any(label.startswith("Cap-Vert") for label in labels), labels
    assert not any(label.startswith(("CV", "Cabo Verde", "Cape Verde")) for label in labels)
    kinds = reader.page.locator('.facet[data-facet="kind"] .facet-value label').all_inner_texts()
    assert any(k.startswith("Projet") for k in kinds), kinds


def test_a_country_filter_narrows_the_results(reader):
    """Ticking a country keeps only the fiches about that country, and the count says so."""
    reader.search("en", "migration")
    total_before = int(re.search(r"\d+", reader.status()).group())
    country = reader.page.locator('.facet[data-facet="country"]')
    country.locator("summary").click()
    country.get_by_label(re.compile(r"^Portugal")).check()
    reader.wait_for_results()
    after = reader.result_urls()
    total_after = int(re.search(r"\d+", reader.status()).group())
    assert 0 < total_after < total_before
    for url in after:
        assert "Portugal" in meta_values(reader, url, "data-pagefind-filter", "country"), url
    assert "country=Portugal" in reader.page.url   # the filtered search can be bookmarked


def test_filters_alone_list_the_matching_fiches(reader):
    """Without a word, the page invites one; a filter alone then lists every fiche it matches."""
    reader.search("en")
    assert reader.status() == "Type a word or choose filters to find fiches."
    assert reader.result_urls() == []
    reader.page.locator('.facet[data-facet="kind"]').get_by_label(re.compile(r"^Project")).check()
    reader.wait_for_results()
    urls = [path_of(u) for u in reader.result_urls()]
    projects = sorted(p.name for p in (reader.host.folder / "en" / "projects").iterdir() if p.is_dir())
    assert sorted(u.split("/")[-2] for u in urls) == projects
    assert all(u.startswith("/en/projects/") for u in urls)
    assert reader.status() == f"{len(projects)} fiches match these filters"


def test_sorting_by_start_date_orders_the_results(reader):
    """Newest first and oldest first follow the start dates; fiches without a date come last, not never."""
    reader.search("en", "migration")
    count = reader.status()
    for order, key, descending in (("newest", "newest", True), ("oldest", "oldest", False)):
        reader.page.locator("#search-sort").select_option(order)
        reader.wait_for_results()
        urls = reader.result_urls()
        dates = [meta_values(reader, u, "data-pagefind-sort", key)[0] for u in urls]
        assert dates == sorted(dates, reverse=descending), (order, dates)
        assert len(set(d for d in dates if d[:4] not in ("0000", "9999"))) >= 3, dates
        assert reader.status() == count   # the same fiches, in another order: none is dropped


def test_more_results_load_on_request_and_take_the_focus(reader):
    """Results come ten at a time; "load more" appends the next ones and moves the focus to the first of them."""
    reader.search("en", "migration")
    total = int(re.search(r"\d+", reader.status()).group())
    assert total > 10, "the showcase needs more than ten results for 'migration' to exercise this"
    results = reader.page.locator(".search-results-list .result")
    assert results.count() == 10
    reader.page.get_by_role("button", name="Load more results").click()
    reader.page.wait_for_function("n => document.querySelectorAll('.search-results-list .result').length > n", arg=10)
    assert results.count() == min(total, 20)
    focused = reader.page.evaluate("document.activeElement.href")
    assert focused == reader.result_urls()[10]


def test_the_search_form_is_labelled_and_prefilled_from_the_address(reader):
    """The query field has a visible label and holds ?q=; the result count is announced in a live region."""
    reader.search("en", "remittances")
    assert reader.page.locator("label[for=search-q]").inner_text() == "Search the knowledge base"
    assert reader.page.locator("#search-q").input_value() == "remittances"
    status = reader.page.locator(".search-status")
    assert status.get_attribute("role") == "status"
    reader.page.locator("#search-q").fill("integration")
    reader.page.locator("#search-q").press("Enter")
    reader.page.wait_for_function("() => document.querySelector('.search-status').textContent.includes('integration')")
    assert "q=integration" in reader.page.url


def test_search_works_under_a_base_path(open_reader, site_under_base_path):
    """Built with --base-path /repo/ (a GitHub project page), the index loads and results link inside /repo/."""
    reader = open_reader(site_under_base_path)
    reader.search("en", "remittances")
    urls = [path_of(u) for u in reader.result_urls()]
    assert "/repo/en/projects/migravalue/" in urls, urls
    reader.page.locator(".result-title a[href$='/repo/en/projects/migravalue/']").click()
    reader.page.wait_for_url("**/repo/en/projects/migravalue/")
    assert "MIGRAVALUE" in reader.page.locator("main").inner_text()


@pytest.fixture(scope="module")
def fallback_site(tmp_path_factory, serve):
    """tests/fixtures/search-fallback: an English-only summary and a French-only description."""
    from fichegen.build import build

    out = tmp_path_factory.mktemp("search-fallback") / "site"
    result = build(FIXTURES / "search-fallback", out, search=True)
    assert result.ok, [str(d) for d in result.check.errors]
    return serve(out)


def test_text_shown_as_a_fallback_is_indexed_only_in_its_own_language(open_reader, fallback_site):
    """The English summary shown on the French page is found by the English search only, and vice versa."""
    reader = open_reader(fallback_site)
    reader.search("en", "quokkaberry")
    assert [path_of(u) for u in reader.result_urls()] == ["/en/projects/lagoon/"]
    reader.search("fr", "quokkaberry")
    assert reader.result_urls() == []
    reader.search("fr", "palétuviers")
    assert [path_of(u) for u in reader.result_urls()] == ["/fr/projects/lagoon/"]
    reader.search("en", "palétuviers")
    assert reader.result_urls() == []


def test_without_an_index_the_search_page_offers_the_browse_lists(open_reader, serve, tmp_path):
    """A site built with --no-search says that search is unavailable and keeps the browse links."""
    from fichegen.build import build

    assert build(FIXTURES / "search-fallback", tmp_path / "site", search=False).ok
    reader = open_reader(serve(tmp_path / "site"))
    reader.visit("en/search/?q=lagoon")
    notice = reader.page.locator(".search-unavailable")
    notice.wait_for()
    assert "could not be loaded" in notice.inner_text()
    assert reader.page.locator("#search-q").count() == 0
    assert reader.page.locator(".search-browse a").first.is_visible()
    # the browser reports the missing pagefind.js itself; nothing else may go wrong
    assert all("pagefind.js" in e or "404" in e for e in reader.errors), reader.errors
    reader.errors.clear()


def test_first_query_transfer_is_measured(open_reader, site):
    """What a first search costs a reader with an empty cache, in bytes of Pagefind files (printed; see -s).

    Pagefind's index, fragments and WebAssembly are gzip files already; its JavaScript and JSON are
    plain text, which static hosts (GitHub Pages among them) send compressed: both figures are printed.
    """
    reader = open_reader(site)
    fetched: dict[str, tuple[int, int]] = {}   # path → (bytes as served here, bytes from a compressing host)

    def record(response):
        if "/pagefind/" in response.url and response.ok:
            body = response.body()
            text = response.header_value("content-type") or ""
            compressed = len(gzip.compress(body)) if ("javascript" in text or "json" in text) else len(body)
            fetched[path_of(response.url)] = (len(body), compressed)

    reader.page.on("response", record)
    reader.search("en", "remittances")
    assert "/en/projects/migravalue/" in [path_of(u) for u in reader.result_urls()]
    raw = sum(r for r, _ in fetched.values())
    sent = sum(c for _, c in fetched.values())
    groups: dict[str, int] = {}
    for path, (size, _) in fetched.items():
        group = path.split("/pagefind/", 1)[1].split("/")[0]
        group = re.sub(r"_[0-9a-f]+\.", "_*.", group)
        groups[group] = groups.get(group, 0) + size
    print(f"\nfirst search query on the showcase: {len(fetched)} Pagefind files, {raw} bytes ({raw / 1024:.1f} KiB) "
          f"as served here, {sent} bytes ({sent / 1024:.1f} KiB) from a host that compresses text")
    for group, size in sorted(groups.items(), key=lambda kv: -kv[1]):
        print(f"  {size:>8}  {group}")
    assert any(p.endswith(".pf_index") for p in fetched), "the query must have loaded a piece of the index"
    assert [p for p in fetched if "/wasm." in p] == ["/pagefind/wasm.en.pagefind"], "only the English WebAssembly"
    assert not any("worker" in p for p in fetched), "the search runs without a web worker (one download less)"
    assert sent < 150 * 1024


def test_search_result_screenshot(reader):
    """A screenshot of a search with a filter, for people to look at (tests/screenshots/, not committed)."""
    reader.search("en", "migration")
    reader.page.locator('.facet[data-facet="country"] summary').click()
    assert reader.screenshot("search-results").stat().st_size > 10_000
