"""Theme overrides: a project's templates/, static/ and i18n/ come before the built-in theme's, file by file
(templates, static files) and string by string (UI catalogues), like Hugo's and Zola's lookup order.

These folders arrive in pull requests, so they are read as untrusted input: a symbolic link that leaves its
folder (or loops) is reported and never followed, only regular files are read, hidden files are ignored, and
project templates are rendered in Jinja's sandbox (render/environment.py). `check` reports what would be
surprising: a template or UI string that overrides nothing, a template that does not parse, the theme/
folder and `theme_dir` setting of fichegen 0.1, whose whole-theme replacement is gone.
"""

from __future__ import annotations

import difflib
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

import jinja2
import jinja2.meta

from .config import CONFIG_FILE, SiteConfig
from .diagnostics import Diagnostic, Severity

#: The theme shipped inside the package: templates/, static/ and i18n/.
BUILTIN_THEME = Path(__file__).resolve().parent / "theme"
TEMPLATES, STATIC, I18N = "templates", "static", "i18n"
OVERRIDE_FOLDERS = (TEMPLATES, STATIC, I18N)
#: A project template extends or includes the built-in version of a template under this prefix: "theme/base.html".
BUILTIN_PREFIX = "theme"
#: The folder of fichegen 0.1 that replaced the whole theme; now an error with a migration hint.
OLD_THEME_FOLDER = "theme"
_WARNING = Severity.warning


@dataclass
class ProjectFiles:
    """The files of one project folder that may be read: path inside the folder (posix) → file."""

    files: dict[str, Path] = field(default_factory=dict)
    problems: list[Diagnostic] = field(default_factory=list)


def project_files(root: Path, folder: str) -> ProjectFiles:
    """Every regular, non-hidden file under `root/folder`, without following a link that leaves the folder."""
    found = ProjectFiles()
    base = root / folder
    if base.is_symlink():
        found.problems.append(Diagnostic(folder, 1, 1, "symlink-outside", f"{folder}/ is a symbolic link, which is not followed",
                                         f"make {folder}/ a real folder holding real files"))
        return found
    if not base.is_dir():
        return found
    real = base.resolve()
    for dirpath, dirnames, filenames in os.walk(base, followlinks=False):
        here = Path(dirpath)
        rel_dir = here.relative_to(base).as_posix()
        prefix = "" if rel_dir == "." else rel_dir + "/"
        for name in sorted(dirnames):
            if name.startswith(".") or (here / name).is_symlink():
                dirnames.remove(name)
                if not name.startswith("."):
                    found.problems.append(Diagnostic(f"{folder}/{prefix}{name}", 1, 1, "symlink-outside",
                                                     "symbolic links to folders are not followed", f"copy the files into {folder}/ instead"))
        dirnames.sort()
        for name in sorted(filenames):
            if name.startswith("."):
                continue
            path, rel = here / name, prefix + name
            shown = f"{folder}/{rel}"
            if path.is_symlink():
                try:
                    target = path.resolve(strict=True)
                except (OSError, RuntimeError):   # a loop, or a link to nothing
                    found.problems.append(Diagnostic(shown, 1, 1, "symlink-outside", "this symbolic link loops or leads nowhere and is ignored",
                                                     "replace it with the file itself"))
                    continue
                if not target.is_relative_to(real):
                    found.problems.append(Diagnostic(shown, 1, 1, "symlink-outside",
                                                     f"this symbolic link points outside {folder}/ and is never read",
                                                     f"copy the file into {folder}/ instead of linking to it"))
                    continue
            try:
                mode = path.stat().st_mode
            except OSError:
                continue
            if not stat.S_ISREG(mode):   # a FIFO would block the build, a device never end
                found.problems.append(Diagnostic(shown, 1, 1, "special-file", "this is not a regular file and is not read",
                                                 "replace it with a plain file, or delete it"))
                continue
            found.files[rel] = path
    return found


