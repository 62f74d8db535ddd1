"""Problems found in the content, as values.

Every stage (load, validate, link) returns diagnostics instead of raising, so `check`
can report all of them in one pass. The code catalogue below is the single list of
what can go wrong; the editors' handbook is tested against it.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass
from enum import Enum
from pathlib import Path
from typing import Iterable


class Severity(str, Enum):
    error = "error"
    warning = "warning"


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One problem at one place in one file."""

    path: str
    line: int
    column: int
    code: str
    message: str
    hint: str = ""
    severity: Severity = Severity.error

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.error

    @property
    def title(self) -> str:
        return CODES[self.code].title if self.code in CODES else self.code


@dataclass(frozen=True)
class CodeInfo:
    """What a diagnostic code means and how an editor fixes it (the handbook's error page is made from these)."""

    title: str
    explanation: str
    severity: Severity = Severity.error
    fix: str = ""


CODES: dict[str, CodeInfo] = {
    # --- files and YAML -------------------------------------------------------------
    "file-too-large": CodeInfo("File too large", "A fiche file is larger than the configured limit (`max_file_bytes`, 1 MiB by default). Split long texts, or have a maintainer raise the limit in fichegen.toml on the base branch.",
        fix='Move long texts to a linked document. If the fiche really needs more, a maintainer raises `max_file_bytes` in fichegen.toml on the base branch.'),
    "not-utf8": CodeInfo("Not UTF-8", "The file contains bytes that are not UTF-8. Save it as UTF-8 in your editor (\"Save with encoding\").",
        fix='Open the file in your editor and save it again as UTF-8 (in VS Code: click the encoding in the status bar, then *Save with Encoding → UTF-8*).'),
    "yaml-syntax": CodeInfo("YAML syntax error", "The file is not valid YAML: often a missing space after a colon, a tab used for indentation, or a text containing `: ` that needs quotes.",
        fix='Go to the line and column given. Put a space after every `key:`, indent with spaces only, and put quotes around a text that contains `: ` or starts with a special character (`*`, `&`, `!`, `[`, `{`, `#`, `@`).'),
    "yaml-tab": CodeInfo("Tab in indentation", "YAML indents with spaces only. Replace the tab characters with spaces.",
        fix='Replace each tab at the start of the line with spaces (two per level). VS Code shows tabs when you select the text.'),
    "yaml-tag": CodeInfo("YAML tag not allowed", "Tags such as `!!python/object` or `!include` are not allowed in fiches: write plain values.",
        fix='Remove the `!…` tag and write the plain value.'),
    "yaml-alias": CodeInfo("YAML anchor or alias", "Anchors (`&name`) and aliases (`*name`) are not allowed: write each value out in full.",
        fix='Replace `*name` by a copy of the value it points to, and remove `&name`.'),
    "yaml-too-deep": CodeInfo("Nesting too deep", "The file nests lists and mappings deeper than any fiche needs (`max_depth`).",
        fix='Check the indentation around the line given: a value is probably indented under the wrong key.'),
    "control-character": CodeInfo("Invisible control character", "A text holds a control character (NUL, ESC, BEL…), usually pasted from another program or written as an escape such as `\\0` or `\\e` inside double quotes. Web pages and XML files cannot carry it: delete it.",
        fix='Delete the invisible character: retype the text around the column given, or paste it again as plain text (in VS Code, such characters show as a red mark). Write texts without `\\` escapes.'),
    "duplicate-key": CodeInfo("Duplicate key", "The same key appears twice in one mapping; YAML would silently keep only the last one. Remove or merge one of them.",
        fix='Keep one of the two keys: merge their values, or delete the one you do not want.'),
    "empty-file": CodeInfo("Empty file", "The file has no content. Start from `fichegen new TYPE ID`, or delete the file.",
        fix='Run `fichegen new TYPE ID` to get a skeleton, or delete the empty file.'),
    "not-a-mapping": CodeInfo("Fiche is not a mapping", "A fiche file must be a mapping of `key: value` lines at the top level, not a list or a single value.",
        fix='Start the file with `key: value` lines at the left margin, as in the skeleton from `fichegen new`; do not start lines with `- `.'),
    "wrong-folder": CodeInfo("File in the wrong folder", "Fiche files live in `content/projects/`, `content/strategies/`, `content/organisations/` or `content/discussions/`, vocabularies in `content/vocabularies/`.",
        fix='Move the file into the folder of its type: `content/projects/`, `content/strategies/`, `content/organisations/`, `content/discussions/` or `content/vocabularies/`.'),
    "bad-file-name": CodeInfo("Bad file name", "The file name is the fiche's id and its URL: lower-case letters, digits and hyphens, ending in `.yaml`.",
        fix='Rename the file: lower-case letters a–z, digits and hyphens only, ending in `.yaml`, e.g. `my-project-2024.yaml`. Update every fiche that refers to the old id.'),
    "id-case-collision": CodeInfo("Ids differ only by case", "Two ids differ only in upper/lower case; they would overwrite each other on macOS and Windows. Rename one.",
        fix='Rename one of the two files so the ids differ by more than upper/lower case.'),
    "reserved-id": CodeInfo("Reserved name", "The id (a fiche's file name or a vocabulary term) is a name Windows reserves for a device (`con`, `prn`, `aux`, `nul`, `com1`…`com9`, `lpt1`…`lpt9`, in any case, with or without an extension), which no Windows computer can check out, or the name of a file or folder the site writes beside its pages (`index.html`, `404`, `feed.xml`, `sitemap.xml`, `static`, `data`…), which the page would collide with.",
        fix='Choose another id, e.g. add a word (`data-protection` instead of `data`); for a fiche, rename its file; for a term, rename its key and the fiches that use it.'),
    "symlink-outside": CodeInfo("Link points outside its folder", "A symbolic link in `content/` (or in `templates/`, `static/`, `i18n/` or `handbook/`) points outside its folder, to a folder, or nowhere: it is never followed, so no file from elsewhere on the build machine can be published.",
        fix='Replace the link with a real copy of the file inside the folder, or delete it.'),
    "special-file": CodeInfo("Not a regular file", "A named pipe, socket or device sits in `templates/`, `static/`, `i18n/` or `handbook/`; it is not read (it could block the build).",
        fix='Delete it, or replace it with a plain file.'),
    # --- validation -----------------------------------------------------------------
    "unknown-key": CodeInfo("Unknown key", "The fiche has a key its type does not define: usually a typo. The hint names the closest known key.",
        fix='Correct the spelling using the key the hint suggests, or remove the line. The field reference lists every key of each fiche type.'),
    "missing-key": CodeInfo("Missing required key", "A required key is absent. `fichegen new` shows every required key.",
        fix='Add the key named in the message; the field reference says what it expects.'),
    "wrong-type": CodeInfo("Wrong type of value", "The value does not have the expected form (a list where a text is expected, a word where a number is expected…).",
        fix='Write the value in the expected form: a list is written with one `- item` per line, a mapping with `key: value` lines indented under the key, a number without quotes or thousands separators.'),
    "invalid-value": CodeInfo("Invalid value", "The value has the right form but is not allowed (an unknown country code, a negative amount, a badly formed date…).",
        fix='Correct the value as the message says: country codes are two capital letters (`PT`), dates are `YYYY`, `YYYY-MM` or `YYYY-MM-DD`, amounts are plain numbers with a dot (`1532558.68`), web addresses start with `https://`.'),
    "missing-original-language": CodeInfo("Original language missing", "The fiche's `original_language` must be present in its title and summary.",
        fix="Add the text in the fiche's `original_language` under the field named in the message, or correct `original_language`."),
    "dates-disagree": CodeInfo("Dates and duration disagree", "The fiche gives a start, an end and a duration, and the dates span a different number of months than the duration.",
        fix='Check the dates and the duration against the source; keep both only when the source states both.'),
    "end-before-start": CodeInfo("End before start", "The end date lies before the start date.",
        fix='Swap the two dates, or correct the one that is wrong.'),
    "funding-mismatch": CodeInfo("Funding figures disagree", "A funding source's amount and share do not agree with the budget (allowing for rounding), an amount is larger than the budget, or the shares add up to more than 100 %.",
        fix='Check the figures against the source: give two of budget, amount and share and let fichegen derive the third; an amount whose meaning the source leaves open is written with `kind: unspecified`.'),
    "percentages-sum": CodeInfo("Percentages do not add up", "Every country, region or sector of the project has a percentage, and they do not add up to 100 %.",
        fix='Check the shares against the source; give percentages only when the source states them, all of them.'),
    "duplicate-item": CodeInfo("Listed twice", "The same item appears twice in a list (a country, a theme, an organisation among the participants…).",
        fix='Remove the repeat. An organisation with several roles is listed once, with all of them: `roles: [funding, partner]`.'),
    "status-contradicts-dates": CodeInfo("Status and dates disagree", "The status the fiche states contradicts its dates (a project stated closed whose end date is still ahead). The stated status is the one shown.", Severity.warning,
        fix='Check both against the source. Keep the stated status if the source says so (and the dates are planned ones), or correct the dates.'),
    "old-shape": CodeInfo("Field of the earlier content model", "The fiche uses a field in the shape of fichegen 0.1 (`partners`, `partner_count`, `programme`, `funding: {total, contribution}`). The message shows the shape to write instead.",
        fix='Rewrite the field as the hint shows: `participants` with `roles:`, funding sources under `funding:` (the programme among them), the total under `budget:`.'),
    "unknown-code": CodeInfo("Unknown code", "A code is not in the code list it belongs to: an OECD DAC purpose code (sectors), an IATI region (`iati-…`).",
        fix='Look the code up in the IATI codelists (Sector, Region) and correct it; for a region without a code, add a term to `content/vocabularies/world-regions.yaml`.'),
    "withdrawn-code": CodeInfo("Withdrawn code", "The code has been withdrawn from its IATI codelist: it is still read, but new data should use the code that replaced it.", Severity.warning,
        fix='Use the code the IATI codelist gives as its replacement.'),
    "priority-numbering": CodeInfo("Priority numbering", "When a strategy numbers its priorities, they are numbered 1, 2, 3… and their objectives 1.1, 1.2… under their own priority, with no gap or duplicate; priorities are numbered all or none.",
        fix="Number the priorities 1, 2, 3… in the order they appear, and each priority's objectives 1.1, 1.2… under priority 1, 2.1, 2.2… under priority 2."),
    "unknown-round": CodeInfo("Unknown discussion round", "A contribution names a round the discussion does not define.",
        fix='Use the number of one of the rounds listed under `rounds:` in the same discussion, or add the round.'),
    "unknown-question": CodeInfo("Unknown question", "A contribution answers a question number its round does not have.",
        fix='Use a question number the round has (questions are numbered from 1 in the order listed), or add the question to the round.'),
    "unknown-language": CodeInfo("Unknown language", "A language code is not one of the site's languages or not a known ISO 639-1 code.",
        fix='Use a two-letter ISO 639-1 code such as `en`, `fr`, `es`, `pt`; a text in a language the site is not built in is kept but not shown.'),
    "placeholder-left": CodeInfo("Placeholder left", "A value still holds a `TODO` placeholder written by `fichegen new`: replace it with the real value, or delete the line if the field is optional.",
        fix='Replace the `TODO: …` text with the real value, or delete the whole line when the field is optional.'),
    # --- linking --------------------------------------------------------------------
    "duplicate-id": CodeInfo("Duplicate id", "Two fiches or vocabulary terms share an id.",
        fix='Rename one of the two files (fiches) or terms; then update the fiches that refer to it.'),
    "unknown-reference": CodeInfo("Unknown reference", "The value names a fiche or vocabulary term that does not exist. The hint names the one probably meant, found by near spelling, acronym, or name in any of its languages.",
        fix='Use one of the ids the hint suggests, or add the missing fiche or vocabulary term first.'),
    "unlinked-project": CodeInfo("Related project without a fiche", "A related project has no fiche yet: it is shown without a link. Add its fiche to link it.", Severity.warning,
        fix='Nothing is required. To link the related project, add its fiche with `fichegen new project ID` using the id given.'),
    "unknown-priority": CodeInfo("Unknown strategy priority", "A project names a priority or objective number that the strategy does not have.",
        fix='Use a priority or objective number that the strategy\'s fiche lists, e.g. `"2"` or `"2.1"`.'),
    "self-reference": CodeInfo("Fiche refers to itself", "A fiche names itself as related, parent or partner.",
        fix="Remove the reference, or correct the id to the other fiche's."),
    "link-scheme": CodeInfo("Link with another scheme", "A link in a text starts with a scheme the site does not link to (`ftp:`, `file:`, `javascript:`…): the page shows its text without the link (the sanitizer drops any other scheme), so nothing breaks, but the reader cannot follow it.", Severity.warning,
        fix='Link to the web page (`https://…`) or the mail address (`mailto:name@example.org`).'),
    "link-address": CodeInfo("Badly formed web address", "A link's address is not a whole web address: no `https://` before `www.…` (so it would lead to a page of this site), a host name without a dot (`https://icmpd/`), a space, a mail address without `@`.",
        fix='Write the whole address as the browser shows it, starting with `https://`, e.g. `[site](https://www.example.org/x)`.'),
    "link-page": CodeInfo("Link to no page of the site", "A link to another page of the site leads nowhere: the fiche it names does not exist, the path is wrong (links are relative to the fiche\'s own page: `../../organisations/aima/`), it starts with `/` (which leaves out the base path and pins one language), or it is in a `summary`, which is also shown on lists and feeds where a relative link leads elsewhere.",
        fix='Write the address relative to the fiche\'s page, e.g. `[AIMA](../../organisations/aima/)` from any fiche; keep such links out of `summary`.'),
    "output-collision": CodeInfo("Two pages at one address", "Two pages would be written to the same file in the built site.",
        fix='Rename one of the two fiches or terms named in the message so their addresses differ.'),
    "too-many-pages": CodeInfo("Fiche brings too many pages", "One fiche would bring more pages into the site than `max_pages_per_fiche` allows: its own page and one page for every country, theme, programme, target group, region, year and other term it is listed under, in every language. The limit keeps one pull request from flooding the site and the build machine's disk.",
        fix='List only the countries, themes and other terms the fiche really concerns. If the fiche needs more, a maintainer raises `max_pages_per_fiche` in fichegen.toml on the base branch.'),
    "site-too-large": CodeInfo("Site over its size budget", "The built site would be larger than `max_site_bytes`. The build stops before the new site replaces the previous one, which stays as it was.",
        fix='Look for fiches added or changed recently that list very many terms or hold very long texts. If the site has simply grown, a maintainer raises `max_site_bytes` in fichegen.toml on the base branch (GitHub Pages publishes at most 1 GB).'),
    # --- configuration and theme ----------------------------------------------------
    "config": CodeInfo("Configuration error", "`fichegen.toml` has an unknown key or a bad value.",
        fix='Correct the key or value in `fichegen.toml` at the line given; the configuration reference lists every key.'),
    "ui-string-missing": CodeInfo("Missing UI string", "A user-interface string has no translation in one of the site's languages: a language the built-in theme lacks, or a string the project added in its default language only.",
        fix='Add the missing key, translated, to `i18n/LANG.yaml` beside `fichegen.toml` for the language named (the hint gives the default language\'s text); a project catalogue holds only the strings it adds or changes.'),
    "ui-string-placeholder": CodeInfo("Wrong placeholder in a UI string", "A UI string has other `{name}` placeholders than the same string in the default language (or than the theme fills in), or braces that are not a placeholder, such as `{0}` or `{count:,}`.",
        fix='Write the same `{name}` placeholders as the default language\'s text, spelt the same; only plain names in braces are filled in.'),
    "ui-catalogue-copied": CodeInfo("UI catalogue not translated", "A language's UI catalogue is another language's copied and left untranslated: most of its strings are the same as there, so the site would show that language under this one's name.", Severity.warning,
        fix='Translate the strings of `i18n/LANG.yaml` (the hint names the file); `fichegen translations` counts the strings still the same as missing.'),
    "ui-string-unknown": CodeInfo("UI string overrides nothing", "A string in the project's `i18n/LANG.yaml` has a key the theme does not have, and no project template uses it: usually a misspelt key.", Severity.warning,
        fix='Correct the key to the one the hint suggests (the built-in catalogues list every key), or use the string in one of your templates with `t(\'your.key\')`.'),
    "template-syntax": CodeInfo("Template syntax error", "A template in the project's `templates/` folder is not valid Jinja.",
        fix='Fix the syntax at the line given: every `{% block %}`, `{% if %}` and `{% for %}` needs its `{% end… %}`, and expressions go between `{{` and `}}`.'),
    "template-unused": CodeInfo("Template overrides nothing", "A file in the project's `templates/` folder has no built-in template of the same name to replace, and no other project template includes, imports or extends it: usually a misspelt name.", Severity.warning,
        fix='Rename it to the built-in template it should replace (the hint lists them), or include it from one of your templates.'),
    "theme-folder": CodeInfo("Old theme folder", "fichegen 0.1 replaced its whole theme by a project's `theme/` folder (or `theme_dir`); now the project's `templates/`, `static/` and `i18n/` override the built-in theme file by file and string by string, and `theme/` is not read.",
        fix='Move `theme/templates/`, `theme/static/` and `theme/i18n/` to `templates/`, `static/` and `i18n/` beside `fichegen.toml`, keep only the files and strings you changed, and delete `theme/`.'),
    "editor-not-installed": CodeInfo("Web editor not installed", "The build writes no editor at /admin/: the Decap CMS bundle is not in this installation of fichegen (src/fichegen/editor/static/vendor/).", Severity.warning,
        fix="In a checkout, run `bash scripts/setup.sh` (it installs the bundle with npm); or set `enabled = false` under `[editor]` in fichegen.toml to build without the editor."),
    "protected-limit": CodeInfo("Protected limit raised", "A pull request raises a limit that protects the build machine (`max_file_bytes`, `max_depth`, `max_pages_per_fiche`, `max_site_bytes`) in its own fichegen.toml. `fichegen check --base REF` applies the base branch's value instead and reports the change: such a limit is raised on the base branch, by a maintainer.",
        fix='Undo the change of the limit in the pull request. If the content really needs more, ask a maintainer to raise the limit on the base branch first.'),
    "review-as-code": CodeInfo("Change to review as code", "The pull request changes a file that is not a fiche or vocabulary: configuration (`fichegen.toml`), templates, static files, UI strings, the handbook's settings, workflows or fichegen's own code. These decide what CI runs and what the site publishes, so a maintainer reviews them as code before merging.", Severity.warning,
        fix='Nothing for the editor to fix: a maintainer reads the change before merging. Keep content changes and other changes in separate pull requests when you can.'),
    "schema-stale": CodeInfo("JSON Schemas out of date", "The JSON Schemas in `schemas/` (which give VS Code its completion and its red underlines) were written for other content: a fiche or vocabulary term was added, renamed or removed since `fichegen schema` wrote them, or another version of fichegen did. The editor would offer ids that are gone and underline new ones that `check` accepts.", Severity.warning,
        fix='Run `fichegen schema` and commit `schemas/` with your change.'),
    "vocabulary-label-missing": CodeInfo("Vocabulary label missing", "A vocabulary term has no label in the default language.", Severity.warning,
        fix="Add a `label` in the site's default language to the term."),
}


