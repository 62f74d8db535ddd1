"""Translation status: which localized texts of each fiche exist in each site language, and which are stale.

Every `LocalizedText` in a fiche (title, summary, each objective, each activity heading, each link
label…) is one *field*. A field's original text is its text in the fiche's `original_language`
(or, for a nested text that lacks it, the first language it was written in). For every other site
language a field is:

- **missing** when it has no text in that language;
- **stale** when it has one but the language has been *stamped* and the stamp does not cover the
  field's current original text: the original changed after the translation was made;
- **present** otherwise.

Stamps. `fichegen translations --stamp FILE --lang fr` records, in the fiche's `translations`
mapping, a fingerprint (8 hex digits of SHA-256, whitespace collapsed) of the original text of every
field that has a French text. The fingerprints form a set per language rather than a mapping per
field, so reordering objectives or activities never makes a translation look stale; only a change
of the original text does. A language never stamped cannot be stale: its translations count as
present. Stamps live in the fiche, so the report works without git history (CI clones of depth 1
included). The stamp is inserted into or updated in the YAML text in place: every other line of
the file, comments and layout included, stays as it was.

The same `TranslationReport` feeds the command (text, JSON, Markdown) and the site's translation
page (`report_view`), so the two always agree. UI catalogues are reported per language too.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator, Literal

from babel import Locale
from pydantic import BaseModel

from .i18n import copied_from
from .link import KINDS, Ref, SiteGraph
from .load import SourceFile
from .models import FicheBase, LocalizedText
from .models.common import primary_language

Status = Literal["present", "missing", "stale"]
HASH_LENGTH = 8
#: The comment written above a `translations:` block the first time a fiche is stamped.
STAMP_COMMENT = "# Written by `fichegen translations --stamp`: fingerprints of the original texts each translation was made from."
WRAP = 100


def source_hash(text: str) -> str:
    """The fingerprint of an original text: whitespace and Unicode normalization changes do not count."""
    normal = " ".join(unicodedata.normalize("NFC", text).split())
    return hashlib.sha256(normal.encode("utf-8")).hexdigest()[:HASH_LENGTH]


# --- the localized fields of a fiche -------------------------------------------------

@dataclass(frozen=True)
class LocalizedField:
    """One localized text of a fiche, where it is, and the language it was originally written in."""

    loc: tuple
    text: LocalizedText
    source_lang: str

    @property
    def path(self) -> str:
        return field_path(self.loc)

    @property
    def hash(self) -> str:
        return source_hash(self.text.get(self.source_lang) or "")


def field_path(loc: tuple) -> str:
    """('activities', 0, 'heading') → 'activities[0].heading'."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _walk(value: Any, loc: tuple) -> Iterator[tuple[tuple, LocalizedText]]:
    if isinstance(value, LocalizedText):
        yield loc, value
    elif isinstance(value, BaseModel):
        for name in type(value).model_fields:
            if name != "translations":
                yield from _walk(getattr(value, name), loc + (name,))
    elif isinstance(value, (list, tuple)):
        for i, item in enumerate(value):
            yield from _walk(item, loc + (i,))


def localized_fields(fiche: FicheBase) -> list[LocalizedField]:
    """Every localized text of the fiche, in the order of the model's fields."""
    out = []
    for loc, text in _walk(fiche, ()):
        if not text.languages:
            continue    # a name that is the same in every language: never missing, never stale
        source = text.original or (fiche.original_language if fiche.original_language in text else text.languages[0])
        out.append(LocalizedField(loc, text, source))
    return out


def _written_in(text: LocalizedText, lang: str) -> bool:
    """The text exists in `lang` or in a variant of it (pt-BR counts for a site's pt, as the pages show it)."""
    return lang in text or any(primary_language(tag) == primary_language(lang) for tag in text.languages)


def field_status(f: LocalizedField, lang: str, stamps: dict[str, list[str]]) -> Status:
    if not _written_in(f.text, lang):
        return "missing"
    if lang in stamps and f.hash not in stamps[lang]:
        return "stale"
    return "present"


