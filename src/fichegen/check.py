"""`check`: load → validate → link, then stop. `build` starts with exactly this."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .config import SiteConfig, load_config
from .diagnostics import Diagnostic, sort_key
from .link import SiteGraph, link
from .load import Limits, discover, load_file
from .validate import validate_fiche, validate_vocabulary


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


def check(root: Path, config: SiteConfig | None = None) -> CheckResult:
    """Read and verify the whole project; every problem comes back as a Diagnostic, none is raised."""
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
    for path, kind in paths:
        source, problems = load_file(path, root, kind, limits)
        diagnostics += problems
        if source is None:
            continue
        if kind == "vocabulary":
            vocabulary, problems = validate_vocabulary(source, config.default_language)
            if vocabulary:
                vocabularies.append(vocabulary)
        else:
            fiche, problems = validate_fiche(source)
            if fiche is not None:
                fiches.append((fiche, source))
        diagnostics += problems
    from .i18n import check_catalogues  # the UI catalogues are part of what check verifies
    diagnostics += check_catalogues(root, config)
    graph, problems = link(config, fiches, vocabularies)
    diagnostics += problems
    return CheckResult(root, config, graph, sorted(set(diagnostics), key=sort_key), len(paths))