@dataclass
class Theme:
    """The look of one project: its own templates, static files and UI catalogues before the built-in theme's."""

    root: Path | None = None                                   # the project; None: the built-in theme alone
    templates: dict[str, Path] = field(default_factory=dict)   # the project's templates by name
    static: dict[str, Path] = field(default_factory=dict)      # the project's static files by path
    catalogues: dict[str, Path] = field(default_factory=dict)  # the project's i18n/<lang>.yaml by language
    problems: list[Diagnostic] = field(default_factory=list)   # links refused, special files, misplaced catalogues
    builtin: Path = BUILTIN_THEME

    @classmethod
    def of(cls, root: Path) -> "Theme":
        """The theme of the project at `root`, its folders read once."""
        root = Path(root)
        templates, static, i18n = (project_files(root, folder) for folder in OVERRIDE_FOLDERS)
        theme = cls(root, templates.files, static.files, problems=templates.problems + static.problems + i18n.problems)
        for rel, path in i18n.files.items():
            if "/" not in rel and rel.endswith(".yaml"):
                theme.catalogues[rel.removesuffix(".yaml")] = path
            else:
                theme.problems.append(Diagnostic(f"{I18N}/{rel}", 1, 1, "ui-string-unknown", "this file is not a UI catalogue and is not read",
                                                 f"UI strings go in {I18N}/LANG.yaml, e.g. {I18N}/fr.yaml", severity=_WARNING))
        return theme

    @property
    def has_own_templates(self) -> bool:
        return bool(self.templates)

    def builtin_templates(self) -> list[str]:
        folder = self.builtin / TEMPLATES
        return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())

    def static_files(self) -> dict[str, Path]:
        """Every file published under static/: the built-in ones, each replaced by the project's file of the same path."""
        folder = self.builtin / STATIC
        files = {p.relative_to(folder).as_posix(): p for p in sorted(folder.rglob("*")) if p.is_file()}
        files.update(self.static)
        return dict(sorted(files.items()))

    def catalogue_files(self, lang: str) -> list[Path]:
        """The catalogues of `lang`, built-in first: a project string replaces the built-in one of the same key."""
        builtin = self.builtin / I18N / f"{lang}.yaml"
        return [p for p in (builtin if builtin.is_file() else None, self.catalogues.get(lang)) if p is not None]

    def shown(self, path: Path) -> str:
        """A theme file as named in diagnostics: relative to the project, or inside the built-in theme."""
        if self.root is not None and path.is_relative_to(self.root):
            return path.relative_to(self.root).as_posix()
        if path.is_relative_to(self.builtin):
            return "(built-in theme)/" + path.relative_to(self.builtin).as_posix()
        return path.as_posix()

    def files(self) -> list[tuple[str, Path]]:
        """Every file the look depends on, named: what an incremental build hashes."""
        named = [(f"builtin/{p.relative_to(self.builtin).as_posix()}", p) for p in sorted(self.builtin.rglob("*")) if p.is_file()]
        for folder, files in ((TEMPLATES, self.templates), (STATIC, self.static), (I18N, {f"{k}.yaml": v for k, v in self.catalogues.items()})):
            named += [(f"project/{folder}/{rel}", path) for rel, path in sorted(files.items())]
        return named




def _closest(name: str, names: list[str]) -> str:
    close = difflib.get_close_matches(name, names, n=1, cutoff=0.6)
    return f"did you mean '{close[0]}'? " if close else ""


