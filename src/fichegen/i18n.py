"""Languages: UI catalogues from the theme, CLDR formatting through Babel, per-field fallback."""

from __future__ import annotations

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
from .diagnostics import Diagnostic
from .load import LoadError, decode, parse_yaml
from .models.common import FuzzyDate, LocalizedText, primary_language

def _builtin_theme() -> Path:
    """The theme shipped with fichegen: theme/ beside src/ in a checkout, or inside the installed package."""
    here = Path(__file__).resolve().parent
    for candidate in (here.parents[1] / "theme", here / "theme"):
        if (candidate / "templates").is_dir():
            return candidate
    return here.parents[1] / "theme"


BUILTIN_THEME = _builtin_theme()


def theme_dir(root: Path, config: SiteConfig) -> Path:
    """The theme in use: the configured one, the project's theme/ folder, or the built-in one."""
    if config.theme_dir:
        return (root / config.theme_dir).resolve()
    if (root / "theme" / "templates").is_dir():
        return (root / "theme").resolve()
    return BUILTIN_THEME


@dataclass(frozen=True)
class Catalogue:
    """The UI strings of one language, keyed by message id."""

    lang: str
    messages: dict[str, str]


def read_catalogue(path: Path) -> dict[str, str]:
    data, _ = parse_yaml(decode(path.read_bytes()))
    if not isinstance(data, dict):
        return {}
    return {str(k): str(v) for k, v in data.items() if v is not None}


def load_catalogues(theme: Path, languages: list[str]) -> dict[str, Catalogue]:
    out = {}
    for lang in languages:
        path = theme / "i18n" / f"{lang}.yaml"
        out[lang] = Catalogue(lang, read_catalogue(path) if path.is_file() else {})
    return out


def check_catalogues(root: Path, config: SiteConfig) -> list[Diagnostic]:
    """Every UI string of the default language must exist in every site language."""
    theme = theme_dir(root, config)
    base_path = theme / "i18n" / f"{config.default_language}.yaml"
    rel = lambda p: p.relative_to(root).as_posix() if p.is_relative_to(root) else p.as_posix()  # noqa: E731
    if not base_path.is_file():
        return [Diagnostic(rel(base_path), 1, 1, "ui-string-missing", f"no UI catalogue for the default language '{config.default_language}'")]
    out = []
    try:
        base = read_catalogue(base_path)
    except LoadError as exc:
        return [Diagnostic(rel(base_path), exc.line, exc.column, exc.code, exc.message, exc.hint)]
    for lang in config.languages:
        path = theme / "i18n" / f"{lang}.yaml"
        if not path.is_file():
            out.append(Diagnostic(rel(path), 1, 1, "ui-string-missing", f"no UI catalogue for '{lang}'",
                                  f"copy {config.default_language}.yaml to {lang}.yaml and translate it"))
            continue
        try:
            messages = read_catalogue(path)
        except LoadError as exc:
            out.append(Diagnostic(rel(path), exc.line, exc.column, exc.code, exc.message, exc.hint))
            continue
        for key in base:
            if key not in messages:
                out.append(Diagnostic(rel(path), 1, 1, "ui-string-missing", f"the UI string '{key}' has no {lang} translation",
                                      f"add '{key}: …' (English: {base[key][:60]!r})"))
    return out


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
        return message.format(**values) if values else message

    def t_count(self, key: str, count: int | Decimal, **values: Any) -> str:
        """The message for `count` in the plural form this language's CLDR rules choose (`key.one`, `key.other`…),
        with {count} formatted for the language; a message taken from the default language follows its rules."""
        message = plural.message(self._messages, key, count, self.locale) or plural.message(self._default, key, count, self._default_locale)
        if message is None:
            raise KeyError(f"UI string {key!r} is not in the catalogue")
        return message.format(**{"count": self.number(count), **values})

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
