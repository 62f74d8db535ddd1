"""`fichegen init` starts a site that checks and builds at once; `fichegen new` works anywhere inside it.

The wheel-installed version of the same story is tests/test_wheel.py; these run in-process and fast.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
from fnmatch import fnmatch
from importlib.metadata import version
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from fichegen.build import build
from fichegen.check import check
from fichegen.cli import main
from fichegen.models import FICHE_TYPES, FOLDERS, VOCABULARIES
from fichegen.schema import all_schemas, packaged_schemas

REPO = Path(__file__).resolve().parents[1]
MODELINE = re.compile(r"^# yaml-language-server: \$schema=(\S+)$")


def run(*args: str, cwd: Path | None = None):
    if cwd is None:
        return CliRunner().invoke(main, list(args))
    here = Path.cwd()
    os.chdir(cwd)
    try:
        return CliRunner().invoke(main, list(args))
    finally:
        os.chdir(here)


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    """A site made by `fichegen init`, with its example fiches."""
    parent = tmp_path_factory.mktemp("init")
    result = run("init", "my-site", "--maintainers", "@example-org/kb-maintainers", cwd=parent)
    assert result.exit_code == 0, result.output + result.stderr
    return parent / "my-site"


def test_init_writes_a_site_that_check_accepts_without_a_single_problem(site):
    result = check(site)
    assert result.diagnostics == [], [str(d) for d in result.diagnostics]
    assert {kind: len(result.graph.fiches[kind]) for kind in FICHE_TYPES} == {kind: (2 if kind == "organisation" else 1) for kind in FICHE_TYPES}


def test_the_new_site_builds_with_its_example_fiches_linked_to_each_other(site, tmp_path):
    out = tmp_path / "site"
    result = build(site, out, search=False, workers=1)
    assert result.ok and result.check.diagnostics == []
    project = (out / "fr" / "projects" / "example-project" / "index.html").read_text(encoding="utf-8")
    assert "Des entrepreneurs migrants dans leur région d&#39;origine" in project
    assert 'href="/fr/organisations/example-agency/"' in project and 'href="/fr/strategies/example-strategy/"' in project
    assert (out / "en" / "discussions" / "example-discussion" / "index.html").is_file()
    assert "My site" in (out / "en" / "index.html").read_text(encoding="utf-8")


def test_init_writes_every_file_of_a_content_repository(site):
    files = {p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()}
    assert {"fichegen.toml", "README.md", ".gitignore", ".pre-commit-config.yaml", "requirements.txt",
            ".github/CODEOWNERS", ".github/workflows/check.yml", ".github/workflows/publish.yml",
            ".vscode/settings.json", ".vscode/extensions.json"} <= files
    assert {f"schemas/{name}" for name in all_schemas()} <= files
    assert {f"content/vocabularies/{name}.yaml" for name in ("themes", "target-groups", "organisation-types")} <= files
    assert "redhat.vscode-yaml" in json.loads((site / ".vscode" / "extensions.json").read_text())["recommendations"]
    toml = (site / "fichegen.toml").read_text(encoding="utf-8")
    assert toml.count("\n#") >= 10, "fichegen.toml explains itself in comments"
    assert 'title = { en = "My site" }' in toml and 'languages = ["en", "fr", "es", "pt"]' in toml


def test_the_schemas_shipped_in_the_package_are_the_models_and_match_the_repository():
    assert packaged_schemas() == all_schemas(), "run `fichegen schema --generic --out src/fichegen/schemas`"
    assert {p.name for p in (REPO / "schemas").glob("*.json")} == set(all_schemas())


def test_every_content_file_of_the_new_site_names_its_schema_and_vscode_maps_it(site):
    settings = json.loads((site / ".vscode" / "settings.json").read_text(encoding="utf-8"))
    mapping = settings["yaml.schemas"]
    assert {Path(s).name for s in mapping} == {f"{k}.schema.json" for k in FICHE_TYPES} | {f"vocabulary-{v}.schema.json" for v in VOCABULARIES}
    for path in sorted((site / "content").rglob("*.yaml")):
        rel = path.relative_to(site).as_posix()
        match = MODELINE.match(path.read_text(encoding="utf-8").split("\n", 1)[0])
        assert match, f"{rel} names no schema"
        named = (path.parent / match[1]).resolve()
        assert named.is_file(), rel
        (schema,) = [s for s, patterns in mapping.items() if any(fnmatch(rel, p) for p in patterns)]
        assert (site / schema).resolve() == named, rel


def test_this_repository_is_set_up_like_a_new_site():
    """fichegen is its own first user: the showcase's VS Code settings are those init writes."""
    from fichegen.scaffold import vscode_settings

    assert json.loads((REPO / ".vscode" / "settings.json").read_text(encoding="utf-8")) == vscode_settings()


def test_codeowners_asks_a_maintainer_to_review_what_is_code(site):
    rules = {}
    for line in (site / ".github" / "CODEOWNERS").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            pattern, *owners = line.split()
            rules[pattern] = owners
    for path in ("/fichegen.toml", "/templates/", "/static/", "/i18n/", "/.github/", "/handbook/"):
        assert rules.get(path) == ["@example-org/kb-maintainers"], path
    assert not any(pattern.startswith("/content") for pattern in rules), "editors' fiches need no maintainer"


