"""The site configuration, `fichegen.toml` at the project root, as a typed model."""

from __future__ import annotations

import os
import re
import tomllib
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Annotated

from babel import Locale, UnknownLocaleError
from pydantic import (AfterValidator, BaseModel, ConfigDict, Field, StringConstraints, ValidationError, ValidationInfo, field_validator,
                      model_validator)

from .diagnostics import Diagnostic
from .models.common import Day, LanguageCode, LocalizedText, WebUrl

CONFIG_FILE = "fichegen.toml"
#: Settings of earlier versions that are gone, with what to do instead.
REMOVED_KEYS = {
    "theme_dir": "fichegen no longer replaces its whole theme: put the templates, static files and UI strings you "
                 "change in templates/, static/ and i18n/ beside fichegen.toml (each overrides the built-in file or "
                 "string of the same name), then remove theme_dir",
}
#: Limits that protect the build machine. A pull request may lower them in its own fichegen.toml, but a raise
#: only counts once it is on the base branch: `fichegen check --base REF` applies the base's values (baseline.py).
PROTECTED_LIMITS = ("max_file_bytes", "max_depth", "max_pages_per_fiche", "max_site_bytes")


def _known_locale(value: str) -> str:
    if not has_locale_data(value):
        raise ValueError(f"'{value}' is not a locale CLDR has data for: use a code such as 'pt' or 'pt_PT'")
    return value


class Licence(BaseModel):
    """The licence under which the open data files are published."""

    model_config = ConfigDict(extra="forbid", use_attribute_docstrings=True)
    name: Annotated[str, StringConstraints(min_length=1, max_length=200)] = "CC BY 4.0"
    """Short name of the licence."""
    url: WebUrl = "https://creativecommons.org/licenses/by/4.0/"
    """Where its text can be read."""


#: A file of static/ (the project's or the theme's), named by its path inside it: brand.css, img/logo.svg.
StaticFile = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_][A-Za-z0-9._-]*(/[A-Za-z0-9_][A-Za-z0-9._-]*)*$",
                                              max_length=200)]


class EditorSettings(BaseModel):
    """The web editor at /admin/ (Decap CMS): where it opens pull requests. See the handbook's page on the editor."""

    model_config = ConfigDict(extra="forbid", use_attribute_docstrings=True)
    enabled: bool = True
    """Write the editor into the site at /admin/; false leaves it out (`fichegen serve --editor` still works)."""
    repository: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$")] | None = None
    """The GitHub repository the content lives in, as owner/name; the published editor cannot sign in until it is set."""
    branch: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9._/-]+$", max_length=200)] = "main"
    """The branch pull requests are opened against."""
    open_authoring: bool = True
    """Let people without write access propose changes: the editor forks the repository for them and opens the pull request from the fork."""
    auth_base_url: WebUrl | None = None
    """The OAuth proxy that signs editors in with GitHub (e.g. https://auth.example.org); Netlify's when absent."""
    auth_endpoint: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9._/-]+$", max_length=200)] = "auth"
    """The path of the sign-in endpoint on that proxy."""


class AcceptedWarning(BaseModel):
    """A warning the maintainers have looked at and accept, so that `check --strict` passes on it."""

    model_config = ConfigDict(extra="forbid", use_attribute_docstrings=True)
    code: Annotated[str, StringConstraints(pattern=r"^[a-z0-9-]+$")]
    """The warning's code, e.g. unlinked-project."""
    file: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9._/-]+$", max_length=300)]
    """The file it is reported in, as `check` names it, e.g. content/projects/migravalue.yaml."""
    reason: Annotated[str, StringConstraints(min_length=1, max_length=500)] | None = None
    """Why it is accepted, for the next maintainer."""


