"""`check`: load → validate → link, then stop. `build` starts with exactly this."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .config import SiteConfig, load_config
from .diagnostics import Diagnostic, sort_key
from .link import SiteGraph, link
from .load import Limits, discover, load_file
from .cache import FicheCache
from .validate import Vocabulary, validate_fiche, validate_vocabulary


@dataclass
class CheckResult:
    root: Path
    config: SiteConfig | None
    graph: SiteGraph | None
    diagnostics: list[Diagnostic] = field(default_factory=list)
    files: int = 0

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.is_error]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if not d.is_error]

    def ok(self, strict: bool = False) -> bool:
        return self.graph is not None and not self.errors and not (strict and self.warnings)


def _load_and_validate(path: Path, root: Path, kind: str, limits: Limits, default_language: str):
    """(vocabulary, or (fiche, source), or None; its diagnostics) for one file."""
    source, problems = load_file(path, root, kind, limits)
    if source is None:
        return None, problems
    if kind == "vocabulary":
        vocabulary, more = validate_vocabulary(source, default_language)
        return vocabulary, problems + more
    fiche, more = validate_fiche(source)
    return ((fiche, source) if fiche is not None else None), problems + more


def _slim(entry):
    result, problems = entry
    if isinstance(result, Vocabulary):
        return Vocabulary(result.name, result.terms, result.source.slim()), problems
    if result is not None:
        return (result[0], result[1].slim()), problems
    return entry


def check(root: Path, config: SiteConfig | None = None, cache_dir: Path | None = None) -> CheckResult:
    """Read and verify the whole project; every problem comes back as a Diagnostic, none is raised.

    With `cache_dir`, files unchanged since the last run are not read again (cache.FicheCache)."""
    root = Path(root)
    diagnostics: list[Diagnostic] = []
    if config is None:
        config, diagnostics = load_config(root)
        if config is None:
            return CheckResult(root, None, None, sorted(diagnostics, key=sort_key))
    limits = Limits(config.max_file_bytes, config.max_depth)
    paths, found = discover(root, config.content_dir)
    diagnostics += found
    fiches, vocabularies = [], []
    cache = FicheCache(cache_dir, f"{limits}:{config.default_language}") if cache_dir else None
    for path, kind in paths:
        entry = cache.get(path) if cache else None
        if entry is None:
            # Raw data and positions are dropped once validated: positions are read again only for a
            # file that turns out to have a problem (SourceFile.at), which keeps a large site small in memory.
            entry = _slim(_load_and_validate(path, root, kind, limits, config.default_language))
            if cache:
                cache.put(path, entry)
        result, problems = entry
        diagnostics += problems
        if isinstance(result, Vocabulary):
            vocabularies.append(result)
        elif result is not None:
            fiches.append(result)
    if cache:
        cache.save()
    from .i18n import check_catalogues  # the UI catalogues are part of what check verifies
    diagnostics += check_catalogues(root, config)
    graph, problems = link(config, fiches, vocabularies)
    diagnostics += problems
    return CheckResult(root, config, graph, sorted(set(diagnostics), key=sort_key), len(paths))
