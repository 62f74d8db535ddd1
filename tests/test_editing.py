"""Editing with a schema: every fiche names its JSON Schema, VS Code maps each content folder to the
right one, and other repositories can run `fichegen check` as a pre-commit hook."""

from __future__ import annotations

import json
import re
import shlex
from fnmatch import fnmatch
from pathlib import Path

import yaml
from click.testing import CliRunner

from fichegen.cli import main
from fichegen.models import FICHE_TYPES, FOLDERS, VOCABULARIES

REPO = Path(__file__).resolve().parents[1]
CONTENT = REPO / "content"
MODELINE = re.compile(r"^# yaml-language-server: \$schema=(\S+)$")


def expected_schema(path: Path) -> Path:
    """The schema a content file is written against, by its folder (and, for vocabularies, its name)."""
    folder = path.parent.name
    if folder == "vocabularies":
        return REPO / "schemas" / f"vocabulary-{path.stem}.schema.json"
    kind = next(k for k, f in FOLDERS.items() if f == folder)
    return REPO / "schemas" / f"{kind}.schema.json"


def fiche_files() -> list[Path]:
    return sorted(p for folder in FOLDERS.values() for p in (CONTENT / folder).glob("*.yaml"))


def test_every_fiche_starts_with_a_modeline_naming_the_schema_of_its_type():
    """The first line lets any YAML language server (VS Code, vim, Emacs…) find the schema."""
    files = fiche_files()
    assert {p.parent.name for p in files} == set(FOLDERS.values()), "the showcase has a fiche of every type"
    for path in files:
        first = path.read_text(encoding="utf-8").split("\n", 1)[0]
        match = MODELINE.match(first)
        assert match, f"{path.relative_to(REPO)} does not start with '# yaml-language-server: $schema=…'"
        schema = (path.parent / match[1]).resolve()
        assert schema.is_file(), f"{path.relative_to(REPO)} names {match[1]}, which does not exist"
        assert schema == expected_schema(path).resolve(), f"{path.relative_to(REPO)} names the schema of another type"


def test_vocabulary_files_that_name_a_schema_name_their_own():
    for path in sorted((CONTENT / "vocabularies").glob("*.yaml")):
        match = MODELINE.match(path.read_text(encoding="utf-8").split("\n", 1)[0])
        if match:
            assert (path.parent / match[1]).resolve() == expected_schema(path).resolve()


def test_the_schemas_named_are_the_ones_the_models_generate():
    """A schema left behind after a model change would let the editor accept what `check` rejects."""
    result = CliRunner().invoke(main, ["schema", "--root", str(REPO), "--check"])
    assert result.exit_code == 0, result.output


def test_vscode_maps_every_content_file_to_exactly_the_schema_of_its_type():
    settings = json.loads((REPO / ".vscode" / "settings.json").read_text(encoding="utf-8"))
    mapping = settings["yaml.schemas"]
    for schema in mapping:
        assert (REPO / schema).resolve().is_file(), f"settings.json names {schema}, which does not exist"
    expected_folders = {f"content/{folder}/*.yaml" for folder in FOLDERS.values()}
    patterns = {pattern for patterns in mapping.values() for pattern in patterns}
    assert expected_folders <= patterns
    assert {f"content/vocabularies/{name}.yaml" for name in VOCABULARIES} <= patterns
    for path in fiche_files() + sorted((CONTENT / "vocabularies").glob("*.yaml")):
        rel = path.relative_to(REPO).as_posix()
        schemas = [schema for schema, patterns in mapping.items() if any(fnmatch(rel, p) for p in patterns)]
        assert len(schemas) == 1, f"{rel} is matched by {schemas}"
        assert (REPO / schemas[0]).resolve() == expected_schema(path).resolve(), rel


def test_vscode_schema_mapping_covers_every_fiche_type_and_vocabulary_the_models_define():
    """A new fiche type or vocabulary needs its line in .vscode/settings.json too."""
    mapping = json.loads((REPO / ".vscode" / "settings.json").read_text(encoding="utf-8"))["yaml.schemas"]
    named = {Path(schema).name for schema in mapping}
    assert named == {f"{kind}.schema.json" for kind in FICHE_TYPES} | {f"vocabulary-{v}.schema.json" for v in VOCABULARIES}


def test_vscode_recommends_the_red_hat_yaml_extension():
    extensions = json.loads((REPO / ".vscode" / "extensions.json").read_text(encoding="utf-8"))
    assert "redhat.vscode-yaml" in extensions["recommendations"]


def test_the_skeleton_of_fichegen_new_names_the_same_schema_as_the_fiches():
    from fichegen.scaffold import skeleton

    for kind, folder in FOLDERS.items():
        match = MODELINE.match(skeleton(kind, "x").split("\n", 1)[0])
        assert match
        assert (CONTENT / folder / match[1]).resolve() == (REPO / "schemas" / f"{kind}.schema.json").resolve()


def test_pre_commit_hook_runs_fichegen_check_when_content_or_configuration_changes():
    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    hook = next(h for h in hooks if h["id"] == "fichegen-check")
    assert hook["language"] == "python"
    assert hook["pass_filenames"] is False
    program, name, *options = shlex.split(hook["entry"])
    assert (program, name) == ("fichegen", "check")
    main.commands[name].make_context(name, options)
    files = re.compile(hook["files"])
    for changed in ("content/projects/coop4int.yaml", "content/vocabularies/themes.yaml", "fichegen.toml",
                    "i18n/fr.yaml", "templates/base.html", "static/brand.css", "handbook/guidelines.md"):
        assert files.search(changed), changed
    for unrelated in ("README.md", "src/fichegen/cli.py", "docs/index.md", "site/en/index.html", "old/fichegen.toml",
                      "src/fichegen/theme/i18n/fr.yaml"):
        assert not files.search(unrelated), unrelated


def test_pre_commit_hook_fails_the_commit_of_an_invalid_fiche(project_copy):
    """What the hook runs reports a broken fiche with a non-zero exit, which stops the commit."""
    root = project_copy("minimal")
    hook = next(h for h in yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text()) if h["id"] == "fichegen-check")
    _, name, *options = shlex.split(hook["entry"])
    assert CliRunner().invoke(main, [name, *options, "--root", str(root)]).exit_code == 0
    fiche = next((root / "content").rglob("*.yaml"))
    fiche.write_text(fiche.read_text(encoding="utf-8") + "\nnot_a_field: 1\n", encoding="utf-8")
    result = CliRunner().invoke(main, [name, *options, "--root", str(root)])
    assert result.exit_code == 1
    assert "unknown-key" in result.output