# --- the report ----------------------------------------------------------------------

@dataclass
class Tally:
    """Counts of translation units: fields (or UI strings) that should exist in a language."""

    present: int = 0
    missing: int = 0
    stale: int = 0

    @property
    def total(self) -> int:
        return self.present + self.missing + self.stale

    @property
    def percent(self) -> int | None:
        """Up-to-date share, rounded down so that 100 means complete; None when there is nothing to translate."""
        return self.present * 100 // self.total if self.total else None

    def add(self, status: Status) -> None:
        setattr(self, status, getattr(self, status) + 1)

    def __iadd__(self, other: "Tally") -> "Tally":
        self.present += other.present
        self.missing += other.missing
        self.stale += other.stale
        return self

    def as_dict(self) -> dict[str, Any]:
        return {"total": self.total, "present": self.present, "missing": self.missing, "stale": self.stale, "percent": self.percent}


@dataclass(frozen=True)
class FieldEntry:
    path: str
    status: Status
    source: SourceFile | None = field(default=None, repr=False, compare=False)
    loc: tuple = ()

    @property
    def line(self) -> int:
        """Looked up only when shown: finding it reads the file again (the graph keeps no positions),
        which the site's page, listing counts, never needs."""
        return self.source.at(self.loc)[0] if self.source else 0


@dataclass
class Cell:
    """One fiche in one language."""

    lang: str
    original: bool                  # the fiche's original language
    stamped: bool                   # the language has stamps in the fiche (so staleness is known)
    fields: list[FieldEntry] = field(default_factory=list)

    @property
    def tally(self) -> Tally:
        t = Tally()
        for f in self.fields:
            t.add(f.status)
        return t

    def needing_work(self, status: Status) -> list[FieldEntry]:
        return [f for f in self.fields if f.status == status]


@dataclass
class FicheReport:
    ref: Ref
    file: str
    original_language: str
    cells: dict[str, Cell]


@dataclass
class LanguageReport:
    lang: str
    fiches: Tally
    ui: Tally
    ui_reference: bool              # the default language: the reference catalogue
    ui_copy_of: str | None = None   # the language its catalogue is an untranslated copy of (i18n.copied_from)


@dataclass
class TranslationReport:
    languages: list[str]
    default_language: str
    per_language: dict[str, LanguageReport]
    fiches: list[FicheReport]

    def as_dict(self) -> dict[str, Any]:
        """The JSON form: stable keys, for tools and for comparing with the site page."""
        return {
            "languages": [{"lang": l.lang, **l.fiches.as_dict(),
                           "ui": {**l.ui.as_dict(), "reference": l.ui_reference, "copy_of": l.ui_copy_of}}
                          for l in self.per_language.values()],
            "fiches": [{"kind": f.ref.kind, "id": f.ref.id, "file": f.file, "original_language": f.original_language,
                        "languages": {c.lang: {**c.tally.as_dict(), "original": c.original, "stamped": c.stamped,
                                               "fields": [{"field": e.path, "line": e.line, "status": e.status} for e in c.fields]}
                                      for c in f.cells.values()}}
                       for f in self.fiches],
        }


