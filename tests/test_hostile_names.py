"""Hostile names in a pull request: a file or term id that would break the site, a checkout or a spreadsheet is
refused by `check` at the file (fiche ids) or at the term's key (vocabularies), before `build` could stumble on it.

Every id is matched whole: Python's `$` also matches before a final newline, so `evil\\n.yaml` used to pass and
make folders with a newline in their name. Windows device names (in any case, with any extension) and the names
of the files the site writes beside its pages (`index.html` as a theme used to pass `check`, then stop `build`
with "File exists") are reserved.
"""

from __future__ import annotations

import re
import typing
from pathlib import Path

import pytest
from pydantic import TypeAdapter, ValidationError

from fichegen.build import build
from fichegen.check import check
from fichegen.config import SiteConfig
from fichegen.load import RESERVED_NAMES, SITE_FILES, WINDOWS_RESERVED, check_id, reserved_name
from fichegen.models import FICHE_TYPES, VOCABULARIES
from fichegen.render.urls import SECTION, TAXONOMY_SECTION

from test_hostile_files import VALID, make_project, only, problems

THEMES = "climate:\n  label: {en: Climate}\n"


def term_file(term: str) -> str:
    return THEMES + f"'{term}':\n  label: {{en: A term}}\n"


# --- whole matches --------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["evil\n", "evil\r", "evil\r\n", "ok\n\n"])
def test_an_id_ending_in_a_line_break_is_refused(tmp_path, name):
    """`re.match('^…$')` accepts 'evil\\n': the file became folders and sitemap lines with a newline in them."""
    root = make_project(tmp_path, {f"content/projects/{name}.yaml": VALID})
    d = only(root, "bad-file-name")
    assert d.path == f"content/projects/{name}.yaml"
    assert check_id(name) is not None and check_id(name.strip()) is None


def _schema_patterns(schema) -> typing.Iterator[str]:
    """Every `pattern` of a JSON Schema (properties, items, property names, definitions)."""
    if isinstance(schema, dict):
        for key, value in schema.items():
            if key == "pattern" and isinstance(value, str):
                yield value
            else:
                yield from _schema_patterns(value)
    elif isinstance(schema, list):
        for value in schema:
            yield from _schema_patterns(value)


def test_every_pattern_of_the_models_and_the_configuration_matches_whole():
    """pydantic-core's regex engine (Rust's `regex`) reads `$` as the end of the text, unlike Python's `re`, whose `$`
    also matches before a final newline. Every anchored pattern of every model and of the configuration is compiled
    as pydantic compiles it and must refuse a value that fits but for a final line break; were a pattern to need
    Python's engine (look-arounds, back-references), pydantic would switch to it silently and this would fail."""
    from pydantic import StringConstraints
    from fichegen.models.common import Ref, TermRef

    models = [SiteConfig, *FICHE_TYPES.values(), *VOCABULARIES.values()]
    assert all(m.model_config.get("regex_engine", "rust-regex") == "rust-regex" for m in models)
    patterns = sorted({p for m in models for p in _schema_patterns(m.model_json_schema()) if p.endswith("$")})
    checked = 0
    for pattern in patterns:
        sample = _a_match(pattern)
        assert sample is not None, f"no sample value for {pattern!r}: add one to _a_match"
        adapter = TypeAdapter(typing.Annotated[str, StringConstraints(pattern=pattern)])
        assert adapter.validate_python(sample) == sample
        for tail in ("\n", "\r\n", "\n\n"):
            with pytest.raises(ValidationError):
                adapter.validate_python(sample + tail)
        checked += 1
    for annotation, sample in ((Ref, "aima"), (TermRef, "ES-VC")):
        with pytest.raises(ValidationError):
            TypeAdapter(annotation).validate_python(sample + "\n")
    print(f"\n{checked} anchored patterns of the models and the configuration refuse a value followed by a line break")
    assert checked >= 8


