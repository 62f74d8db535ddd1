"""Languages: UI catalogues (the built-in theme's, then the project's), CLDR formatting through Babel, per-field fallback."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

from babel import Locale
from babel.dates import format_date, format_skeleton
from babel.units import format_unit
from babel.numbers import format_currency, format_decimal, format_percent, get_currency_name

from . import plural
from .config import SiteConfig
from .diagnostics import Diagnostic, Severity
from .load import LoadError, Positions, decode, parse_yaml
from .models.common import FuzzyDate, LocalizedText, primary_language
from .overrides import I18N, Theme

@dataclass(frozen=True)
class Catalogue:
    """The UI strings of one language, keyed by message id."""

    lang: str
    messages: dict[str, str]


#: The one form of placeholder a UI string may hold: {name}. Anything else in braces stays text as written.
PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")
#: Braces that look like a placeholder of str.format ({0}, {count:,}, {x.attr}) but are not one.
NOT_A_PLACEHOLDER = re.compile(r"\{(?![A-Za-z_][A-Za-z0-9_]*\})[^{}\s]*\}")


def fill(message: str, values: dict[str, Any]) -> str:
    """`message` with each {name} of `values` replaced by its text: no format specs, no attribute or index
    lookups, so a catalogue (which comes in pull requests) cannot reach into the objects it is given."""
    if not values or "{" not in message:
        return message
    return PLACEHOLDER.sub(lambda m: str(values[m[1]]) if m[1] in values else m[0], message)


def placeholders(message: str) -> set[str]:
    return set(PLACEHOLDER.findall(message))


def read_catalogue_with_positions(path: Path) -> tuple[dict[str, str], Positions]:
    data, positions = parse_yaml(decode(path.read_bytes()))
    if not isinstance(data, dict):
        return {}, positions
    return {str(k): str(v) for k, v in data.items() if v is not None}, positions


def read_catalogue(path: Path) -> dict[str, str]:
    return read_catalogue_with_positions(path)[0]


def load_catalogues(theme: Theme, languages: list[str]) -> dict[str, Catalogue]:
    """Each language's UI strings: the built-in theme's, each replaced by the project's string of the same key."""
    out = {}
    for lang in languages:
        messages: dict[str, str] = {}
        for path in theme.catalogue_files(lang):
            messages.update(read_catalogue(path))
        out[lang] = Catalogue(lang, messages)
    return out


@dataclass
class _Layer:
    """One catalogue file as read for checking: its strings and where each key stands."""

    path: Path
    shown: str
    project: bool
    messages: dict[str, str]
    positions: Positions

    def at(self, key: str) -> tuple[int, int]:
        return self.positions.keys.get((key,), (1, 1))


