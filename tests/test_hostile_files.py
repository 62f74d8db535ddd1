"""Hostile files in a pull request: each is refused with its own code, an exact place and a hint, never a crash.

Fiches, vocabularies and fichegen.toml arrive from outsiders. Whatever the file system holds — huge or
deeply nested files, links out of the repository, names no computer can store, control characters — `check`
answers with diagnostics an editor can act on, the command line prints them without letting a byte rewrite
the terminal, and no setting in fichegen.toml can make a build replace a folder it did not build.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from fichegen.build import build
from fichegen.check import check
from fichegen.diagnostics import CODES, format_github, format_markdown, format_text
from fichegen.load import check_id
from fichegen.write import SITE_MARK, OutputRefused

FICHEGEN = [sys.executable, "-m", "fichegen.cli"]
TOML = 'title = { en = "Hostile files" }\nlanguages = ["en"]\nfallback = ["en"]\nbuild_date = 2024-06-01\n'
VALID = "original_language: en\ntitle: {en: A valid project}\nsummary: {en: It is valid.}\n"


def make_project(root: Path, files: dict[str, str | bytes], toml: str = TOML) -> Path:
    """A project with fichegen.toml and `files` (paths under the project root)."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "fichegen.toml").write_text(toml, encoding="utf-8")
    (root / "content" / "projects").mkdir(parents=True, exist_ok=True)
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return root


def problems(root: Path):
    """Every diagnostic, each checked to be a known code with a hint an editor can follow."""
    result = check(root)
    for d in result.diagnostics:
        assert d.code in CODES, d
        assert d.hint.strip(), f"{d.code} has no hint: {d}"
    return result.diagnostics


def only(root: Path, code: str):
    found = problems(root)
    assert [d.code for d in found] == [code], found
    return found[0]


# --- size and shape -------------------------------------------------------------------

def test_a_file_one_byte_over_one_mebibyte_is_refused_unread(tmp_path):
    big = VALID + "description: {en: '" + "x" * (1024 * 1024) + "'}\n"
    big = big[: 1024 * 1024 + 1]
    root = make_project(tmp_path, {"content/projects/big.yaml": big})
    d = only(root, "file-too-large")
    assert (d.path, d.line) == ("content/projects/big.yaml", 1)
    assert "1,048,577" in d.message and "max_file_bytes" in d.hint


def test_a_file_of_exactly_one_mebibyte_is_still_read(tmp_path):
    text = VALID + "# " + "x" * (1024 * 1024 - len(VALID) - 3) + "\n"
    assert len(text.encode()) == 1024 * 1024
    root = make_project(tmp_path, {"content/projects/big.yaml": text})
    assert [d.code for d in problems(root)] == []


def test_nesting_deeper_than_the_limit_is_refused_at_its_line(tmp_path):
    deep = VALID + "description:\n" + "".join("  " * (i + 1) + f"k{i}:\n" for i in range(25)) + "  " * 26 + "x\n"
    root = make_project(tmp_path, {"content/projects/deep.yaml": deep})
    d = only(root, "yaml-too-deep")
    assert d.line > 4 and "20 levels" in d.message


@pytest.mark.parametrize("opener", ["[", "{a: ", "- "])
@pytest.mark.parametrize("levels", [25, 100_000], ids=["past-fichegen-bound", "past-libyaml-bound"])
def test_a_quarter_megabyte_of_nesting_does_not_crash_the_process(tmp_path, opener, levels):
    """libyaml's composer recurses in C: 100 000 levels used to overflow the stack and kill `check` (SIGSEGV).

    25 levels cross only fichegen's bound (20); 100 000 also cross libyaml's own (1,000 levels, in the
    libyaml of PyYAML 6.0.3 and later), which stops the scanner before fichegen's walk starts. Either way the
    editor gets yaml-too-deep at the collection that crossed fichegen's bound, never a syntax error."""
    closer = {"[": "]", "{a: ": "}", "- ": ""}[opener]
    body = "description:\n  " + opener * levels + "x" + closer * levels + "\n"
    padding = "# " + "[" * 3000 + "\n"     # enough brackets for the depth walk to run on the short document too
    root = make_project(tmp_path, {"content/projects/deep.yaml": VALID + padding + body})
    run = subprocess.run(FICHEGEN + ["check", "--root", str(root), "--format", "json"], capture_output=True, text=True, timeout=120)
    assert run.returncode == 1, (run.returncode, run.stderr[-2000:])
    found = json.loads(run.stdout)
    assert [d["code"] for d in found] == ["yaml-too-deep"]
    line = VALID.count("\n") + 3       # the line after `description:`
    column = 3 + len(opener) * 20        # the 21st opener: the fiche's mapping and 20 levels under it are allowed
    assert (found[0]["line"], found[0]["column"]) == (line, column)
    assert "20 levels" in found[0]["message"]