def test_the_pre_commit_hook_of_the_new_site_runs_the_pinned_check_on_the_right_files(site):
    config = yaml.safe_load((site / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    (hook,) = config["repos"][0]["hooks"]
    assert config["repos"][0]["repo"] == "local" and hook["language"] == "python" and hook["pass_filenames"] is False
    assert hook["additional_dependencies"] == [f"fichegen=={version('fichegen')}"]
    files = re.compile(hook["files"])
    for changed in ("content/projects/x.yaml", "fichegen.toml", "templates/base.html", "i18n/fr.yaml", "static/brand.css"):
        assert files.search(changed), changed
    assert not files.search("README.md") and not files.search("site/en/index.html")
    program, *args = shlex.split(hook["entry"])
    assert program == "fichegen"
    assert run(*args, "--root", str(site)).exit_code == 0


def test_the_gitignore_keeps_the_built_site_and_caches_out(site):
    ignored = (site / ".gitignore").read_text(encoding="utf-8").splitlines()
    assert "/site/" in ignored and ".fichegen-cache/" in ignored


def test_bare_writes_no_example_fiche_and_still_builds(tmp_path):
    result = run("init", str(tmp_path / "bare"), "--bare", "--title", "Knowledge base", "--language", "fr", "--language", "en")
    assert result.exit_code == 0, result.output
    root = tmp_path / "bare"
    assert not [p for folder in FOLDERS.values() for p in (root / "content" / folder).glob("*.yaml")]
    assert not (root / "content" / "vocabularies" / "programmes.yaml").exists()
    toml = (root / "fichegen.toml").read_text(encoding="utf-8")
    assert 'title = { fr = "Knowledge base" }' in toml and 'default_language = "fr"' in toml
    assert check(root).diagnostics == []
    out = tmp_path / "out"
    assert build(root, out, search=False, workers=1).ok
    assert (out / "fr" / "index.html").is_file() and (out / "index.html").is_file()


def test_init_keeps_what_is_there_and_refuses_a_project(tmp_path):
    (tmp_path / "README.md").write_text("# Our own readme\n")
    (tmp_path / ".git").mkdir()
    result = run("init", str(tmp_path))
    assert result.exit_code == 0
    assert (tmp_path / "README.md").read_text() == "# Our own readme\n"
    assert "README.md" in result.output
    again = run("init", str(tmp_path))
    assert again.exit_code == 2 and "already" in again.stderr


def test_init_names_a_language_the_theme_has_no_strings_for(tmp_path):
    result = run("init", str(tmp_path / "de"), "--language", "de", "--language", "en", "--bare")
    assert result.exit_code == 0 and "i18n/de.yaml" in result.stderr
    assert {d.code for d in check(tmp_path / "de").errors} == {"ui-string-missing"}
    assert run("init", str(tmp_path / "x"), "--language", "../x").exit_code == 2
    assert run("init", str(tmp_path / "y"), "--maintainers", "alice").exit_code == 2


# --- fichegen new --------------------------------------------------------------------------------

def test_new_run_from_a_subfolder_writes_into_the_project_not_beside_itself(site):
    folder = site / "content" / "projects"
    result = run("new", "project", "from-inside", cwd=folder)
    assert result.exit_code == 0, result.output + result.stderr
    assert (folder / "from-inside.yaml").is_file()
    assert not (folder / "content").exists()
    (folder / "from-inside.yaml").unlink()


def test_new_outside_a_project_refuses_and_writes_nothing(tmp_path):
    result = run("new", "project", "lost", cwd=tmp_path)
    assert result.exit_code == 2 and "not inside a fichegen project" in result.stderr and "fichegen init" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_new_writes_the_schemas_its_fiche_names_when_they_are_missing(tmp_path):
    root = tmp_path / "p"
    (root / "content").mkdir(parents=True)
    (root / "fichegen.toml").write_text('title = { en = "P" }\nlanguages = ["en"]\nfallback = ["en"]\n')
    assert run("new", "strategy", "plan", "--root", str(root)).exit_code == 0
    path = root / "content" / "strategies" / "plan.yaml"
    named = (path.parent / MODELINE.match(path.read_text().split("\n", 1)[0])[1]).resolve()
    assert named.is_file() and json.loads(named.read_text())["$id"] == "strategy.schema.json"
    assert sorted(p.name for p in (root / "schemas").iterdir()) == sorted(all_schemas())


def test_every_command_finds_the_project_from_a_subfolder(site):
    result = run("check", cwd=site / "content" / "vocabularies")
    assert result.exit_code == 0 and "no problems" in result.stderr


def test_new_lists_its_id_in_the_project_schemas_when_the_project_keeps_them(tmp_path):
    """After `fichegen schema` the schemas list the project's ids: `new` adds its own, so check does not call them stale."""
    root = tmp_path / "p"
    shutil.copytree(REPO / "tests" / "fixtures" / "minimal", root)
    assert run("schema", "--root", str(root)).exit_code == 0
    result = run("new", "organisation", "new-partner", "--root", str(root))
    assert result.exit_code == 0 and "Updated schemas/" in result.output
    listed = json.loads((root / "schemas" / "project.schema.json").read_text())
    assert "new-partner" in json.dumps(listed)
    assert "schema-stale" not in {d.code for d in check(root).diagnostics}
