"""The command line: thin wrappers around the pipeline stages."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .diagnostics import FORMATTERS, printable
from .plural import counted


def _cache_option(f):
    return click.option("--no-cache", is_flag=True,
                        help="Read every file again and rebuild every page, ignoring .fichegen-cache/.")(f)


def _cache_dir(root: Path, no_cache: bool) -> Path | None:
    from .cache import CACHE_DIR
    return None if no_cache else root / CACHE_DIR


def _project_root(ctx: click.Context, param: click.Parameter, value: Path | None) -> Path:
    """--root, or the nearest folder holding fichegen.toml from here upwards (as git finds its repository)."""
    from .config import find_project_root

    if value is not None:
        return value
    return find_project_root(Path.cwd()) or Path(".")


def _base_option(f):
    return click.option("--base", "base", default=None, metavar="REF",
                        help="The git revision a pull request goes into (e.g. origin/main): the limits that protect CI "
                             "are read from its fichegen.toml, a pull request raising one is an error, and every file "
                             "changed outside the content folder is flagged for review as code.")(f)


def _echo_err(text: str) -> None:
    click.echo(printable(text), err=True)


def _root_option(f):
    return click.option("--root", type=click.Path(file_okay=False, path_type=Path), default=None, callback=_project_root,
                        help="The folder that holds fichegen.toml (default: the nearest one from here upwards).")(f)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="fichegen")
def main() -> None:
    """fichegen turns YAML fact sheets (fiches) about migration-and-development projects,
    strategies, organisations and discussions into a multilingual website.

    Typical use: `fichegen init my-site` to start a site, `fichegen new project my-project`
    to start a fiche, `fichegen check` to find every mistake in the content, `fichegen serve`
    to preview, `fichegen build` to write the site into site/."""


@main.command()
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path), default=Path("."), required=False)
@click.option("--title", default=None, help="The site's name (default: from the folder's name); change it later in fichegen.toml.")
@click.option("--language", "languages", multiple=True, metavar="LANG",
              help="A language of the site, the first being the default (repeat: --language fr --language en). "
                   "Default: en, fr, es, pt.")
@click.option("--bare", is_flag=True, help="No example fiches: only the starter vocabularies.")
@click.option("--maintainers", default=None, metavar="@ORG/TEAM",
              help="Who reviews changes to the look, the configuration and the workflows (.github/CODEOWNERS).")
def init(folder: Path, title: str | None, languages: tuple[str, ...], bare: bool, maintainers: str | None) -> None:
    """Start a site: write a content repository into FOLDER (default: here) that `fichegen check` and
    `fichegen build` accept at once.

    It holds fichegen.toml, content/ with starter vocabularies and one example fiche of each type,
    schemas/ and VS Code settings for completion, GitHub workflows that check pull requests and publish
    to GitHub Pages, a pre-commit hook, .gitignore, .github/CODEOWNERS and a README for editors.
    Files already there are left as they are."""
    from .load import check_id
    from .scaffold import DEFAULT_MAINTAINERS, ProjectExists, init_project

    bad = [lang for lang in languages if check_id(lang) is not None or not 2 <= len(lang) <= 3]
    if bad:
        raise click.BadParameter(f"{', '.join(bad)} is not a language code such as en or fr", param_hint="--language")
    if maintainers is not None and not all(owner.startswith("@") for owner in maintainers.split()):
        raise click.BadParameter("name a team as @organisation/team or users as @name", param_hint="--maintainers")
    try:
        started = init_project(folder, title, list(dict.fromkeys(languages)) or None, bare, maintainers or DEFAULT_MAINTAINERS)
    except ProjectExists as exc:
        raise click.UsageError(str(exc)) from None
    click.echo(f"Wrote {len(started.written)} files into {folder}" + (f" (left {len(started.kept)} that were there: "
               f"{', '.join(started.kept)})" if started.kept else "") + ".")
    for lang in started.languages_without_ui:
        click.echo(f"The built-in theme has no UI strings in '{lang}': write them in i18n/{lang}.yaml "
                   "(`fichegen check` lists each one missing).", err=True)
    if maintainers is None:
        click.echo(f"Replace {DEFAULT_MAINTAINERS} in .github/CODEOWNERS by the people who review changes to the look.", err=True)
    where = "" if folder == Path(".") else f"cd {folder} && "
    click.echo(f"Next: {where}fichegen build, then fichegen serve to look at the site (http://127.0.0.1:8000/).")


@main.command()
@_root_option
@click.option("--format", "fmt", type=click.Choice(["text", "github", "json"]), default="text", show_default=True,
              help="text for people, github for inline pull-request annotations, json for other tools.")
@click.option("--strict", is_flag=True, help="Treat warnings (such as a related project without a fiche) as errors.")
@click.option("--summary", type=click.Path(dir_okay=False, path_type=Path), envvar="GITHUB_STEP_SUMMARY",
              help="Also append every problem as a Markdown table to this file (GitHub's job summary is used when set); "
                   "it stays within GitHub's 1 MiB, saying how many problems were left out.")
@_base_option
@_cache_option
def check(root: Path, fmt: str, strict: bool, summary: Path | None, base: str | None, no_cache: bool) -> None:
    """Read every fiche and report every problem, with file, line and column.

    Exits with 0 when the content is valid, 1 when there are errors (or warnings with --strict), 2 when
    the command is used wrongly (e.g. a --base revision git does not know)."""
    from .baseline import BaseUnavailable
    from .check import check as run_check

    try:
        result = run_check(root, cache_dir=_cache_dir(root, no_cache), base=base)
    except BaseUnavailable as exc:
        raise click.UsageError(printable(f"--base: {exc}")) from None
    for note in result.notes:
        _echo_err(f"Note: {note}")
    if result.diagnostics:
        click.echo(FORMATTERS[fmt](result.diagnostics))
    if summary and result.diagnostics:
        _append_summary(summary, result)
    if fmt == "text":
        click.echo(_tally(result), err=True)
    sys.exit(0 if result.ok(strict) else 1)


def _append_summary(summary: Path, result) -> None:
    """The problems as a Markdown table at the end of the job summary, within what GitHub keeps of it."""
    from .diagnostics import SUMMARY_LIMIT, format_markdown

    try:
        used = summary.stat().st_size
    except OSError:
        used = 0
    heading = f"## fichegen check: {counted(len(result.errors), 'error')}, {counted(len(result.warnings), 'warning')}\n\n"
    room = SUMMARY_LIMIT - used - len(heading.encode("utf-8")) - 1
    if room < 1024:     # what is left of the step's summary could not hold even a few rows
        return
    with open(summary, "a", encoding="utf-8") as f:
        f.write(heading + format_markdown(result.diagnostics, room) + "\n")


def _tally(result) -> str:
    n = result.files
    e, w = len(result.errors), len(result.warnings)
    accepted = f" ({counted(len(result.accepted), 'intended warning')} accepted)" if result.accepted else ""
    if not e and not w:
        return f"✓ {counted(n, 'file')} checked, no problems{accepted}."
    return f"{counted(n, 'file')} checked: {counted(e, 'error')}, {counted(w, 'warning')}{accepted}."


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
@_base_option
@_cache_option
def build(root: Path, out: Path | None, base_path: str | None, no_search: bool, handbook: bool, quiet: bool, fmt: str,
          base: str | None, no_cache: bool) -> None:
    """Check the content, then write the whole website (every language) into site/.

    Nothing is written when the content has errors, or when the site would pass its size budget
    (max_site_bytes): the previous site stays as it was."""
    from .baseline import BaseUnavailable
    from .build import build as run_build
    from .config import base_path_problem
    from .feedback import BuildFeedback

    if base_path is not None and base_path_problem(base_path):
        raise click.BadParameter(printable(base_path_problem(base_path) or ""), param_hint="--base-path")
    import jinja2

    from .handbook import HandbookError
    from .search import SearchIndexError
    from .serve import problem_from_exception
    from .write import BuildLocked, OutputRefused

    feedback = BuildFeedback(quiet=quiet)
    try:
        with feedback:
            result = run_build(root, out, base_path, search=False if no_search else None, handbook=handbook, progress=feedback.progress,
                               cache_dir=_cache_dir(root, no_cache), base=base)
    except BaseUnavailable as exc:
        raise click.UsageError(printable(f"--base: {exc}")) from None
    except (BuildLocked, OutputRefused) as exc:
        _echo_err(f"Build stopped: {exc}")
        sys.exit(1)
    except OSError as exc:   # a full disk, a folder that cannot be written: the swap never happened
        _echo_err(f"Build failed while writing: {exc}. The previous site was left as it was.")
        sys.exit(1)
    except (jinja2.TemplateError, SearchIndexError, HandbookError) as exc:
        where = f" ({exc.filename or exc.name}, line {exc.lineno})" if isinstance(exc, jinja2.TemplateSyntaxError) else ""
        _echo_err(f"Build failed: {exc}{where}. The previous site was left as it was.")
        sys.exit(1)
    except Exception as exc:   # raised inside a template (a division by zero…): named by its template line
        problem = problem_from_exception(exc, root)
        if problem.code != "template-error":
            raise
        _echo_err(f"Build failed: {problem.message} ({problem.path}, line {problem.line}). "
                  "The previous site was left as it was.")
        sys.exit(1)
    for note in result.check.notes:
        _echo_err(f"Note: {note}")
    if result.check.diagnostics and not (quiet and result.ok):   # --quiet: nothing but errors
        click.echo(FORMATTERS[fmt](result.check.diagnostics), err=not result.ok)
    if not result.ok:
        _echo_err(f"Build stopped: {counted(len(result.check.errors), 'error')}; nothing was written.")
        sys.exit(1)
    feedback.summary(result)


@main.command()
@_root_option
@click.argument("kind", type=click.Choice(["project", "strategy", "organisation", "discussion"]))
@click.argument("fiche_id", metavar="ID")
@click.option("--lang", default="en", show_default=True, help="The language you will write the fiche in (its original_language).")
def new(root: Path, kind: str, fiche_id: str, lang: str) -> None:
    """Start a new fiche: writes content/<type>s/ID.yaml with every required field to fill in.

    Run it anywhere inside a project: the fiche goes in the content folder of the nearest fichegen.toml.
    ID becomes the file name and the page address: lower-case letters, digits and hyphens, e.g. my-project-2024."""
    from .config import CONFIG_FILE, SiteConfig, load_config
    from .scaffold import new_fiche

    if not (root / CONFIG_FILE).is_file():
        raise click.UsageError(f"not inside a fichegen project: no {CONFIG_FILE} in {root.absolute()} or any folder above it. "
                               "Start one with `fichegen init`, or pass --root")
    config, _ = load_config(root)
    content_dir = config.content_dir if config else SiteConfig.model_fields["content_dir"].default
    try:
        path = new_fiche(root, content_dir, kind, fiche_id, lang)
    except (ValueError, FileExistsError) as exc:
        raise click.UsageError(str(exc)) from None
    click.echo(f"Wrote {path}. Replace every TODO, then run `fichegen check`.")
    _refresh_project_schemas(root)


def _refresh_project_schemas(root: Path) -> None:
    """A project whose schemas/ lists its ids (written by `fichegen schema`) gets them again with the new id, so
    the editor offers it and `check` does not call them stale; the content-independent ones stay as they are."""
    from .check import check as run_check
    from .schema import FOLDER, all_schemas, stale_schemas, write_schemas

    folder = root / FOLDER
    if not folder.is_dir() or not stale_schemas(folder, all_schemas()):   # none, or the shipped ones
        return
    choices = run_check(root).choices
    if choices is not None and stale_schemas(folder, all_schemas(choices)):
        write_schemas(folder, choices)
        click.echo(f"Updated {FOLDER}/ with the new id: commit it with the fiche.")


@main.command()
@_root_option
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=None, help="Folder to write into (default: schemas/).")
@click.option("--check", "verify", is_flag=True, help="Write nothing; exit 1 when the schemas differ from the models and the content.")
@click.option("--generic", is_flag=True,
              help="Content-independent schemas (ids checked by their form, as shipped with fichegen), not the project's.")
def schema(root: Path, out: Path | None, verify: bool, generic: bool) -> None:
    """Write the JSON Schemas (one per fiche type and vocabulary) that give editors completion and checking.

    Inside a project they list its vocabulary terms and the ids of its organisations, strategies and projects,
    with their names; run it again after adding or renaming a fiche or a term (`fichegen check` says when)."""
    from .config import CONFIG_FILE
    from .schema import FOLDER, all_schemas, write_schemas

    choices = None
    if not generic:
        if not (root / CONFIG_FILE).is_file():
            raise click.UsageError(f"not inside a fichegen project: no {CONFIG_FILE} in {root.absolute()} or above. "
                                   "Pass --root, or --generic for content-independent schemas")
        from .check import check as run_check
        result = run_check(root)
        if result.choices is None:
            click.echo(FORMATTERS["text"](result.diagnostics), err=True)
            sys.exit(1)
        choices = result.choices
    folder = out or root / FOLDER
    if verify:
        stale = [name for name, text in all_schemas(choices).items()
                 if not (folder / name).is_file() or (folder / name).read_text(encoding="utf-8") != text]
        for name in stale:
            click.echo(f"{folder / name} is out of date: run `fichegen schema{' --generic' if generic else ''}`", err=True)
        sys.exit(1 if stale else 0)
    for path in write_schemas(folder, choices):
        click.echo(f"wrote {path}")


@main.command()
@_root_option
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="The built site to check (default: output_dir from fichegen.toml, usually site/).")
@click.option("--base-path", default=None, metavar="/REPO/",
              help="The base path the site was built with (default: base_path from fichegen.toml).")
@click.option("--format", "fmt", type=click.Choice(["text", "github", "json"]), default="text", show_default=True,
              help="text for people, github for pull-request annotations, json for other tools.")
@click.option("--summary", type=click.Path(dir_okay=False, path_type=Path), envvar="GITHUB_STEP_SUMMARY",
              help="Also append broken links as a Markdown table to this file (GitHub's job summary is used when set).")
def links(root: Path, out: Path | None, base_path: str | None, fmt: str, summary: Path | None) -> None:
    """Check that every internal link of the built site leads to a page, file or #anchor in it.

    Run it after `fichegen build`. Exits with 0 when every link resolves, 1 when some are broken."""
    from . import linkcheck
    from .config import SiteConfig, load_config

    config, _ = load_config(root)
    out = out if out is not None else root / (config.output_dir if config else SiteConfig.model_fields["output_dir"].default)
    if not out.is_dir():
        raise click.UsageError(f"{out} is not a folder: build the site first (fichegen build --out {out})")
    from .config import base_path_problem
    if base_path is not None and base_path_problem(base_path):
        raise click.BadParameter(printable(base_path_problem(base_path) or ""), param_hint="--base-path")
    report = linkcheck.check_links(out, base_path or (config.base_path if config else "/"), config.base_url if config else None)
    if report.broken and config is not None:   # name the fiche (and field) a broken link is written in, once
        from .check import check as run_check
        from .link import KINDS
        from .written_links import links_by_address

        graph = run_check(root, config).graph
        if graph is not None:
            sources = {(ref.kind, ref.id): source.rel for ref, source in graph.sources.items() if ref.kind in KINDS}
            report = linkcheck.trace_to_fiches(report, links_by_address(graph, {}), sources)
    if fmt == "json":
        click.echo(linkcheck.format_json(report))
    elif not report.ok:   # addresses come from the pages, and so from fiches: shown line by line, escaped
        text = linkcheck.format_github(report, out.as_posix()) if fmt == "github" else linkcheck.format_text(report)
        click.echo("\n".join(printable(line) for line in text.split("\n")))
    if summary and not report.ok:
        with open(summary, "a", encoding="utf-8") as f:
            f.write(f"## fichegen links: {counted(report.count, 'broken link')}\n\n{linkcheck.format_markdown(report)}\n")
    if fmt == "text":
        n = report.count
        checked = f"{counted(report.links, 'link')} in {counted(report.files, 'file')} checked"
        click.echo(f"✓ {checked}, none broken." if not n else f"{checked}: {n} broken.", err=True)
    sys.exit(0 if report.ok else 1)


@main.command()
@_root_option
@click.option("--lang", "langs", multiple=True, metavar="LANG",
              help="Only this language (repeat for several). Required with --stamp.")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "markdown"]), default="text", show_default=True,
              help="text for people, json for tools, markdown for a CI job summary.")
@click.option("--stamp", "stamp", type=click.Path(dir_okay=False, path_type=Path), default=None, metavar="FILE",
              help="Record that the --lang translations of this fiche are now up to date with its original texts.")
@click.option("--field", "fields", multiple=True, metavar="FIELD",
              help="With --stamp: confirm only this field (e.g. summary, objectives[2]); repeat for several.")
def translations(root: Path, langs: tuple[str, ...], fmt: str, stamp: Path | None, fields: tuple[str, ...]) -> None:
    """Show which texts of each fiche are translated, missing or stale in each language, and the UI strings.

    A translation is stale when its original text changed after a translator stamped it. After updating the
    French texts of a fiche, record it with:

        fichegen translations --stamp content/projects/my-project.yaml --lang fr"""
    from .translations import FORMATS, StampError, stamp_file, translation_report

    if stamp is not None:
        if not langs:
            raise click.UsageError("say which translations you updated: --lang fr (repeat --lang for several)")
        try:
            result = stamp_file(root, stamp, list(langs), list(fields) or None)
        except StampError as exc:
            click.echo(f"Not stamped: {exc}", err=True)
            sys.exit(1)
        counts = ", ".join(f"{lang}: {counted(n, 'text')}" for lang, n in result.counts.items())
        click.echo(f"{'Stamped' if result.changed else 'Already up to date:'} {stamp} ({counts}).")
        return
    if fields:
        raise click.UsageError("--field only goes with --stamp")
    from .check import check as run_check
    from .i18n import load_catalogues
    from .load import LoadError
    from .overrides import Theme

    result = run_check(root)
    if result.config is None or result.graph is None:
        click.echo(FORMATTERS["text"](result.diagnostics), err=True)
        sys.exit(1)
    unknown = [l for l in langs if l not in result.config.languages]
    if unknown:
        raise click.BadParameter(f"{', '.join(unknown)} is not a site language ({', '.join(result.config.languages)})", param_hint="--lang")
    if result.errors:
        click.echo(f"Note: the content has {counted(len(result.errors), 'error')} (see `fichegen check`); fiches with errors may be missing.", err=True)
    try:
        catalogues = load_catalogues(result.theme or Theme.of(root), result.config.languages)
    except LoadError:
        catalogues = {}
    report = translation_report(result.graph, catalogues, list(langs) or None)
    click.echo(FORMATS[fmt](report))


@main.command()
@_root_option
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True,
              help="The port to listen on (on this computer only, 127.0.0.1); 0 picks a free one.")
@click.option("--search", is_flag=True, help="Also build the search index, once at the start (it does not follow edits).")
@click.option("--editor", is_flag=True,
              help="Also serve the web editor at /admin/, saving into the files of this computer (no GitHub needed).")
def serve(root: Path, port: int, search: bool, editor: bool) -> None:
    """Preview the site while you edit: http://127.0.0.1:8000/ follows every save and reloads.

    Watches content/, templates/, static/, i18n/ and fichegen.toml. Only the saved file is read again and only the
    pages that show what changed are made again. When an edit makes a fiche invalid, the pages that show it keep
    its last valid version with the problems (file and line) over them, and /__fichegen/problems lists every
    problem; the rest of the site keeps working. The site is held in memory: site/ is left alone. With --editor,
    the web editor at http://127.0.0.1:8000/admin/ saves into content/."""
    from .serve import run

    run(root, port, search, lambda line: click.echo(printable(line)), editor)   # names and messages may hold any character


if __name__ == "__main__":  # pragma: no cover
    main()
