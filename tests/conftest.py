"""Shared fixtures: fixture projects copied to a temporary folder and built like a user would."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def project_copy(tmp_path):
    """Copy a fixture project (by name) into tmp_path, so a test may edit it freely."""
    def copy(name: str) -> Path:
        target = tmp_path / name
        shutil.copytree(FIXTURES / name, target)
        return target
    return copy


def _build_showcase(tmp_path_factory, name: str, search: bool) -> Path:
    from fichegen.build import build

    out = tmp_path_factory.mktemp(name) / "site"
    result = build(REPO, out, search=search)
    assert result.ok, [str(d) for d in result.check.errors]
    return out


@pytest.fixture(scope="session")
def showcase_site(tmp_path_factory) -> Path:
    """The showcase (this repository's content/) built once, without the search index."""
    return _build_showcase(tmp_path_factory, "showcase", search=False)


@pytest.fixture(scope="session")
def searchable_showcase(tmp_path_factory) -> Path:
    """The showcase built once with its Pagefind search index (what readers get from `fichegen build`)."""
    return _build_showcase(tmp_path_factory, "showcase-search", search=True)


@pytest.fixture(scope="session")
def hostile_site(tmp_path_factory):
    """A project whose every text field holds an attack (tests/attack_corpus.py), built with search and every export."""
    from attack_corpus import HostileSite, write_hostile_project
    from fichegen.build import build

    root = tmp_path_factory.mktemp("hostile") / "project"
    project = write_hostile_project(root)
    out = root.parent / "site"
    result = build(root, out, search=True)
    assert result.ok, [str(d) for d in result.check.errors][:10]
    return HostileSite(project, out, True, result)


CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]


@pytest.fixture(scope="session")
def chromium():
    """Debian's chromium, headless, driven by Playwright (no browser download); one per test session,
    because Playwright's synchronous API cannot run two sessions in one process."""
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing: install Debian's chromium package to run the browser tests")
    from playwright.sync_api import sync_playwright
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()