def check_catalogues(theme: Theme, config: SiteConfig) -> list[Diagnostic]:
    """Every UI string of the default language exists in every site language with the same {name} placeholders;
    a project string overrides a built-in one or is used by a project template."""
    out: list[Diagnostic] = []
    layers: dict[str, list[_Layer]] = {}
    for lang in dict.fromkeys([config.default_language, *config.languages]):
        layers[lang] = []
        for path in theme.catalogue_files(lang):
            project = path == theme.catalogues.get(lang)
            try:
                messages, positions = read_catalogue_with_positions(path)
            except LoadError as exc:
                out.append(Diagnostic(theme.shown(path), exc.line, exc.column, exc.code, exc.message, exc.hint))
                continue
            layers[lang].append(_Layer(path, theme.shown(path), project, messages, positions))
    default = config.default_language
    if not layers[default]:
        if not out:
            out.append(Diagnostic(f"{I18N}/{default}.yaml", 1, 1, "ui-string-missing", f"no UI catalogue for the default language '{default}'",
                                  f"write every UI string in {I18N}/{default}.yaml (the built-in theme has en, fr, es and pt)"))
        return out
    merged = {lang: _merge(found) for lang, found in layers.items()}
    base, base_origin = merged[default]
    builtin_keys = set().union(*(l.messages for found in layers.values() for l in found if not l.project))
    used = _literal_keys(theme)
    for lang, found in layers.items():
        project_file = f"{I18N}/{lang}.yaml"
        if not found:
            if lang != default:
                out.append(Diagnostic(project_file, 1, 1, "ui-string-missing", f"no UI catalogue for '{lang}'",
                                      f"copy the default language's strings into {project_file} and translate them"))
            continue
        # A key that overrides nothing is reported once (below), not once more per language lacking it.
        missing = [key for key in base if key not in merged[lang][0] and (key in builtin_keys or key in used)]
        for key in missing:
            out.append(Diagnostic(project_file, 1, 1, "ui-string-missing", f"the UI string '{key}' has no {lang} translation",
                                  f"add '{key}: …' to {project_file} ({default}: {base[key][:60]!r})"))
        for layer in found:
            if not layer.project:
                continue
            for key, message in layer.messages.items():
                line, column = layer.at(key)
                wrong = NOT_A_PLACEHOLDER.search(message)
                if wrong:
                    out.append(Diagnostic(layer.shown, line, column, "ui-string-placeholder",
                                          f"'{key}' holds {wrong[0]}, which is not a placeholder",
                                          "a placeholder is a name in braces, such as {count}, with no format or attribute"))
                builtin = next((l.messages[key] for l in found if not l.project and key in l.messages), None)
                if lang == default and builtin is not None and placeholders(builtin) != placeholders(message):
                    expected = _names(builtin)
                    out.append(Diagnostic(layer.shown, line, column, "ui-string-placeholder",
                                          f"'{key}' has the placeholders {_names(message)} but the theme fills in {expected}",
                                          f"use {expected}: fichegen fills in those names only"))
                if key not in builtin_keys and key not in used:
                    out.append(Diagnostic(layer.shown, line, column, "ui-string-unknown",
                                          f"'{key}' overrides no UI string of the theme and no project template uses it",
                                          f"{_closest(key, sorted(builtin_keys))}a string replaces the theme's string of the same key",
                                          Severity.warning))
        if lang == default:
            continue
        copied = copied_from(merged[lang][0], {o: merged[o][0] for o in merged if o != lang and merged[o][0]})
        if copied:
            source, same = copied
            out.append(Diagnostic(project_file, 1, 1, "ui-catalogue-copied",
                                  f"the {lang} UI catalogue is the {source} one untranslated: {len(same)} of its "
                                  f"{len(merged[lang][0])} strings are the same as in {source}",
                                  f"translate the strings of {project_file} into {lang}", Severity.warning))
        for key, message in merged[lang][0].items():
            if key not in base or placeholders(message) == placeholders(base[key]):
                continue
            layer = merged[lang][1][key] if merged[lang][1][key].project else base_origin[key]
            line, column = layer.at(key)
            expected, given = _names(base[key]), _names(message)
            out.append(Diagnostic(layer.shown, line, column, "ui-string-placeholder",
                                  f"'{key}' has the placeholders {given} in {lang} but {expected} in {default}",
                                  f"use {expected} in every language: fichegen fills in those names only"))
    return out


#: A catalogue whose words are this share or more the same as another language's is an untranslated copy of it
#: (translated catalogues share a few strings with English: "Discussions", "Budget", "A–Z").
COPIED_SHARE = 0.8
_LETTERS = re.compile(r"[^\W\d_]")


def copied_from(messages: dict[str, str], others: dict[str, dict[str, str]]) -> tuple[str, set[str]] | None:
    """The language a catalogue was copied from and left untranslated, with the strings that are still the same;
    None for a translated catalogue. Only strings with words count (not "{title} ({order})")."""
    best: tuple[str, set[str]] | None = None
    for lang, other in others.items():
        keys = [k for k in messages if k in other and _LETTERS.search(PLACEHOLDER.sub("", other[k]))]
        same = {k for k in keys if messages[k] == other[k]}
        if keys and len(same) >= COPIED_SHARE * len(keys) and (best is None or len(same) > len(best[1])):
            best = (lang, same)
    return best


