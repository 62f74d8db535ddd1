"""A pull request's fichegen.toml: values that would crash the build are refused by `check` at their line, and the
limits that protect CI cannot be raised by the pull request itself.

With `--base REF` (the branch the pull request goes into), `check` and `build` read `max_file_bytes`,
`max_depth`, `max_pages_per_fiche` and `max_site_bytes` from fichegen.toml as it is at REF: a pull request
that raises one gets `protected-limit` and is checked with the base's value, and every file it changes outside
the content folder gets a `review-as-code` warning, so that a maintainer reads it as code. A read-only
checkout with an old `.fichegen-cache/` still builds elsewhere.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from fichegen.build import build
from fichegen.check import check

from test_hostile_files import FICHEGEN, TOML, VALID, make_project, only, problems

REPO = Path(__file__).resolve().parents[1]


# --- values that would crash the build ---------------------------------------------------------

@pytest.mark.parametrize("setting, line", [
    ('locales = { en = "zz" }', 5),
    ('locales = { en = "qq" }', 5),
    ('base_path = "/../"', 5),
    ('base_path = "/site/../../"', 5),
    ('base_path = "/./"', 5),
    ('[locales]\nen = "zz"', 6),
])
def test_a_configuration_value_that_would_crash_the_build_is_refused_at_its_line(tmp_path, setting, line):
    """`locales = { en = "zz" }` passed `check`, then the build died in Babel with UnknownLocaleError."""
    root = make_project(tmp_path, {"content/projects/ok.yaml": VALID}, TOML + setting + "\n")
    d = only(root, "config")
    assert (d.path, d.line) == ("fichegen.toml", line)
    result = build(root, tmp_path / "site", search=False)
    assert not result.ok and not (tmp_path / "site").exists()


def test_a_language_cldr_has_no_data_for_is_refused_unless_a_locale_is_given(tmp_path):
    """Babel knows the name of Avestan ('ae') but has no data to format dates in it: the pages could not be made."""
    toml = TOML.replace('languages = ["en"]', 'languages = ["en", "ae"]')
    root = make_project(tmp_path, {"content/projects/ok.yaml": VALID}, toml)
    found = [d for d in check(root).diagnostics if d.code == "config"]
    assert [(d.line, "'ae'" in d.message) for d in found] == [(2, True)]
    root2 = make_project(tmp_path / "with-locale", {"content/projects/ok.yaml": VALID}, toml + 'locales = { ae = "fa" }\n')
    assert [d for d in check(root2).diagnostics if d.code == "config"] == []


@pytest.mark.parametrize("command", ["build", "links"])
def test_a_base_path_that_climbs_out_is_refused_on_the_command_line_too(tmp_path, command):
    root = make_project(tmp_path, {"content/projects/ok.yaml": VALID})
    (tmp_path / "site").mkdir()
    run = subprocess.run(FICHEGEN + [command, "--root", str(root), "--out", str(tmp_path / "site"), "--base-path", "/a/../"],
                         capture_output=True, text=True, timeout=60)
    assert run.returncode == 2 and "'..'" in run.stderr and "Traceback" not in run.stderr


# --- limits a pull request cannot raise ---------------------------------------------------------

def git(root: Path, *args: str) -> str:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@example.org", "GIT_CONFIG_GLOBAL": "/dev/null", "GIT_CONFIG_NOSYSTEM": "1"}
    return subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True, check=True, env=env).stdout


def repository(tmp_path: Path, base_toml: str | None = TOML) -> Path:
    """A git repository whose branch `main` is the base: a valid project, committed."""
    root = tmp_path / "repo"
    make_project(root, {"content/projects/ok.yaml": VALID}, base_toml or TOML)
    if base_toml is None:
        (root / "fichegen.toml").unlink()
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "base")
    git(root, "checkout", "-q", "-b", "pull-request")
    if base_toml is None:
        (root / "fichegen.toml").write_text(TOML, encoding="utf-8")
    return root


def commit(root: Path, files: dict[str, str]) -> None:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "pull request")


def run_check(root: Path, *args: str) -> tuple[int, list[dict], str]:
    run = subprocess.run(FICHEGEN + ["check", "--root", str(root), "--format", "json", *args],
                         capture_output=True, text=True, timeout=120)
    return run.returncode, json.loads(run.stdout) if run.stdout.strip() else [], run.stderr


BIG = VALID + "# " + "x" * (2 * 1024 * 1024) + "\n"


def test_a_pull_request_cannot_raise_a_protected_limit_in_its_own_configuration(tmp_path):
    """Raising max_file_bytes next to a 2 MiB fiche used to let the fiche through: with --base the base's limit holds."""
    root = repository(tmp_path)
    commit(root, {"fichegen.toml": TOML + "max_file_bytes = 67108864\n", "content/projects/big.yaml": BIG})
    code, found, _ = run_check(root)
    assert code == 0, found                       # without --base the pull request decides its own limits
    code, found, _ = run_check(root, "--base", "main")
    assert code == 1
    errors = sorted((d["path"], d["line"], d["code"]) for d in found if d["severity"] == "error")
    assert errors == [("content/projects/big.yaml", 1, "file-too-large"), ("fichegen.toml", 5, "protected-limit")]
    limit = next(d for d in found if d["code"] == "protected-limit")
    assert "1,048,576" in limit["message"] and "67,108,864" in limit["message"] and "maintainer" in limit["hint"]
    assert [(d["path"], d["code"]) for d in found if d["severity"] == "warning"] == [("fichegen.toml", "review-as-code")]


