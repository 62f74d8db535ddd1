"""Building a site: every language, fallback marked, references linked both ways, written atomically."""

from __future__ import annotations

import hashlib
from html.parser import HTMLParser
from pathlib import Path

import pytest

from fichegen.build import build
from fichegen.i18n import read_catalogue
from fichegen.overrides import BUILTIN_THEME
from fichegen.write import UnsafePath, safe_target

FIXTURES = Path(__file__).parent / "fixtures"


class Elements(HTMLParser):
    """Every element with its attributes and the text directly inside it."""

    def __init__(self, html: str):
        super().__init__()
        self.items: list[tuple[str, dict, list[str]]] = []
        self._stack: list[list[str]] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        texts: list[str] = []
        self.items.append((tag, dict(attrs), texts))
        if tag not in ("meta", "link", "input", "br", "img", "hr"):
            self._stack.append(texts)

    def handle_endtag(self, tag):
        if self._stack:
            self._stack.pop()

    def handle_data(self, data):
        if self._stack:
            self._stack[-1].append(data)

    def find(self, tag, **attrs):
        return [(a, "".join(t)) for (tg, a, t) in self.items if tg == tag and all(a.get(k) == v for k, v in attrs.items())]


def message(lang: str, key: str, **values) -> str:
    return read_catalogue(BUILTIN_THEME / "i18n" / f"{lang}.yaml")[key].format(**values)


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("multi") / "site"
    result = build(FIXTURES / "multilingual", out, search=False)
    assert result.ok, result.check.diagnostics
    return out


def page(site: Path, url: str) -> str:
    return (site / url.strip("/") / "index.html").read_text(encoding="utf-8")


def test_every_fiche_has_a_page_in_every_language(site):
    for lang in ("en", "fr", "es", "pt"):
        for url in ("projects/bridge", "projects/first-bridge", "organisations/agency", "organisations/ngo-sur"):
            assert (site / lang / url / "index.html").is_file(), f"/{lang}/{url}/"
        assert (site / lang / "index.html").is_file()
        assert (site / lang / "404.html").is_file()
    assert (site / "index.html").is_file() and (site / "sitemap.xml").is_file()


def test_text_in_the_page_language_is_shown_plainly(site):
    html = page(site, "/fr/projects/bridge/")
    h1 = Elements(html).find("h1")
    assert "Un pont entre deux rives" in h1[0][1]
    assert 'class="fallback"' not in html.split("<h1")[1].split("</h1>")[0]


def test_missing_text_falls_back_along_the_chain_with_its_true_language_and_a_marker(site):
    """Spanish has no title: the chain es → en → fr shows English, marked as English, in Spanish words."""
    html = page(site, "/es/projects/bridge/")
    spans = Elements(html).find("span", **{"class": "fallback"})
    assert any(a.get("lang") == "en" and "A bridge between two shores" in text for a, text in spans)
    assert message("es", "fallback.note", language="Inglés") in html or message("es", "fallback.note", language="inglés") in html


def test_fallback_blocks_keep_their_language(site):
    """The description exists only in French: on the English page it is a French block with a marker."""
    html = page(site, "/en/projects/bridge/")
    blocks = Elements(html).find("div", **{"class": "prose fallback"})
    assert [a["lang"] for a, _ in blocks] == ["fr"]
    assert message("en", "fallback.note", language="French") in html


def test_money_and_dates_are_localized(site):
    assert "1\u202f532\u202f558,68\xa0€" in page(site, "/fr/projects/bridge/")
    assert "€1,532,558.68" in page(site, "/en/projects/bridge/")
    assert "janvier 2023" in page(site, "/fr/projects/bridge/")
    assert "94,42" in page(site, "/fr/projects/bridge/")


def test_alternates_and_language_switcher_point_to_the_same_fiche(site):
    html = page(site, "/fr/projects/bridge/")
    doc = Elements(html)
    alternates = {a["hreflang"]: a["href"] for a, _ in doc.find("link", rel="alternate") if "hreflang" in a}
    assert set(alternates) == {"en", "fr", "es", "pt", "x-default"}
    assert alternates["pt"].endswith("/pt/projects/bridge/")
    assert alternates["x-default"].endswith("/en/projects/bridge/")
    switch = {a["hreflang"]: a["href"] for a, _ in doc.find("a") if a.get("hreflang")}
    assert switch == {"en": "/en/projects/bridge/", "es": "/es/projects/bridge/", "pt": "/pt/projects/bridge/"}