def _a_match(pattern: str) -> str | None:
    """A short text `pattern` matches, among plausible values."""
    candidates = ["aima", "remittances", "en", "pt_PT", "PT", "EUR", "2.1", "3f2a9c1e", "/", "/my-repo/", "site",
                  "https://example.org", "theme", "GB-COH-01234567", "90", "2010", "2010-01-15", "ES-VC", "a", "1", "15190", "owner/fiches"]
    return next((c for c in candidates if re.fullmatch(pattern.removeprefix("^").removesuffix("$"), c)), None)


# --- Windows device names -----------------------------------------------------------------------

@pytest.mark.parametrize("name", ["con", "nul", "aux", "prn", "com1", "com0", "lpt9"])
def test_windows_device_names_are_refused_as_fiche_ids_and_the_hint_offers_another(tmp_path, name):
    """con.yaml would make a folder /projects/con/ that Windows cannot create or check out."""
    root = make_project(tmp_path, {f"content/projects/{name}.yaml": VALID})
    d = only(root, "reserved-id")
    assert d.path == f"content/projects/{name}.yaml" and (d.line, d.column) == (1, 1)
    assert "reserved device name" in d.message
    suggestion = re.search(r"e\.g\. (\S+)\.yaml", d.hint)[1]
    assert suggestion != name and check_id(suggestion) is None


@pytest.mark.parametrize("term", ["con", "AUX", "Nul", "nul.txt", "COM1", "com1.json", "lpt9.tar.gz", "PRN.html"])
def test_windows_device_names_are_refused_as_terms_in_any_case_and_with_any_extension(tmp_path, term):
    """A theme 'nul.txt' makes /en/themes/nul.txt/: Windows takes any NUL.* for the device."""
    root = make_project(tmp_path, {"content/vocabularies/themes.yaml": term_file(term)})
    d = only(root, "reserved-id")
    assert (d.path, d.line, d.column) == ("content/vocabularies/themes.yaml", 3, 1)   # at the term's key
    assert "reserved device name" in d.message and term in d.message
    suggestion = re.search(r"e\.g\. '([^']+)'", d.hint)[1]
    assert reserved_name(suggestion) is None and check_id(suggestion) is None


def test_a_name_that_only_starts_like_a_device_is_fine(tmp_path):
    root = make_project(tmp_path, {"content/projects/console.yaml": VALID, "content/projects/com10.yaml": VALID,
                                   "content/projects/auxiliary.yaml": VALID,
                                   "content/vocabularies/themes.yaml": term_file("nullity.txt")})
    assert problems(root) == []


# --- names of the site's own files ---------------------------------------------------------------

@pytest.mark.parametrize("term", ["index.html", "INDEX.HTML", "feed.xml", "404", "404.html", "static", "data", "sitemap.xml",
                                  "robots.txt", "pagefind", "search"])
def test_a_term_named_like_a_file_of_the_site_is_refused_at_its_key(tmp_path, term):
    """A theme 'index.html' made /en/themes/index.html/ beside the themes page /en/themes/index.html: `check` passed,
    `build` failed with "File exists". Terms are compared as their folder is named, in lower case."""
    root = make_project(tmp_path, {"content/vocabularies/themes.yaml": term_file(term),
                                   "content/projects/p.yaml": VALID + f"themes: ['{term}']\n"})
    d = only(root, "reserved-id")
    assert (d.path, d.line) == ("content/vocabularies/themes.yaml", 3)
    assert "file or folder the site writes" in d.message
    result = build(root, tmp_path / "site", search=False)
    assert not result.ok and [x.code for x in result.check.errors] == ["reserved-id"]
    assert not (tmp_path / "site").exists()


@pytest.mark.parametrize("name", ["index", "static", "data", "404", "feed", "sitemap", "robots", "pagefind", "handbook",
                                  "search", "statistics", "translations"])
