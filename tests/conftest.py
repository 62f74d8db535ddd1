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


@pytest.fixture(scope="session")
def showcase_site(tmp_path_factory) -> Path:
    """The showcase (this repository's content/) built once, without the search index."""
    from fichegen.build import build

    out = tmp_path_factory.mktemp("showcase") / "site"
    result = build(REPO, out, search=False)
    assert result.ok, [str(d) for d in result.check.errors]
    return out


@pytest.fixture(scope="session")
def searchable_showcase(tmp_path_factory) -> Path:
    """The showcase built once with its Pagefind search index (what readers get from `fichegen build`)."""
    from fichegen.build import build

    out = tmp_path_factory.mktemp("showcase-search") / "site"
    result = build(REPO, out, search=True)
    assert result.ok, [str(d) for d in result.check.errors]
    return out