def translation_report(graph: SiteGraph, catalogues: dict[str, Any], languages: list[str] | None = None) -> TranslationReport:
    """The status of every localized field of every fiche, and of the UI catalogues, in each language."""
    config = graph.config
    langs = [l for l in config.languages if not languages or l in languages]
    per_language = {l: LanguageReport(l, Tally(), Tally(), l == config.default_language) for l in langs}
    fiches = []
    for kind in KINDS:
        for fiche_id in sorted(graph.fiches[kind]):
            ref = Ref(kind, fiche_id)
            fiche = graph.fiches[kind][fiche_id]
            source = graph.sources.get(ref)
            fields = localized_fields(fiche)
            stamps = fiche.translations
            cells = {}
            for lang in langs:
                cell = Cell(lang, primary_language(lang) == primary_language(fiche.original_language), lang in stamps)
                for f in fields:
                    if primary_language(f.source_lang) == primary_language(lang):
                        continue    # the original itself (or its variant: a pt-BR original on a pt site)
                    cell.fields.append(FieldEntry(f.path, field_status(f, lang, stamps), source,
                                                  f.loc + (lang,) if lang in f.text else f.loc))
                cells[lang] = cell
                per_language[lang].fiches += cell.tally
            fiches.append(FicheReport(ref, source.rel if source else f"{kind}/{fiche_id}", fiche.original_language, cells))
    reference = _messages(catalogues.get(config.default_language))
    for lang in langs:
        if lang == config.default_language:
            per_language[lang].ui.present = len(reference)
            continue
        messages = _messages(catalogues.get(lang))
        # a catalogue copied from another language and left untranslated: its copied strings are missing
        copied = copied_from(messages, {o: _messages(catalogues.get(o)) for o in config.languages if o != lang})
        same = copied[1] if copied else set()
        per_language[lang].ui_copy_of = copied[0] if copied else None
        for key in reference:
            per_language[lang].ui.add("present" if key in messages and key not in same else "missing")
    return TranslationReport(langs, config.default_language, per_language, fiches)


def _messages(catalogue: Any) -> dict[str, str]:
    if catalogue is None:
        return {}
    return getattr(catalogue, "messages", catalogue)


# --- the command's formats -----------------------------------------------------------

def _language_name(lang: str) -> str:
    try:
        return Locale("en").languages.get(lang, lang)
    except Exception:  # pragma: no cover
        return lang


def _pct(value: int | None) -> str:
    return "–" if value is None else f"{value} %"


def _cell_text(cell: Cell) -> str:
    t = cell.tally
    if cell.original and t.percent is None:
        return "original"
    return _pct(t.percent) + (f" ({t.stale} stale)" if t.stale else "")


def format_text(report: TranslationReport) -> str:
    rows = [("Language", "Complete", "Translated", "Missing", "Stale", "UI strings")]
    for l in report.per_language.values():
        ui = "reference" if l.ui_reference else f"{_pct(l.ui.percent)} ({l.ui.present}/{l.ui.total})" + (
            f", a copy of {l.ui_copy_of}" if l.ui_copy_of else "")
        rows.append((f"{l.lang} {_language_name(l.lang)}", _pct(l.fiches.percent), str(l.fiches.present),
                     str(l.fiches.missing), str(l.fiches.stale), ui))
    out = ["Translation status", "", *_table(rows), ""]
    rows = [("Fiche", *report.languages)]
    for f in report.fiches:
        rows.append((f.file, *(_cell_text(f.cells[l]) for l in report.languages)))
    out += [*_table(rows), ""]
    work = []
    for f in report.fiches:
        lines = []
        for lang, cell in f.cells.items():
            for status in ("stale", "missing"):
                entries = cell.needing_work(status)  # type: ignore[arg-type]
                if entries:
                    lines.append(f"  {lang} {status}: " + ", ".join(f"{e.path} (line {e.line})" for e in entries))
        if lines:
            work += [f.file, *lines]
    if work:
        out += ["To translate or update:", *work, ""]
    if any(not c.stamped and c.tally.present for f in report.fiches for c in f.cells.values()):
        out.append("Stale translations are found only where a translator has stamped a language: "
                   "after updating a fiche, run `fichegen translations --stamp FILE --lang xx`.")
    return "\n".join(out).rstrip("\n")


def _table(rows: list[tuple[str, ...]]) -> list[str]:
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    out = []
    for n, row in enumerate(rows):
        cells = [c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(row, widths))]
        out.append("  ".join(cells).rstrip())
        if n == 0:
            out.append("  ".join("-" * w for w in widths))
    return out


def _md(value: str) -> str:
    return value.replace("\\", "\\\\").replace("|", "\\|").replace("<", "&lt;").replace(">", "&gt;")


