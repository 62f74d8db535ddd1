"""The web editor without a browser: its configuration generated from the models, the files `build` writes at
/admin/, the file format run in node on every file of the showcase, and the local backend of `serve --editor`
(its API, and the paths it refuses)."""

from __future__ import annotations

import base64
import html
import json
import shutil
import subprocess
import textwrap
import urllib.error
import urllib.request
from pathlib import Path
from typing import Annotated

import pytest
import yaml
from pydantic import Field

from fichegen.build import build
from fichegen.check import check
from fichegen.config import load_config
from fichegen.editor import admin
from fichegen.editor.cms_config import editor_config
from fichegen.editor.local_backend import LocalBackend
from fichegen.models import FICHE_TYPES, Project
from fichegen.models.common import fiche_id, items, term_id
from fichegen.serve import DevServer

REPO = Path(__file__).resolve().parents[1]
STATIC = REPO / "src" / "fichegen" / "editor" / "static"


@pytest.fixture(scope="module")
def showcase_config():
    config, problems = load_config(REPO)
    assert config is not None, problems
    return config


def collection(cms: dict, name: str) -> dict:
    return next(c for c in cms["collections"] if c["name"] == name)


def field(fields: list[dict], name: str) -> dict:
    return next(f for f in fields if f["name"] == name)


# --- the configuration, from the models --------------------------------------------------------------------

def test_one_folder_collection_per_fiche_type_and_a_file_per_vocabulary(showcase_config):
    cms = editor_config(showcase_config).cms
    projects = collection(cms, "projects")
    assert projects["folder"] == "content/projects" and projects["extension"] == "yaml"
    assert projects["format"] == "fichegen-project" and projects["slug"] == "{{id}}"
    assert {c["name"] for c in cms["collections"]} == {"projects", "strategies", "organisations", "discussions", "vocabularies"}
    vocabularies = collection(cms, "vocabularies")
    assert [f["file"] for f in vocabularies["files"]][:2] == ["content/vocabularies/themes.yaml", "content/vocabularies/target-groups.yaml"]
    terms = vocabularies["files"][0]["fields"][0]
    assert terms["widget"] == "list" and [f["name"] for f in terms["fields"]][:2] == ["id", "label"]


def test_fields_carry_labels_help_widgets_and_validation_from_the_models(showcase_config):
    fields = collection(editor_config(showcase_config).cms, "projects")["fields"]
    names = [f["name"] for f in fields]
    assert names[:4] == ["id", "original_language", "acronym", "title"]          # the scaffold's order after the id
    title = field(fields, "title")
    assert title["required"] is True and title["hint"].startswith(Project.model_fields["title"].description)
    assert [f["name"] for f in title["fields"]] == ["invariant", "en", "fr", "es", "pt", "original"]
    summary = field(fields, "summary")
    assert {f["widget"] for f in summary["fields"] if f["name"] in ("en", "fr")} == {"markdown"}
    assert field(fields, "start_date")["pattern"][0].startswith("^[0-9]{4}")
    assert field(fields, "status")["options"] == ["planned", "ongoing", "closed", "cancelled", "suspended"]
    duration = field(fields, "duration_months")
    assert (duration["widget"], duration["value_type"], duration["min"], duration["max"]) == ("number", "int", 1, 600)
    participants = field(fields, "participants")
    assert participants["widget"] == "list" and participants["max"] == 500
    roles = field(participants["fields"], "roles")
    assert roles["multiple"] is True and "lead" in roles["options"]
    share = field(field(fields, "funding")["fields"], "share")
    assert (share["min"], share["max"], share["step"]) == (0, 100, 0.0001)
    assert "translations" not in names                  # written by `fichegen translations --stamp`, not by hand


