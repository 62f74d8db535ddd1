"""The command line: thin wrappers around the pipeline stages."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .diagnostics import FORMATTERS


def _root_option(f):
    return click.option("--root", type=click.Path(file_okay=False, path_type=Path), default=Path("."), show_default=True,
                        help="The folder that holds fichegen.toml.")(f)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="fichegen")
def main() -> None:
    """fichegen turns YAML fact sheets (fiches) about migration-and-development projects,
    strategies, organisations and discussions into a multilingual website.

    Typical use: `fichegen new project my-project` to start a fiche, `fichegen check` to
    find every mistake in the content, `fichegen serve` to preview, `fichegen build` to
    write the site into site/."""


@main.command()
@_root_option
@click.option("--format", "fmt", type=click.Choice(["text", "github", "json"]), default="text", show_default=True,
              help="text for people, github for inline pull-request annotations, json for other tools.")
@click.option("--strict", is_flag=True, help="Treat warnings (such as a related project without a fiche) as errors.")
@click.option("--summary", type=click.Path(dir_okay=False, path_type=Path), envvar="GITHUB_STEP_SUMMARY",
              help="Also append every problem as a Markdown table to this file (GitHub's job summary is used when set).")
def check(root: Path, fmt: str, strict: bool, summary: Path | None) -> None:
    """Read every fiche and report every problem, with file, line and column.

    Exits with 0 when the content is valid, 1 when there are errors (or warnings with --strict)."""
    from .check import check as run_check
    from .diagnostics import format_markdown

    result = run_check(root)
    if result.diagnostics:
        click.echo(FORMATTERS[fmt](result.diagnostics))
    if summary and result.diagnostics:
        with open(summary, "a", encoding="utf-8") as f:
            f.write(f"## fichegen check: {len(result.errors)} errors, {len(result.warnings)} warnings\n\n")
            f.write(format_markdown(result.diagnostics) + "\n")
    if fmt == "text":
        click.echo(_tally(result), err=True)
    sys.exit(0 if result.ok(strict) else 1)


def _tally(result) -> str:
    n = len(result.graph.sources) if result.graph else 0
    e, w = len(result.errors), len(result.warnings)
    if not e and not w:
        return f"✓ {n} fiches checked, no problems."
    return f"{n} fiches checked: {e} error{'s' * (e != 1)}, {w} warning{'s' * (w != 1)}."


if __name__ == "__main__":  # pragma: no cover
    main()