class SiteConfig(BaseModel):
    """fichegen.toml: every key is optional except the title."""

    model_config = ConfigDict(extra="forbid", use_attribute_docstrings=True)

    title: LocalizedText
    """The site's name in each language, e.g. title = { en = "Migration and development", fr = "…" }."""
    tagline: LocalizedText | None = None
    """One line under the title, in each language."""
    languages: list[LanguageCode] = ["en", "fr", "es", "pt"]
    """The languages the site is built in; each gets its own pages under /<lang>/."""
    default_language: LanguageCode = "en"
    """The language of the x-default alternate and of vocabulary labels that must exist."""
    locales: dict[LanguageCode, Annotated[str, StringConstraints(pattern=r"^[a-z]{2,3}(_[A-Za-z0-9]+)*$"),
                                          AfterValidator(_known_locale)]] = {}
    """The CLDR locale that formats dates, numbers, money and names for a language, when the bare code is not the
    one you want: CLDR's `pt` is Brazilian Portuguese, so a European site sets locales = { pt = "pt_PT" }."""
    fallback: list[LanguageCode] = ["en", "fr", "es", "pt"]
    """When a text is missing in a page's language, the languages tried next, in this order."""
    base_url: Annotated[str, StringConstraints(pattern=r"^https?://[^\s]+$")] = "http://localhost:8000"
    """The address the site is published at, without the base path: https://example.org."""
    base_path: Annotated[str, StringConstraints(pattern=r"^/([A-Za-z0-9._~-]+/)*$")] = "/"
    """The folder the site lives in on that host, with slashes: / or /my-repo/ (GitHub project pages)."""
    content_dir: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9._-]+$")] = "content"
    """The folder holding the fiches, relative to fichegen.toml."""
    output_dir: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9._-]+$")] = "site"
    """The folder the site is built into, relative to fichegen.toml."""
    extra_css: list[StaticFile] = []
    """Stylesheets of your own, loaded after the theme's on every page: paths inside static/, e.g. ["brand.css"]
    for static/brand.css. Later rules win, so one file can change colours or fonts without copying the theme."""
    extra_js: list[StaticFile] = []
    """Scripts of your own, loaded (deferred) on every page: paths inside static/, e.g. ["analytics.js"]. Pages
    allow scripts from the site itself only, never inline ones."""
    logo: StaticFile | None = None
    """An image shown before the site title in every page's header: a path inside static/, e.g. "logo.svg"."""
    data_licence: Licence = Licence()
    """The licence of the open data downloads."""
    build_date: Day | None = None
    """The date statuses are derived against; today (or SOURCE_DATE_EPOCH) when absent."""
    max_file_bytes: Annotated[int, Field(ge=1024, le=64 * 1024 * 1024)] = 1024 * 1024
    """The largest fiche file accepted, in bytes."""
    max_depth: Annotated[int, Field(ge=4, le=100)] = 20
    """The deepest nesting of lists and mappings accepted in a fiche."""
    max_pages_per_fiche: Annotated[int, Field(ge=1, le=1_000_000)] = 500
    """The most pages one fiche may bring into the site: its own page and one page per term it is listed under
    (country, theme, programme, target group, region, year, status, organisation type), in every language.
    Checked by `fichegen check`."""
    max_site_bytes: Annotated[int, Field(ge=1_000_000, le=10 ** 13)] = 8_000_000_000
    """The largest site `fichegen build` writes, in bytes (8 GB by default; GitHub Pages publishes at most 1 GB).
    A build that would pass it stops before the new site replaces the previous one."""
    search: bool = True
    """Build the Pagefind search index."""
    accept_warnings: list[AcceptedWarning] = []
    """Warnings accepted as intended, each by its code and file: `check --strict` then passes on them (a comment
    `# fichegen: accept CODE` on the warning's line or the line above it does the same, inside the fiche)."""
    iati_reporting_org_ref: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][^\s/&|?]{2,199}$")] | None = None
    """The publisher's IATI organisation identifier (e.g. GB-COH-01234567), reporting-org of data/iati-activities.xml and
    prefix of every iati-identifier (<ref>-<project id>). Until it is set the file says XX-FICHEGEN-NOT-SET, a placeholder
    that must not be published to the IATI Registry."""
    iati_reporting_org_name: LocalizedText | None = None
    """The publisher's name in each language, for the IATI reporting-org; the site title when absent."""
    iati_reporting_org_type: Annotated[str, StringConstraints(pattern=r"^[0-9]{2}$")] = "90"
    """The publisher's IATI OrganisationType code: 10 government, 11 local government, 15 other public sector,
    21/22/23 international/national/regional NGO, 40 multilateral, 80 academic, training and research, 90 other."""
    editor: EditorSettings = EditorSettings()
    """The web editor at /admin/: whether the build writes it, and the GitHub repository it opens pull requests on."""

    # fichegen.toml comes in pull requests too: output_dir = "." or ".git" would have the build replace the whole
    # checkout or its history, and a content folder outside the project would publish other files.
    @field_validator("content_dir", "output_dir")
    @classmethod
    def _plain_folder(cls, value: str, info: ValidationInfo) -> str:
        if value.startswith("."):
            raise ValueError(f"'{value}' names the project folder, its parent or a hidden folder; give a plain folder name such as 'site'")
        if info.field_name == "output_dir" and value == info.data.get("content_dir"):
            raise ValueError("output_dir is the content folder: the build would replace the content")
        return value

    @field_validator("base_path")
    @classmethod
    def _plain_base_path(cls, value: str) -> str:
        problem = base_path_problem(value)
        if problem:
            raise ValueError(problem)
        return value

    @model_validator(mode="after")
    def _languages_consistent(self):
        if self.default_language not in self.languages:
            raise ValueError(f"default_language '{self.default_language}' is not in languages")
        if self.default_language not in self.title:
            raise ValueError(f"title has no text in the default language '{self.default_language}'")
        if len(set(self.languages)) != len(self.languages):
            raise ValueError("languages lists a language twice")
        return self

    def locale_problems(self) -> list[tuple[tuple, str]]:
        """(where, why) for each site language whose locale CLDR has no data for: its pages could not be made."""
        return [(("languages",), f"languages: CLDR has no data to format dates, numbers and names in '{lang}': "
                                 f"choose another language, or give it a locale with data in `locales`")
                for lang in self.languages if lang not in self.locales and not has_locale_data(lang)]

    def today(self) -> date:
        if self.build_date:
            return self.build_date
        epoch = os.environ.get("SOURCE_DATE_EPOCH")
        if epoch and epoch.isdigit():
            return datetime.fromtimestamp(int(epoch), tz=timezone.utc).date()
        return date.today()

    def chain(self, lang: str) -> list[str]:
        """The order in which languages are tried for a page in `lang`."""
        order = [lang] + [l for l in self.fallback if l != lang]
        return order + [l for l in self.languages if l not in order]