def test_references_are_relation_widgets_over_the_real_fiches_and_terms(showcase_config):
    fields = collection(editor_config(showcase_config).cms, "projects")["fields"]
    organisation = field(field(fields, "participants")["fields"], "organisation")
    assert organisation["widget"] == "relation" and organisation["collection"] == "organisations"
    assert organisation["value_field"] == "{{slug}}" and "name.en" in organisation["search_fields"]
    themes = field(fields, "themes")
    assert (themes["widget"], themes["collection"], themes["file"], themes["value_field"], themes["multiple"], themes["max"]) == \
        ("relation", "vocabularies", "themes", "terms.*.id", True, 30)
    country = field(field(fields, "countries")["fields"], "country")
    assert country["widget"] == "select" and {"label": "Cape Verde (CV)", "value": "CV"} in country["options"]
    assert field(field(fields, "sectors")["fields"], "code")["options"][0]["value"].isdigit()


def test_the_configuration_changes_when_a_model_field_changes(showcase_config):
    class ProjectWithEvaluation(Project):
        evaluator: fiche_id("organisation", relation="evaluator") | None = None
        """The organisation that evaluated the project."""
        evaluation_year: Annotated[int, Field(ge=2000, le=2100)] | None = None
        """When it was evaluated."""
        keywords: items(term_id("themes"), 5) = []
        """A few themes for the evaluation."""

    before = collection(editor_config(showcase_config).cms, "projects")["fields"]
    after = collection(editor_config(showcase_config, {**FICHE_TYPES, "project": ProjectWithEvaluation}).cms, "projects")["fields"]
    added = {f["name"] for f in after} - {f["name"] for f in before}
    assert added == {"evaluator", "evaluation_year", "keywords"}
    assert field(after, "evaluator")["widget"] == "relation" and field(after, "evaluator")["collection"] == "organisations"
    assert field(after, "evaluator")["hint"] == "The organisation that evaluated the project."
    assert (field(after, "evaluation_year")["min"], field(after, "evaluation_year")["max"]) == (2000, 2100)
    assert field(after, "keywords")["max"] == 5 and field(after, "keywords")["file"] == "themes"
    shapes = editor_config(showcase_config, {**FICHE_TYPES, "project": ProjectWithEvaluation}).formats["formats"]
    assert "evaluation_year" in shapes["fichegen-project"]["keys"]


def test_the_backend_opens_pull_requests_on_the_configured_repository(tmp_path):
    shutil.copytree(REPO / "tests" / "fixtures" / "minimal", tmp_path / "site")
    root = tmp_path / "site"
    toml = root / "fichegen.toml"
    toml.write_text(toml.read_text(encoding="utf-8") + textwrap.dedent("""
        [editor]
        repository = "example-org/knowledge-base"
        branch = "content"
        auth_base_url = "https://auth.example.org/decap"
        """), encoding="utf-8")
    config, problems = load_config(root)
    assert config is not None, problems
    cms = editor_config(config).cms
    assert cms["publish_mode"] == "editorial_workflow"
    assert cms["backend"] | {"commit_messages": None} == {
        "name": "github", "repo": "example-org/knowledge-base", "branch": "content", "open_authoring": True,
        "squash_merges": True, "base_url": "https://auth.example.org", "auth_endpoint": "decap/auth", "commit_messages": None}


# --- what build writes ----------------------------------------------------------------------------------------

def test_build_writes_the_editor_with_its_configuration_and_a_strict_csp(tmp_path):
    root = tmp_path / "site"
    shutil.copytree(REPO / "tests" / "fixtures" / "minimal", root)
    result = build(root, tmp_path / "out", search=False)
    assert result.ok
    admin_dir = tmp_path / "out" / "admin"
    page = (admin_dir / "index.html").read_text(encoding="utf-8")
    assert 'content="' + html.escape(admin.CSP) + '"' in page and "script-src 'self' 'unsafe-eval';" in admin.CSP
    assert "<script>" not in page and "style=" not in page                     # no inline script or style
    cms = yaml.safe_load((admin_dir / "config.yml").read_text(encoding="utf-8"))
    assert cms["collections"][0]["name"] == "projects"
    assert (admin_dir / "vendor" / "decap-cms.js").stat().st_size > 1_000_000
    assert json.loads((admin_dir / "fichegen-editor.json").read_text())["formats"]["fichegen-project"]["keys"][0] == "original_language"