@pytest.mark.parametrize("text", ["", "\n\n", "# only a comment\n", "---\n", "~\n"])
def test_an_empty_file_is_named_as_such(tmp_path, text):
    root = make_project(tmp_path, {"content/projects/empty.yaml": text})
    d = only(root, "empty-file")
    assert "fichegen new project empty" in d.hint


@pytest.mark.parametrize("text, what", [("- a\n- b\n", "list"), ("just a sentence\n", "single value"), ("'quoted'\n", "single value")])
def test_a_file_that_is_not_a_mapping_is_refused(tmp_path, text, what):
    root = make_project(tmp_path, {"content/projects/shape.yaml": text})
    d = only(root, "not-a-mapping")
    assert what in d.message


def test_several_documents_in_one_file_are_refused(tmp_path):
    root = make_project(tmp_path, {"content/projects/two.yaml": VALID + "---\n" + VALID})
    d = only(root, "yaml-syntax")
    assert "single document" in d.message and d.line == 4


# --- encodings, line ends, tabs, control characters -----------------------------------

def test_crlf_line_ends_and_a_byte_order_mark_are_accepted_with_true_positions(tmp_path):
    text = "\ufefforiginal_language: en\r\ntitle: {en: CRLF}\r\nsummary: {en: Windows line ends.}\r\nbogus: 1\r\n"
    root = make_project(tmp_path, {"content/projects/crlf.yaml": text.encode("utf-8")})
    d = only(root, "unknown-key")
    assert (d.line, d.column) == (4, 1)


def test_old_mac_line_ends_are_accepted(tmp_path):
    root = make_project(tmp_path, {"content/projects/cr.yaml": VALID.replace("\n", "\r")})
    assert problems(root) == []


def test_a_tab_inside_a_text_is_fine_but_a_tab_used_for_indentation_is_located(tmp_path):
    ok = VALID.replace("It is valid.", "It\tis valid.")
    bad = "original_language: en\ntitle:\n\ten: Tabbed\nsummary: {en: x}\n"
    root = make_project(tmp_path, {"content/projects/ok.yaml": ok, "content/projects/bad.yaml": bad})
    d = only(root, "yaml-tab")
    assert (d.path, d.line, d.column) == ("content/projects/bad.yaml", 3, 1)
    assert "spaces" in d.hint


@pytest.mark.parametrize("escape, codepoint", [(r"\0", 0), (r"\e[2J", 0x1B), (r"\a", 7), (r"\x7f", 0x7F), (r"\x9b", 0x9B), (r"\uFFFF", 0xFFFF)])
def test_an_escaped_control_character_in_a_text_is_refused_where_it_stands(tmp_path, escape, codepoint):
    text = f'original_language: en\ntitle: {{en: "Bad{escape}title"}}\nsummary: {{en: ok}}\n'
    root = make_project(tmp_path, {"content/projects/ctl.yaml": text})
    d = only(root, "control-character")
    assert (d.line, d.column) == (2, 13)
    assert f"U+{codepoint:04X}" in d.message


def test_a_raw_control_character_in_the_file_is_located(tmp_path):
    text = "original_language: en\ntitle: {en: Ünïcode before\x07}\nsummary: {en: ok}\n"
    root = make_project(tmp_path, {"content/projects/raw.yaml": text})
    d = only(root, "control-character")
    assert (d.line, d.column) == (2, 27)


def test_bytes_that_are_not_utf8_are_located(tmp_path):
    root = make_project(tmp_path, {"content/projects/latin1.yaml": VALID.replace("valid.", "caf\xe9.").encode("latin-1")})
    d = only(root, "not-utf8")
    assert d.line == 3 and "UTF-8" in d.hint


