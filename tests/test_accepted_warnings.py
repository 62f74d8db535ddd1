"""An intended warning is accepted by a comment in the content, so `check --strict` can gate CI on all the others."""

import shutil
from pathlib import Path

from fichegen.check import check

FIXTURES = Path(__file__).parent / "fixtures"


def site_with(tmp_path: Path, related: str) -> Path:
    root = tmp_path / "site"
    shutil.copytree(FIXTURES / "minimal", root)
    (root / "content" / "projects" / "hello.yaml").write_text(
        "original_language: en\ntitle: {en: Hello}\nsummary: {en: Hi.}\nrelated_projects:\n" + related, encoding="utf-8")
    return root


def test_a_warning_without_the_comment_fails_strict(tmp_path):
    result = check(site_with(tmp_path, "  - relation: follows\n    project: elsewhere\n"))
    assert [d.code for d in result.warnings] == ["unlinked-project"] and not result.accepted
    assert result.ok() and not result.ok(strict=True)


def test_the_comment_on_the_line_or_the_line_above_accepts_that_code_only(tmp_path):
    above = check(site_with(tmp_path / "a", "  - relation: follows\n    # fichegen: accept unlinked-project\n    project: elsewhere\n"))
    assert not above.warnings and [d.code for d in above.accepted] == ["unlinked-project"] and above.ok(strict=True)
    same = check(site_with(tmp_path / "b", "  - relation: follows\n    project: elsewhere  # fichegen: accept unlinked-project\n"))
    assert same.ok(strict=True)
    other = check(site_with(tmp_path / "c", "  - relation: follows\n    # fichegen: accept duplicate-id\n    project: elsewhere\n"))
    assert [d.code for d in other.warnings] == ["unlinked-project"]


def test_errors_cannot_be_accepted(tmp_path):
    root = tmp_path / "site"
    shutil.copytree(FIXTURES / "minimal", root)
    (root / "content" / "projects" / "hello.yaml").write_text(
        "original_language: en\ntitle: {en: Hello}\nsummary: {en: Hi.}\n# fichegen: accept unknown-reference\n"
        "themes: [nowhere]\n", encoding="utf-8")
    result = check(root)
    assert [d.code for d in result.errors] == ["unknown-reference"] and not result.accepted


def test_the_configuration_accepts_a_warning_by_code_and_file_whatever_edits_the_fiche(tmp_path):
    """The web editor rewrites a fiche without its comments: a maintainer's acceptance lives in fichegen.toml."""
    root = site_with(tmp_path, "  - relation: follows\n    project: elsewhere\n")
    toml = root / "fichegen.toml"
    toml.write_text(toml.read_text() + '\n[[accept_warnings]]\ncode = "unlinked-project"\nfile = "content/projects/hello.yaml"\n')
    result = check(root)
    assert result.ok(strict=True) and [d.code for d in result.accepted] == ["unlinked-project"]
    toml.write_text(toml.read_text().replace("hello.yaml", "other.yaml"))
    assert not check(root).ok(strict=True)
