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
    n = result.files
    e, w = len(result.errors), len(result.warnings)
    if not e and not w:
        return f"✓ {n} files checked, no problems."
    return f"{n} files checked: {e} error{'s' * (e != 1)}, {w} warning{'s' * (w != 1)}."


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


@main.command()
@_root_option
@click.argument("kind", type=click.Choice(["project", "strategy", "organisation", "discussion"]))
@click.argument("fiche_id", metavar="ID")
@click.option("--lang", default="en", show_default=True, help="The language you will write the fiche in (its original_language).")
def new(root: Path, kind: str, fiche_id: str, lang: str) -> None:
    """Start a new fiche: writes content/<type>s/ID.yaml with every required field to fill in.

    ID becomes the file name and the page address: lower-case letters, digits and hyphens, e.g. my-project-2024."""
    from .config import load_config
    from .scaffold import new_fiche

    config, problems = load_config(root)
    content_dir = config.content_dir if config else "content"
    try:
        path = new_fiche(root, content_dir, kind, fiche_id, lang)
    except (ValueError, FileExistsError) as exc:
        raise click.UsageError(str(exc)) from None
    click.echo(f"Wrote {path}. Replace every TODO, then run `fichegen check`.")


@main.command()
@_root_option
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=None, help="Folder to write into (default: schemas/).")
@click.option("--check", "verify", is_flag=True, help="Write nothing; exit 1 when schemas/ differs from the models.")
def schema(root: Path, out: Path | None, verify: bool) -> None:
    """Write the JSON Schemas (one per fiche type and vocabulary) that give editors autocompletion."""
    from .schema import all_schemas, write_schemas

    folder = out or root / "schemas"
    if verify:
        stale = [name for name, text in all_schemas().items()
                 if not (folder / name).is_file() or (folder / name).read_text(encoding="utf-8") != text]
        for name in stale:
            click.echo(f"{folder / name} is out of date: run `fichegen schema`", err=True)
        sys.exit(1 if stale else 0)
    for path in write_schemas(folder):
        click.echo(f"wrote {path}")


if __name__ == "__main__":  # pragma: no cover
    main()