def test_the_editor_can_be_left_out_and_a_missing_bundle_is_said_clearly(tmp_path, monkeypatch):
    root = tmp_path / "site"
    shutil.copytree(REPO / "tests" / "fixtures" / "minimal", root)
    toml = root / "fichegen.toml"
    toml.write_text(toml.read_text(encoding="utf-8") + "\n[editor]\nenabled = false\n", encoding="utf-8")
    result = build(root, tmp_path / "out", search=False)
    assert result.ok and not (tmp_path / "out" / "admin").exists()

    toml.write_text(toml.read_text(encoding="utf-8").replace("enabled = false", "enabled = true"), encoding="utf-8")
    monkeypatch.setattr(admin, "BUNDLE", "vendor/not-installed.js")            # an installation without the bundle
    result = build(root, tmp_path / "out", search=False)
    assert result.ok and not (tmp_path / "out" / "admin").exists()
    [warning] = [d for d in result.check.diagnostics if d.code == "editor-not-installed"]
    assert "not installed" in warning.message and "setup.sh" in warning.hint


# --- the file format, run in node on the showcase -----------------------------------------------------------

NODE_ROUND_TRIP = """
import { readFileSync } from "node:fs";
import { ficheFormat, vocabularyFormat } from "%(format)s";
const settings = JSON.parse(readFileSync(process.argv[2], "utf-8"));
const files = JSON.parse(readFileSync(process.argv[3], "utf-8"));
const out = {};
for (const [path, [formatName, content, edit]] of Object.entries(files)) {
  const shape = settings.formats[formatName];
  const format = shape.t === "vocabulary" ? vocabularyFormat(shape, settings.languages) : ficheFormat(shape, settings.languages);
  const data = format.fromFile(content);
  if (edit) Object.assign(data, edit);
  out[path] = format.toFile(data);
}
process.stdout.write(JSON.stringify(out));
"""


