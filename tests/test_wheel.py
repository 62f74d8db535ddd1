"""fichegen as a new user gets it: the wheel, installed (not editable) in a fresh virtual environment, used in an
empty folder far from this checkout. `fichegen init site && cd site && fichegen build` gives a working site
with its search index and handbook; one template and one string override change only what they override;
the new site's workflows run as GitHub would run them.

Offline apart from the package index pip already uses: the wheel is built with the locked setuptools
(`pip wheel --no-deps --no-build-isolation`), the dependencies come from requirements/runtime.txt (the
runtime part of requirements/lock.txt) with --require-hashes, then the wheel with --no-deps.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.slow


def sh(*args, cwd: Path, env: dict | None = None, timeout: int = 300) -> subprocess.CompletedProcess:
    run = subprocess.run([str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    assert run.returncode == 0, f"{' '.join(map(str, args))} failed ({run.returncode}):\n{run.stdout}\n{run.stderr}"
    return run


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> dict:
    """The wheel built from this checkout and installed alone in a fresh virtual environment."""
    work = tmp_path_factory.mktemp("wheel")
    source = work / "source"   # a clean copy: the build writes build/ and *.egg-info beside the sources
    source.mkdir()
    for name in ("pyproject.toml", "README.md", "LICENSE", "CHANGELOG.md"):
        shutil.copy(REPO / name, source / name)
    shutil.copytree(REPO / "src", source / "src", ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    dist = work / "dist"
    sh(sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation", "--wheel-dir", dist, source, cwd=work)
    (wheel,) = dist.glob("fichegen-*.whl")
    venv = work / "venv"
    sh(sys.executable, "-m", "venv", venv, cwd=work)
    pip = [venv / "bin" / "python", "-m", "pip", "--disable-pip-version-check"]
    sh(*pip, "install", "--quiet", "--no-compile", "--require-hashes", "--no-deps", "-r", REPO / "requirements" / "runtime.txt", cwd=work, timeout=600)
    sh(*pip, "install", "--quiet", "--no-compile", "--no-deps", wheel, cwd=work)
    sh(*pip, "check", cwd=work)
    env = {"PATH": f"{venv / 'bin'}:/usr/bin:/bin", "HOME": str(work), "LANG": "C.UTF-8", "FICHEGEN_WORKERS": "1",
           "PIP_DISABLE_PIP_VERSION_CHECK": "1"}
    return {"wheel": wheel, "venv": venv, "env": env, "users": work / "users", "dist": dist}


def fichegen(installed: dict, *args, cwd: Path) -> subprocess.CompletedProcess:
    return sh(installed["venv"] / "bin" / "fichegen", *args, cwd=cwd, env=installed["env"])


def test_the_wheel_carries_the_theme_the_catalogues_the_handbook_the_schemas_and_the_starter(installed):
    names = set(zipfile.ZipFile(installed["wheel"]).namelist())
    for name in ("fichegen/theme/templates/base.html", "fichegen/theme/static/site.css", "fichegen/theme/i18n/pt.yaml",
                 "fichegen/handbook/mkdocs.yml", "fichegen/handbook/docs/index.md", "fichegen/handbook/docs/stylesheets/handbook.css",
                 "fichegen/schemas/project.schema.json", "fichegen/starter/.github/workflows/check.yml",
                 "fichegen/starter/.github/CODEOWNERS", "fichegen/starter/.gitignore", "fichegen/starter/.vscode/extensions.json",
                 "fichegen/starter/examples/content/projects/example-project.yaml"):
        assert name in names, name
    metadata = zipfile.ZipFile(installed["wheel"]).read(next(n for n in names if n.endswith(".dist-info/METADATA"))).decode()
    assert "Classifier: Programming Language :: Python :: 3.11" in metadata and "License" in metadata
    assert "fichegen init" in metadata, "the README (the package's description) starts users with fichegen init"
    # The installed package reads nothing from this checkout.
    where = sh(installed["venv"] / "bin" / "python", "-c", "import fichegen; print(fichegen.__file__)", cwd=installed["venv"],
               env=installed["env"]).stdout.strip()
    assert Path(where).is_relative_to(installed["venv"]) and not Path(where).is_relative_to(REPO)


def test_init_check_build_and_handbook_in_an_empty_folder(installed):
    users = installed["users"]
    users.mkdir()
    version = fichegen(installed, "--version", cwd=users).stdout
    assert re.search(r"version \d+\.\d+\.\d+", version)
    fichegen(installed, "init", "site", cwd=users)
    site = users / "site"
    assert "no problems" in fichegen(installed, "check", cwd=site).stderr
    fichegen(installed, "build", cwd=site)
    out = site / "site"
    assert (out / "en" / "projects" / "example-project" / "index.html").is_file()
    assert list((out / "pagefind").glob("pagefind*.js")), "the search index"
    fichegen(installed, "build", "--handbook", cwd=site)
    handbook = out / "handbook"
    assert "fichegen handbook" in (handbook / "index.html").read_text(encoding="utf-8")
    assert (handbook / "changing-the-look" / "index.html").is_file() and (handbook / "reference" / "project" / "index.html").is_file()
    fichegen(installed, "links", cwd=site)
    fichegen(installed, "new", "organisation", "new-partner", cwd=site / "content")
    assert (site / "content" / "organisations" / "new-partner.yaml").is_file()
    (site / "content" / "organisations" / "new-partner.yaml").unlink()


def test_one_template_and_one_string_override_change_only_what_they_override(installed):
    site = installed["users"] / "site"
    before = {p.relative_to(site / "site").as_posix(): p.read_text(encoding="utf-8") for p in (site / "site").rglob("*.html")
              if "handbook" not in p.parts}
    (site / "templates").mkdir()
    (site / "templates" / "base.html").write_text(
        "{% extends 'theme/base.html' %}{% block footer_bottom %}<p class=\"ours\">Kept by the Example Network</p>{% endblock %}")
    (site / "i18n").mkdir()
    (site / "i18n" / "en.yaml").write_text("nav.search: Find a fiche\n")
    assert "no problems" in fichegen(installed, "check", cwd=site).stderr
    fichegen(installed, "build", "--no-search", cwd=site)
    footer = re.compile(r'<footer class="site-footer">.*?</footer>', re.S)
    search_word = re.compile(r">(Search|Find a fiche)<")
    for rel, old in before.items():
        new = (site / "site" / rel).read_text(encoding="utf-8")
        if "site-footer" not in old:
            assert new == old, rel
            continue
        assert "Kept by the Example Network" in new, rel
        if rel.startswith("en/") or rel == "404.html":   # the root 404 page is the default language's
            assert ">Find a fiche<" in new, rel
            new = new.replace("Find a fiche", "Search")
        else:
            assert "Find a fiche" not in new, rel
        assert footer.sub("", new) == footer.sub("", old), f"{rel} changed outside the footer and the search label"
    assert search_word.search(before["en/index.html"])


def test_the_workflows_of_the_new_site_run_as_github_runs_them(installed, tmp_path):
    """Every `run:` step of check.yml and publish.yml, with the environment GitHub gives it; the install step
    resolves requirements.txt against the wheel (no index), which proves the pin names this release."""
    site = installed["users"] / "site"
    summary = tmp_path / "summary.md"
    outputs = {"${{ steps.pages.outputs.base_path }}": "/my-site",
               "${{ steps.upload.outputs.artifact-url }}": "https://github.example/artifacts/1"}
    for workflow in ("check.yml", "publish.yml"):
        data = yaml.safe_load((site / ".github" / "workflows" / workflow).read_text(encoding="utf-8"))
        for job in data["jobs"].values():
            for step in job["steps"]:
                if "run" not in step:
                    continue
                env = {**installed["env"], "GITHUB_STEP_SUMMARY": str(summary), "PIP_NO_INDEX": "1",
                       "PIP_FIND_LINKS": str(installed["dist"]), "PIP_CONFIG_FILE": os.devnull,
                       **{k: outputs.get(v, v) for k, v in step.get("env", {}).items()}}
                sh("bash", "-e", "-c", step["run"], cwd=site, env=env)
        if workflow == "publish.yml":
            home = (site / "site" / "fr" / "index.html").read_text(encoding="utf-8")
            assert 'href="/my-site/fr/projects/"' in home, "built under the base path Pages gives"
            assert (site / "site" / "handbook" / "index.html").is_file()
    text = summary.read_text(encoding="utf-8")
    assert "Preview the site built from this pull request" in text and "https://github.example/artifacts/1" in text
