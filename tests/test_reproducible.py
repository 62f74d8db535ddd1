"""A fresh machine installs exactly what the tests passed with: requirements/lock.txt pins every dependency of
pyproject.toml, with hashes, and this environment runs those versions."""

import re
import tomllib
from importlib import metadata
from pathlib import Path

import yaml
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

REPO = Path(__file__).resolve().parents[1]
LOCK = REPO / "requirements" / "lock.txt"


def pins() -> dict[str, tuple[str, int]]:
    """Package → (version, number of hashes) from the lock."""
    out, current = {}, None
    for line in LOCK.read_text(encoding="utf-8").splitlines():
        if m := re.match(r"^([A-Za-z0-9._-]+)==([^\s\\]+)", line):
            current = canonicalize_name(m[1])
            out[current] = (m[2], 0)
        elif current and "--hash=sha256:" in line:
            version, hashes = out[current]
            out[current] = (version, hashes + 1)
    return out


def declared() -> list[Requirement]:
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    names = list(project["project"]["dependencies"]) + list(project["build-system"]["requires"])
    for extra in project["project"]["optional-dependencies"].values():
        names += extra
    return [Requirement(n) for n in names]


def test_every_declared_dependency_is_pinned_with_hashes_and_fits_its_range():
    locked = pins()
    for requirement in declared():
        name = canonicalize_name(requirement.name)
        assert name in locked, f"{requirement} is not in requirements/lock.txt: run bash scripts/lock.sh"
        version, hashes = locked[name]
        assert hashes >= 1, f"{name} has no hash in the lock"
        assert requirement.specifier.contains(version, prereleases=True), f"the lock pins {name}=={version}, outside {requirement}"


def test_this_environment_runs_the_locked_versions():
    """What the tests run against is what a fresh set-up installs (scripts/setup.sh installs from the lock)."""
    drifted = []
    for name, (version, _) in pins().items():
        try:
            installed = metadata.version(name)
        except metadata.PackageNotFoundError:
            drifted.append(f"{name} (not installed)")
            continue
        if installed != version:
            drifted.append(f"{name} {installed} (lock: {version})")
    assert not drifted, "the environment differs from requirements/lock.txt: " + ", ".join(drifted)


def test_the_build_back_end_is_recent_enough_for_the_licence_field():
    """`license = "MIT"` (PEP 639) needs setuptools ≥ 77; an older one fails `pip install --no-build-isolation`."""
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    assert isinstance(project["project"]["license"], str)
    (setuptools,) = [Requirement(r) for r in project["build-system"]["requires"] if Requirement(r).name == "setuptools"]
    assert not setuptools.specifier.contains("76.9") and setuptools.specifier.contains(pins()["setuptools"][0])


def test_drift_is_tested_weekly_against_the_newest_allowed_versions():
    workflow = yaml.safe_load((REPO / ".github" / "workflows" / "drift.yml").read_text(encoding="utf-8"))
    assert workflow[True]["schedule"], "the workflow runs on a schedule"      # YAML 1.1 reads `on` as True
    runs = [step.get("run", "") for job in workflow["jobs"].values() for step in job["steps"]]
    assert any("bash scripts/test-latest.sh" in run for run in runs)
    script = (REPO / "scripts" / "test-latest.sh").read_text(encoding="utf-8")
    assert "--upgrade" in script and "requirements/lock.txt" not in script.split("pip install", 1)[1]


def test_the_runtime_requirements_are_the_runtime_part_of_the_lock():
    """requirements/runtime.txt (what the check and publish workflows install) has the lock's versions and hashes."""
    import subprocess
    import sys

    run = subprocess.run([sys.executable, str(REPO / "scripts" / "runtime_requirements.py"), "--check"], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    runtime = (REPO / "requirements" / "runtime.txt").read_text(encoding="utf-8")
    locked = pins()
    for name, version in re.findall(r"^([A-Za-z0-9._-]+)==(\S+)", runtime, re.M):
        assert locked[canonicalize_name(name)][0] == version
    for requirement in tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]["dependencies"]:
        assert f"\n{canonicalize_name(Requirement(requirement).name)}==" in runtime, requirement