def _names(message: str) -> str:
    return ", ".join(sorted(f"{{{n}}}" for n in placeholders(message))) or "no placeholder"


def _merge(found: list[_Layer]) -> tuple[dict[str, str], dict[str, _Layer]]:
    """The strings of one language after overriding, and the layer each comes from."""
    messages: dict[str, str] = {}
    origin: dict[str, _Layer] = {}
    for layer in found:
        messages.update(layer.messages)
        origin.update(dict.fromkeys(layer.messages, layer))
    return messages, origin


#: t('key') or t("key") in a template: a UI string used by name.
_T_CALL = re.compile(r"""\bt\(\s*(['"])([^'"]+)\1""")


def _literal_keys(theme: Theme) -> set[str]:
    """UI string keys the project's own templates name literally (a string they add for themselves)."""
    keys: set[str] = set()
    for path in theme.templates.values():
        try:
            keys.update(m[2] for m in _T_CALL.finditer(path.read_text(encoding="utf-8")))
        except (OSError, UnicodeDecodeError):
            continue
    return keys


def _closest(name: str, names: list[str]) -> str:
    close = difflib.get_close_matches(name, names, n=1, cutoff=0.6)
    return f"did you mean '{close[0]}'? " if close else ""


#: A currency symbol made of letters touching the digits (CHF1,000), either way round: CLDR's currencySpacing.
_CODE_THEN_DIGIT = re.compile(r"([A-Za-z])(\d)")
_DIGIT_THEN_CODE = re.compile(r"(\d)([A-Za-z])")


@dataclass(frozen=True)
class Shown:
    """A text as shown on a page: in the page language, or through the fallback chain. `lang` is the text's own
    tag (pt-BR on a pt page), "" for a name that is the same in every language; `fallback`: another language
    than the page's, shown because the page's is missing."""

    text: str
    lang: str
    fallback: bool


@lru_cache(maxsize=64)
def _locale(lang: str) -> Locale:
    return Locale.parse(lang)


