"""Theme overrides: a project's templates/, static/ and i18n/ replace the built-in theme file by file and string
by string, and nothing else changes; `check` names what overrides nothing; the old theme/ folder is refused."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from fichegen.build import build
from fichegen.check import check
from fichegen.cli import main
from fichegen.i18n import fill, read_catalogue
from fichegen.overrides import BUILTIN_THEME

FIXTURES = Path(__file__).parent / "fixtures"
FOOTER = re.compile(r"<footer class=\"site-footer\">.*?</footer>", re.S)


@pytest.fixture(scope="module")
def reference(tmp_path_factory) -> dict[str, bytes]:
    """A copy of the multilingual fixture (outside git, like the projects below) built with the built-in
    theme alone: every file of the site."""
    return built(project(tmp_path_factory.mktemp("reference"), {}))


def site_files(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


def project(tmp_path: Path, files: dict[str, str]) -> Path:
    root = tmp_path / "multilingual"
    shutil.copytree(FIXTURES / "multilingual", root)
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    return root


def built(root: Path) -> dict[str, bytes]:
    result = build(root, root / "site", search=False, workers=1)
    assert result.ok, [str(d) for d in result.check.errors]
    return site_files(root / "site")


def codes(root: Path) -> list[tuple[str, int, str]]:
    return [(d.path, d.line, d.code) for d in check(root).diagnostics]


# --- one template, one block, one string: only that changes ----------------------------------

def test_a_template_extending_the_built_in_one_changes_one_block_and_nothing_else(tmp_path, reference):
    root = project(tmp_path, {"templates/base.html":
                              "{% extends 'theme/base.html' %}{% block footer_bottom %}<p>Run by the Example Network</p>{% endblock %}"})
    assert codes(root) == []
    site = built(root)
    assert site.keys() == reference.keys()
    pages = [path for path in site if path.endswith(".html")]
    assert len(pages) > 40
    for path in pages:
        if site[path] == reference[path]:
            assert b"site-footer" not in site[path], path          # the root language chooser has no footer
            continue
        new, old = site[path].decode(), reference[path].decode()
        assert "Run by the Example Network" in new, path
        assert FOOTER.sub("", new) == FOOTER.sub("", old), f"{path} changed outside the footer"
    for path in site:
        if not path.endswith(".html"):
            assert site[path] == reference[path], path


def test_a_whole_template_replaces_only_the_pages_that_use_it(tmp_path, reference):
    root = project(tmp_path, {"templates/organisation.html":
                              "{% extends 'fiche.html' %}{% block body %}<p class=\"own\">{{ t('org.own') }}</p>{% endblock %}",
                              "i18n/en.yaml": "org.own: Our own organisation page\n",
                              "i18n/fr.yaml": "org.own: Notre page d'organisation\n",
                              "i18n/es.yaml": "org.own: Nuestra página\n",
                              "i18n/pt.yaml": "org.own: A nossa página\n"})
    assert codes(root) == []
    site = built(root)
    changed = sorted(path for path in site if site[path] != reference.get(path))
    assert changed and all("/organisations/" in path and path.endswith(("agency/index.html", "ngo-sur/index.html"))
                           for path in changed), changed
    assert "Our own organisation page" in site["en/organisations/agency/index.html"].decode()
    assert "Notre page d&#39;organisation" in site["fr/organisations/agency/index.html"].decode()


def test_one_ui_string_changes_that_string_in_that_language_only(tmp_path, reference):
    root = project(tmp_path, {"i18n/en.yaml": "nav.search: Find a fiche\n"})
    assert codes(root) == []
    site = built(root)
    assert "Find a fiche" in site["en/index.html"].decode()
    for path, data in site.items():
        if not path.startswith("en/") and path.endswith(".html") and path != "404.html":
            assert data == reference[path], path


def test_a_language_the_theme_lacks_comes_with_its_own_catalogue(tmp_path):
    english = read_catalogue(BUILTIN_THEME / "i18n" / "en.yaml")
    german = yaml.safe_dump({key: f"DE {text}" for key, text in english.items()}, allow_unicode=True, width=1000)
    root = project(tmp_path, {"i18n/de.yaml": german})
    toml = root / "fichegen.toml"
    toml.write_text(toml.read_text().replace('languages = ["en", "fr", "es", "pt"]', 'languages = ["en", "de"]'))
    assert [c for c in codes(root) if c[2] != "vocabulary-label-missing"] == []
    site = built(root)
    assert "DE " in site["de/index.html"].decode()
    (root / "i18n" / "de.yaml").write_text("\n".join(l for l in german.splitlines() if not l.startswith("nav.home:")) + "\n")
    assert ("i18n/de.yaml", 1, "ui-string-missing") in codes(root)


def test_static_files_extra_css_extra_js_and_a_logo(tmp_path, reference):
    root = project(tmp_path, {"static/brand.css": ":root { --accent: #8a2be2; }\n", "static/counter.js": "// counts\n",
                              "static/logo.svg": "<svg xmlns='http://www.w3.org/2000/svg'/>", "static/print.css": "/* ours */\n"})
    toml = root / "fichegen.toml"
    toml.write_text(toml.read_text() + 'extra_css = ["brand.css"]\nextra_js = ["counter.js"]\nlogo = "logo.svg"\n')
    assert codes(root) == []
    site = built(root)
    page = site["fr/index.html"].decode()
    assert '<link rel="stylesheet" href="/static/brand.css">' in page
    assert '<script src="/static/counter.js" defer></script>' in page
    assert '<img class="site-logo" src="/static/logo.svg" alt="">' in page
    assert page.index("static/site.css") < page.index("static/brand.css"), "the project's stylesheet comes after the theme's"
    assert site["static/print.css"] == b"/* ours */\n" and site["static/site.css"] == reference["static/site.css"]
    assert site["static/brand.css"].startswith(b":root")
    toml.write_text(toml.read_text().replace('extra_css = ["brand.css"]', 'extra_css = ["brnad.css"]'))
    (d,) = check(root).diagnostics
    assert (d.path, d.code) == ("fichegen.toml", "config") and "brnad.css" in d.message and "brand.css" in d.hint


# --- check names what overrides nothing ---------------------------------------------------------

def test_a_template_that_overrides_nothing_is_named_with_the_closest_name(tmp_path):
    root = project(tmp_path, {"templates/projet.html": "<p>typo</p>",
                              "templates/theme/base.html": "<p>never read</p>",
                              "templates/base.html": "{% extends 'theme/base.html' %}{% block footer %}{% include '_partner_logos.html' %}{% endblock %}",
                              "templates/_partner_logos.html": "<p>logos</p>"})
    found = {d.path: d for d in check(root).diagnostics}
    assert set(found) == {"templates/projet.html", "templates/theme/base.html"}
    assert all(d.code == "template-unused" and not d.is_error for d in found.values())
    assert "project.html" in found["templates/projet.html"].hint


def test_a_template_syntax_error_is_found_by_check_at_its_line(tmp_path):
    root = project(tmp_path, {"templates/base.html": "{% extends 'theme/base.html' %}\n{% block footer %}\n{% if %}\n{% endblock %}"})
    (d,) = check(root).diagnostics
    assert (d.path, d.line, d.code) == ("templates/base.html", 3, "template-syntax")


def test_a_ui_string_that_overrides_nothing_is_a_warning_unless_a_template_uses_it(tmp_path):
    root = project(tmp_path, {"i18n/en.yaml": "nav.serch: Find\nbrand.motto: Together\n"})
    found = check(root).diagnostics
    assert sorted((d.path, d.line, d.column, d.code) for d in found) == [
        ("i18n/en.yaml", 1, 1, "ui-string-unknown"), ("i18n/en.yaml", 2, 1, "ui-string-unknown")]
    assert "nav.search" in found[0].hint
    (root / "templates").mkdir()
    (root / "templates" / "base.html").write_text("{% extends 'theme/base.html' %}{% block footer_top %}{{ t('brand.motto') }}{% endblock %}")
    assert [(d.line, d.code) for d in check(root).diagnostics if d.path == "i18n/en.yaml"] == [(1, "ui-string-unknown")]


# --- placeholders: {name} only, the same in every language --------------------------------------

def test_placeholders_must_match_the_default_language_and_are_located_in_the_catalogue(tmp_path):
    root = project(tmp_path, {"i18n/fr.yaml": "nav.home: Accueil\nlist.count: \"{nombre} fiches\"\n",
                              "i18n/es.yaml": "list.count: \"{0} fichas\"\n",
                              "i18n/pt.yaml": "list.count: \"{count:,} fichas\"\n"})
    found = sorted((d.path, d.line, d.column, d.code) for d in check(root).diagnostics)
    assert found == [("i18n/es.yaml", 1, 1, "ui-string-placeholder"), ("i18n/es.yaml", 1, 1, "ui-string-placeholder"),
                     ("i18n/fr.yaml", 2, 1, "ui-string-placeholder"),
                     ("i18n/pt.yaml", 1, 1, "ui-string-placeholder"), ("i18n/pt.yaml", 1, 1, "ui-string-placeholder")]
    messages = " ".join(d.message for d in check(root).diagnostics)
    assert "{nombre}" in messages and "{count}" in messages and "{0}" in messages


def test_a_default_language_string_keeps_the_placeholders_fichegen_fills_in(tmp_path):
    root = project(tmp_path, {"i18n/en.yaml": "list.count: \"{total} fiches\"\n"})
    assert ("i18n/en.yaml", 1, "ui-string-placeholder") in codes(root)


def test_only_plain_names_are_filled_in_never_formats_indexes_or_attributes():
    class Secret:
        token = "SECRET"

    values = {"count": 3, "x": Secret()}
    assert fill("{count} fiches", values) == "3 fiches"
    assert fill("{0} {count:,} {x.token} {x.__class__} {missing}", values) == "{0} {count:,} {x.token} {x.__class__} {missing}"
    assert fill("{{count}}", values) == "{3}"


# --- fichegen 0.1's theme folder ------------------------------------------------------------------

def test_the_old_theme_folder_and_theme_dir_are_refused_with_how_to_move(tmp_path):
    root = project(tmp_path, {})
    shutil.copytree(BUILTIN_THEME / "i18n", root / "theme" / "i18n")
    (d,) = check(root).diagnostics
    assert (d.path, d.code, d.is_error) == ("theme/", "theme-folder", True) and "templates/" in d.hint
    shutil.rmtree(root / "theme")
    toml = root / "fichegen.toml"
    toml.write_text(toml.read_text() + 'theme_dir = "mytheme"\n')
    (d,) = check(root).diagnostics
    assert (d.path, d.line, d.code) == ("fichegen.toml", 5, "config") and "templates/" in d.hint
    result = CliRunner().invoke(main, ["build", "--root", str(root), "--no-search"])
    assert result.exit_code == 1 and "theme_dir is no longer a setting" in result.output


# --- incremental builds see overrides -------------------------------------------------------------

def test_an_incremental_build_rebuilds_what_a_new_override_changes(tmp_path):
    root = project(tmp_path, {})
    cache = root / ".fichegen-cache"
    assert build(root, root / "site", search=False, workers=1, cache_dir=cache).ok
    (root / "i18n").mkdir()
    (root / "i18n" / "en.yaml").write_text("nav.search: Find a fiche\n")
    assert build(root, root / "site", search=False, workers=1, cache_dir=cache).ok
    assert "Find a fiche" in (root / "site" / "en" / "index.html").read_text()
