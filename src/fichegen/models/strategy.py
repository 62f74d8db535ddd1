"""A strategy: a public policy document, its priorities and objectives in its own words (numbered or not),
its milestones and the bodies responsible for it."""

from __future__ import annotations

from typing import Iterator, Literal

from .common import (CountryCode, FicheBase, FuzzyDate, Identifier, Link, LocalizedMarkdown, LocalizedName, LocalizedText,
                     Number, Period, Problem, Strict, fiche_id, items, term_id)
from .geography import Place
from .references import as_relation
from .results import Result


class Territory(Strict):
    """The territory the strategy covers."""

    level: Literal["national", "regional", "local"]
    """national, regional or local."""
    country: as_relation(CountryCode, "territory")
    """The country (ISO 3166-1 alpha-2)."""
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


MilestoneEvent = Literal["launch", "drafting", "consultation", "adoption", "publication", "implementation", "evaluation",
                         "revision", "end", "other"]


class Milestone(Strict):
    """A dated step in the strategy's life."""

    date: FuzzyDate
    """When it happened (or is planned), as precisely as the source says."""
    event: MilestoneEvent
    """launch, drafting, consultation, adoption, publication, implementation, evaluation, revision, end, other."""
    label: LocalizedText | None = None
    """What happened, in the source's words."""


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
    """The strategy's short name, e.g. SNMI; one per language when it differs."""
    title: LocalizedName
    """Full title of the strategy."""
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
        numbered = [p.number is not None for p in self.priorities]
        if any(numbered) and not all(numbered):
            i = numbered.index(False)
            yield Problem(("priorities", i), "priority-numbering", f"priority {i + 1} has no number while others have one",
                          "number every priority as the strategy does, or none of them")
        for i, priority in enumerate(self.priorities):
            if priority.number is not None and all(numbered) and priority.number != str(i + 1):
                yield Problem(("priorities", i, "number"), "priority-numbering",
                              f"priority {priority.number!r} stands in position {i + 1}",
                              f"number priorities 1, 2, 3… in order: this one should be \"{i + 1}\"")
            for j, objective in enumerate(priority.objectives):
                if objective.number is None or priority.number is None:
                    continue
                expected = f"{priority.number}.{j + 1}"
                if objective.number != expected:
                    parent = objective.number.rsplit(".", 1)[0]
                    why = (f"objective {objective.number!r} does not belong to priority {priority.number!r}"
                           if parent != priority.number else f"objective {objective.number!r} stands in position {j + 1}")
                    yield Problem(("priorities", i, "objectives", j, "number"), "priority-numbering", why,
                                  f"under priority {priority.number} this objective should be \"{expected}\"")
