"""Links written in fiches, checked when the fiche is read: not only after the build, at the page they end up in.

Every Markdown text (LocalizedMarkdown fields, a discussion's contributions, vocabulary descriptions) is parsed by
the parser the site renders with (pulldown-cmark through pyromark, render/markup.py's options), so what is checked
is what is rendered; `url` and `website` fields are checked as well. A link is

- a web address: http, https or mailto only (nh3 drops any other scheme from the page: a warning, the text stays); a host with a dot
  (`https://icmpd/` is a typo); `www.example.org/x` without a scheme is a path on this site, not the web page
  meant: `https://www.example.org/x` is suggested;
- or a page of this site, written relative to the fiche's own page, as it works in every language and under any
  base path: `../../organisations/aima/` from a project, strategy, organisation or discussion (and from a
  vocabulary term's description). It is resolved against the graph: a fiche or term that does not exist is
  reported, with the path to the one probably meant. An address starting with `/` (`/en/projects/x/`) leaves out
  the base path and pins one language; a relative link in a `summary` breaks on the other pages that show the
  summary (cards, feeds): both are refused, with the address to write instead.

Each problem points at the YAML line and column of the link itself, inside a multi-line text too.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from typing import Collection, Iterator, Mapping
from urllib.parse import urlsplit

import pyromark
from pydantic import BaseModel, RootModel

from .diagnostics import CODES, Diagnostic
from .link import Ref, SiteGraph
from .load import SourceFile
from .models import FOLDERS, LocalizedMarkdown, LocalizedText
from .render.markup import OPTIONS
from .render.urls import TAXONOMY_SECTION
from .validate import did_you_mean, field_path

#: Schemes a link in a fiche may have: the ones the site's HTML sanitizer keeps.
SCHEMES = ("http", "https", "mailto")
#: Fields that hold one web address.
URL_FIELDS = ("url", "website")
#: Texts shown on other pages than their fiche's own (cards, feeds, meta descriptions): no relative link works there.
SHOWN_ELSEWHERE = ("summary",)
_SECTIONS = {folder: kind for kind, folder in FOLDERS.items()}
_LANG = "LANG"   # the language segment of a page address, whatever the language
_SPACE = re.compile(r"\s")
_HOST_LIKE = re.compile(r"(www\.|[a-z0-9-]+\.(org|com|net|int|eu|gov|edu|info|io)\b)", re.IGNORECASE)


@dataclass(frozen=True)
class WrittenLink:
    """One address written in a fiche or a term: where (file, line, column, field), and what."""

    path: str
    line: int
    column: int
    field: str          # summary.en, links[0].url
    address: str


@dataclass(frozen=True)
class _Holder:
    """A fiche or term whose texts are checked, with the address of its own page (relative links start there)."""

    source: SourceFile
    prefix: tuple       # the location of the fiche or term in its file: () or (term id,)
    page: str           # /LANG/projects/x/


def holders(graph: SiteGraph, vocabularies: Mapping[str, SourceFile]) -> Iterator[tuple[_Holder, BaseModel]]:
    for kind, fiches in graph.fiches.items():
        for fiche_id, fiche in fiches.items():
            source = graph.sources.get(Ref(kind, fiche_id))
            if source is not None:
                yield _Holder(source, (), f"/{_LANG}/{FOLDERS[kind]}/{fiche_id}/"), fiche
    for name, terms in graph.vocabularies.items():
        source = vocabularies.get(name)
        if source is None or name not in TAXONOMY_SECTION:
            continue
        for term_id, term in terms.items():
            yield _Holder(source, (term_id,), f"/{_LANG}/{TAXONOMY_SECTION[name]}/{term_id.lower()}/"), term


def _texts(model: BaseModel, loc: tuple = ()) -> Iterator[tuple[tuple, str, bool]]:
    """(location, text, is Markdown) of every text that holds links, in field order."""
    for name in type(model).model_fields:
        value = getattr(model, name)
        where = loc + (name,)
        if isinstance(value, LocalizedMarkdown):
            yield from ((where + (lang,), text, True) for lang, text in value.items())
        elif isinstance(value, str) and name in URL_FIELDS:
            yield where, value, False
        elif isinstance(value, str) and name == "text" and type(model).__name__ == "Contribution":
            yield where, value, True
        elif isinstance(value, BaseModel) and not isinstance(value, (RootModel, LocalizedText)):
            yield from _texts(value, where)
        elif isinstance(value, list):
            for i, item in enumerate(value):
                if isinstance(item, BaseModel) and not isinstance(item, (RootModel, LocalizedText)):
                    yield from _texts(item, where + (i,))


def markdown_links(text: str) -> Iterator[tuple[int, str]]:
    """(offset in the text, destination) of every link the site's Markdown parser finds (images are not links)."""
    if "](" not in text and "]:" not in text and "<" not in text and "][" not in text:
        return   # no link syntax: nothing to parse
    encoded = None if text.isascii() else text.encode("utf-8")   # pulldown-cmark's offsets count bytes
    for event, span in pyromark.events_with_range(text, options=OPTIONS):
        if event.__class__ is dict and "Start" in event:
            value = event["Start"]
            if value.__class__ is dict and "Link" in value:
                link = value["Link"]
                dest = ("mailto:" + link["dest_url"]) if link["link_type"] == "Email" else link["dest_url"]
                start = span["start"] if encoded is None else len(encoded[: span["start"]].decode("utf-8", "ignore"))
                yield start, dest