def sort_key(d: Diagnostic):
    return (d.path, d.line, d.column, d.code, d.message)


def relative(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except (OSError, RuntimeError):   # a symbolic link that loops: name the link itself
        try:
            return path.absolute().relative_to(root.absolute()).as_posix()
        except ValueError:
            return path.as_posix()
    except ValueError:
        return path.as_posix()


# --- output formats -----------------------------------------------------------------

#: What must never reach a terminal or CI log raw: C0 and C1 controls (an ESC starts an ANSI sequence that can
#: rewrite the screen), line and paragraph separators, the bidirectional controls that reorder what a reviewer
#: reads (U+202A–U+202E, U+2066–U+2069, U+200E/F, U+061C), the invisible zero-width and BOM characters, and the
#: lone surrogates that stand for undecodable bytes of file names.
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff\ufff9-\ufffb"
                          "\ud800-\udfff]")


def _escape(char: str) -> str:
    code = ord(char)
    if 0xD800 <= code <= 0xDFFF:     # a byte of a file name that is not UTF-8 (surrogateescape)
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(s: str) -> str:
    """`s` safe to print on a terminal or in a CI log: control, bidirectional and invisible characters and
    undecodable bytes of file names are shown as escapes like \\x1b or \\u202e instead."""
    return _UNPRINTABLE.sub(lambda m: _escape(m[0]), s)