def run_format(tmp_path: Path, settings: dict, files: dict) -> dict:
    if shutil.which("node") is None:
        pytest.skip("node is not installed")
    if not (STATIC / "vendor" / "yaml" / "index.js").is_file():
        pytest.fail("the editor's vendored yaml parser is missing: run bash scripts/setup.sh")
    script = tmp_path / "round_trip.mjs"
    script.write_text(NODE_ROUND_TRIP % {"format": (STATIC / "fichegen-format.js").as_uri()}, encoding="utf-8")
    (tmp_path / "settings.json").write_text(json.dumps(settings), encoding="utf-8")
    (tmp_path / "files.json").write_text(json.dumps(files), encoding="utf-8")
    done = subprocess.run(["node", "--experimental-default-type=module", str(script), str(tmp_path / "settings.json"),
                           str(tmp_path / "files.json")], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_every_showcase_file_read_and_written_by_the_editor_means_the_same_and_passes_check(tmp_path, showcase_config):
    """What the editor writes for a file it opened and saved unchanged: the same data, the modeline on top, and the
    conventions (quoted dates and amounts); the whole written showcase passes `fichegen check` unchanged."""
    settings = editor_config(showcase_config).formats
    folders = {"projects": "project", "strategies": "strategy", "organisations": "organisation", "discussions": "discussion"}
    files = {}
    for folder, kind in folders.items():
        for path in sorted((REPO / "content" / folder).glob("*.yaml")):
            files[f"content/{folder}/{path.name}"] = [f"fichegen-{kind}", path.read_text(encoding="utf-8"), None]
    for path in sorted((REPO / "content" / "vocabularies").glob("*.yaml")):
        files[f"content/vocabularies/{path.name}"] = ["fichegen-vocabulary", path.read_text(encoding="utf-8"), None]
    written = run_format(tmp_path, settings, files)
    root = tmp_path / "project"
    shutil.copytree(REPO / "content", root / "content")
    shutil.copy(REPO / "fichegen.toml", root)
    for rel, text in written.items():
        original = yaml.safe_load(files[rel][1])
        assert yaml.load(text, Loader=yaml.BaseLoader) == yaml.load(files[rel][1], Loader=yaml.BaseLoader), rel
        if not rel.startswith("content/vocabularies/"):
            assert text.startswith("# yaml-language-server: $schema=../../schemas/"), rel
            assert list(yaml.safe_load(text))[0] == "original_language", rel
        assert original is not None
        (root / rel).write_text(text, encoding="utf-8")
    coop4int = written["content/projects/coop4int.yaml"]
    assert 'start_date: "2021-12"' in coop4int and 'amount: "1532558.68"' in coop4int and "countries: [CV]" in coop4int
    result = check(root)
    assert not result.errors, [str(d) for d in result.errors]
    assert len(result.warnings) == len(check(REPO).warnings)


def test_the_format_quotes_what_yaml_would_retype_and_writes_edits_in_the_models_order(tmp_path, showcase_config):
    settings = editor_config(showcase_config).formats
    edit = {"id": "new-one", "title": {"en": "NO", "fr": ""}, "acronym": {"invariant": "1.10"}, "original_language": "en",
            "summary": {"en": "Line one\nline two: with a colon"}, "start_date": "2021-12", "countries": [{"country": "NO"},
            {"country": "CV", "percentage": 60}], "budget": {"amount": 1000.5, "currency": "EUR"}, "themes": [],
            "status": "", "participants": [{"organisation": "aima", "roles": ["lead"], "count": None}]}
    written = run_format(tmp_path, settings, {"x": ["fichegen-project", "", edit]})["x"]
    assert written == textwrap.dedent("""\
        # yaml-language-server: $schema=../../schemas/project.schema.json
        original_language: en
        acronym: "1.10"
        title:
          en: "NO"
        summary:
          en: |-
            Line one
            line two: with a colon
        start_date: "2021-12"
        budget:
          amount: "1000.5"
          currency: EUR
        participants:
          - organisation: aima
            roles: [lead]
        countries:
          - "NO"
          - country: CV
            percentage: "60"
        """)
    assert yaml.load(written, Loader=yaml.BaseLoader)["countries"][0] == "NO"


# --- the local backend -----------------------------------------------------------------------------------------

@pytest.fixture
def project(tmp_path):
    root = tmp_path / "project"
    shutil.copytree(REPO / "tests" / "fixtures" / "minimal", root)
    return root


def ask(backend: LocalBackend, action: str, **params):
    answer = backend.handle(json.dumps({"action": action, "params": {"branch": "main", **params}}).encode())
    return answer.status, answer.body


def test_the_local_backend_speaks_decap_servers_api(project):
    backend = LocalBackend(project)
    assert ask(backend, "info")[1] == {"repo": "project", "publish_modes": ["simple"], "type": "local_fs"}
    status, entries = ask(backend, "entriesByFolder", folder="content/projects", extension="yaml", depth=1)
    assert status == 200 and entries and all(e["file"]["path"].startswith("content/projects/") for e in entries)
    first = entries[0]
    assert len(first["file"]["id"]) == 64 and first["data"] == (project / first["file"]["path"]).read_text(encoding="utf-8")
    assert ask(backend, "getEntry", path=first["file"]["path"])[1] == first
    missing = ask(backend, "entriesByFiles", files=[{"path": "content/vocabularies/none.yaml", "label": "None"}])[1]
    assert missing == [{"data": None, "file": {"path": "content/vocabularies/none.yaml", "id": None, "label": "None"}}]
    status, _ = ask(backend, "persistEntry", dataFiles=[{"slug": "new", "path": "content/projects/new.yaml", "raw": "a: b\n"}],
                    assets=[], options={"commitMessage": "x", "useWorkflow": False, "status": ""})
    assert status == 200 and (project / "content/projects/new.yaml").read_text() == "a: b\n"
    picture = base64.b64encode(b"\x89PNG").decode()
    status, media = ask(backend, "persistMedia", asset={"path": "content/media/a.png", "content": picture, "encoding": "base64"},
                        options={"commitMessage": "x"})
    assert status == 200 and media["name"] == "a.png" and ask(backend, "getMedia", mediaFolder="content/media")[1] == [media]
    assert ask(backend, "deleteFiles", paths=["content/projects/new.yaml", "content/media/a.png"])[0] == 200
    assert not (project / "content/projects/new.yaml").exists() and not (project / "content/media/a.png").exists()
    assert ask(backend, "getDeployPreview")[1] is None
    assert ask(backend, "unpublishedEntries")[0] == 422          # the editorial workflow is GitHub's, not the local one's


@pytest.mark.parametrize("path", ["../outside.yaml", "content/../fichegen.toml", "/etc/passwd", "content/projects/../../x.yaml",
                                  "fichegen.toml", "content", "content\\..\\x", "content/./x.yaml", "C:/x.yaml", "content/\x00.yaml",
                                  "content/link/secret.txt"])
def test_the_local_backend_refuses_every_path_out_of_the_content_folder(project, tmp_path, path):
    (tmp_path / "secret.txt").write_text("secret")
    (project / "content" / "link").symlink_to(tmp_path)
    backend = LocalBackend(project)
    before = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*") if "link" not in p.parts)
    for action, params in [("getEntry", {"path": path}), ("getMediaFile", {"path": path}), ("deleteFile", {"path": path}),
                           ("entriesByFolder", {"folder": path, "extension": "", "depth": 3}),
                           ("persistEntry", {"entry": {"slug": "x", "path": path, "raw": "pwned"}, "assets": [], "options": {}}),
                           ("persistEntry", {"dataFiles": [{"slug": "x", "path": "content/ok.yaml", "raw": "x", "newPath": path}],
                                             "assets": [], "options": {}}),
                           ("persistMedia", {"asset": {"path": path, "content": "cHduZWQ=", "encoding": "base64"}}),
                           ("deleteFiles", {"paths": ["content/projects/" + next((project / "content/projects").iterdir()).name, path]})]:
        status, body = ask(backend, action, **params)
        assert status == 422, (action, body)
        assert "path" in body["error"] or "'" in body["error"]
    assert (tmp_path / "secret.txt").read_text() == "secret"
    assert sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*") if "link" not in p.parts) == before
    assert not (project / "content" / "ok.yaml").exists()


def test_the_local_backend_lists_nothing_through_a_link_out_of_the_content_folder(project, tmp_path):
    (tmp_path / "outside").mkdir()
    (tmp_path / "outside" / "secret.yaml").write_text("a: b")
    (project / "content" / "projects" / "linked").symlink_to(tmp_path / "outside")
    entries = ask(LocalBackend(project), "entriesByFolder", folder="content/projects", extension="yaml", depth=3)[1]
    assert entries and not [e for e in entries if "secret" in e["file"]["path"]]


def test_serve_answers_the_local_backend_only_with_editor_and_only_to_its_own_pages(project):
    def post(url: str, body: dict, headers: dict | None = None) -> tuple[int, dict]:
        request = urllib.request.Request(url, json.dumps(body).encode(), {"Content-Type": "application/json", **(headers or {})})
        try:
            with urllib.request.urlopen(request) as response:
                return response.status, json.loads(response.read())
        except urllib.error.HTTPError as error:
            return error.code, {}

    with DevServer(project, 0) as plain:
        assert post(plain.url + admin.LOCAL_API, {"action": "info"})[0] == 404
    with DevServer(project, 0, editor=True) as server:
        api = server.url + admin.LOCAL_API
        assert post(api, {"action": "info"}) == (200, {"repo": "project", "publish_modes": ["simple"], "type": "local_fs"})
        assert post(api, {"action": "info"}, {"Origin": "https://evil.example"})[0] == 403
        assert post(api, {"action": "info"}, {"Host": "evil.example"})[0] == 403
        assert post(api, {"action": "info"}, {"Content-Type": "text/plain"})[0] == 403
        with urllib.request.urlopen(server.url + "admin/config.yml") as response:
            served = response.read().decode()
        assert served.rstrip().endswith(f"local_backend:\n  url: http://127.0.0.1:{server.port}/{admin.LOCAL_API}")
        with urllib.request.urlopen(server.url + "admin/") as response:
            page = response.read().decode()
        assert f'data-local-backend="http://127.0.0.1:{server.port}/{admin.LOCAL_API}"' in page
        assert "__fichegen/reload.js" not in page                  # a rebuild never reloads the editor mid-form