def check_templates(theme: Theme) -> list[Diagnostic]:
    """A project template must parse, and override a built-in template or be used by another project template."""
    out: list[Diagnostic] = []
    builtin = theme.builtin_templates()
    parser = jinja2.Environment()
    referenced: set[str] = set()
    parsed: dict[str, jinja2.nodes.Template] = {}
    for name, path in theme.templates.items():
        shown = f"{TEMPLATES}/{name}"
        try:
            source = path.read_text(encoding="utf-8")
            parsed[name] = parser.parse(source, name, shown)
        except UnicodeDecodeError:
            out.append(Diagnostic(shown, 1, 1, "not-utf8", "this template is not UTF-8", "save it with UTF-8 encoding"))
        except jinja2.TemplateSyntaxError as exc:
            out.append(Diagnostic(shown, exc.lineno or 1, 1, "template-syntax", f"template syntax error: {exc.message}",
                                  "fix the Jinja syntax at this line; the handbook's page on changing the look lists each template's blocks"))
    for tree in parsed.values():
        referenced.update(n for n in jinja2.meta.find_referenced_templates(tree) if n)
    for name in sorted(theme.templates):
        if name.split("/")[0] == BUILTIN_PREFIX:
            out.append(Diagnostic(f"{TEMPLATES}/{name}", 1, 1, "template-unused",
                                  f"templates whose name starts with '{BUILTIN_PREFIX}/' are never read: that name means the built-in templates",
                                  f"move it to {TEMPLATES}/{name.split('/', 1)[1]} to override the built-in template", severity=_WARNING))
        elif name not in builtin and name not in referenced:
            out.append(Diagnostic(f"{TEMPLATES}/{name}", 1, 1, "template-unused",
                                  f"'{name}' overrides no built-in template and no project template uses it",
                                  f"{_closest(name, builtin)}a template replaces the built-in one of the same name: "
                                  f"{', '.join(builtin)}", severity=_WARNING))
    return out


def check_old_theme(root: Path, config: SiteConfig) -> list[Diagnostic]:
    """fichegen 0.1's theme/ folder replaced the whole theme; its files now go in templates/, static/ and i18n/."""
    old = root / OLD_THEME_FOLDER
    if not old.is_dir() or old.is_symlink() or not any((old / f).exists() for f in OVERRIDE_FOLDERS):
        return []
    return [Diagnostic(f"{OLD_THEME_FOLDER}/", 1, 1, "theme-folder",
                       "a theme/ folder is no longer read: fichegen now takes a project's templates/, static/ and i18n/ "
                       "file by file before its built-in theme",
                       "move theme/templates/X.html to templates/X.html, theme/static/ to static/ and theme/i18n/ to i18n/, "
                       "keep only the files and strings you changed, then delete theme/; `fichegen check` names any that "
                       "override nothing")]


def check_assets(root: Path, config: SiteConfig, theme: Theme) -> list[Diagnostic]:
    """extra_css, extra_js and logo name files of static/ (the project's or the built-in theme's)."""
    available = theme.static_files()
    text = (root / CONFIG_FILE).read_text(encoding="utf-8", errors="replace") if (root / CONFIG_FILE).is_file() else ""
    out = []
    for key, names in (("extra_css", config.extra_css), ("extra_js", config.extra_js), ("logo", [config.logo] if config.logo else [])):
        for name in names:
            if name not in available:
                line = next((n for n, l in enumerate(text.splitlines(), 1) if l.lstrip().startswith(key)), 1)
                out.append(Diagnostic(CONFIG_FILE, line, 1, "config", f"{key}: '{name}' is not a file of static/",
                                      f"{_closest(name, list(available))}put the file in static/{name}, or correct the name"))
    return out


#: A project's own handbook pages, beside fichegen.toml: Markdown only (handbook/__init__.py builds them).
HANDBOOK_PAGES = "handbook"


def handbook_pages(root: Path) -> tuple[dict[str, Path], list[Diagnostic]]:
    """The project's Markdown pages in handbook/ (path inside it → file); links that leave it are refused,
    other files are named: the handbook takes Markdown only."""
    found = project_files(Path(root), HANDBOOK_PAGES)
    pages = {rel: path for rel, path in found.files.items() if rel.endswith(".md")}
    problems = found.problems + [
        Diagnostic(f"{HANDBOOK_PAGES}/{rel}", 1, 1, "wrong-folder", "only Markdown pages (.md) of handbook/ go into the handbook",
                   "write the page in Markdown, or move the file out of handbook/", _WARNING)
        for rel in found.files if not rel.endswith(".md")]
    return pages, problems


def check_theme(root: Path, config: SiteConfig, theme: Theme) -> list[Diagnostic]:
    """What `check` verifies about the look besides the UI strings (i18n.check_catalogues): the files read,
    the templates, the assets, the old theme folder, the project's handbook pages."""
    return (theme.problems + check_old_theme(root, config) + check_templates(theme) + check_assets(root, config, theme)
            + handbook_pages(root)[1])
