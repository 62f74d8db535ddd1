"""An organisation: a participant, funder, organiser or contributor's affiliation."""

from __future__ import annotations

from typing import Annotated, Iterator

from pydantic import StringConstraints

from .common import (CountryCode, FicheBase, Identifier, Link, LocalizedMarkdown, LocalizedName, LocalizedText, Problem,
                     WebUrl, fiche_id, items, term_id)


class Organisation(FicheBase):
    """An organisation fiche: content/organisations/ID.yaml."""

    name: LocalizedName
    """The organisation's name; the official form in the original language, translations in the others."""
    acronym: LocalizedName | None = None
    """Its usual abbreviation: one (ICMPD), or one per language when they differ ({en: SDC, de: DEZA, fr: DDC, es: COSUDE})."""
    other_names: items(LocalizedName, 20) = []
    """Other names it is known by: former names, names in other forms."""
    type: term_id("organisation-types")
    """What kind of organisation it is, a term of content/vocabularies/organisation-types.yaml."""
    country: CountryCode | None = None
    """Country of its seat (ISO 3166-1 alpha-2); leave out for international bodies."""
    city: Annotated[str, StringConstraints(min_length=1, max_length=100)] | None = None
    """City of its seat, as written locally."""
    website: WebUrl | None = None
    """Its website, starting with https://."""
    parent: fiche_id("organisation", relation="parent") | None = None
    """The id of the organisation it belongs to (a directorate's ministry, a programme's agency)."""
    summary: LocalizedMarkdown | None = None
    """A sentence or two on what the organisation does."""
    identifiers: items(Identifier, 20) = []
    """Codes in other registries: IATI organisation id, PIC, VAT number…"""
    links: items(Link, 50) = []
    """Other web pages about the organisation."""

    @property
    def title(self) -> LocalizedText:
        return self.name

    def acronyms(self) -> list[str]:
        """Every acronym, whatever its language (for suggestions and search)."""
        if self.acronym is None:
            return []
        return [self.acronym.name] if self.acronym.invariant else list(dict.fromkeys(self.acronym.texts.values()))

    def problems(self) -> Iterator[Problem]:
        yield from super().problems()
        yield from self.check_original_language({"name": self.name})
