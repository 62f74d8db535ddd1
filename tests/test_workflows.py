"""The GitHub workflows stay honest: they parse, every fichegen command they run exists with the
options they give it, actions are pinned to a major version, and they keep the promises made to
editors (annotations, a preview for every pull request, forks without secrets, Pages publishing).
"""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
from pathlib import Path

import click
import pytest
import yaml
from click.testing import CliRunner

from fichegen.cli import main

REPO = Path(__file__).resolve().parents[1]
WORKFLOWS = REPO / ".github" / "workflows"
CHECK = WORKFLOWS / "check.yml"
PUBLISH = WORKFLOWS / "publish.yml"


def load(path: Path) -> dict:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
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


@pytest.fixture(params=[CHECK, PUBLISH], ids=lambda p: p.name)
def workflow_path(request) -> Path:
    return request.param


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
        assert name in main.commands, f"{workflow_path.name} runs `fichegen {name}`, which does not exist"
        help_result = CliRunner().invoke(main, [name, "--help"])
        assert help_result.exit_code == 0, help_result.output
        command = main.commands[name]
        try:
            command.make_context(name, list(options), resilient_parsing=False)
        except click.ClickException as exc:
            pytest.fail(f"{workflow_path.name}: `fichegen {shlex.join(args)}` is rejected: {exc.format_message()}")
        for option in (o.split("=")[0] for o in options if o.startswith("-")):
            assert option in help_result.output, f"`fichegen {name} --help` does not mention {option}"


def test_every_action_is_pinned_to_a_major_version(workflow_path):
    uses = [step["uses"] for step in steps(load(workflow_path)) if "uses" in step]
    assert uses
    for action in uses:
        assert re.fullmatch(r"[\w.-]+/[\w./-]+@(v\d+|[0-9a-f]{40})", action), f"{action} is not pinned to a major version"


def test_workflows_install_with_the_set_up_command_of_the_readme(workflow_path):
    """Contributors and CI install the same way: `bash scripts/setup.sh --no-build`."""
    runs = [step.get("run", "") for step in steps(load(workflow_path))]
    assert any(["bash", "scripts/setup.sh", "--no-build"] in shell_commands(run) for run in runs)
    assert (REPO / "scripts" / "setup.sh").is_file()
    assert "--no-build" in (REPO / "scripts" / "setup.sh").read_text(encoding="utf-8")


def test_pull_request_check_runs_for_forks_without_secrets_or_write_access():
    """pull_request (not pull_request_target) with read-only permissions is safe for untrusted forks."""
    workflow = load(CHECK)
    assert "pull_request" in workflow["on"] and "pull_request_target" not in workflow["on"]
    assert workflow["permissions"] == {"contents": "read"}
    assert "secrets." not in CHECK.read_text(encoding="utf-8")


def test_pull_request_check_annotates_builds_checks_links_and_uploads_a_preview():
    workflow = load(CHECK)
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


def test_publish_deploys_main_to_pages_under_the_base_path_pages_gives():
    workflow = load(PUBLISH)
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


def test_the_pages_base_path_becomes_a_base_path_fichegen_accepts():
    """configure-pages gives "/repo" (project pages) or "" (user site, own domain); fichegen wants "/repo/" or "/"."""
    workflow = load(PUBLISH)
    for step in steps(workflow):
        match = re.search(r"--base-path\s+(\"[^\"]*\"|\S+)", step.get("run", ""))
        if not match:
            continue
        assert set(step.get("env", {}).values()) == {"${{ steps.pages.outputs.base_path }}"}
        for given, wanted in (("/migration-kb", "/migration-kb/"), ("", "/")):
            env = {"PATH": "/usr/bin:/bin", **{name: given for name in step["env"]}}
            shown = subprocess.run(["bash", "-c", f"printf %s {match[1]}"], env=env, capture_output=True, text=True, check=True)
            assert shown.stdout == wanted


@pytest.mark.skipif(shutil.which("actionlint") is None, reason="actionlint is not installed (its PyPI package downloads "
                    "the binary at install time, which this machine cannot do)")
def test_actionlint_finds_nothing_to_report():
    result = subprocess.run(["actionlint", "-no-color", str(CHECK), str(PUBLISH)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
