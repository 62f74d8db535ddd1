"""sitemap.xml and robots.txt: every indexable page listed, with the same alternates its head declares."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from lxml import etree
from lxml import html as lxml_html

from fichegen.build import build

FIXTURES = Path(__file__).parent / "fixtures"
SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML = "{http://www.w3.org/1999/xhtml}"


def sitemap(site: Path) -> dict[str, dict]:
    """loc → {"alternates": {hreflang: href}, "lastmod": text or None}."""
    root = etree.parse(str(site / "sitemap.xml")).getroot()
    out = {}
    for url in root.findall(f"{SM}url"):
        loc = url.findtext(f"{SM}loc")
        assert loc not in out, f"{loc} is listed twice"
        out[loc] = {"alternates": {l.get("hreflang"): l.get("href") for l in url.findall(f"{XHTML}link")},
                    "lastmod": url.findtext(f"{SM}lastmod")}
    return out


def html_pages(site: Path, base_url: str, base_path: str) -> dict[str, dict]:
    """Every HTML file of the built site: its URL → whether it may be indexed, and its declared alternates."""
    out = {}
    for path in sorted(site.rglob("*.html")):
        rel = path.relative_to(site).as_posix()
        url = base_url + base_path + (rel.removesuffix("index.html") if rel.endswith("index.html") else rel)
        doc = lxml_html.fromstring(path.read_bytes())
        noindex = bool(doc.xpath("//meta[@name='robots' and contains(@content, 'noindex')]"))
        alternates = {l.get("hreflang"): l.get("href") for l in doc.xpath("//head/link[@rel='alternate'][@hreflang]")}
        alternates = {k: v if v.startswith("http") else base_url + v for k, v in alternates.items()}
        out[url] = {"noindex": noindex, "alternates": alternates}
    return out


def test_every_indexable_showcase_page_is_in_the_sitemap_with_all_its_alternates(showcase_site):
    base = "https://fichegen.example.org"
    pages = html_pages(showcase_site, base, "/")
    listed = sitemap(showcase_site)
    indexable = {url for url, page in pages.items() if not page["noindex"]}
    assert len(indexable) > 400
    assert set(listed) == indexable
    for url in indexable:
        assert listed[url]["alternates"] == pages[url]["alternates"], url
        assert set(listed[url]["alternates"]) >= {"en", "fr", "es", "pt"}


def test_noindex_pages_stay_out_of_the_sitemap(showcase_site):
    listed = sitemap(showcase_site)
    for url in ("https://fichegen.example.org/fr/translations/",
                "https://fichegen.example.org/pt/404.html", "https://fichegen.example.org/404.html"):
        assert url not in listed
    # the search page is a landing page of its own ("Search the knowledge base"): listed, and indexable
    assert "https://fichegen.example.org/en/search/" in listed


@pytest.fixture(scope="module")
def fixture_site(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("sitemap") / "project"
    shutil.copytree(FIXTURES / "exports", root)
    result = build(root, root / "site", search=False)
    assert result.ok, [str(d) for d in result.check.diagnostics]
    return root / "site"


def test_a_site_under_a_base_path_lists_addresses_under_it(fixture_site):
    base = "https://data.example.org"
    listed = sitemap(fixture_site)
    assert all(loc.startswith(base + "/kb/") for loc in listed)
    pages = html_pages(fixture_site, base, "/kb/")
    assert set(listed) == {url for url, page in pages.items() if not page["noindex"]}
    for url in listed:
        assert listed[url]["alternates"] == pages[url]["alternates"], url


def test_fiche_pages_carry_their_last_update(fixture_site):
    listed = sitemap(fixture_site)
    assert listed["https://data.example.org/kb/fr/projects/full-project/"]["lastmod"] == "2023-05-02"
    assert listed["https://data.example.org/kb/en/projects/no-dates/"]["lastmod"] == "2024-06-15"
    assert listed["https://data.example.org/kb/en/projects/"]["lastmod"] is None


def test_robots_txt_allows_crawling_and_points_at_the_sitemap(fixture_site):
    assert (fixture_site / "robots.txt").read_text(encoding="utf-8") == (
        "User-agent: *\nAllow: /\nSitemap: https://data.example.org/kb/sitemap.xml\n")
