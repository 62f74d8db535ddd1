"""A strategy: a public policy document, its priorities and objectives in its own words (numbered or not),
its milestones and the bodies responsible for it."""

from __future__ import annotations

from typing import Annotated, Iterator, Literal

from pydantic import Field

from .common import (CountryCode, FicheBase, FuzzyDate, Identifier, Link, LocalizedMarkdown, LocalizedName, LocalizedText,
                     Number, Period, Problem, Strict, fiche_id, items, term_id)
from .geography import Place, WorldRegionId
from .references import as_relation
from .milestones import Milestone, milestone_problems
from .results import Result


class Territory(Strict):
    """The territory the strategy covers."""

    level: Literal["national", "regional", "local", "supranational"]
    """national, regional, local, or supranational (a regional organisation's framework)."""
    country: as_relation(CountryCode, "territory") | None = None
    """The country (ISO 3166-1 alpha-2); for a supranational strategy, leave out and give world_regions."""
    world_regions: items(as_relation(WorldRegionId, "territory"), 20, unique=True) = []
    """The supranational regions it covers: a UN M49 code ("014"), an IATI region ("iati-1027") or a term of content/vocabularies/world-regions.yaml."""
    regions: items(term_id("regions", relation="territory"), 100, unique=True) = []
    """Regions covered, terms of content/vocabularies/regions.yaml (e.g. ES-VC)."""
    places: items(Place, 50) = []
    """Cities or municipalities covered, for a local strategy (São Paulo)."""


class Adoption(Strict):
    """How and when the strategy was adopted."""

    date: FuzzyDate | None = None
    """Date of adoption."""
    act: LocalizedText | None = None
    """The act that adopted it (decree, resolution)."""


class Objective(Strict):
    """An objective under a priority."""

    number: Number | None = None
    """Its number as the strategy writes it, the priority's number then its own: "1.2"; leave out when the strategy does not number them."""
    title: LocalizedText
    """What the objective aims at."""


class Priority(Strict):
    """A priority (axis, pillar, goal: whatever the strategy calls it) and its objectives."""

    number: Number | None = None
    """Its number as the strategy writes it: "1", "2"…; leave out when the strategy does not number them."""
    title: LocalizedText
    """What the priority aims at."""
    objectives: items(Objective, 50) = []
    """Its objectives."""


class LevelNames(Strict):
    """The strategy's own words for its levels, shown instead of "priorities" and "objectives"."""

    priorities: LocalizedText | None = None
    """What the strategy calls its first level, in the plural: {fr: Axes}, {es: Objetivos}."""
    objectives: LocalizedText | None = None
    """What it calls its second level, in the plural: {es: Estrategias}."""


ContributorRole = Literal["drafting", "support", "consulted", "observer", "funding", "implementing"]


class Contributor(Strict):
    """An organisation that took part in the strategy other than as responsible or adopting body: it drafted it,
    supported it, was consulted, observed; named by its fiche, by a name, or counted ("13 municipal secretariats")."""

    organisation: fiche_id("organisation", relations_from="roles") | None = None
    """The id of the organisation's fiche."""
    name: LocalizedName | None = None
    """Its name (or the group's), when it has no fiche."""
    count: Annotated[int, Field(ge=1, le=100_000)] | None = None
    """How many organisations this entry stands for, when more than one or not named."""
    roles: items(ContributorRole, 6, unique=True)
    """drafting (drafted it, e.g. a consultancy), support (technical, methodological support), consulted, observer, funding, implementing."""
    note: LocalizedText | None = None
    """What it did, in the source's words ("Apoio Técnico, Metodológico e de Redação")."""


class Monitoring(Strict):
    """Who monitors and evaluates the strategy, and on what legal basis."""

    body: LocalizedText
    """The name of the monitoring or evaluation body."""
    organisation: fiche_id("organisation", relation="monitoring") | None = None
    """The body's organisation fiche, if it has one."""
    legal_basis: LocalizedText | None = None
    """The act that sets the body up."""