def format_text(diagnostics: Iterable[Diagnostic]) -> str:
    lines = []
    for d in diagnostics:
        lines.append(printable(f"{d.path}:{d.line}:{d.column}: {d.severity.value} [{d.code}] {d.message}"))
        if d.hint:
            lines.append(printable(f"    hint: {d.hint}"))
    return "\n".join(lines)


def _escape_data(s: str) -> str:
    # GitHub's workflow-command escaping for the message (actions/toolkit's escapeData: % CR LF); every other
    # control or bidirectional character is shown as an escape, so nothing can start a second command or
    # rewrite the log.
    s = s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return printable(s)


def _escape_property(s: str) -> str:
    # escapeProperty: escapeData, and the property separators : and ,
    return _escape_data(s).replace(":", "%3A").replace(",", "%2C")


def format_github(diagnostics: Iterable[Diagnostic]) -> str:
    out = []
    for d in diagnostics:
        message = d.message + (f"\nHint: {d.hint}" if d.hint else "")
        props = ",".join([
            f"file={_escape_property(d.path)}",
            f"line={d.line}",
            f"col={d.column}",
            f"title={_escape_property(f'{d.title} [{d.code}]')}",
        ])
        out.append(f"::{d.severity.value} {props}::{_escape_data(message)}")
    return "\n".join(out)


