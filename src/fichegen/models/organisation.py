"""An organisation: a partner, funder, organiser or contributor's affiliation."""

from __future__ import annotations

from typing import Annotated, Iterator

from pydantic import StringConstraints

from .common import CountryCode, FicheBase, Identifier, Link, LocalizedMarkdown, LocalizedText, Problem, Ref, TermRef


class Organisation(FicheBase):
    """An organisation fiche: content/organisations/ID.yaml."""

    name: LocalizedText
    """The organisation's name; the official form in the original language, translations in the others."""
    acronym: Annotated[str, StringConstraints(min_length=1, max_length=40)] | None = None
    """Its usual abbreviation, e.g. ICMPD."""
    type: TermRef
    """What kind of organisation it is, a term of content/vocabularies/organisation-types.yaml."""
    country: CountryCode | None = None
    """Country of its seat (ISO 3166-1 alpha-2); leave out for international bodies."""
    city: Annotated[str, StringConstraints(min_length=1, max_length=100)] | None = None
    """City of its seat, as written locally."""
    website: Annotated[str, StringConstraints(max_length=2000)] | None = None
    """Its website, starting with https://."""
    parent: Ref | None = None
    """The id of the organisation it belongs to (a directorate's ministry, a programme's agency)."""
    summary: LocalizedMarkdown | None = None
    """A sentence or two on what the organisation does."""
    identifiers: list[Identifier] = []
    """Codes in other registries: IATI organisation id, PIC, VAT number…"""
    links: list[Link] = []
    """Other web pages about the organisation."""

    @property
    def title(self) -> LocalizedText:
        return self.name

    def problems(self) -> Iterator[Problem]:
        yield from self.check_original_language({"name": self.name})
        if self.website is not None:
            from .common import _web_url
            try:
                _web_url(self.website)
            except Exception:
                yield Problem(("website",), "invalid-value", f"'{self.website[:80]}' is not a web address starting with https:// or http://")