def test_a_control_character_is_never_printed_raw_by_any_output_format(tmp_path):
    """An ESC in a fiche (or a file name) reaching a terminal or a CI log could rewrite what the reviewer sees."""
    name = "evil\x1b]0;pwned\x07\x1b[2J.yaml"
    text = 'original_language: en\ntitle: {en: "x\\e[31mRED"}\nsummary: {en: ok}\n"k\\e[2J": 1\n'
    root = make_project(tmp_path, {"content/projects/ctl.yaml": text})
    (root / "content" / "projects" / name).write_text(VALID)
    found = problems(root)
    assert {d.code for d in found} >= {"control-character", "bad-file-name"}
    for formatter in (format_text, format_github, format_markdown):
        out = formatter(found)
        assert not re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f]", out.replace("\n", "")), formatter.__name__
    assert "\\x1b" in format_text(found)
    for fmt in ("text", "github", "json"):
        run = subprocess.run(FICHEGEN + ["check", "--root", str(root), "--format", fmt], capture_output=True, timeout=60)
        assert run.returncode == 1
        assert b"\x1b" not in run.stdout + run.stderr and b"\x07" not in run.stdout + run.stderr, fmt


def test_a_file_name_that_is_not_utf8_is_reported_without_crashing(tmp_path):
    root = make_project(tmp_path, {})
    folder = os.fsencode(root / "content" / "projects")
    with open(os.path.join(folder, b"caf\xe9.yaml"), "wb") as f:
        f.write(VALID.encode())
    run = subprocess.run(FICHEGEN + ["check", "--root", str(root)], capture_output=True, timeout=60)
    assert run.returncode == 1, run.stderr
    assert b"bad-file-name" in run.stdout and b"Traceback" not in run.stderr
    assert b"caf\\xe9" in run.stdout


# --- values that pass for their type but could not be shown -----------------------------

def test_a_text_in_no_language_at_all_is_refused(tmp_path):
    """`description: {}` has nothing to fall back on: found by the property tests, it used to crash the build."""
    root = make_project(tmp_path, {"content/projects/p.yaml": VALID + "description: {}\n"})
    d = only_error(root, "invalid-value")
    assert (d.line, d.column) == (4, 14) and "at least one language" in d.message


@pytest.mark.parametrize("field, value", [("start_date", "0001"), ("end_date", "9999-12-31"), ("published", "0202-01-01"),
                                          ("updated", "2999-01-01")])
def test_a_date_far_outside_any_project_is_refused_as_a_typo(tmp_path, field, value):
    """end_date 9999-12-31 used to overflow the timeline's date arithmetic and stop the build with a traceback."""
    root = make_project(tmp_path, {"content/projects/p.yaml": VALID + f"{field}: '{value}'\n"})
    d = only_error(root, "invalid-value")
    assert d.line == 4 and "typo" in d.message


def only_error(root: Path, code: str):
    found = check(root).diagnostics
    assert [d.code for d in found] == [code], found
    return found[0]


# --- names ----------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["a..b", "..", "-lead", "trail-", "Upper", "with space", "under_score", "dot.ted", "tab\there",
                                  "esc\x1bape", "nul\x01l", "ünï", "x" * 81])
def test_an_id_that_cannot_be_a_web_address_is_refused_with_a_usable_suggestion(tmp_path, name):
    root = make_project(tmp_path, {f"content/projects/{name}.yaml": VALID})
    d = only(root, "bad-file-name")
    suggestion = re.search(r"e\.g\. (\S+)\.yaml", d.hint)[1]
    assert check_id(suggestion) is None, suggestion


# Windows device names and the names of the site's own files: tests/test_hostile_names.py.


def test_a_hidden_yaml_file_is_reported_not_silently_skipped(tmp_path):
    root = make_project(tmp_path, {"content/projects/.draft.yaml": VALID, "content/projects/.#lock.yaml": "x",
                                   "content/projects/.DS_Store": b"\x00\x01"})
    d = only(root, "bad-file-name")
    assert d.path == "content/projects/.draft.yaml" and "draft.yaml" in d.hint


def test_vocabulary_terms_that_differ_only_by_case_collide(tmp_path):
    """On macOS and Windows /regions/ES-VC/ and /regions/es-vc/ are one folder: one page would overwrite the other."""
    regions = ("ES-VC:\n  label: {en: Valencian Community}\n  scheme: iso-3166-2\n  country: ES\n"
               "es-vc:\n  label: {en: valencian community}\n  scheme: iso-3166-2\n  country: ES\n")
    root = make_project(tmp_path, {"content/vocabularies/regions.yaml": regions})
    d = only(root, "id-case-collision")
    assert (d.path, d.line) == ("content/vocabularies/regions.yaml", 5)
    assert "ES-VC" in d.message and "es-vc" in d.message


@pytest.mark.parametrize("rel", ["content/project/demo.yaml", "content/demo.yaml", "content/projects/nested/demo.yaml",
                                 "content/vocabularies/more/themes.yaml"])