# --- what is wrong with one address ------------------------------------------------------------------

@dataclass(frozen=True)
class Verdict:
    code: str
    message: str
    hint: str


def web_address(address: str) -> Verdict | None:
    """A web or mail address's scheme and shape."""
    parts = urlsplit(address)
    scheme = parts.scheme.lower()
    if scheme not in SCHEMES:
        return Verdict("link-scheme", f"'{address[:80]}' has the scheme {scheme}:, which the site does not link to",
                       "link only to web pages (https://…) and mail addresses (mailto:…)")
    if scheme == "mailto":
        if "@" not in parts.path:
            return Verdict("link-address", f"'{address[:80]}' is not a mail address", "write mailto:name@example.org")
        return None
    host = (parts.hostname or "")
    if _SPACE.search(address):
        return Verdict("link-address", f"'{address[:80]}' holds a space", "remove the space, or write it %20")
    if "." not in host.strip(".") or host.startswith(".") or host.endswith("."):
        return Verdict("link-address", f"'{address[:80]}' has no host name with a dot ('{host}')",
                       "write the whole address, e.g. https://www.example.org/page")
    return None


def _suggest_page(segments: list[str], graph: SiteGraph) -> str:
    """The relative address of the fiche probably meant, from the segments of a wrong one."""
    for i, segment in enumerate(segments[:-1]):
        kind = _SECTIONS.get(segment)
        if kind and segments[i + 1] in graph.fiches[kind]:
            return f"../../{segment}/{segments[i + 1]}/"
    return ""


def site_address(address: str, holder: _Holder, field: str, graph: SiteGraph,
                 known: Mapping[str, Collection[str]]) -> Verdict | None:
    """A link to a page of this site: relative to the page of the fiche (or term) that holds it. `known`: kind → the
    ids that exist, valid or not (a link to a fiche with mistakes of its own is not a mistake)."""
    parts = urlsplit(address)
    if not parts.path:
        return None   # "#part" of the same page: `fichegen links` checks the anchor in the built page
    first = field.split(".", 1)[0].split("[", 1)[0]
    if parts.path.startswith("/"):
        segments = [s for s in parts.path.split("/") if s]
        suggestion = _suggest_page(segments, graph) if len(segments) >= 2 else ""
        return Verdict("link-page", f"'{address[:80]}' starts with /: it leaves out the site's base path and always leads to one language",
                       f"write the address relative to this page: {suggestion}" if suggestion else
                       "write the address relative to this page, e.g. ../../organisations/aima/")
    if _HOST_LIKE.match(parts.path):
        return Verdict("link-address", f"'{address[:80]}' has no scheme: it would lead to a page of this site, not to {parts.path.split('/')[0]}",
                       f"write https://{address}")
    if first in SHOWN_ELSEWHERE:
        return Verdict("link-page", f"'{address[:80]}' is a link to a page of this site in the {first}, which is also shown on "
                       "other pages (lists, feeds) where it would lead elsewhere",
                       "move the link to the description, or write the page's full address (https://…)")
    resolved = posixpath.normpath(posixpath.join(holder.page, parts.path))
    segments = [s for s in resolved.split("/") if s]
    if not segments or segments[0] != _LANG:
        return None   # a file of the site outside the languages (static/…): `fichegen links` checks it
    rest = segments[1:]
    if not rest or (rest[0] not in _SECTIONS and rest[0] not in TAXONOMY_SECTION.values()):
        return None   # a page of the site that is not a fiche's or a term's (search, translations…)
    kind = _SECTIONS.get(rest[0])
    if len(rest) == 1 or (kind is None and len(rest) == 2):
        return None   # a list of fiches, or a term page (countries, years… are made from the data)
    if kind is not None and len(rest) == 2:
        if rest[1] in known[kind]:
            return None
        hint = did_you_mean(rest[1], graph.fiches[kind])
        return Verdict("link-page", f"'{address[:80]}' leads to no page: there is no {kind} '{rest[1]}'",
                       hint or f"check the id: content/{FOLDERS[kind]}/{rest[1]}.yaml does not exist")
    suggestion = _suggest_page(rest, graph)
    return Verdict("link-page", f"'{address[:80]}' leads to no page of the site (it resolves to {'/'.join(['…'] + rest)}/)",
                   f"write {suggestion}: links are relative to this fiche's page" if suggestion else
                   "links to other fiches are written relative to this fiche's page, e.g. ../../organisations/aima/")


