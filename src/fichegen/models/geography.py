"""Where a project works and whom it involves, as the field records it: recipient countries and supranational
regions (with shares only when stated), the other countries it involves and how, places below a region."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Annotated, Literal

from babel import Locale
from pydantic import AfterValidator, Field, StringConstraints
from pydantic_core import PydanticCustomError

from .common import CountryCode, LocalizedName, Strict, term_id
from .references import Reference, as_relation

#: A share of a whole, in percent, as a source states it (60, 12.5).
Percentage = Annotated[Decimal, Field(gt=0, le=100, decimal_places=4, examples=[94.42], json_schema_extra={"x-decimal-places": 4})]

_M49 = re.compile(r"[0-9]{3}")
_IATI_REGION = re.compile(r"iati-([0-9]{2,4})")


def is_m49_code(value: str) -> bool:
    """Whether a world-regions value is written as a UN M49 code (three digits) rather than a term id."""
    return bool(_M49.fullmatch(value))


def _world_region(value: str) -> str:
    """A UN M49 region (CLDR names it in every language), an IATI (OECD DAC) region, or a term of the
    world-regions vocabulary; the linker checks the last two against the codelist and the vocabulary."""
    if _M49.fullmatch(value) and value not in Locale("en").territories:
        raise PydanticCustomError("invalid-value", "'{value}' is not a UN M49 region code (e.g. 014 Eastern Africa, 419 Latin America and the Caribbean)",
                                  {"value": value})
    return value


WorldRegionId = Annotated[str, StringConstraints(pattern=r"^([0-9]{3}|iati-[0-9]{2,4}|[a-z0-9](?:[a-z0-9-]{0,78}[a-z0-9])?)$"),
                          AfterValidator(_world_region), Reference("world-regions"),
                          Field(examples=["014", "iati-1027", "horn-of-africa"])]


class RecipientCountry(Strict):
    """A country the project works in, with the share of the project it gets when the source states one."""

    country: as_relation(CountryCode, "countries")
    """The country (ISO 3166-1 alpha-2)."""
    percentage: Percentage | None = None
    """Its share of the project, in percent, only when the source states it."""


class RecipientRegion(Strict):
    """A supranational region the project works in, with its share when the source states one."""

    region: as_relation(WorldRegionId, "world_regions")
    """A UN M49 code ("014" Eastern Africa), an IATI region ("iati-1027" Eastern Africa, regional) or a term of content/vocabularies/world-regions.yaml ("horn-of-africa")."""
    percentage: Percentage | None = None
    """Its share of the project, in percent, only when the source states it."""


CountryRelation = Literal["partners", "experts", "diaspora", "origin", "transit", "destination", "donor", "other"]


class OtherCountry(Strict):
    """A country the project involves without working in it."""

    country: as_relation(CountryCode, relations_from="relation")
    """The country (ISO 3166-1 alpha-2)."""
    relation: CountryRelation
    """How: partners (organisations from there take part), experts (experts come from there), diaspora (a diaspora living there is involved), origin, transit or destination of the migration the project deals with, donor (it funds the project), other."""


class Coordinates(Strict):
    """A point on the map, in decimal degrees (WGS 84)."""

    latitude: Annotated[Decimal, Field(ge=-90, le=90, decimal_places=6, examples=[-23.5505], json_schema_extra={"x-decimal-places": 6})]
    """North is positive: -23.5505 for São Paulo."""
    longitude: Annotated[Decimal, Field(ge=-180, le=180, decimal_places=6, examples=[-46.6333], json_schema_extra={"x-decimal-places": 6})]
    """East is positive: -46.6333 for São Paulo."""


GazetteerAgency = Literal["geonames", "osm", "wikidata", "gaul", "other"]


class GazetteerEntry(Strict):
    """The place's id in a gazetteer, so that others can find exactly the same place."""

    agency: GazetteerAgency
    """geonames (GeoNames), osm (OpenStreetMap), wikidata, gaul (FAO's Global Administrative Unit Layers) or other."""
    id: Annotated[str, StringConstraints(min_length=1, max_length=100)]
    """The id in that gazetteer, e.g. 3448439 (GeoNames, São Paulo) or Q174 (Wikidata)."""


class Place(Strict):
    """A place below a region: a city, a municipality, a district."""

    name: LocalizedName
    """The place's name; one plain text when it is the same in every language (São Paulo)."""
    country: as_relation(CountryCode, "places")
    """The country it lies in."""
    region: term_id("regions", relation="places") | None = None
    """The sub-national region it lies in, a term of content/vocabularies/regions.yaml."""
    gazetteer: GazetteerEntry | None = None
    """Its id in a gazetteer."""
    coordinates: Coordinates | None = None
    """Where it is, to draw it on the maps."""
