"""The official IATI 2.03 codelists that fichegen ships (README.md beside this file says which and from where).

    >>> codelist("Sector").name("15190", "fr")
    'Faciliter la migration et la mobilité de façon ordonnée, sans danger, régulière et responsable'

The files are data, not code to retype: a codelist is read once, on first use, into immutable values
(frozen dataclasses, tuples, read-only mappings), so callers can share it freely. A name comes in the
language asked for, else in English: every item has an English name (the narrative without `xml:lang`,
since the codelist's own `xml:lang` is "en"), most have French, a few other languages.

Parsing uses the standard library and refuses any DTD: the files have none, so one would mean the file
is not a codelist (and the parser could not expand an external entity anyway).
"""

from __future__ import annotations

import functools
import xml.etree.ElementTree as ET
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import resources
from importlib.resources.abc import Traversable
from types import MappingProxyType

ENGLISH = "en"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
#: The folders of the two source repositories (embedded: part of the standard; non-embedded: maintained by IATI).
FOLDERS = ("embedded", "non-embedded")


@dataclass(frozen=True)
class CodelistItem:
    """One code, its names and descriptions by language, its category (e.g. a sector's 3-digit DAC group)."""

    code: str
    names: Mapping[str, str]
    descriptions: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    category: str | None = None
    withdrawn: bool = False

    def name(self, lang: str = ENGLISH) -> str:
        return _in_language(self.names, lang) or self.code

    def description(self, lang: str = ENGLISH) -> str | None:
        return _in_language(self.descriptions, lang)


@dataclass(frozen=True)
class Codelist:
    """A whole codelist: `id` is its IATI name ("Sector"), `title` its human name by language."""

    id: str
    title: Mapping[str, str]
    embedded: bool
    category_codelist: str | None
    items: tuple[CodelistItem, ...]
    by_code: Mapping[str, CodelistItem] = field(repr=False, compare=False)

    def __contains__(self, code: object) -> bool:
        return code in self.by_code

    def __getitem__(self, code: str) -> CodelistItem:
        try:
            return self.by_code[code]
        except KeyError:
            raise KeyError(f"{code!r} is not a code of the IATI {self.id} codelist") from None

    def name(self, code: str, lang: str = ENGLISH) -> str:
        """The code's name in `lang`, else in English; KeyError for a code the codelist lacks."""
        return self[code].name(lang)

    def codes(self, *, withdrawn: bool = False) -> tuple[str, ...]:
        """The codes in the file's order; withdrawn ones only when asked for (they stay valid in old data)."""
        return tuple(item.code for item in self.items if withdrawn or not item.withdrawn)

    def languages(self) -> tuple[str, ...]:
        """Every language at least one item is named in, English first."""
        found = {lang for item in self.items for lang in item.names}
        return (ENGLISH,) + tuple(sorted(found - {ENGLISH}))


@functools.cache
def available() -> tuple[str, ...]:
    """The names of the codelists fichegen ships, sorted."""
    return tuple(sorted(_files()))


@functools.cache
def codelist(name: str) -> Codelist:
    """The shipped codelist `name` ("Sector", "OrganisationRole", …), parsed once per process."""
    files = _files()
    if name not in files:
        raise KeyError(f"fichegen ships no IATI codelist named {name!r}; it has {', '.join(sorted(files))}")
    return parse_codelist(files[name].read_bytes())


def name(codelist_name: str, code: str, lang: str = ENGLISH) -> str:
    """Shorthand for codelist(codelist_name).name(code, lang)."""
    return codelist(codelist_name).name(code, lang)


def parse_codelist(data: bytes) -> Codelist:
    """A codelist file's content as a Codelist (a pure function: the same bytes give an equal value)."""
    root = ET.fromstring(data, parser=ET.XMLParser(target=_NoDoctype()))
    if root.tag != "codelist" or not root.get("name"):
        raise ValueError(f"not an IATI codelist: the root element is <{root.tag}>, not <codelist name=…>")
    default_lang = root.get(XML_LANG, ENGLISH)
    items = tuple(_item(element, default_lang) for element in root.iterfind("codelist-items/codelist-item"))
    category_codelist = root.get("category-codelist")
    return Codelist(
        id=root.get("name"),
        title=_narratives(root.find("metadata/name"), default_lang),
        embedded=root.get("embedded") == "1",
        category_codelist=category_codelist or None,
        items=items,
        by_code=MappingProxyType({item.code: item for item in items}),
    )


class _NoDoctype(ET.TreeBuilder):
    def doctype(self, name, pubid, system):
        raise ValueError(f"a codelist file has no DTD; this one declares <!DOCTYPE {name}>")


def _files() -> dict[str, Traversable]:
    package = resources.files(__name__)
    return {entry.name.removesuffix(".xml"): entry
            for folder in FOLDERS for entry in package.joinpath(folder).iterdir() if entry.name.endswith(".xml")}


def _item(element: ET.Element, default_lang: str) -> CodelistItem:
    code = (element.findtext("code") or "").strip()
    if not code:
        raise ValueError("a codelist-item without a <code>")
    category = (element.findtext("category") or "").strip()
    return CodelistItem(
        code=code,
        names=_narratives(element.find("name"), default_lang),
        descriptions=_narratives(element.find("description"), default_lang),
        category=category or None,
        withdrawn=element.get("status") == "withdrawn",
    )


def _narratives(parent: ET.Element | None, default_lang: str) -> Mapping[str, str]:
    """language → text of the parent's narratives; an unlabelled narrative is in the codelist's language."""
    texts: dict[str, str] = {}
    for narrative in parent.iterfind("narrative") if parent is not None else ():
        text = (narrative.text or "").strip()
        lang = narrative.get(XML_LANG, default_lang).lower()
        if text and lang not in texts:
            texts[lang] = text
    return MappingProxyType(texts)


def _in_language(texts: Mapping[str, str], lang: str) -> str | None:
    """The text in `lang` (or its primary language: fr-BE → fr), else the English one, else None."""
    lang = lang.lower()
    return texts.get(lang) or texts.get(lang.split("-")[0]) or texts.get(ENGLISH)
