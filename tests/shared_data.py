"""Where the project's shared reference data lives (the IATI codelists and rulesets, …): the `shared/` folder
beside the clone in CI (../shared), or /work/shared on the development machine."""

from __future__ import annotations

from pathlib import Path

SHARED_CANDIDATES = (Path(__file__).resolve().parents[1].parent / "shared", Path("/work/shared"))


def shared_path(*parts: str) -> Path | None:
    """shared/<parts> from the first shared folder that has it, or None when none has it."""
    for candidate in SHARED_CANDIDATES:
        if candidate.joinpath(*parts).exists():
            return candidate.joinpath(*parts)
    return None
