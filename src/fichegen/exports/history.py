"""When each fiche was published and last updated, for the feeds and the sitemap.

A fiche's own `published` and `updated` fields win. Without them, its file's git history answers: the
first commit that added it (following renames) and the last one that changed it, read in a single
`git log` over the content folder. A file git does not know (no repository, git missing, file not yet
committed) falls back to the build date, so the output depends only on the checkout.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from datetime import date, datetime, time, timezone
from pathlib import Path

from ..link import Ref, SiteGraph

GIT_TIMEOUT = 120


@dataclass(frozen=True)
class FicheDates:
    published: datetime
    updated: datetime


def git_file_dates(root: Path, folder: str) -> dict[str, tuple[datetime, datetime]]:
    """Path relative to `root` → (first commit, last commit) in UTC, for every file git knows under `folder`."""
    command = ["git", "-c", "core.quotepath=off", "-c", "log.showsignature=false", "-C", str(root), "log",
               "--no-color", "--relative", "-M", "--name-status", "--format=%x00%cI", "--", folder]
    try:
        run = subprocess.run(command, capture_output=True, timeout=GIT_TIMEOUT, check=False)
    except (OSError, subprocess.SubprocessError):
        return {}
    if run.returncode != 0:
        return {}
    return parse_log(run.stdout.decode("utf-8", errors="replace"))


def parse_log(text: str) -> dict[str, tuple[datetime, datetime]]:
    """Read `git log --name-status --format=%x00%cI` output, newest commit first, following renames.

    A rename `R old new` means that older commits touching `old` are the history of `new`; an addition
    ends a file's history, so an older, deleted file of the same name is not counted as its past.
    """
    dates: dict[str, tuple[datetime, datetime]] = {}
    renamed: dict[str, str] = {}       # an older name → the name the file has now
    ended: set[str] = set()            # files whose history has reached the commit that added them
    when: datetime | None = None

    def current(name: str) -> str:
        seen = set()
        while name in renamed and name not in seen:
            seen.add(name)
            name = renamed[name]
        return name

    for line in text.splitlines():
        if line.startswith("\x00"):
            try:
                when = datetime.fromisoformat(line[1:].strip()).astimezone(timezone.utc)
            except ValueError:
                when = None
            continue
        parts = line.split("\t")
        if when is None or len(parts) < 2 or not parts[0]:
            continue
        status = parts[0][0]
        name = current(parts[-1])
        if name in ended:
            continue
        first, last = dates.get(name, (when, when))
        dates[name] = (min(first, when), max(last, when))
        if status == "R" and len(parts) == 3:
            renamed[parts[1]] = name
        elif status in ("A", "D"):
            ended.add(name)
    return dates


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time(0, 0), tzinfo=timezone.utc)


def project_root(graph: SiteGraph) -> Path | None:
    """The folder holding fichegen.toml, found from any fiche's absolute and relative paths."""
    for source in graph.sources.values():
        depth = len(Path(source.rel).parts)
        if depth:
            return Path(source.path).parents[depth - 1]
    return None


def fiche_dates(graph: SiteGraph) -> dict[Ref, FicheDates]:
    root = project_root(graph)
    history = git_file_dates(root, graph.config.content_dir) if root else {}
    build = _midnight(graph.today)
    out = {}
    for ref, source in sorted(graph.sources.items()):
        fiche = graph.get(ref)
        if fiche is None:
            continue
        known = history.get(Path(source.rel).as_posix())
        published = _midnight(fiche.published) if fiche.published else known[0] if known else build
        updated = _midnight(fiche.updated) if fiche.updated else known[1] if known else published
        out[ref] = FicheDates(published, max(published, updated))
    return out