def test_project_relations_show_in_both_directions(site):
    follows = page(site, "/en/projects/bridge/")
    assert 'href="/en/projects/first-bridge/"' in follows and message("en", "relation.follows") in follows
    followed = page(site, "/en/projects/first-bridge/")
    assert 'href="/en/projects/bridge/"' in followed and message("en", "relation.followed_by") in followed


def test_organisation_page_lists_projects_by_role_and_programmes_it_funds(site):
    html = page(site, "/en/organisations/agency/")
    led = html.split('id="lead"')[1].split("</section>")[0]
    assert "/en/projects/bridge/" in led and "/en/projects/first-bridge/" in led
    assert "/en/programmes/mpf/" in html
    partner = page(site, "/en/organisations/ngo-sur/")
    assert "/en/projects/bridge/" in partner.split('id="partner"')[1]


def test_taxonomy_pages_list_their_fiches(site):
    assert "/en/projects/bridge/" in page(site, "/en/countries/es/")
    assert "/fr/projects/bridge/" in page(site, "/fr/themes/integration/")
    assert "/en/projects/first-bridge/" in page(site, "/en/years/2019/")
    assert "/en/projects/bridge/" in page(site, "/en/status/ongoing/")   # build_date 2024-06-01
    assert "/en/projects/first-bridge/" in page(site, "/en/status/closed/")


def test_the_same_input_gives_byte_identical_output(tmp_path):
    def digest(folder: Path) -> dict[str, str]:
        return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
                for p in sorted(folder.rglob("*")) if p.is_file()}
    a = build(FIXTURES / "multilingual", tmp_path / "a", search=False)
    b = build(FIXTURES / "multilingual", tmp_path / "b", search=False)
    assert a.ok and b.ok
    assert digest(tmp_path / "a") == digest(tmp_path / "b")


def test_base_path_prefixes_every_internal_link(tmp_path):
    out = tmp_path / "site"
    assert build(FIXTURES / "multilingual", out, "/repo/", search=False).ok
    html = (out / "fr" / "projects" / "bridge" / "index.html").read_text()
    hrefs = [a["href"] for a, _ in Elements(html).find("a") if a.get("href", "").startswith("/")]
    assert hrefs and all(h.startswith("/repo/") for h in hrefs)
    assert 'href="/repo/static/site.css"' in html


def test_a_failing_build_leaves_the_previous_site_untouched(project_copy):
    root = project_copy("multilingual")
    out = root / "site"
    assert build(root, out, search=False).ok
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    (root / "content" / "projects" / "bridge.yaml").write_text("original_language: en\ntitle: [broken\n")
    result = build(root, out, search=False)
    assert not result.ok
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before
    assert sorted(p.name for p in root.iterdir()) == sorted(["content", "fichegen.toml", "site", ".site.lock"])


def test_a_broken_template_fails_the_build_before_anything_is_written(project_copy, tmp_path):
    root = project_copy("multilingual")
    import shutil
    shutil.copytree(BUILTIN_THEME / "templates", root / "templates")
    out = root / "site"
    assert build(root, out, search=False).ok
    stamp = (out / "en" / "index.html").read_bytes()
    (root / "templates" / "project.html").write_text("{% extends 'base.html' %}{% block content %}{{ no_such_value }}{% endblock %}")
    with pytest.raises(Exception):
        build(root, out, search=False)
    assert (out / "en" / "index.html").read_bytes() == stamp
    assert not [p for p in root.iterdir() if p.name.startswith(".fichegen-")]


@pytest.mark.parametrize("rel", ["../x.html", "/etc/passwd", "a/../../x", "a//b", "a\\b", "./a", "a/\x00"])
def test_nothing_is_written_outside_the_output_folder(tmp_path, rel):
    with pytest.raises(UnsafePath):
        safe_target(tmp_path, rel)
