"""The editors' handbook: built strictly with MkDocs, its reference generated from the code, so that
every field of every fiche type and vocabulary, every fichegen.toml key and every error code is in it."""

from __future__ import annotations

import hashlib
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest

from fichegen.config import SiteConfig
from fichegen.diagnostics import CODES
from fichegen.handbook import (HANDBOOK_CONFIG, HANDBOOK_DOCS, MARKERS, HandbookError, build_handbook, project_pages,
                               write_reference)
from fichegen.handbook.reference import anchor, nested_models
from fichegen.linkcheck import check_links
from fichegen.models import FICHE_TYPES, VOCABULARIES

REPO = Path(__file__).resolve().parents[1]


def tree_digest(folder: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        digest.update(path.relative_to(folder).as_posix().encode())
        if path.is_file():
            digest.update(path.read_bytes())
    return digest.hexdigest()


class Ids(HTMLParser):
    """The ids of a page and the text of its main content."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.codes: set[str] = set()
        self._in_code = False
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.ids.update(value for name, value in attrs if name == "id" and value)
        self._in_code = tag == "code"

    def handle_endtag(self, tag):
        self._in_code = False

    def handle_data(self, data):
        if self._in_code:
            self.codes.add(data)


@pytest.fixture(scope="module")
def handbook(tmp_path_factory) -> Path:
    before = tree_digest(HANDBOOK_DOCS)
    out = build_handbook(REPO, tmp_path_factory.mktemp("handbook") / "handbook")
    assert tree_digest(HANDBOOK_DOCS) == before, "building the handbook changed its sources"
    return out


def page(handbook: Path, path: str) -> Ids:
    return Ids((handbook / path / "index.html").read_text(encoding="utf-8"))


def config_keys(model=SiteConfig, prefix="") -> list[str]:
    keys = []
    for name, field in model.model_fields.items():
        keys.append(prefix + name)
        sub = next((m for m in nested_models(model) if m is field.annotation), None)
        if sub is not None:
            keys += config_keys(sub, f"{prefix}{name}.")
    return keys


@pytest.mark.parametrize("kind", sorted(FICHE_TYPES))
def test_every_field_of_every_fiche_type_is_in_its_reference_page(handbook, kind):
    """Fields of the fiche and of every group inside it (a project's funding, partners…), each with its row."""
    html = page(handbook, f"reference/{kind}")
    model = FICHE_TYPES[kind]
    for part in [model, *nested_models(model)]:
        assert anchor(part) in html.ids, f"no section for {part.__name__}"
        for name in part.model_fields:
            assert f"{anchor(part)}-{name.replace('_', '-')}" in html.ids, f"{part.__name__}.{name} has no row"
            assert name in html.codes


def test_every_vocabulary_and_the_fields_of_its_terms_are_in_the_reference(handbook):
    html = page(handbook, "reference/vocabularies")
    for name, model in VOCABULARIES.items():
        assert name in html.ids
        for field in model.model_fields:
            assert f"{name}-{field.replace('_', '-')}" in html.ids, f"{name}: {field} has no row"
        for part in nested_models(model):
            for field in part.model_fields:
                assert f"{anchor(part)}-{field.replace('_', '-')}" in html.ids


def test_every_error_code_is_explained_with_how_to_fix_it(handbook):
    html_text = (handbook / "errors" / "index.html").read_text(encoding="utf-8")
    html = Ids(html_text)
    for code, info in CODES.items():
        assert code in html.ids, f"{code} has no section"
        assert code in html.codes
        assert info.title in html_text
    assert html_text.count("How to fix:") == len(CODES)


def test_every_code_comes_with_advice_on_how_to_fix_it():
    """A new code must come with advice for editors: it lives beside the code in the catalogue."""
    assert all(info.fix.strip() for info in CODES.values())


def test_every_configuration_key_is_documented(handbook):
    html = page(handbook, "configuration")
    for key in config_keys():
        assert key.replace(".", "-").replace("_", "-") in html.ids, key
        assert key in html.codes


def test_generated_parts_replace_their_markers_and_are_not_kept_in_the_repository(handbook, tmp_path):
    """docs/ holds only what people write; the reference is made from the code each time."""
    for marker in MARKERS:
        assert any(marker in p.read_text(encoding="utf-8") for p in HANDBOOK_DOCS.rglob("*.md")), marker
    for html in handbook.rglob("*.html"):
        text = html.read_text(encoding="utf-8")
        assert "<!-- fichegen:" not in text and "&lt;!-- fichegen:" not in text, html
    assert not (HANDBOOK_DOCS / "reference" / "project.md").exists()
    copy = tmp_path / "docs"
    shutil.copytree(HANDBOOK_DOCS, copy)
    written = write_reference(copy)
    assert {p.relative_to(copy).as_posix() for p in written} >= {f"reference/{kind}.md" for kind in FICHE_TYPES}


def test_the_handbook_has_no_broken_link(handbook):
    report = check_links(handbook)
    assert report.links > 100
    assert report.broken == []


def test_the_handbook_loads_nothing_from_another_host(handbook):
    """No web fonts, no CDN: the handbook works offline and tells no third party who reads it."""
    external = re.compile(r"""<(?:link|script|img|iframe|source)\b[^>]*\b(?:href|src)=["']?(?:https?:)?//""", re.I)
    for html in handbook.rglob("*.html"):
        assert not external.search(html.read_text(encoding="utf-8")), html
    for css in handbook.rglob("*.css"):
        text = css.read_text(encoding="utf-8")
        assert not re.search(r"@import\s+url\(\s*['\"]?(https?:)?//", text), css
        assert "fonts.googleapis" not in text and "fonts.gstatic" not in text, css


def test_the_navigation_includes_every_page_and_the_search_page(handbook):
    from mkdocs.config import load_config

    config = load_config(config_file=str(HANDBOOK_CONFIG))
    assert config["strict"] is True
    assert config["theme"]["font"] is False
    nav = str(config["nav"])
    for page_file in ["index.md", "adding-a-fiche.md", "changing-and-translating.md", "pull-requests.md",
                      "publishing.md", "configuration.md", "errors.md", "search.md", "reference/vocabularies.md",
                      *(f"reference/{kind}.md" for kind in FICHE_TYPES)]:
        assert page_file in nav, page_file
        assert (handbook / page_file.removesuffix(".md").removesuffix("index") / "index.html").is_file(), page_file


def project(tmp_path: Path, pages: dict[str, str]) -> Path:
    root = tmp_path / "project"
    for rel, text in pages.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    return root


def test_a_broken_link_in_a_page_stops_the_build(tmp_path):
    """Strict: MkDocs' warnings (a link to a missing page here) are errors, named in the message."""
    root = project(tmp_path, {"handbook/guidelines.md": "# Our guidelines\n\nSee [the old page](no-such-page.md).\n"})
    with pytest.raises(HandbookError, match="no-such-page.md"):
        build_handbook(root, tmp_path / "out")


def test_a_project_adds_its_own_markdown_pages_in_a_section_of_their_own(tmp_path):
    root = project(tmp_path, {
        "handbook/guidelines.md": "# Our editorial guidelines\n\nWrite short summaries. See [how to add a fiche](../adding-a-fiche.md) "
                                  "and [our glossary](glossary.md).\n",
        "handbook/glossary.md": "# Glossary\n\n**Diaspora**: people living outside their country of origin.\n",
        "handbook/notes.txt": "not a page"})
    out = build_handbook(root, tmp_path / "out")
    page = (out / "this-site" / "guidelines" / "index.html").read_text(encoding="utf-8")
    assert "Write short summaries." in page and "Our editorial guidelines" in page
    assert (out / "this-site" / "glossary" / "index.html").is_file()
    assert "Our editorial guidelines" in (out / "index.html").read_text(encoding="utf-8"), "the navigation lists the page"
    assert check_links(out).broken == []
    assert not list(out.rglob("notes.txt"))
    _, problems = project_pages(root)
    assert [(d.path, d.code) for d in problems] == [("handbook/notes.txt", "wrong-folder")]


def test_a_project_mkdocs_configuration_and_its_hooks_are_never_used(tmp_path):
    """The handbook's configuration comes from the package: a pull request adding mkdocs.yml with a hook
    (Python run by MkDocs) or a docs/ folder changes nothing and runs nothing."""
    marker = tmp_path / "hook-ran"
    root = project(tmp_path, {
        "mkdocs.yml": "site_name: hijacked\nhooks:\n  - evil.py\nplugins:\n  - evil\n",
        "evil.py": f"open({str(marker)!r}, 'w').write('ran')\n",
        "docs/index.md": "# HIJACKED\n"})
    out = build_handbook(root, tmp_path / "out")
    assert not marker.exists()
    assert "HIJACKED" not in (out / "index.html").read_text(encoding="utf-8")
    assert "fichegen handbook" in (out / "index.html").read_text(encoding="utf-8")


def test_a_link_out_of_the_project_pages_is_refused_and_never_published(tmp_path):
    secret = tmp_path / "home" / ".ssh"
    secret.mkdir(parents=True)
    (secret / "id_ed25519").write_text("-----BEGIN OPENSSH PRIVATE KEY----- SECRET-KEY-MATERIAL")
    root = project(tmp_path, {"handbook/guidelines.md": "# Guidelines\n"})
    (root / "handbook" / "key.md").symlink_to(secret / "id_ed25519")
    (root / "handbook" / "home").symlink_to(tmp_path / "home", target_is_directory=True)
    _, problems = project_pages(root)
    assert sorted((d.path, d.code) for d in problems) == [("handbook/home", "symlink-outside"), ("handbook/key.md", "symlink-outside")]
    out = build_handbook(root, tmp_path / "out")
    assert not any("SECRET-KEY-MATERIAL" in p.read_text(errors="replace") for p in out.rglob("*") if p.is_file())