class Strategy(FicheBase):
    """A strategy fiche: content/strategies/ID.yaml."""

    acronym: LocalizedName | None = None
    """The strategy's short name, e.g. SNIA; one per language when it differs."""
    title: LocalizedName
    """Full title of the strategy."""
    other_names: items(LocalizedName, 20) = []
    """Other names it goes by in its sources ("Programa Nacional de Migración 2014-2018")."""
    part_of: fiche_id("strategy", relation="part_of", may_be_missing=True) | None = None
    """The strategy or plan it belongs to (a national development plan), when it has a fiche or will have one."""
    summary: LocalizedMarkdown
    """Two or three sentences on what the strategy is for."""
    description: LocalizedMarkdown | None = None
    """The longer presentation, in Markdown."""
    territory: Territory
    """The territory it covers."""
    period: Period
    """The years it runs (start and end)."""
    responsible: items(fiche_id("organisation", relation="responsible"), 50, unique=True) = []
    """Organisations responsible for it (ids of organisation fiches)."""
    adopting: items(fiche_id("organisation", relation="adopting"), 50, unique=True) = []
    """Organisations that adopted it."""
    contributors: items(Contributor, 100, unique="organisation",
                        hint="list the organisation once, with all its roles: roles: [drafting, support]") = []
    """Other organisations that took part: drafted, supported, were consulted, observed."""
    adoption: Adoption | None = None
    """When and by which act it was adopted."""
    milestones: items(Milestone, 50) = []
    """Dated steps: launch, drafting, consultation, adoption, evaluation…"""
    development_process: LocalizedMarkdown | None = None
    """How it was prepared: who took part, when."""
    level_names: LevelNames | None = None
    """The strategy's own words for its priorities and objectives, when it has them."""
    priorities: items(Priority, 50) = []
    """Its priorities and their objectives, in the strategy's order."""
    themes: items(term_id("themes"), 30, unique=True) = []
    """Themes, terms of content/vocabularies/themes.yaml."""
    target_groups: items(term_id("target-groups"), 30, unique=True) = []
    """Who it is for, terms of content/vocabularies/target-groups.yaml."""
    monitoring: Monitoring | None = None
    """The monitoring and evaluation body."""
    results: items(Result, 50) = []
    """What the strategy has achieved so far, with its figures (e.g. applications received, people regularised)."""
    documents: items(Link, 50) = []
    """The strategy text, presentations, reports."""
    links: items(Link, 50) = []
    """Other web pages about it."""
    identifiers: items(Identifier, 20) = []
    """Codes in other systems."""

    def listed_date(self) -> str:
        return str(self.period.start or "")

    @property
    def name(self) -> LocalizedText:
        return self.title

    @property
    def numbered(self) -> bool:
        return any(p.number for p in self.priorities)

    def priority_keys(self) -> list[tuple[str, Priority, Objective | None]]:
        """(key, priority, objective) for every priority and objective: the number the strategy gives it, or
        its position ("2", "2.1") when the strategy does not number them; projects refer to these keys."""
        out = []
        for i, p in enumerate(self.priorities):
            key = p.number or str(i + 1)
            out.append((key, p, None))
            for j, o in enumerate(p.objectives):
                out.append((o.number or f"{key}.{j + 1}", p, o))
        return out

    def numbers(self) -> set[str]:
        """Every priority and objective key, for checking project references."""
        return {key for key, _, _ in self.priority_keys()}

    def problems(self) -> Iterator[Problem]:
        yield from super().problems()
        yield from self.check_original_language({"title": self.title, "summary": self.summary})
        yield from self.period.problems(("period",))
        yield from milestone_problems(self.milestones, ("milestones",))
        t = self.territory
        if t.country is None and not t.world_regions:
            yield Problem(("territory",), "missing-key", "the territory names no country and no world region",
                          "add `country:` (ISO code), or for a supranational strategy `world_regions:`")
        elif t.country is not None and t.level == "supranational":
            yield Problem(("territory", "country"), "invalid-value", "a supranational strategy covers world regions, not one country",
                          "write world_regions: [...] instead of country:, or set level: national")
        for i, c in enumerate(self.contributors):
            if c.organisation and c.name:
                yield Problem(("contributors", i, "name"), "invalid-value", "give either organisation (a fiche id) or name (free text), not both",
                              "keep organisation: the fiche has the name")
            elif not c.organisation and not c.name and not c.count:
                yield Problem(("contributors", i), "invalid-value", "this contributor has no organisation, name or count",
                              "write organisation: ID, or name: …, or count: N for organisations the source does not name")
        numbered = [p.number is not None for p in self.priorities]
        if any(numbered) and not all(numbered):
            i = numbered.index(False)
            yield Problem(("priorities", i), "priority-numbering", f"priority {i + 1} has no number while others have one",
                          "number every priority as the strategy does, or none of them")
        arabic = all(p.number is not None and p.number.isdigit() for p in self.priorities)
        for i, priority in enumerate(self.priorities):
            if arabic and priority.number != str(i + 1):
                yield Problem(("priorities", i, "number"), "priority-numbering",
                              f"priority {priority.number!r} stands in position {i + 1}",
                              f"number priorities 1, 2, 3… in order: this one should be \"{i + 1}\"")
            for j, objective in enumerate(priority.objectives):
                if objective.number is None or priority.number is None or not arabic:
                    continue    # numbers as the strategy writes them (IV, IV.b): kept, not checked for sequence
                expected = f"{priority.number}.{j + 1}"
                if objective.number != expected:
                    parent = objective.number.rsplit(".", 1)[0]
                    why = (f"objective {objective.number!r} does not belong to priority {priority.number!r}"
                           if parent != priority.number else f"objective {objective.number!r} stands in position {j + 1}")
                    yield Problem(("priorities", i, "objectives", j, "number"), "priority-numbering", why,
                                  f"under priority {priority.number} this objective should be \"{expected}\"")
