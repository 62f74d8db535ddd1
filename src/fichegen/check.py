"""`check`: load → validate → link, then stop. `build` starts with exactly this."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from . import baseline
from .budgets import fiche_budget_problems
from .config import SiteConfig, load_config
from .diagnostics import Diagnostic, sort_key
from .i18n import check_catalogues
from .link import SiteGraph, known_fiche_ids, link
from .load import Limits, discover, load_file
from .cache import FicheCache, usable_cache
from .overrides import Theme, check_theme
from .schema import Choices, choices_of, schema_problems
from .written_links import link_problems
from .validate import Unvalidated, Vocabulary, validate_fiche, validate_vocabulary


@dataclass
class CheckResult:
    root: Path
    config: SiteConfig | None
    graph: SiteGraph | None
    diagnostics: list[Diagnostic] = field(default_factory=list)
    files: int = 0
    accepted: list[Diagnostic] = field(default_factory=list)   # warnings the content says are intended
    theme: Theme | None = None   # the project's templates, static files and UI strings before the built-in ones
    cache_dir: Path | None = None          # the cache used: None when none was asked for or it cannot be written
    notes: list[str] = field(default_factory=list)   # what a person should know, e.g. that the cache was not used
    choices: Choices | None = None   # the ids and terms the project's JSON Schemas list (schema.py)

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.is_error]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if not d.is_error]

    def ok(self, strict: bool = False) -> bool:
        return self.graph is not None and not self.errors and not (strict and self.warnings)


def _load_and_validate(path: Path, root: Path, kind: str, rel: str, limits: Limits, default_language: str):
    """(vocabulary, or (fiche, source), or None; its diagnostics) for one file."""
    source, problems = load_file(path, root, kind, limits, rel)
    if source is None:
        return None, problems
    if kind == "vocabulary":
        vocabulary, more = validate_vocabulary(source, default_language)
        return vocabulary, problems + more
    fiche, more = validate_fiche(source)
    return (fiche if isinstance(fiche, Unvalidated) else (fiche, source)), problems + more


def default_workers() -> int:
    """Processes that read files and render pages: every core (at most 4), or FICHEGEN_WORKERS."""
    configured = os.environ.get("FICHEGEN_WORKERS", "")
    if configured.isdigit() and int(configured) > 0:
        return int(configured)
    return max(1, min(os.cpu_count() or 1, 4))


#: Below this many files to read, starting other processes costs more than it saves.
PARALLEL_FROM = 300


def _read(job: tuple):
    """Load and validate one file, keeping only what the graph needs (runs in a worker process)."""
    path, kind, rel, root, limits, default_language = job
    return _slim(_load_and_validate(path, root, kind, rel, limits, default_language))


def _read_all(jobs: list[tuple], workers: int) -> list:
    """Files are independent until they are linked: read them over `workers` processes, in order."""
    if workers > 1 and len(jobs) >= PARALLEL_FROM:
        import multiprocessing
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            return pool.map(_read, jobs, chunksize=32)
    return [_read(job) for job in jobs]


def _slim(entry):
    result, problems = entry
    if isinstance(result, Vocabulary):
        return Vocabulary(result.name, result.terms, result.source.slim(), result.unvalidated), problems
    if isinstance(result, Unvalidated):
        return Unvalidated(result.source.slim(), result.references), problems
    if result is not None:
        return (result[0], result[1].slim()), problems
    return entry


def read_file(root: Path, config: SiteConfig, path: Path, kind: str, rel: str):
    """One file loaded and validated, as check keeps it: (a Vocabulary, an Unvalidated, (fiche, source) or None;
    its diagnostics)."""
    return _read((path, kind, rel, root, Limits(config.max_file_bytes, config.max_depth), config.default_language))


def read_files(root: Path, config: SiteConfig, paths: list[tuple[Path, str, str]], cache_dir: Path | None = None,
               workers: int | None = None) -> dict[Path, tuple]:
    """Every file of `paths` (from discover) loaded and validated: path → read_file's result. With `cache_dir`,
    files unchanged since the last run are not read again (cache.FicheCache); the others are read over
    `workers` processes when there are many."""
    limits = Limits(config.max_file_bytes, config.max_depth)
    cache = FicheCache(cache_dir, f"{limits}:{config.default_language}") if cache_dir else None
    entries = {path: cache.get(path, rel) for path, _, rel in paths} if cache else {}
    # Raw data and positions are dropped once validated (_slim): positions are read again only for a
    # file that turns out to have a problem (SourceFile.at), which keeps a large site small in memory.
    misses = [(path, kind, rel, root, limits, config.default_language)
              for path, kind, rel in paths if entries.get(path) is None]
    for job, entry in zip(misses, _read_all(misses, workers or default_workers())):
        entries[job[0]] = entry
        if cache:
            cache.put(job[0], job[2], entry)
    if cache:
        cache.save()
    return entries


def check(root: Path, config: SiteConfig | None = None, cache_dir: Path | None = None,
          workers: int | None = None, base: str | None = None) -> CheckResult:
    """Read and verify the whole project; every problem comes back as a Diagnostic, none is raised.

    With `cache_dir`, files unchanged since the last run are not read again (cache.FicheCache).
    Files are read over `workers` processes (default: every core) when there are many. With `base`, a git
    revision (the branch a pull request goes into), the limits that protect CI are those of fichegen.toml at
    `base`, and files changed outside the content folder are reported for review (baseline.py); a `base` git
    cannot read raises baseline.BaseUnavailable."""
    root = Path(root)
    diagnostics: list[Diagnostic] = []
    cache_dir, cache_note = usable_cache(cache_dir)
    notes = [cache_note] if cache_note else []
    if config is None:
        config, diagnostics = load_config(root)
    if base is not None:
        config, reviewed = baseline.apply(root, base, config)
        diagnostics += reviewed
    if config is None:
        return CheckResult(root, None, None, sorted(diagnostics, key=sort_key), notes=notes)
    paths, found = discover(root, config.content_dir)
    diagnostics += found
    fiches, vocabularies, unvalidated = [], [], []
    entries = read_files(root, config, paths, cache_dir, workers)
    for path, _, _ in paths:
        result, problems = entries[path]
        diagnostics += problems
        if isinstance(result, Vocabulary):
            vocabularies.append(result)
        elif isinstance(result, Unvalidated):
            unvalidated.append(result)
        elif result is not None:
            fiches.append(result)
    theme = Theme.of(root)   # the look is part of what check verifies: templates, static files, UI strings
    diagnostics += check_theme(root, config, theme) + check_catalogues(theme, config)
    graph, problems = link(config, fiches, vocabularies, unvalidated)
    diagnostics += problems
    diagnostics += fiche_budget_problems(graph, config.max_pages_per_fiche)
    diagnostics += link_problems(graph, {v.name: v.source for v in vocabularies},
                                 known_fiche_ids(graph, unvalidated))   # links written in the texts
    terms = {v.name: {**v.terms, **dict.fromkeys(v.unvalidated)} for v in vocabularies}
    choices = choices_of(config, fiches, terms, [(u.source.kind, u.source.id) for u in unvalidated])
    diagnostics += schema_problems(root, choices)
    shown, accepted = accept_intended(root, sorted(set(diagnostics), key=sort_key), config.accept_warnings)
    return CheckResult(root, config, graph, shown, len(paths), accepted=accepted, theme=theme,
                       cache_dir=cache_dir, notes=notes, choices=choices)


#: A comment that says a warning is intended: `# fichegen: accept unlinked-project`, on the warning's line or
#: the line above it. Errors cannot be accepted.
ACCEPT = re.compile(r"#\s*fichegen:\s*accept\s+([a-z0-9-]+(?:\s*,\s*[a-z0-9-]+)*)")


def accept_intended(root: Path, diagnostics: list[Diagnostic], listed=()) -> tuple[list[Diagnostic], list[Diagnostic]]:
    """Split off the warnings marked as intended — in fichegen.toml (`accept_warnings`: a maintainer's decision, kept
    whatever edits the fiche) or by a comment in the content — so `check --strict` can gate CI on every other one."""
    shown, accepted = [], []
    in_config = {(a.code, a.file) for a in listed}
    lines_of: dict[str, list[str]] = {}
    for d in diagnostics:
        if d.is_error:
            shown.append(d)
            continue
        if (d.code, d.path) in in_config:
            accepted.append(d)
            continue
        if d.path not in lines_of:
            try:
                lines_of[d.path] = (root / d.path).read_text(encoding="utf-8", errors="replace").splitlines()
            except OSError:
                lines_of[d.path] = []
        lines = lines_of[d.path]
        nearby = lines[max(0, d.line - 2): d.line]
        codes = {c.strip() for line in nearby for m in ACCEPT.finditer(line) for c in m[1].split(",")}
        (accepted if d.code in codes else shown).append(d)
    return shown, accepted