def format_markdown(report: TranslationReport) -> str:
    out = ["## Translation status", "",
           "| Language | Complete | Translated | Missing | Stale | UI strings |", "|---|---:|---:|---:|---:|---:|"]
    for l in report.per_language.values():
        ui = "reference" if l.ui_reference else f"{_pct(l.ui.percent)} ({l.ui.present}/{l.ui.total})" + (
            f", a copy of {l.ui_copy_of}" if l.ui_copy_of else "")
        out.append(f"| {l.lang} ({_language_name(l.lang)}) | {_pct(l.fiches.percent)} | {l.fiches.present} | "
                   f"{l.fiches.missing} | {l.fiches.stale} | {ui} |")
    out += ["", "<details><summary>Per fiche</summary>", "",
            "| Fiche | " + " | ".join(report.languages) + " |", "|---|" + "---:|" * len(report.languages)]
    for f in report.fiches:
        out.append(f"| `{_md(f.file)}` | " + " | ".join(_cell_text(f.cells[l]) for l in report.languages) + " |")
    out += ["", "</details>", ""]
    stale = [(f, lang, e) for f in report.fiches for lang, c in f.cells.items() for e in c.needing_work("stale")]
    if stale:
        out += ["### Stale translations", "", "The original text changed after these translations were made:", ""]
        out += [f"- `{_md(f.file)}:{e.line}` {_md(e.path)} ({lang})" for f, lang, e in stale]
        out.append("")
    return "\n".join(out)


def format_json(report: TranslationReport) -> str:
    return json.dumps(report.as_dict(), ensure_ascii=False, indent=2)


FORMATS = {"text": format_text, "json": format_json, "markdown": format_markdown}


# --- the site page -------------------------------------------------------------------

def _shared_report(graph, catalogues):
    """The report is the same for every page language: computed once, shared by the readers of the graph (each
    page that shows it records what computing it read)."""
    return graph.shared("translation-report", lambda: translation_report(graph, catalogues))


def report_view(views, rows: slice = slice(None)) -> dict:
    """The translation page's data in the page's language: the same report as the command, localized; `rows`, the
    fiches of one page of the table (the languages' figures always cover every fiche)."""
    v = views
    loc = v.loc
    report = _shared_report(v.g, loc.catalogues)

    def pct(value: int | None) -> str:
        from decimal import Decimal
        return "" if value is None else loc.percent(Decimal(value))

    languages = []
    for l in report.per_language.values():
        languages.append({"lang": l.lang, "name": loc.language(l.lang), "percent": pct(l.fiches.percent),
                          "present": loc.number(l.fiches.present), "missing": loc.number(l.fiches.missing),
                          "stale": loc.number(l.fiches.stale),
                          "ui": loc.t("translations.reference") if l.ui_reference else pct(l.ui.percent),
                          "ui_copy_of": loc.t("translations.ui_copy", language=loc.language_in_text(l.ui_copy_of)) if l.ui_copy_of else ""})
    fiches = []
    for f in report.fiches[rows]:
        cells = []
        for lang in report.languages:
            cell = f.cells[lang]
            t = cell.tally
            original = cell.original and t.percent is None
            cells.append({"lang": lang, "original": original, "stale": t.stale,
                          "stale_note": loc.t("translations.cell_stale", count=loc.number(t.stale)),
                          "percent": loc.t("translations.original") if original else pct(t.percent),
                          "detail": "" if original else loc.t("translations.cell_detail", present=loc.number(t.present),
                                                                 missing=loc.number(t.missing), stale=loc.number(t.stale))})
        fiches.append({"url": v.urls.fiche(v.lang, f.ref.kind, f.ref.id), "label": v.name(f.ref), "file": f.file,
                       "kind": loc.t(f"kind.{f.ref.kind}"), "cells": cells})
    return {"languages": languages, "fiches": fiches}


# --- stamping ------------------------------------------------------------------------

class StampError(Exception):
    """The fiche cannot be stamped (it is invalid, or the language is its original one)."""


@dataclass
class StampResult:
    path: Path
    changed: bool
    counts: dict[str, int]          # language → fingerprints recorded


