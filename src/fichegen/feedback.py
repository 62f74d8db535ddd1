"""What `build` tells a person at a terminal: a progress bar while rendering, a summary at the end."""

from __future__ import annotations

import sys

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from .budgets import human_bytes
from .diagnostics import printable
from .plural import counted


class BuildFeedback:
    """Quiet when not on a terminal or with --quiet; a progress bar and a summary otherwise."""

    def __init__(self, quiet: bool = False, console: Console | None = None):
        self.console = console or Console(stderr=True)
        self.quiet = quiet
        self.live = not quiet and self.console.is_terminal
        self._progress: Progress | None = None
        self._task = None

    def __enter__(self):
        if self.live:
            self._progress = Progress(TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                                      console=self.console, transient=True)
            self._progress.__enter__()
        return self

    def __exit__(self, *exc):
        if self._progress:
            self._progress.__exit__(*exc)

    def progress(self, stage: str, done: int, total: int) -> None:
        if not self._progress:
            return
        if self._task is None:
            self._task = self._progress.add_task("Rendering pages", total=total)
        self._progress.update(self._task, completed=done)

    def summary(self, result) -> None:
        if self.quiet:
            return
        output = result.output
        pages = ", ".join(f"{lang} {n}" for lang, n in sorted(output.pages.items()))
        data = sum(1 for p in output.paths() if p.startswith("data/"))
        warnings = len(result.check.warnings)
        steps = ", ".join(f"{k} {v:.2f}s" for k, v in result.steps.items())
        updated = f" Updated {counted(len(result.written), 'changed file')} only." if result.incremental else ""
        size = ""
        if result.site_bytes is not None and result.site_budget:
            share = result.site_bytes / result.site_budget
            size = (f" Site size {human_bytes(result.site_bytes)}: {'<0.1%' if share < 0.001 else f'{share:.1%}'} of its budget of "
                    f"{human_bytes(result.site_budget)} (max_site_bytes).")
        print(printable(f"Built {result.out}: {counted(sum(output.pages.values()), 'page')} ({pages}), {counted(data, 'data file')}, "
                        f"{counted(warnings, 'warning')}, in {result.seconds:.2f}s ({steps}).{updated}{size}"),
              file=sys.stderr)