# --- reading every fiche ----------------------------------------------------------------------

@dataclass(frozen=True)
class _Found:
    """A link found in a text, before its position in the file is looked up (only for a link with a problem)."""

    holder: _Holder
    loc: tuple
    address: str
    occurrence: int     # how often the address is written before the link, in the same text
    markdown: bool

    @property
    def field(self) -> str:
        return field_path(self.loc[len(self.holder.prefix):])

    def written(self, raw: str) -> WrittenLink:
        """Where it is: the text's own position (SourceFile.at), then the address searched from there in the file
        (`raw`), so a link inside a multi-line text has its own line and column; the text's position when the
        address is not written as such (an escape inside double quotes)."""
        source = self.holder.source
        line, column = source.at(self.loc)
        lines = raw.split("\n", line - 1)
        found = sum(len(text) + 1 for text in lines[: line - 1]) + column - 2
        needle = self.address.removeprefix("mailto:")
        for _ in range(self.occurrence + 1):
            found = raw.find(needle, found + 1)
            if found < 0:
                return WrittenLink(source.rel, line, column, self.field, self.address)
        return WrittenLink(source.rel, raw.count("\n", 0, found) + 1, found - raw.rfind("\n", 0, found), self.field, self.address)


def _occurrences(text: str, needle: str, end: int) -> int:
    """How often `needle` is found before `end` (inside other links too), searched as `_Found.written` searches."""
    count, found = 0, -1
    while (found := text.find(needle, found + 1)) != -1 and found < end:
        count += 1
    return count


def _found(graph: SiteGraph, vocabularies: Mapping[str, SourceFile], files: Collection[str] | None = None) -> Iterator[_Found]:
    for holder, model in holders(graph, vocabularies):
        if files is not None and holder.source.rel not in files:
            continue
        for loc, text, markdown in _texts(model, holder.prefix):
            for start, address in (markdown_links(text) if markdown else [(0, text)]):
                yield _Found(holder, loc, address, _occurrences(text, address.removeprefix("mailto:"), start), markdown)


class _Files:
    """The text of each file, read once, when a link in it needs its position."""

    def __init__(self) -> None:
        self.texts: dict[str, str] = {}

    def __call__(self, source: SourceFile) -> str:
        if source.rel not in self.texts:
            try:
                self.texts[source.rel] = source.path.read_text(encoding="utf-8-sig")
            except OSError:
                self.texts[source.rel] = ""
        return self.texts[source.rel]


def written_links(graph: SiteGraph, vocabularies: Mapping[str, SourceFile]) -> Iterator[WrittenLink]:
    """Every address written in the project's fiches and terms (`vocabularies`: each vocabulary's file), with
    where it is."""
    files = _Files()
    for found in _found(graph, vocabularies):
        yield found.written(files(found.holder.source))


def link_problems(graph: SiteGraph, vocabularies: Mapping[str, SourceFile], known: Mapping[str, Collection[str]],
                  files: Collection[str] | None = None) -> list[Diagnostic]:
    """Every link written in a fiche or term that would not work on the site, at its line and column; `known`: kind →
    the ids that exist, valid or not; `files`: only the links written in these files (serve's saved ones)."""
    out = []
    texts = _Files()
    for found in _found(graph, vocabularies, files):
        address = found.address.strip()
        if urlsplit(address).scheme:
            verdict = web_address(address)
        elif found.markdown:
            verdict = site_address(address, found.holder, found.field, graph, known)
        else:
            verdict = None   # a url field without a scheme was refused by its model already
        if verdict:
            link = found.written(texts(found.holder.source))
            out.append(Diagnostic(link.path, link.line, link.column, verdict.code,
                                  f"{link.field}: {verdict.message}", verdict.hint, CODES[verdict.code].severity))
    return out


def links_by_address(graph: SiteGraph, vocabularies: Mapping[str, SourceFile]) -> dict[str, list[WrittenLink]]:
    """Address → where it is written, for naming the fiche behind a broken link of the built site."""
    out: dict[str, list[WrittenLink]] = {}
    for link in written_links(graph, vocabularies):
        out.setdefault(link.address.strip(), []).append(link)
    return out


def page_fiche(page: str) -> tuple[str, str] | None:
    """(kind, id) of the fiche whose page a built file is: en/projects/x/index.html → (project, x)."""
    parts = page.split("/")
    if len(parts) == 4 and parts[3] == "index.html" and parts[1] in _SECTIONS:
        return _SECTIONS[parts[1]], parts[2]
    return None

