"""Incremental builds: which files of the site changed since the last build, and updating only those.

Nothing here knows what a page shows. Every page records what it read from the graph while it is rendered
(dependencies.py); the manifest of the last build (cache.OutputManifest) keeps, for every page, those inputs
and the digest each had. This build computes the digest of each recorded input from the new graph: the
pages that read an input whose digest changed are rendered again (and the pages that did not exist), the
pages that no longer exist are deleted, every other page stays as it is. The data files are joined from
one piece per fiche (exports/pieces.py), each kept with what it read in the same way, and a data file is
written only where its bytes changed.

Site-wide inputs — configuration, theme files (templates, static files, UI strings), the build date, the
base path — are not recorded per page: almost every page reads them, so a change to one is a full build
(`site_digest`).

Every changed file is rendered in memory first; then write.update_in_place writes them beside the files
they replace and renames them over (a failed build leaves the site untouched). When the search index or
the handbook must be made again too, the update runs in a staging folder of hard links to the previous
site instead (write.stage_update), swapped in whole. When more than MOST_PAGES pages changed, the build
is a full one (rendered over every core).
"""

from __future__ import annotations

import hashlib
import os
from array import array
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable

from .dependencies import Input, InputDigests
from .output import Output
from .render.pages import Page, SiteRenderer
from .render.urls import file_for
from .write import SITE_MARK, safe_target

#: More changed pages than this and the build is a full one: they are rendered over every core instead
#: of in memory by one process.
MOST_PAGES = 2000


def text_digest(*parts: str) -> str:
    h = hashlib.blake2b(digest_size=16)
    for part in parts:
        h.update(part.encode("utf-8", "surrogatepass"))
        h.update(b"\x00")
    return h.hexdigest()


def site_digest(renderer: SiteRenderer) -> str:
    """What every page reads and no page records: configuration, theme files, UI strings, date, base path."""
    theme = [f"{name}:{hashlib.blake2b(path.read_bytes(), digest_size=16).hexdigest()}" for name, path in renderer.theme.files()]
    return text_digest(renderer.config.model_dump_json(), str(renderer.g.today), renderer.urls.base_path, *theme)


class PageRecords:
    """What each page of the site read, path → inputs, kept as positions in one table of inputs: the last build's
    (from its manifest), updated with the pages this build renders."""

    def __init__(self, previous: dict | None = None):
        self.inputs: list[Input] = list(previous["inputs"]) if previous else []
        self.old_digests: list[str] = list(previous["digests"]) if previous else []
        self.pages: dict[str, array] = dict(previous["pages"]) if previous else {}
        self._position = {key: i for i, key in enumerate(self.inputs)}

    def record(self, path: str, inputs: Iterable[Input]) -> None:
        position = self._position
        positions = []
        for key in inputs:
            i = position.get(key)
            if i is None:
                i = position[key] = len(self.inputs)
                self.inputs.append(key)
            positions.append(i)
        self.pages[path] = array("I", positions)     # 4 bytes a position: 49,000 pages × ~40 inputs at N=10,000

    def changed(self, digests: InputDigests) -> set[int]:
        """The positions of the inputs whose digest is not the one the last build saw."""
        return {i for i, (key, old) in enumerate(zip(self.inputs, self.old_digests)) if digests[key] != old}

    def stale(self, paths: Iterable[str], changed: set[int]) -> list[str]:
        """The pages to render again: those that read a changed input, and those the last build did not make."""
        pages = self.pages
        return [path for path in paths if (read := pages.get(path)) is None or not changed.isdisjoint(read)]

    def keep_only(self, paths: set[str]) -> None:
        self.pages = {path: read for path, read in self.pages.items() if path in paths}

    def digests(self, digests: InputDigests) -> list[str]:
        return [digests[key] for key in self.inputs]


def own_file_only(key: tuple, inputs: set[Input]) -> set[Input]:
    """For tests only: a fiche page taken to depend on its own file alone (and a fiche's data pieces likewise), as
    a hand-written guess of what a page shows would have it. The stateful test shows what that misses."""
    if key[0] == "fiche":
        return {("f", key[1], key[2])}
    return inputs


def own_piece_only(key: str, inputs: set[Input]) -> set[Input]:
    """own_file_only for a data file's piece ("record:project/x") or a card ("en:project/x:h3")."""
    what, _, rest = key.partition(":")
    ref = rest.split(":", 1)[0].split("/", 1)
    return {("f", ref[0], ref[1])} if len(ref) == 2 else inputs


def replace_file(folder: Path, rel: str, data: bytes) -> None:
    """Replace one file by a new one (a new inode: the hard-linked previous version stays untouched)."""
    target = safe_target(folder, rel)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.fichegen-new")
    with open(tmp, "wb") as f:
        f.write(data)
    os.replace(tmp, target)


def can_update(out: Path, manifest: dict, site: str) -> bool:
    return bool(manifest) and manifest.get("site") == site and (out / SITE_MARK).is_file()


@dataclass
class Changes:
    """What turns the last build's site into this one's: files to write (rendered already) and to delete."""

    writes: dict[str, bytes]
    deletes: list[str]


def changes(renderer: SiteRenderer, out: Path, pages: list[Page], exports: Output, records: PageRecords,
            digests: InputDigests, previous_files: dict[str, str], limit: int | None = None,
            narrow: Callable[[tuple, set], set] | None = None) -> Changes | None:
    """Every changed file, rendered in memory before anything is written (a template error then changes
    nothing). None when more than `limit` pages changed: a full build renders them over every core."""
    writes: dict[str, bytes] = {}
    files = exports.digests()
    for rel, data in sorted(exports.files.items()):
        if previous_files.get(rel) != files[rel] or not (out / rel).is_file():
            writes[rel] = data
    by_path = {file_for(page.url, renderer.urls.base_path): page for page in pages}
    stale = records.stale(by_path, records.changed(digests))
    if limit is not None and len(stale) > limit:
        return None
    for path in stale:
        page = by_path[path]
        html, inputs = renderer.render_recorded(page)
        records.record(path, narrow(page.key, inputs) if narrow else inputs)
        writes[path] = html.encode("utf-8")
    default_404 = f"{renderer.config.default_language}/404.html"
    if default_404 in writes:
        writes["404.html"] = writes[default_404]
    gone = (set(records.pages) - set(by_path)) | (set(previous_files) - set(files))
    records.keep_only(set(by_path))
    return Changes(writes, sorted(gone))


def apply(folder: Path, change: Changes) -> None:
    """Write the changes into a staging copy of the site (write.stage_update)."""
    for rel, data in change.writes.items():
        replace_file(folder, rel, data)
    for rel in change.deletes:
        safe_target(folder, rel).unlink(missing_ok=True)


def replace_folder(out: Path, name: str, make) -> None:
    """Rebuild a generated sub-folder (the search bundle, the handbook) beside the live one, then swap it in."""
    fresh = out / f".{name}.fichegen-new"
    shutil.rmtree(fresh, ignore_errors=True)
    make(fresh)
    old = out / f".{name}.fichegen-old"
    shutil.rmtree(old, ignore_errors=True)
    if (out / name).exists():
        os.rename(out / name, old)
    os.rename(fresh, out / name)
    shutil.rmtree(old, ignore_errors=True)


__all__ = ["Changes", "PageRecords", "apply", "can_update", "changes", "own_file_only", "own_piece_only",
           "replace_folder", "site_digest"]
