"""Every invalid fixture gives exactly the diagnostics an editor needs: code, file, line and column."""

from pathlib import Path

import pytest

from fichegen.check import check

FIXTURES = Path(__file__).parent / "fixtures" / "invalid"

# case → [(code, file, line, column)], in the order check reports them (sorted by file and line).
EXPECTED = {
    "four-problems": [
        ("unknown-key", "content/projects/demo.yaml", 4, 1),
        ("wrong-type", "content/projects/demo.yaml", 5, 13),
        ("unknown-reference", "content/projects/demo.yaml", 7, 19),
        ("duplicate-key", "content/projects/demo.yaml", 9, 1),
    ],
    "misspelt-key": [("unknown-key", "content/projects/demo.yaml", 4, 1)],
    "wrong-type": [("wrong-type", "content/projects/demo.yaml", 2, 10)],
    "unknown-partner": [("unknown-reference", "content/projects/demo.yaml", 7, 19)],
    "duplicate-key": [("duplicate-key", "content/projects/demo.yaml", 5, 1)],
    "end-before-start": [("end-before-start", "content/projects/demo.yaml", 5, 11)],
    "funding-mismatch": [("funding-mismatch", "content/projects/demo.yaml", 10, 12)],
    "priority-numbering": [
        ("priority-numbering", "content/strategies/demo.yaml", 11, 18),
        ("priority-numbering", "content/strategies/demo.yaml", 12, 13),
    ],
    "unknown-round": [("unknown-round", "content/discussions/demo.yaml", 13, 12)],
    "missing-original-language": [
        ("missing-original-language", "content/projects/demo.yaml", 2, 8),
        ("missing-original-language", "content/projects/demo.yaml", 3, 10),
    ],
    "yaml-syntax": [("yaml-syntax", "content/projects/demo.yaml", 3, 8)],
    "yaml-tab": [("yaml-tab", "content/projects/demo.yaml", 3, 1)],
    "python-tag": [("yaml-tag", "content/projects/demo.yaml", 3, 10)],
    "billion-laughs": [("yaml-alias", "content/projects/demo.yaml", 2, 4)],
    "empty-file": [("empty-file", "content/projects/demo.yaml", 1, 1)],
    "top-level-list": [("not-a-mapping", "content/projects/demo.yaml", 1, 1)],
    "wrong-folder": [("wrong-folder", "content/project/demo.yaml", 1, 1)],
    "bad-file-name": [("bad-file-name", "content/projects/My_Project.yaml", 1, 1)],
    "not-utf8": [("not-utf8", "content/projects/demo.yaml", 2, 16)],
    "unknown-theme": [("unknown-reference", "content/projects/demo.yaml", 4, 23)],
    "missing-key": [("missing-key", "content/projects/demo.yaml", 1, 1)],
    "unknown-priority": [("unknown-priority", "content/projects/demo.yaml", 5, 32)],
    "placeholder-left": [("placeholder-left", "content/projects/demo.yaml", 3, 7)],
}


def test_every_invalid_fixture_has_an_expectation():
    """A new fixture folder without an expectation would silently test nothing."""
    assert sorted(p.name for p in FIXTURES.iterdir() if p.is_dir()) == sorted(EXPECTED)


@pytest.mark.parametrize("case", sorted(EXPECTED))
def test_invalid_case_reports_exact_locations(case):
    result = check(FIXTURES / case)
    found = [(d.code, d.path, d.line, d.column) for d in result.diagnostics]
    assert found == EXPECTED[case]
    assert not result.ok()
    assert all(d.message for d in result.diagnostics)


def test_misspelt_key_hint_names_the_right_key():
    (d,) = check(FIXTURES / "misspelt-key").diagnostics
    assert d.message == "'acronymm' is not a field of a project"
    assert "did you mean 'acronym'?" in d.hint


def test_unknown_reference_suggests_the_closest_id():
    (d,) = check(FIXTURES / "unknown-partner").diagnostics
    assert "'ngo-on'" in d.message and "did you mean 'ngo-one'?" in d.hint
    (d,) = check(FIXTURES / "unknown-theme").diagnostics
    assert "did you mean 'remittances'?" in d.hint


def test_python_tag_is_refused_without_running_anything(tmp_path, monkeypatch):
    """The tag runs `touch tag-ran` when the YAML is constructed by an unsafe loader: the file is the trace
    the test looks for, first to prove the payload works, then to prove `check` never ran it."""
    import yaml

    fiche = FIXTURES / "python-tag" / "content" / "projects" / "demo.yaml"
    ran, clean = tmp_path / "unsafe", tmp_path / "check"
    ran.mkdir(), clean.mkdir()
    monkeypatch.chdir(ran)
    yaml.unsafe_load(fiche.read_text())
    assert (ran / "tag-ran").exists(), "the payload should leave its trace when executed"
    monkeypatch.chdir(clean)
    (d,) = check(FIXTURES / "python-tag").diagnostics
    assert d.code == "yaml-tag"
    assert not (clean / "tag-ran").exists()


def test_duplicate_key_does_not_hide_other_problems():
    """One pass reports everything: the duplicate key does not stop validation of the same file."""
    codes = {d.code for d in check(FIXTURES / "four-problems").diagnostics}
    assert codes == {"unknown-key", "wrong-type", "unknown-reference", "duplicate-key"}
