"""Incremental builds: which files of the site changed since the last build, and updating only those.

Every page gets a signature: a hash of what it shows. That is the site-wide inputs (configuration,
theme, vocabularies, the build date, the base path) plus the content hash of each fiche the page shows:
a fiche page shows itself and its neighbours in the graph (partners, backlinks, related projects); a
term page the fiches of its term; list pages, the home page and the statistics every fiche of their
kind. A page whose signature is the one recorded by the last build is neither rendered nor written.
The data files are joined from one piece per fiche (exports/pieces.py), kept in the cache under the
same signature as the fiche's page, so only the changed fiches' pieces are made again; a data file is
written only where its bytes changed.

Every changed file is rendered in memory first; then write.update_in_place writes them beside the files
they replace and renames them over (a failed build leaves the site untouched). When the search index or
the handbook must be made again too, the update runs in a staging folder of hard links to the previous
site instead (write.stage_update), swapped in whole. When the site-wide inputs changed, or more than
MOST_PAGES pages did, the build is a full one.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from .link import Ref, SiteGraph
from .output import Output
from .render.pages import Page, SiteRenderer
from .render.urls import file_for
from .write import SITE_MARK, safe_target

ALL = None  # a page that shows every fiche
#: More changed pages than this and the build is a full one: they are rendered over every core instead
#: of in memory by one process.
MOST_PAGES = 2000


def _hash(*parts: str) -> str:
    h = hashlib.blake2b(digest_size=16)
    for part in parts:
        h.update(part.encode("utf-8", "surrogatepass"))
        h.update(b"\x00")
    return h.hexdigest()


def global_digest(renderer: SiteRenderer) -> str:
    """Everything every page depends on: configuration, theme files, vocabularies, date, base path."""
    g = renderer.g
    vocabularies = {name: {tid: term.model_dump(mode="json") for tid, term in terms.items()}
                    for name, terms in sorted(g.vocabularies.items())}
    theme = [f"{name}:{hashlib.blake2b(path.read_bytes(), digest_size=16).hexdigest()}" for name, path in renderer.theme.files()]
    return _hash(renderer.config.model_dump_json(), str(g.today), renderer.urls.base_path,
                 json.dumps(vocabularies, sort_keys=True, ensure_ascii=False), *theme)


def page_inputs(g: SiteGraph, page: Page) -> Iterable[Ref] | None:
    """The fiches a list page shows, or ALL (fiche and taxonomy pages: see signatures)."""
    kind = page.key[0]
    if kind == "term":
        return g.taxonomies[page.key[1]][page.key[2]]
    if kind == "section":
        return list(g.refs(page.key[1]))
    return ALL


def fiche_signatures(g: SiteGraph, site_wide: str) -> dict[Ref, str]:
    """Fiche → a hash of what its page and its pieces of the data files show: the site-wide inputs,
    the fiche, and its neighbours in the graph (partners, backlinks, related projects)."""
    digest = {ref: source.digest for ref, source in g.sources.items()}
    out = {}
    for ref in digest:
        neighbours = {ref} | {e.target for e in g.outgoing.get(ref, ())} | {e.source for e in g.incoming.get(ref, ())}
        out[ref] = _hash(site_wide, *sorted(f"{r.kind}/{r.id}:{digest.get(r, '')}" for r in neighbours))
    return out


def card_signatures(g: SiteGraph, site_wide: str) -> dict[Ref, str]:
    """Fiche → a hash of what its card shows: the fiche itself and the site-wide inputs (labels, the build date)."""
    return {ref: _hash(site_wide, source.digest) for ref, source in g.sources.items()}


def signatures(renderer: SiteRenderer, pages: list[Page], site_wide: str, fiches: dict[Ref, str]) -> dict[str, str]:
    """File → signature for every page (`fiches`: fiche_signatures)."""
    g = renderer.g
    digest = {ref: source.digest for ref, source in g.sources.items()}
    everything = _hash(*(f"{r.kind}/{r.id}:{d}" for r, d in sorted(digest.items())))
    out = {}
    for page in pages:
        kind = page.key[0]
        if kind == "fiche":
            shown = fiches.get(Ref(page.key[1], page.key[2]), "")
        elif kind == "taxonomy":   # term labels and counts: the taxonomy's terms and their fiches
            shown = _hash(json.dumps({t: [f"{r.kind}/{r.id}" for r in refs]
                                      for t, refs in g.taxonomies.get(page.key[1], {}).items()}, sort_keys=True))
        else:
            refs = page_inputs(g, page)
            shown = everything if refs is ALL else _hash(*sorted(f"{r.kind}/{r.id}:{digest.get(r, '')}" for r in refs))
        out[file_for(page.url, renderer.urls.base_path)] = _hash(site_wide, repr(page.key), page.lang, shown)
    return out


def replace_file(folder: Path, rel: str, data: bytes) -> None:
    """Replace one file by a new one (a new inode: the hard-linked previous version stays untouched)."""
    target = safe_target(folder, rel)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.fichegen-new")
    with open(tmp, "wb") as f:
        f.write(data)
    os.replace(tmp, target)


def can_update(out: Path, manifest: dict, site_wide: str) -> bool:
    return bool(manifest) and manifest.get("global") == site_wide and (out / SITE_MARK).is_file()


@dataclass
class Changes:
    """What turns the last build's site into this one's: files to write (rendered already) and to delete."""

    writes: dict[str, bytes]
    deletes: list[str]


def changes(renderer: SiteRenderer, out: Path, pages: list[Page], exports: Output,
            page_signatures: dict[str, str], previous: dict[str, str], limit: int | None = None) -> Changes | None:
    """Every changed file, rendered in memory before anything is written (a template error then changes
    nothing). None when more than `limit` pages changed: a full build renders them over every core."""
    writes: dict[str, bytes] = {}
    digests = exports.digests()
    for rel, data in sorted(exports.files.items()):
        if previous.get(rel) != digests[rel] or not (out / rel).is_file():
            writes[rel] = data
    changed = [page for page in pages if previous.get(rel := file_for(page.url, renderer.urls.base_path)) != page_signatures[rel]]
    if limit is not None and len(changed) > limit:
        return None
    for page in changed:
        writes[file_for(page.url, renderer.urls.base_path)] = renderer.render_page(page).encode("utf-8")
    default_404 = f"{renderer.config.default_language}/404.html"
    if default_404 in writes:
        writes["404.html"] = writes[default_404]
    current = set(exports.files) | set(page_signatures) | {"404.html"}
    return Changes(writes, sorted(set(previous) - current))


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


__all__ = ["Changes", "apply", "can_update", "card_signatures", "changes", "fiche_signatures", "global_digest",
           "replace_folder", "signatures"]