def test_a_file_in_the_wrong_folder_is_named_with_the_right_ones(tmp_path, rel):
    root = make_project(tmp_path, {rel: VALID})
    d = only(root, "wrong-folder")
    assert d.path == rel and "content/projects/" in d.hint


def test_an_unknown_vocabulary_file_is_named(tmp_path):
    root = make_project(tmp_path, {"content/vocabularies/themse.yaml": "a:\n  label: {en: A}\n"})
    d = only(root, "bad-file-name")
    assert "themes" in d.hint


# --- links and special files ----------------------------------------------------------

def test_a_symbolic_link_to_a_file_outside_content_is_not_read(tmp_path):
    secret = tmp_path / "secret.yaml"
    secret.write_text("original_language: en\ntitle: {en: SECRET-TOKEN}\nsummary: {en: leaked}\n")
    root = make_project(tmp_path / "p", {})
    (root / "content" / "projects" / "leak.yaml").symlink_to(secret)
    result = check(root)
    assert [d.code for d in result.diagnostics] == ["symlink-outside"]
    assert result.diagnostics[0].hint and "leak" not in result.graph.projects


def test_a_symbolic_link_to_a_folder_or_in_a_loop_is_not_followed(tmp_path):
    outside = tmp_path / "elsewhere"
    (outside).mkdir()
    (outside / "x.yaml").write_text(VALID)
    root = make_project(tmp_path / "p", {})
    (root / "content" / "organisations").symlink_to(outside, target_is_directory=True)
    (root / "content" / "projects" / "loop.yaml").symlink_to(root / "content" / "projects" / "loop.yaml")
    found = problems(root)
    assert sorted((d.path, d.code) for d in found) == [("content/organisations", "symlink-outside"),
                                                       ("content/projects/loop.yaml", "symlink-outside")]


def test_a_symbolic_link_that_stays_inside_content_is_read(tmp_path):
    root = make_project(tmp_path, {"content/projects/real.yaml": VALID})
    (root / "content" / "projects" / "alias.yaml").symlink_to("real.yaml")
    result = check(root)
    assert result.diagnostics == [] and {"real", "alias"} <= set(result.graph.projects)


def test_a_named_pipe_in_content_does_not_block_check(tmp_path):
    root = make_project(tmp_path, {})
    os.mkfifo(root / "content" / "projects" / "pipe.yaml")
    run = subprocess.run(FICHEGEN + ["check", "--root", str(root), "--format", "json"], capture_output=True, text=True, timeout=60)
    assert run.returncode == 1 and [d["path"] for d in json.loads(run.stdout)] == ["content/projects/pipe.yaml"]


# --- fichegen.toml cannot aim the build at other folders ------------------------------

@pytest.mark.parametrize("setting", ['output_dir = "."', 'output_dir = ".."', 'output_dir = ".git"', 'output_dir = "content"',
                                     'content_dir = ".."', 'theme_dir = "../elsewhere"', 'theme_dir = "/etc"',
                                     'theme_dir = "theme/../../x"', 'theme_dir = "site/theme"'])
def test_configuration_cannot_point_outside_the_project_or_at_its_history(tmp_path, setting):
    root = make_project(tmp_path, {"content/projects/ok.yaml": VALID}, TOML + setting + "\n")
    d = only(root, "config")
    assert d.path == "fichegen.toml" and d.line == 5


def test_a_build_never_replaces_a_folder_it_did_not_build(tmp_path):
    """`--out src` (or output_dir = "docs") must not wipe the folder: only an earlier build or an empty folder is replaced."""
    root = make_project(tmp_path / "p", {"content/projects/ok.yaml": VALID})
    precious = tmp_path / "precious"
    precious.mkdir()
    (precious / "notes.txt").write_text("keep me")
    with pytest.raises(OutputRefused):
        build(root, precious, search=False)
    assert [p.name for p in precious.iterdir()] == ["notes.txt"]
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".fichegen-")]
    run = subprocess.run(FICHEGEN + ["build", "--root", str(root), "--out", str(precious), "--no-search"],
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 1 and "Traceback" not in run.stderr
    assert "not built by fichegen" in run.stderr.strip().splitlines()[-1]
    assert (precious / "notes.txt").read_text() == "keep me"
    # an empty folder, and then the site it now holds, are replaced
    empty = tmp_path / "empty"
    empty.mkdir()
    assert build(root, empty, search=False).ok and (empty / SITE_MARK).is_file()
    assert build(root, empty, search=False).ok
