"""The command line as editors and CI use it: exit codes, output formats, scaffolding, schemas."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

from click.testing import CliRunner

from fichegen.cli import main
from fichegen.diagnostics import Diagnostic, format_github
from fichegen.schema import all_schemas

FIXTURES = Path(__file__).parent / "fixtures"
REPO = Path(__file__).resolve().parents[1]


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_check_exits_0_on_valid_content():
    result = run("check", "--root", str(FIXTURES / "minimal"))
    assert result.exit_code == 0, result.output


def test_check_exits_1_and_prints_every_problem_as_text():
    result = run("check", "--root", str(FIXTURES / "invalid" / "four-problems"))
    assert result.exit_code == 1
    lines = [l for l in result.stdout.splitlines() if not l.startswith("    ")]
    assert lines == [
        "content/projects/demo.yaml:4:1: error [unknown-key] 'acronymm' is not a field of a project",
        "content/projects/demo.yaml:5:13: error [wrong-type] start_date: expected a date written YYYY, YYYY-MM or YYYY-MM-DD, not a list or mapping",
        "content/projects/demo.yaml:7:19: error [unknown-reference] no organisation has the id 'ngo-x'",
        "content/projects/demo.yaml:9:1: error [duplicate-key] the key 'summary' appears twice (first at line 3); this one is ignored",
    ]


def test_usage_errors_exit_2():
    assert run("check", "--format", "xml").exit_code == 2
    assert run("new", "project").exit_code == 2


def test_json_format_is_machine_readable():
    result = run("check", "--root", str(FIXTURES / "invalid" / "unknown-theme"), "--format", "json")
    (d,) = json.loads(result.stdout)
    assert (d["path"], d["line"], d["column"], d["code"], d["severity"]) == ("content/projects/demo.yaml", 4, 23, "unknown-reference", "error")
    assert "remittances" in d["hint"]


def test_github_format_follows_the_workflow_command_escaping():
    """Commas and colons in properties and newlines in messages would otherwise cut the annotation."""
    d = Diagnostic("content/a,b:c.yaml", 3, 7, "unknown-key", "50% done\nnext line", "a hint")
    assert format_github([d]) == (
        "::error file=content/a%2Cb%3Ac.yaml,line=3,col=7,title=Unknown key [unknown-key]::50%25 done%0Anext line%0AHint: a hint")


def test_github_format_writes_the_full_list_to_the_job_summary(tmp_path, monkeypatch):
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    result = run("check", "--root", str(FIXTURES / "invalid" / "four-problems"), "--format", "github")
    assert result.stdout.count("::error ") == 4
    table = summary.read_text()
    assert table.count("| content\\/projects\\/demo\\.yaml |") == 4   # every punctuation character escaped: shown as text


def test_strict_turns_warnings_into_failure_unless_the_content_accepts_them(tmp_path):
    root = tmp_path / "site"
    shutil.copytree(FIXTURES / "minimal", root)
    (root / "content" / "projects" / "hello.yaml").write_text(
        "original_language: en\ntitle: {en: Hello}\nsummary: {en: Hi.}\nrelated_projects:\n  - relation: follows\n    project: gone\n")
    assert run("check", "--root", str(root)).exit_code == 0
    assert run("check", "--root", str(root), "--strict").exit_code == 1
    assert run("check", "--root", str(REPO), "--strict").exit_code == 0     # the showcase accepts its one warning


def test_new_writes_a_skeleton_that_check_accepts_once_placeholders_are_replaced(tmp_path):
    root = tmp_path / "site"
    shutil.copytree(FIXTURES / "minimal", root)
    assert run("new", "project", "my-project", "--root", str(root)).exit_code == 0
    path = root / "content" / "projects" / "my-project.yaml"
    text = path.read_text()
    assert text.startswith("# yaml-language-server: $schema=../../schemas/project.schema.json\n")
    result = run("check", "--root", str(root), "--format", "json")
    left = json.loads(result.stdout)
    assert {d["code"] for d in left} == {"placeholder-left"} and len(left) == 2   # title and summary
    title, summary = re.findall(r'"TODO: [^"]*"', text)
    path.write_text(text.replace(title, "My project").replace(summary, "It works."))
    assert run("check", "--root", str(root)).exit_code == 0


def test_new_skeleton_of_every_type_only_fails_on_its_placeholders(tmp_path):
    root = tmp_path / "site"
    shutil.copytree(FIXTURES / "minimal", root)
    for kind in ("project", "strategy", "organisation", "discussion"):
        assert run("new", kind, f"new-{kind}", "--root", str(root)).exit_code == 0
    result = json.loads(run("check", "--root", str(root), "--format", "json").stdout)
    assert {d["code"] for d in result} == {"placeholder-left"}


def test_new_refuses_bad_ids_and_existing_files(tmp_path):
    root = tmp_path / "site"
    shutil.copytree(FIXTURES / "minimal", root)
    assert run("new", "project", "../escape", "--root", str(root)).exit_code == 2
    assert run("new", "project", "hello", "--root", str(root)).exit_code == 2
    assert not (tmp_path / "escape.yaml").exists()


def test_committed_schemas_match_the_models():
    """schemas/ is generated inside the showcase: editing a model or the content without `fichegen schema` must fail here."""
    from fichegen.check import check

    folder = REPO / "schemas"
    expected = all_schemas(check(REPO).choices)
    assert sorted(p.name for p in folder.glob("*.json")) == sorted(expected)
    for name, text in expected.items():
        assert (folder / name).read_text(encoding="utf-8") == text, f"{name} is stale: run `fichegen schema`"


def test_schemas_are_draft_2020_12_with_descriptions_for_every_field():
    for name, text in all_schemas().items():
        schema = json.loads(text)
        assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
        if not name.startswith("vocabulary-"):
            assert schema["additionalProperties"] is False
            for field, spec in schema["properties"].items():
                assert spec.get("description"), f"{name}: {field} has no description"


def test_build_reports_errors_and_writes_nothing(tmp_path):
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["build", "--root", str(FIXTURES / "invalid" / "misspelt-key"), "--out", str(out)])
    assert result.exit_code == 1
    assert "unknown-key" in result.output
    assert not out.exists()