#: Characters json.dumps(ensure_ascii=False) leaves raw that a terminal would obey: shown as JSON escapes,
#: which any JSON reader turns back into the same text.
_JSON_UNPRINTABLE = re.compile("[\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff\ufff9-\ufffb]")


def format_json(diagnostics: Iterable[Diagnostic]) -> str:
    rows = []
    for d in diagnostics:
        row = asdict(d)
        row["path"] = printable(d.path) if _SURROGATE.search(d.path) else d.path   # undecodable bytes cannot be encoded
        row["severity"] = d.severity.value
        rows.append(row)
    text = json.dumps(rows, ensure_ascii=False, indent=2)
    return _JSON_UNPRINTABLE.sub(lambda m: f"\\u{ord(m[0]):04x}", text)


_SURROGATE = re.compile("[\ud800-\udfff]")

#: GitHub keeps at most 1 MiB of job summary per step; what would go past it is left out, and counted.
SUMMARY_LIMIT = 1024 * 1024
#: The longest text shown in one cell of the summary table: one runaway message cannot fill the summary.
SUMMARY_CELL = 500
_ASCII_PUNCTUATION = re.compile(r"""([!"#$%&'()*+,\-./:;<=>?@\[\\\]^_`{|}~])""")


def markdown_text(s: str, limit: int = SUMMARY_CELL) -> str:
    """`s` as literal text in a Markdown table cell: every ASCII punctuation character is backslash-escaped
    (CommonMark: an escaped character is only itself), so no link, image, HTML tag, entity, emphasis, mention,
    autolink or cell boundary can come out of it; line breaks become spaces, invisible characters escapes."""
    if len(s) > limit:
        s = s[:limit] + "…"
    return _ASCII_PUNCTUATION.sub(r"\\\1", printable(s.replace("\r\n", " ").replace("\n", " ").replace("\r", " ")))