def stamp_file(root: Path, path: Path, languages: list[str], fields: list[str] | None = None) -> StampResult:
    """Record that the `languages` translations of the fiche at `path` are up to date with its original texts.

    With `fields`, only those fields are confirmed; fingerprints of other fields that are still valid stay."""
    from .config import load_config
    from .load import FICHE_FOLDERS, decode

    root = Path(root)
    path = Path(path)
    if not path.is_absolute():   # relative to the current folder, else to the project
        path = Path.cwd() / path if (Path.cwd() / path).exists() or not (root / path).exists() else root / path
    config, problems = load_config(root)
    if config is None:
        raise StampError("; ".join(p.message for p in problems))
    kind = FICHE_FOLDERS.get(path.parent.name)
    if kind is None or not path.is_file():
        raise StampError(f"{path} is not a fiche file (content/projects/, strategies/, organisations/ or discussions/)")
    raw = path.read_bytes()
    text = decode(raw)
    fiche = _valid_fiche(path, root, kind, config)
    all_fields = localized_fields(fiche)
    known = {f.path for f in all_fields}
    unknown = [f for f in fields or () if f not in known]
    if unknown:
        raise StampError(f"no localized field {', '.join(unknown)} in this fiche; fields: {', '.join(sorted(known))}")
    counts = {}
    new_text = text
    stamps = {k: list(v) for k, v in fiche.translations.items()}
    for lang in languages:
        if lang == fiche.original_language:
            raise StampError(f"'{lang}' is the original language of this fiche: there is nothing to stamp")
        current = set(stamps.get(lang, []))
        hashes: list[str] = []
        for f in all_fields:
            if f.source_lang == lang or lang not in f.text:
                continue
            if (fields is None or f.path in fields) or f.hash in current:
                if f.hash not in hashes:
                    hashes.append(f.hash)
        counts[lang] = len(hashes)
        if hashes:
            stamps[lang] = hashes
        else:
            stamps.pop(lang, None)
        new_text = set_stamps(new_text, lang, hashes)
    if new_text == text:
        return StampResult(path, False, counts)
    _check_edit(text, new_text, path, stamps)
    _write(path, raw, new_text)
    return StampResult(path, True, counts)


def _valid_fiche(path: Path, root: Path, kind: str, config) -> FicheBase:
    from .load import Limits, load_file
    from .validate import validate_fiche
    source, problems = load_file(path, root, kind, Limits(config.max_file_bytes, config.max_depth))
    errors = [p for p in problems if p.is_error]
    fiche = None
    if source is not None:
        fiche, found = validate_fiche(source)
        errors += [p for p in found if p.is_error]
    if errors or fiche is None:
        first = errors[0] if errors else None
        where = f" (first: {first.path}:{first.line}:{first.column} {first.message})" if first else ""
        raise StampError(f"{path} has errors{where}; fix them (fichegen check) before stamping")
    return fiche


def _check_edit(old: str, new: str, path: Path, stamps: dict[str, list[str]]) -> None:
    """Before writing: the new text holds exactly the intended stamps and nothing else changed."""
    from .load import parse_yaml
    before, _ = parse_yaml(old)
    after, _ = parse_yaml(new)
    before.pop("translations", None)
    written = after.pop("translations", None) or {}
    if before != after or written != stamps:  # pragma: no cover - a bug in set_stamps, never an editor's mistake
        raise StampError(f"refusing to write {path}: the edit would change more than the translations block")


def _write(path: Path, raw: bytes, text: str) -> None:
    """Write back with the file's own line ends and byte-order mark, atomically."""
    if b"\r\n" in raw:
        text = text.replace("\n", "\r\n")
    data = (b"\xef\xbb\xbf" if raw.startswith(b"\xef\xbb\xbf") else b"") + text.encode("utf-8")
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.chmod(tmp, path.stat().st_mode & 0o777)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _entry(lang: str, hashes: list[str], indent: int) -> list[str]:
    """`  fr: ["1a2b3c4d", …]` as a flow list, wrapped, quoted so that no YAML tool reads a fingerprint as a number."""
    pad = " " * indent
    lines = [f"{pad}{lang}: ["]
    items = [f'"{h}"' for h in hashes]
    for i, item in enumerate(items):
        piece = item + ("," if i < len(items) - 1 else "]")
        if len(lines[-1]) + len(piece) + 1 > WRAP and not lines[-1].endswith("["):
            lines.append(pad + "    " + piece)
        else:
            lines[-1] += ("" if lines[-1].endswith("[") else " ") + piece
    return lines