@pytest.mark.parametrize("key, value", [("max_depth", 100), ("max_pages_per_fiche", 1_000_000), ("max_site_bytes", 10 ** 13)])
def test_every_protected_limit_is_taken_from_the_base(tmp_path, key, value):
    root = repository(tmp_path, TOML + f"{key} = 30\n" if key == "max_depth" else TOML)
    commit(root, {"fichegen.toml": TOML + f"{key} = {value}\n"})
    code, found, _ = run_check(root, "--base", "main")
    assert code == 1 and [d["code"] for d in found if d["severity"] == "error"] == ["protected-limit"]


def test_a_pull_request_may_lower_a_limit_and_the_lower_one_applies(tmp_path):
    root = repository(tmp_path)
    commit(root, {"fichegen.toml": TOML + "max_file_bytes = 1024\n",
                  "content/projects/two-kib.yaml": VALID + "# " + "x" * 2048 + "\n"})
    code, found, _ = run_check(root, "--base", "main")
    assert code == 1
    assert [(d["path"], d["code"]) for d in found if d["severity"] == "error"] == [("content/projects/two-kib.yaml", "file-too-large")]


def test_without_a_configuration_on_the_base_fichegen_defaults_are_the_limits(tmp_path):
    root = repository(tmp_path, base_toml=None)
    commit(root, {"fichegen.toml": TOML + "max_file_bytes = 2000000\n"})
    code, found, _ = run_check(root, "--base", "main")
    assert [d["code"] for d in found if d["severity"] == "error"] == ["protected-limit"]


def test_build_applies_the_base_limits_too(tmp_path):
    root = repository(tmp_path)
    commit(root, {"fichegen.toml": TOML + "max_file_bytes = 67108864\n", "content/projects/big.yaml": BIG})
    result = build(root, tmp_path / "site", search=False, base="main")
    assert not result.ok and {d.code for d in result.check.errors} == {"protected-limit", "file-too-large"}
    assert build(root, tmp_path / "site", search=False).ok       # the same tree without --base builds


