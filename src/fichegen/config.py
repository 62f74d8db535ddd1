"""The site configuration, `fichegen.toml` at the project root, as a typed model."""

from __future__ import annotations

import os
import tomllib
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Annotated

from pydantic import (BaseModel, ConfigDict, Field, StringConstraints, ValidationError, ValidationInfo, field_validator,
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
    locales: dict[LanguageCode, Annotated[str, StringConstraints(pattern=r"^[a-z]{2,3}(_[A-Za-z0-9]+)*$")]] = {}
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

    @model_validator(mode="after")
    def _languages_consistent(self):
        if self.default_language not in self.languages:
            raise ValueError(f"default_language '{self.default_language}' is not in languages")
        if self.default_language not in self.title:
            raise ValueError(f"title has no text in the default language '{self.default_language}'")
        if len(set(self.languages)) != len(self.languages):
            raise ValueError("languages lists a language twice")
        return self

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


def load_config(root: Path) -> tuple[SiteConfig | None, list[Diagnostic]]:
    path = root / CONFIG_FILE
    if not path.is_file():
        return None, [Diagnostic(CONFIG_FILE, 1, 1, "config", f"no {CONFIG_FILE} in {root}",
                                 "run fichegen in the folder that holds fichegen.toml, or pass --root")]
    text = path.read_bytes().decode("utf-8", errors="replace")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        line = getattr(exc, "lineno", 1) or 1
        col = getattr(exc, "colno", 1) or 1
        return None, [Diagnostic(CONFIG_FILE, line, col, "config", f"TOML syntax error: {exc.msg if hasattr(exc, 'msg') else exc}")]
    removed = [Diagnostic(CONFIG_FILE, _find_key_line(text, (key,)), 1, "config", f"{key} is no longer a setting", hint)
               for key, hint in REMOVED_KEYS.items() if key in data]
    if removed:
        return None, removed
    try:
        return SiteConfig.model_validate(data), []
    except ValidationError as exc:
        out = []
        for err in exc.errors():
            loc = ".".join(str(p) for p in err["loc"]) or "(top level)"
            line = _find_key_line(text, err["loc"])
            hint = "see the configuration reference in the handbook" if err["type"] != "extra_forbidden" else \
                f"known keys: {', '.join(sorted(SiteConfig.model_fields))}"
            out.append(Diagnostic(CONFIG_FILE, line, 1, "config", f"{loc}: {err['msg']}", hint))
        return None, out


def _find_key_line(text: str, loc: tuple) -> int:
    for part in loc:
        if isinstance(part, str):
            for n, line in enumerate(text.splitlines(), 1):
                if line.lstrip().startswith(part) and "=" in line:
                    return n
    return 1
