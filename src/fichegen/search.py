"""Search: Pagefind indexes the built pages, one index per page language (<html lang>)."""

from __future__ import annotations

from pathlib import Path


def index_site(folder: Path, languages: list[str]) -> None:
    return None