def test_files_outside_the_content_folder_are_flagged_for_review_as_code(tmp_path):
    """Configuration, templates, static files, UI strings, the handbook, workflows and code decide what CI runs and
    the site publishes: each changed one gets a warning annotation on the file; fiches do not."""
    root = repository(tmp_path)
    changed = {"fichegen.toml": TOML + "# a comment\n", "handbook/mkdocs.yml": "site_name: x\n", "templates/base.html": "x",
               "static/x.css": "x", "i18n/en.yaml": "site.title: y\n", "templates/extra.html": "x",
               ".github/workflows/check.yml": "name: x\n", "scripts/setup.sh": "echo\n", "docs/index.md": "# x\n",
               "content/projects/new.yaml": VALID, "content/vocabularies/themes.yaml": "climate:\n  label: {en: Climate}\n"}
    commit(root, changed)
    git(root, "rm", "-q", "content/projects/ok.yaml")
    git(root, "commit", "-q", "-m", "remove a fiche")
    run = subprocess.run(FICHEGEN + ["check", "--root", str(root), "--format", "github", "--base", "main"],
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stdout + run.stderr      # warnings do not fail the check
    flagged = sorted(line.split("file=")[1].split(",")[0] for line in run.stdout.splitlines()
                     if line.startswith("::warning ") and "[review-as-code]" in line)
    expected = sorted(p for p in changed if not p.startswith("content/"))
    assert flagged == expected
    print(f"\n{len(flagged)} changed files outside content/ flagged for review; "
          f"{len(changed) - len(flagged) + 1} content changes not flagged")


def test_a_branch_behind_its_base_is_not_blamed_for_the_base_branch_s_newer_files(tmp_path):
    root = repository(tmp_path)
    commit(root, {"content/projects/mine.yaml": VALID})
    git(root, "checkout", "-q", "main")
    commit(root, {"scripts/newer.sh": "echo\n"})
    git(root, "checkout", "-q", "pull-request")
    code, found, _ = run_check(root, "--base", "main")
    assert code == 0 and [d for d in found if d["code"] == "review-as-code"] == []


def test_a_pull_request_cannot_declare_its_code_to_be_content(tmp_path):
    """content_dir comes from the base: a pull request setting content_dir = "src" still has src/ reviewed."""
    root = repository(tmp_path)
    commit(root, {"fichegen.toml": TOML + 'content_dir = "src"\n', "src/projects/ok.yaml": VALID, "src/evil.py": "x\n"})
    code, found, _ = run_check(root, "--base", "main")
    assert {d["path"] for d in found if d["code"] == "review-as-code"} == {"fichegen.toml", "src/evil.py", "src/projects/ok.yaml"}


@pytest.mark.parametrize("ref, why", [("no-such-branch", "does not know the revision"), ("--output=/tmp/x", "not a revision")])
def test_a_base_git_cannot_read_is_a_usage_error(tmp_path, ref, why):
    root = repository(tmp_path)
    run = subprocess.run(FICHEGEN + ["check", "--root", str(root), f"--base={ref}"], capture_output=True, text=True, timeout=60)
    assert run.returncode == 2 and why in run.stderr and "Traceback" not in run.stderr


def test_a_base_outside_a_git_checkout_is_a_usage_error(tmp_path):
    root = make_project(tmp_path / "plain", {"content/projects/ok.yaml": VALID})
    run = subprocess.run(FICHEGEN + ["check", "--root", str(root), "--base", "main"], capture_output=True, text=True, timeout=60,
                         env={**os.environ, "GIT_CEILING_DIRECTORIES": str(tmp_path)})
    assert run.returncode == 2 and "not in a git checkout" in run.stderr


def test_the_check_workflow_checks_pull_requests_against_their_base_branch():
    """The workflow fetches the base branch and passes it to check and build, so a pull request's limits are the base's."""
    workflow = yaml.safe_load((REPO / ".github" / "workflows" / "check.yml").read_text(encoding="utf-8"))
    runs = "\n".join(step.get("run", "") for job in workflow["jobs"].values() for step in job["steps"])
    envs = [step.get("env", {}) for job in workflow["jobs"].values() for step in job["steps"]]
    assert any(env.get("BASE_REF") == "${{ github.base_ref }}" for env in envs)
    assert 'git fetch --no-tags --depth=1 origin "+refs/heads/$BASE_REF:refs/remotes/origin/$BASE_REF"' in runs
    assert 'fichegen check --format github --base "origin/$BASE_REF"' in runs
    assert '--base "origin/$BASE_REF"' in runs.split("fichegen build", 1)[1]


# --- a read-only checkout ------------------------------------------------------------------------

def read_only(root: Path):
    """A way to run commands that cannot write into `root`, and proof that they cannot.

    For an ordinary user, removing the write permissions is enough. Root ignores them (CI runs as root), so
    there the commands run in a mount namespace of their own where `root` is bind-mounted read-only
    (`unshare --mount`); where that is not permitted the test is skipped rather than passed."""
    for path in [root, *root.rglob("*")]:
        if not path.is_symlink():
            path.chmod(path.stat().st_mode & ~0o222)
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    if os.geteuid() != 0:
        def run(args: list[str]) -> subprocess.CompletedProcess:
            return subprocess.run(args, env=env, capture_output=True, text=True, timeout=180)
    elif shutil.which("unshare"):
        mount = 'mount --bind "$0" "$0" && mount -o remount,bind,ro "$0" && exec "$@"'

        def run(args: list[str]) -> subprocess.CompletedProcess:
            return subprocess.run(["unshare", "--mount", "--propagation", "private", "sh", "-c", mount, str(root), *args],
                                  env=env, capture_output=True, text=True, timeout=180)
    else:
        pytest.skip("running as root without unshare: no way to make the checkout read-only for the build")
    probe = run([sys.executable, "-c", f"open({str(root / 'probe')!r}, 'w')"])
    if probe.returncode == 0 or not ("Read-only file system" in probe.stderr or "PermissionError" in probe.stderr):
        (root / "probe").unlink(missing_ok=True)
        pytest.skip(f"the checkout could not be made read-only here: {probe.stderr[-300:]}")
    return run


def test_a_read_only_checkout_with_an_old_cache_builds_elsewhere_without_the_cache(tmp_path):
    """A checkout that cannot be written (a read-only mount, another user's files) with a .fichegen-cache/ left by an
    earlier build used to fail (`--out /tmp/x`): the build now goes on without the cache, says so, and leaves the
    cache untouched. The test first proves that the checkout really cannot be written, also as root."""
    root = make_project(tmp_path / "project", {"content/projects/ok.yaml": VALID})
    try:
        assert build(root, root / "site", search=False, cache_dir=root / ".fichegen-cache").ok
        cache = root / ".fichegen-cache"
        before = {p: p.stat().st_mtime_ns for p in cache.rglob("*")}
        assert before
        run = read_only(root)
        built = run(FICHEGEN + ["build", "--root", str(root), "--out", str(tmp_path / "elsewhere"), "--no-search"])
        assert built.returncode == 0, built.stderr
        assert "cannot be written" in built.stderr and "built without it" in built.stderr
        assert (tmp_path / "elsewhere" / "index.html").is_file()
        assert {p: p.stat().st_mtime_ns for p in cache.rglob("*")} == before
        checked = run(FICHEGEN + ["check", "--root", str(root)])
        assert checked.returncode == 0 and "cannot be written" in checked.stderr, checked.stderr
    finally:
        for path in [root, *root.rglob("*")]:
            if not path.is_symlink():
                path.chmod(path.stat().st_mode | 0o200)