class Localizer:
    """Everything a page in one language needs to say things: UI strings, names, dates, money, fallback."""

    def __init__(self, lang: str, config: SiteConfig, catalogues: dict[str, Catalogue]):
        self.lang = lang
        self.locale = _locale(config.locales.get(lang, lang))
        self._dates: dict[FuzzyDate, str] = {}   # CLDR formatting is slow; a site has few distinct dates…
        self._numbers: dict[Any, str] = {}       # …and few distinct counts and percentages
        self.chain = config.chain(lang)
        self._messages = catalogues[lang].messages
        self._default = catalogues[config.default_language].messages
        self._default_locale = _locale(config.locales.get(config.default_language, config.default_language))
        self.catalogues = catalogues   # every language's UI strings, for the translation status page

    # --- UI strings ------------------------------------------------------------------
    def t(self, key: str, **values: Any) -> str:
        message = self._messages.get(key) or self._default.get(key)
        if message is None:
            raise KeyError(f"UI string {key!r} is not in the catalogue")
        return fill(message, values)

    def t_count(self, key: str, count: int | Decimal, **values: Any) -> str:
        """The message for `count` in the plural form this language's CLDR rules choose (`key.one`, `key.other`…),
        with {count} formatted for the language; a message taken from the default language follows its rules."""
        message = plural.message(self._messages, key, count, self.locale) or plural.message(self._default, key, count, self._default_locale)
        if message is None:
            raise KeyError(f"UI string {key!r} is not in the catalogue")
        return fill(message, {"count": self.number(count), **values})

    def has(self, key: str) -> bool:
        return key in self._messages or key in self._default

    # --- fallback --------------------------------------------------------------------
    def pick(self, text: LocalizedText | None) -> Shown | None:
        """The text to show: in the page's language (or a variant of it: pt-BR on a pt page), else along the
        fallback chain; a name that is the same in every language as it is."""
        if text is None:
            return None
        if text.invariant:
            return Shown(text.get(self.lang) or "", "", False)
        texts = text.texts
        page = primary_language(self.lang)
        for lang in self.chain:
            value = texts.get(lang)
            if value is not None:
                return Shown(value, lang, primary_language(lang) != page)
            wanted = primary_language(lang)
            for tag, value in texts.items():
                if primary_language(tag) == wanted:
                    return Shown(value, tag, wanted != page)
        lang, value = next(iter(texts.items()))
        return Shown(value, lang, primary_language(lang) != page)

    def plain(self, text: LocalizedText | None) -> str:
        shown = self.pick(text)
        return shown.text if shown else ""

    # --- CLDR names and formats ------------------------------------------------------
    def country(self, code: str) -> str:
        return self.locale.territories.get(code, code)

    def language(self, code: str) -> str:
        """A language's name standing alone (a menu entry, a table cell): capitalized."""
        name = self.language_in_text(code)
        return name[:1].upper() + name[1:]

    def language_in_text(self, code: str) -> str:
        """A language's name inside a sentence, in CLDR's case for this language ("en anglais", "in English")."""
        return self.locale.languages.get(code.replace("-", "_")) or self.locale.languages.get(primary_language(code), code)

    def date(self, value: FuzzyDate | None) -> str:
        if value is None:
            return ""
        shown = self._dates.get(value)
        if shown is None:
            shown = self._dates[value] = self._format_date(value)
        return shown

    def _format_date(self, value: FuzzyDate) -> str:
        if value.precision == "year":
            return str(value.year)
        if value.precision == "month":
            return format_skeleton("yMMMM", value.first_day(), locale=self.locale)
        return format_date(value.first_day(), format="long", locale=self.locale)

    def full_date(self, value) -> str:
        return format_date(value, format="long", locale=self.locale)

    def money(self, amount: Decimal | None, currency: str | None, qualifier: str | None = None) -> str:
        """An amount as the page's language writes it, with CLDR's space between a letter code and the digits
        ("CHF 1,143,694.00", which Babel's patterns run together) and the source's qualifier ("about …")."""
        if amount is None or currency is None:
            return ""
        key = ("¤", amount, currency)
        text = self._numbers.get(key)
        if text is None:
            text = format_currency(amount, currency, locale=self.locale)
            text = _CODE_THEN_DIGIT.sub("\\1\u00a0\\2", text)
            text = _DIGIT_THEN_CODE.sub("\\1\u00a0\\2", text)
            self._numbers[key] = text
        return self.qualified(text, qualifier)

    def qualified(self, value: str, qualifier: str | None) -> str:
        """A figure as the source qualifies it: "about €1,000,000.00", "more than 4,653"."""
        return self.t(f"qualifier.{qualifier}", value=value) if qualifier else value

    def months(self, count: int) -> str:
        """A length in months, with CLDR's plural rules: "1 month", "24 months", "24 mois"."""
        return format_unit(count, "duration-month", length="long", locale=self.locale)

    def currency_name(self, code: str) -> str:
        """A currency's name for a title: "euro", "US dollar" (CLDR), or its code."""
        return get_currency_name(code, locale=self.locale) or code

    def number(self, value: int | float | Decimal) -> str:
        key = ("n", value)
        if key not in self._numbers:
            self._numbers[key] = format_decimal(value, locale=self.locale)
        return self._numbers[key]

    def percent(self, rate: Decimal | None) -> str:
        if rate is None:
            return ""
        key = ("%", rate)
        if key not in self._numbers:
            places = max(0, -rate.normalize().as_tuple().exponent)
            self._numbers[key] = format_percent(rate / 100, format="#,##0." + "0" * places + "%" if places else "#,##0%",
                                                locale=self.locale)
        return self._numbers[key]