def _block_end(lines: list[str], start: int, stop: int) -> int:
    """The last line (0-based, inclusive) of a block running from `start` to before `stop`, without trailing blanks and comments."""
    end = stop - 1
    while end > start and (not lines[end].strip() or lines[end].lstrip().startswith("#")):
        end -= 1
    return end


def set_stamps(text: str, lang: str, hashes: list[str]) -> str:
    """The YAML text with the `translations` entry of `lang` set to `hashes` (removed when empty).

    Only the lines of that entry change; the block is created at the end of the file when absent,
    and removed (with its comment) when its last language goes."""
    from .load import parse_yaml
    data, pos = parse_yaml(text)
    lines = text.split("\n")
    trailing_newline = text.endswith("\n")
    if trailing_newline:
        lines = lines[:-1]
    top = sorted(line - 1 for loc, (line, _) in pos.keys.items() if len(loc) == 1)
    if ("translations",) not in pos.keys:
        if not hashes:
            return text
        while lines and not lines[-1].strip():
            lines.pop()
        block = [STAMP_COMMENT, "translations:", *_entry(lang, hashes, 2)]
        spaced = "\n".join(lines + [""] + block) + "\n"
        before = dict(data)
        after, _ = parse_yaml(spaced)
        after.pop("translations", None)
        if after == before:   # a blank line first, unless it would join a block scalar kept with |+
            return spaced
        return "\n".join(lines + block) + "\n"
    start = pos.keys[("translations",)][0] - 1
    stop = next((l for l in top if l > start), len(lines))
    end = _block_end(lines, start, stop)
    value = data.get("translations")
    children = sorted((pos.keys[("translations", k)], k) for k in value) if isinstance(value, dict) else []
    block_style = bool(children) and all(line - 1 > start for (line, _), _ in children)
    if block_style:
        indent = children[0][0][1] - 1
        spans = []
        for i, ((line, _), key) in enumerate(children):
            nxt = children[i + 1][0][0] - 1 if i + 1 < len(children) else end + 1
            spans.append((line - 1, _block_end(lines, line - 1, nxt), key))
        mine = [s for s in spans if s[2] == lang]
        if mine:
            a, b, _ = mine[0]
            replacement = _entry(lang, hashes, indent) if hashes else []
            lines[a:b + 1] = replacement
        elif hashes:
            lines[end + 1:end + 1] = _entry(lang, hashes, indent)
        if not hashes and len(children) == 1 and mine:
            return _drop_block(lines, start, trailing_newline)
    else:
        # an empty or flow-style block: write it again in block style, keeping the other languages' stamps
        stamps = dict(value) if isinstance(value, dict) else {}
        if hashes:
            stamps[lang] = hashes
        else:
            stamps.pop(lang, None)
        if not stamps:
            del lines[start:end + 1]
            return _drop_block(lines, start, trailing_newline, removed=True)
        block = ["translations:"]
        for key, values in stamps.items():
            block += _entry(key, list(values or []), 2)
        lines[start:end + 1] = block
    return "\n".join(lines) + ("\n" if trailing_newline else "")


def _drop_block(lines: list[str], start: int, trailing_newline: bool, removed: bool = False) -> str:
    """Remove the now empty `translations:` block, with the comment fichegen wrote above it."""
    if not removed:
        end = start
        while end + 1 < len(lines) and (lines[end + 1].startswith((" ", "\t")) and lines[end + 1].strip()):
            end += 1
        del lines[start:end + 1]
    if start > 0 and lines[start - 1] == STAMP_COMMENT:
        del lines[start - 1]
    while lines and not lines[-1].strip():
        lines.pop()
    return "\n".join(lines) + ("\n" if trailing_newline else "")