def format_markdown(diagnostics: Iterable[Diagnostic], limit: int = SUMMARY_LIMIT) -> str:
    """A table for GitHub's job summary, which shows every row (annotations stop at 10), in at most `limit`
    bytes of UTF-8: the rows past it are left out and counted in a last line."""
    rows = ["| file | line | column | severity | code | message | hint |", "|---|---|---|---|---|---|---|"]
    diagnostics = list(diagnostics)
    size = sum(len(r.encode("utf-8")) + 1 for r in rows)
    reserve = 200                      # for the closing line that counts what was left out
    for shown, d in enumerate(diagnostics):
        row = (f"| {markdown_text(d.path)} | {d.line} | {d.column} | {d.severity.value} | {markdown_text(d.code)} | "
               f"{markdown_text(d.message)} | {markdown_text(d.hint)} |")
        row_size = len(row.encode("utf-8")) + 1
        if size + row_size + reserve > limit:
            left = len(diagnostics) - shown
            rows.append("")
            rows.append(f"*{left:,} more problem{'s' * (left != 1)} not shown: GitHub keeps 1 MiB of summary per step. "
                        "The log of this step, or `fichegen check` on your computer, lists them all.*")
            break
        rows.append(row)
        size += row_size
    return "\n".join(rows)


FORMATTERS = {"text": format_text, "github": format_github, "json": format_json, "markdown": format_markdown}
