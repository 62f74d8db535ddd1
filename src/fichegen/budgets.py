"""Output budgets: how many pages one fiche may bring into the site, and how large the site may grow.

Fiches come in pull requests from strangers, and a valid fiche can still ask for a flood: listed under
every country and theme, one 1 MiB file made a 4.5 GB site. `check` knows, before anything is rendered,
which pages each fiche brings (its own, and one per term it is listed under, in every language) and holds
each fiche to `max_pages_per_fiche`. Bytes are only known while the site is written: `build` counts them as
the pages come and stops, before the new site replaces the previous one, once `max_site_bytes` is passed.
"""

from __future__ import annotations

import os
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from .config import CONFIG_FILE, SiteConfig
from .diagnostics import Diagnostic
from .link import Ref, SiteGraph


@dataclass(frozen=True)
class FichePages:
    """The pages one fiche brings into the site."""

    own: int                    # its page in every language
    terms: Counter              # taxonomy → terms it is listed under
    languages: int

    @property
    def total(self) -> int:
        return self.own + sum(self.terms.values()) * self.languages


def pages_brought(graph: SiteGraph, refs: Iterable[Ref] | None = None) -> dict[Ref, FichePages]:
    """Every fiche's pages (or those of `refs`): its own in each language, and one per taxonomy term it is listed
    under (`graph.memberships`, made from the taxonomies: each term counts for every fiche listed under it, not only
    the first, so no order of the files lets a fiche through), in each language."""
    languages = len(graph.config.languages)
    wanted = [Ref(kind, fiche_id) for kind, fiches in graph.fiches.items() for fiche_id in fiches] if refs is None else \
        [ref for ref in refs if graph.get(ref) is not None]
    return {ref: FichePages(languages, Counter({taxonomy: len(terms) for taxonomy, terms in graph.memberships.get(ref, {}).items()
                                                if terms}), languages)
            for ref in wanted}


def fiche_budget_problems(graph: SiteGraph, limit: int, refs: Iterable[Ref] | None = None) -> list[Diagnostic]:
    """A diagnostic at each fiche (of `refs`, else every one) that would bring more than `limit` pages into the site."""
    out = []
    for ref, pages in pages_brought(graph, refs).items():
        if pages.total <= limit:
            continue
        listed = ", ".join(f"{n:,} {taxonomy}" for taxonomy, n in pages.terms.most_common(4))
        source = graph.sources[ref]
        out.append(Diagnostic(
            source.rel, 1, 1, "too-many-pages",
            f"this {ref.kind} would bring {pages.total:,} pages into the site (its own page and {sum(pages.terms.values()):,} "
            f"term pages — {listed} — in each of {pages.languages} languages), over the limit of {limit:,} (max_pages_per_fiche)",
            "list only the terms the fiche really concerns; if it needs more, a maintainer raises max_pages_per_fiche "
            "in fichegen.toml on the base branch"))
    return out


def site_size(folder: Path) -> int:
    """The bytes of every file under `folder` (links are not followed)."""
    total = 0
    pending = [str(folder)]
    while pending:
        with os.scandir(pending.pop()) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    pending.append(entry.path)
                else:
                    total += entry.stat(follow_symlinks=False).st_size
    return total


class SiteTooLarge(Exception):
    """The site being built passed its budget; nothing replaced the previous site."""

    def __init__(self, size: int, limit: int, partial: bool):
        self.size, self.limit, self.partial = size, limit, partial
        so_far = "already " if partial else ""
        super().__init__(f"the site would be {so_far}{human_bytes(size)} ({size:,} bytes), over its budget of "
                         f"{human_bytes(limit)} ({limit:,} bytes, max_site_bytes)")

    def diagnostic(self, config_text: str) -> Diagnostic:
        from .config import key_line
        return Diagnostic(CONFIG_FILE, key_line(config_text, ("max_site_bytes",)), 1, "site-too-large",
                          f"{self}; the build stopped and the previous site was left as it was",
                          "look for fiches that list very many terms or hold very long texts; if the site has simply grown, "
                          "a maintainer raises max_site_bytes in fichegen.toml on the base branch")


class SiteBudget:
    """Counts the bytes written into a site being built and stops the build once they pass `limit`."""

    def __init__(self, limit: int):
        self.limit = limit
        self.used = 0

    @classmethod
    def of(cls, config: SiteConfig) -> "SiteBudget":
        return cls(config.max_site_bytes)

    def add(self, written: int) -> None:
        """Count bytes as they are written (pages from the workers): a flood stops early, not at the end."""
        self.used += written
        if self.used > self.limit:
            raise SiteTooLarge(self.used, self.limit, partial=True)

    def settle(self, folder: Path) -> int:
        """The whole site's size, measured once it is complete and before it is swapped in."""
        self.used = site_size(folder)
        if self.used > self.limit:
            raise SiteTooLarge(self.used, self.limit, partial=False)
        return self.used

    def settle_projected(self, size: int) -> int:
        """Like settle(), for a size computed before the files are put in place (an update in place)."""
        self.used = size
        if size > self.limit:
            raise SiteTooLarge(size, self.limit, partial=False)
        return size

    def share(self) -> float:
        return self.used / self.limit if self.limit else 0.0


def human_bytes(n: float) -> str:
    """1,234,567 → '1.2 MB' (decimal units, as hosts state their limits)."""
    for unit in ("bytes", "kB", "MB", "GB", "TB"):
        if n < 1000 or unit == "TB":
            return f"{n:,.0f} {unit}" if unit == "bytes" else f"{n:,.1f} {unit}"
        n /= 1000
    return f"{n:,.1f} TB"   # pragma: no cover


def size_after_update(out: Path, writes: dict[str, bytes], deletes: list[str], current: int | None = None) -> int:
    """The size `out` will have once an incremental build's files are written and deleted; `current`, its size as
    the last build recorded it, spares measuring the whole site again (seconds at 60,000 files)."""
    from .write import safe_target
    size = site_size(out) if current is None else current
    for rel in [*writes, *deletes]:
        try:
            size -= safe_target(out, rel).stat().st_size
        except FileNotFoundError:
            pass
    return size + sum(len(data) for data in writes.values())