def test_a_fiche_named_like_a_file_of_the_site_is_refused_at_the_file(tmp_path, name):
    root = make_project(tmp_path, {f"content/organisations/{name}.yaml": "name: {en: An organisation}\ncountry: PT\n"})
    d = only(root, "reserved-id")
    assert (d.path, d.line, d.column) == (f"content/organisations/{name}.yaml", 1, 1)
    suggestion = re.search(r"e\.g\. (\S+)\.yaml", d.hint)[1]
    assert check_id(suggestion) is None


def test_the_reserved_names_are_every_name_the_site_writes_beside_its_pages(tmp_path):
    """The list in load.py is checked against a real build (with its search index): every file and folder at the
    site's root, in a language folder and in a section that is not a language, a section, a taxonomy or a page
    of a fiche or term must be reserved, so no id can ever take its place."""
    root = make_project(tmp_path / "p", {"content/projects/p.yaml": VALID + "countries: [PT]\nthemes: [climate]\n",
                                         "content/vocabularies/themes.yaml": THEMES})
    out = tmp_path / "site"
    result = build(root, out, search=True)
    assert result.ok, result.check.errors
    structural = {"en", *SECTION.values(), *TAXONOMY_SECTION.values()}
    written: set[str] = set()
    for folder in [out, out / "en", *(out / "en" / s for s in SECTION.values()), *(out / "en" / t for t in TAXONOMY_SECTION.values())]:
        if folder.is_dir():
            written |= {p.name for p in folder.iterdir() if not p.name.startswith(".")}
    ids = {"p", "pt", "climate", "2024", "ongoing", "completed", "planned"}
    unreserved = sorted(name for name in written - structural - ids if name.lower() not in RESERVED_NAMES)
    assert unreserved == [], f"written beside pages but an id may take the name: {unreserved}"
    assert "handbook" in RESERVED_NAMES     # `build --handbook` writes site/handbook/
    print(f"\n{len(written)} names written at the root, in a language folder and in its sections; "
          f"{len(RESERVED_NAMES)} reserved names, {len(WINDOWS_RESERVED)} Windows device names")
    assert SITE_FILES <= RESERVED_NAMES


# --- extensions ------------------------------------------------------------------------------

@pytest.mark.parametrize("rel", ["content/projects/demo.yml", "content/projects/demo.YAML", "content/projects/demo.Yaml",
                                 "content/projects/demo.YML", "content/vocabularies/themes.YAML", "content/vocabularies/themes.yml"])
def test_a_yaml_file_with_another_spelling_of_the_extension_is_named_not_ignored(tmp_path, rel):
    root = make_project(tmp_path, {rel: VALID})
    d = only(root, "bad-file-name")
    stem = Path(rel).name.split(".")[0]
    assert d.path == rel and f"rename it to {stem}.yaml" in d.hint
    assert "ignored" in d.message


def test_a_hidden_file_with_an_upper_case_extension_is_named_too(tmp_path):
    root = make_project(tmp_path, {"content/projects/.draft.YAML": VALID})
    d = only(root, "bad-file-name")
    assert "hidden" in d.message and "draft.yaml" in d.hint


@pytest.mark.parametrize("value", ["2010\n", "2010-01\n", "2010-01-15\r\n"])
def test_a_date_followed_by_a_line_break_is_not_a_date(tmp_path, value):
    """Dates are parsed with Python's `re`, whose `$` also matches before a final newline: matched whole instead."""
    escaped = value.replace("\r", "\\r").replace("\n", "\\n")
    root = make_project(tmp_path, {"content/projects/p.yaml": VALID + f'start_date: "{escaped}"\n'})
    [d] = check(root).diagnostics     # (its hint is the suggestions' business: not asserted here)
    assert (d.code, d.line) == ("invalid-value", 4) and "is not a date" in d.message


def test_an_address_segment_with_a_line_break_is_percent_encoded():
    from fichegen.render.urls import Urls
    assert Urls("/").term("en", "themes", "evil\n") == "/en/themes/evil%0A/"
