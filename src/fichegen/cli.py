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


@main.command()
@_root_option
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Where to write the site (default: output_dir from fichegen.toml, usually site/).")
@click.option("--base-path", default=None, metavar="/REPO/",
              help="Publish under a sub-folder of the host, e.g. /my-repo/ for GitHub project pages.")
@click.option("--no-search", is_flag=True, help="Skip the search index (faster previews).")
@click.option("--handbook/--no-handbook", default=False, help="Also build the editors' handbook into site/handbook/.")
@click.option("--quiet", "-q", is_flag=True, help="Print nothing but errors.")
@click.option("--format", "fmt", type=click.Choice(["text", "github", "json"]), default="text", show_default=True,
              help="How to print problems found in the content.")
def build(root: Path, out: Path | None, base_path: str | None, no_search: bool, handbook: bool, quiet: bool, fmt: str) -> None:
    """Check the content, then write the whole website (every language) into site/.

    Nothing is written when the content has errors: the previous site stays as it was."""
    from .build import build as run_build
    from .feedback import BuildFeedback

    if base_path is not None and not (base_path.startswith("/") and base_path.endswith("/")):
        raise click.BadParameter("the base path starts and ends with a slash, e.g. /my-repo/", param_hint="--base-path")
    feedback = BuildFeedback(quiet=quiet)
    with feedback:
        result = run_build(root, out, base_path, search=False if no_search else None, handbook=handbook, progress=feedback.progress)
    if result.check.diagnostics:
        click.echo(FORMATTERS[fmt](result.check.diagnostics), err=not result.ok)
    if not result.ok:
        click.echo(f"Build stopped: {len(result.check.errors)} error(s); nothing was written.", err=True)
        sys.exit(1)
    feedback.summary(result)


if __name__ == "__main__":  # pragma: no cover
    main()