def find_project_root(start: Path) -> Path | None:
    """The nearest folder holding fichegen.toml: `start` or one of its parents, as git finds its repository."""
    start = Path(start).absolute()
    return next((folder for folder in (start, *start.parents) if (folder / CONFIG_FILE).is_file()), None)


def has_locale_data(locale: str) -> bool:
    """Whether Babel has CLDR data for `locale` (the pages of a language are formatted with it)."""
    try:
        Locale.parse(locale)
    except (UnknownLocaleError, ValueError, TypeError):
        return False
    return True


def base_path_problem(value: str) -> str | None:
    """Why `value` cannot be a base path (config or --base-path), or None."""
    if not re.fullmatch(r"/([A-Za-z0-9._~-]+/)*", value):
        return f"'{value}' is not a base path: it starts and ends with a slash, e.g. / or /my-repo/"
    if any(part in (".", "..") for part in value.strip("/").split("/")):
        return f"'{value}' climbs out of the site with '.' or '..': give the folder's name, e.g. /my-repo/"
    return None


def load_config(root: Path) -> tuple[SiteConfig | None, list[Diagnostic]]:
    path = root / CONFIG_FILE
    if not path.is_file():
        return None, [Diagnostic(CONFIG_FILE, 1, 1, "config", f"no {CONFIG_FILE} in {root}",
                                 "run fichegen in the folder that holds fichegen.toml, or pass --root")]
    return parse_config(path.read_bytes().decode("utf-8", errors="replace"))


def parse_config(text: str) -> tuple[SiteConfig | None, list[Diagnostic]]:
    """The configuration in `text` (a fichegen.toml), or None and every problem at its line."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        line = getattr(exc, "lineno", 1) or 1
        col = getattr(exc, "colno", 1) or 1
        return None, [Diagnostic(CONFIG_FILE, line, col, "config", f"TOML syntax error: {exc.msg if hasattr(exc, 'msg') else exc}",
                                 "check the line: texts in double quotes, lists in [ ], texts per language in { }")]
    removed = [Diagnostic(CONFIG_FILE, key_line(text, (key,)), 1, "config", f"{key} is no longer a setting", hint)
               for key, hint in REMOVED_KEYS.items() if key in data]
    if removed:
        return None, removed
    try:
        config = SiteConfig.model_validate(data)
    except ValidationError as exc:
        out = []
        for err in exc.errors():
            loc = ".".join(str(p) for p in err["loc"]) or "(top level)"
            line = key_line(text, err["loc"])
            hint = "see the configuration reference in the handbook" if err["type"] != "extra_forbidden" else \
                f"known keys: {', '.join(sorted(SiteConfig.model_fields))}"
            out.append(Diagnostic(CONFIG_FILE, line, 1, "config", f"{loc}: {err['msg']}", hint))
        return None, out
    problems = [Diagnostic(CONFIG_FILE, key_line(text, loc), 1, "config", message,
                           "see the configuration reference in the handbook") for loc, message in config.locale_problems()]
    return (None, problems) if problems else (config, [])


_TABLE = re.compile(r"\[\s*([A-Za-z0-9_.\-\" ]+?)\s*\]")
_ASSIGNMENT = re.compile(r"([A-Za-z0-9_.\-\" ]+?)\s*=")


def key_line(text: str, loc: tuple) -> int:
    """The line of fichegen.toml that sets the value at `loc` (keys, as pydantic gives them), or of the table
    holding it: `key = …`, `table.key = …` and keys under a `[table]` heading are all found."""
    keys = tuple(p for p in loc if isinstance(p, str))
    if not keys:
        return 1
    table: tuple[str, ...] = ()
    fallback = 1
    for n, line in enumerate(text.splitlines(), 1):
        stripped = line.strip()
        heading = _TABLE.match(stripped) if stripped.startswith("[") and not stripped.startswith("[[") else None
        if heading:
            table = tuple(part.strip().strip('"') for part in heading[1].split("."))
            if keys[: len(table)] == table and fallback == 1:
                fallback = n
            continue
        assignment = _ASSIGNMENT.match(stripped)
        if assignment:
            path = table + tuple(part.strip().strip('"') for part in assignment[1].split("."))
            if keys[: len(path)] == path:
                return n
    return fallback
