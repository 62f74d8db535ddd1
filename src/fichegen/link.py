"""Stage 3, link: every fiche and term in one graph, references resolved, backlinks typed.

The graph is computed once per build; pages and exports only read it.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Iterable, Iterator, NamedTuple

from .config import SiteConfig
from .diagnostics import Diagnostic, Severity
from .load import SourceFile
from .models import FicheBase, Organisation, Project, Strategy, Discussion, Term
from .suggest.references import Candidate, ReferenceIndex, describe
from .validate import Vocabulary, did_you_mean

KINDS = ("project", "strategy", "organisation", "discussion")


class Ref(NamedTuple):
    kind: str
    id: str


@dataclass(frozen=True)
class Edge:
    """A typed reference from one fiche to another: `source` is `relation` of `target`."""

    source: Ref
    relation: str   # lead, partner, associated, funder, responsible, adopting, monitoring, organiser,
                    # contributor, contributes_to, follows, followed_by, part_of, related, parent, programme_funder
    target: Ref
    detail: str | None = None   # a priority number, a contribution index…


#: Taxonomies: each maps term → fiches. Countries and years come from the data, the rest are vocabularies.
TAXONOMIES = ("countries", "themes", "programmes", "target-groups", "regions", "years", "statuses", "organisation-types")


@dataclass
class SiteGraph:
    """Every fiche by kind and id, the vocabularies, the edges between them and the taxonomies."""

    config: SiteConfig
    today: date
    fiches: dict[str, dict[str, FicheBase]] = field(default_factory=lambda: {k: {} for k in KINDS})
    sources: dict[Ref, SourceFile] = field(default_factory=dict)
    vocabularies: dict[str, dict[str, Term]] = field(default_factory=dict)
    outgoing: dict[Ref, list[Edge]] = field(default_factory=lambda: defaultdict(list))
    incoming: dict[Ref, list[Edge]] = field(default_factory=lambda: defaultdict(list))
    taxonomies: dict[str, dict[str, list[Ref]]] = field(default_factory=dict)

    # --- reading -------------------------------------------------------------------
    def get(self, ref: Ref) -> FicheBase | None:
        return self.fiches[ref.kind].get(ref.id)

    def all(self, kind: str) -> list[FicheBase]:
        return list(self.fiches[kind].values())

    @property
    def projects(self) -> dict[str, Project]:
        return self.fiches["project"]  # type: ignore[return-value]

    @property
    def strategies(self) -> dict[str, Strategy]:
        return self.fiches["strategy"]  # type: ignore[return-value]

    @property
    def organisations(self) -> dict[str, Organisation]:
        return self.fiches["organisation"]  # type: ignore[return-value]

    @property
    def discussions(self) -> dict[str, Discussion]:
        return self.fiches["discussion"]  # type: ignore[return-value]

    def term(self, vocabulary: str, term_id: str) -> Term | None:
        return self.vocabularies.get(vocabulary, {}).get(term_id)

    def backlinks(self, ref: Ref, *relations: str) -> list[Edge]:
        return [e for e in self.incoming.get(ref, ()) if not relations or e.relation in relations]

    def links(self, ref: Ref, *relations: str) -> list[Edge]:
        return [e for e in self.outgoing.get(ref, ()) if not relations or e.relation in relations]

    def status(self, project: Project) -> str | None:
        return project.status_on(self.today)

    def refs(self, kind: str) -> Iterator[Ref]:
        return (Ref(kind, i) for i in self.fiches[kind])


class _Linker:
    def __init__(self, graph: SiteGraph, vocabulary_sources: dict[str, SourceFile]):
        self.g = graph
        self.diagnostics: list[Diagnostic] = []
        self._vocabulary_sources = vocabulary_sources
        self._indexes: dict[str, ReferenceIndex] = {}   # per kind or vocabulary, built at its first unknown reference

    def _closest(self, pool: str, word: str) -> str:
        """'did you mean …?' for an unknown id of a fiche kind or vocabulary: by id, acronym or name in any language."""
        if pool not in self._indexes:
            items = ([(f.id, f.name, getattr(f, "acronym", None)) for f in self.g.fiches[pool].values()] if pool in KINDS
                     else [(i, t.label, None) for i, t in self.g.vocabularies.get(pool, {}).items()])
            self._indexes[pool] = ReferenceIndex(Candidate(i, tuple(dict.fromkeys(t for _, t in name.items())), (a,) if a else ())
                                                 for i, name, a in items)
        return describe(self._indexes[pool].suggest(word), word)

    def _diag(self, source: SourceFile, loc: tuple, code: str, message: str, hint: str = "", severity=Severity.error):
        line, col = source.at(loc)
        self.diagnostics.append(Diagnostic(source.rel, line, col, code, message, hint, severity))

    def fiche(self, src: Ref, loc: tuple, kind: str, target_id: str | None, relation: str, detail: str | None = None,
              *, missing_ok: bool = False) -> bool:
        """Resolve a reference to a fiche and record the edge; report it when it does not resolve."""
        if target_id is None:
            return False
        source = self.g.sources[src]
        if kind == src.kind and target_id == src.id:
            self._diag(source, loc, "self-reference", f"this {kind} refers to itself as '{relation}'", "name another fiche")
            return False
        target = Ref(kind, target_id)
        if target_id not in self.g.fiches[kind]:
            if missing_ok:
                self._diag(source, loc, "unlinked-project", f"the related project '{target_id}' has no fiche yet; it is shown without a link",
                           f"add content/projects/{target_id}.yaml to link it", Severity.warning)
            else:
                folder = {"project": "projects", "strategy": "strategies", "organisation": "organisations", "discussion": "discussions"}[kind]
                hint = self._closest(kind, target_id) or f"create content/{folder}/{target_id}.yaml, or check the spelling"
                self._diag(source, loc, "unknown-reference", f"no {kind} has the id '{target_id}'", hint)
            return False
        edge = Edge(src, relation, target, detail)
        self.g.outgoing[src].append(edge)
        self.g.incoming[target].append(edge)
        return True

    def term(self, src: Ref, loc: tuple, vocabulary: str, term_id: str | None) -> bool:
        if term_id is None:
            return False
        terms = self.g.vocabularies.get(vocabulary, {})
        if term_id not in terms:
            hint = self._closest(vocabulary, term_id) or f"add the term to content/vocabularies/{vocabulary}.yaml, or check the spelling"
            self._diag(self.g.sources[src], loc, "unknown-reference", f"'{term_id}' is not a term of the {vocabulary} vocabulary", hint)
            return False
        return True

    def terms(self, src: Ref, base: tuple, vocabulary: str, ids: Iterable[str]) -> None:
        for i, t in enumerate(ids):
            self.term(src, base + (i,), vocabulary, t)

    # --- per kind ------------------------------------------------------------------
    def project(self, p: Project) -> None:
        src = Ref("project", p.id)
        for i, partner in enumerate(p.partners):
            self.fiche(src, ("partners", i, "organisation"), "organisation", partner.organisation, partner.role)
        self.term(src, ("programme",), "programmes", p.programme)
        if p.funding and p.funding.contribution:
            self.term(src, ("funding", "contribution", "fund"), "funds", p.funding.contribution.fund)
        self.terms(src, ("themes",), "themes", p.themes)
        self.terms(src, ("target_groups",), "target-groups", p.target_groups)
        self.terms(src, ("regions",), "regions", p.regions)
        for i, rel in enumerate(p.related_projects):
            self.fiche(src, ("related_projects", i, "project"), "project", rel.project, rel.relation, missing_ok=True)
        for i, link in enumerate(p.strategies):
            if self.fiche(src, ("strategies", i, "strategy"), "strategy", link.strategy, "contributes_to", link.priority):
                strategy = self.g.strategies[link.strategy]
                if link.priority and link.priority not in strategy.numbers():
                    self._diag(self.g.sources[src], ("strategies", i, "priority"), "unknown-priority",
                               f"the strategy '{link.strategy}' has no priority or objective '{link.priority}'",
                               did_you_mean(link.priority, sorted(strategy.numbers())) or "its numbers are: " + ", ".join(sorted(strategy.numbers())))

    def strategy(self, s: Strategy) -> None:
        src = Ref("strategy", s.id)
        for i, org in enumerate(s.responsible):
            self.fiche(src, ("responsible", i), "organisation", org, "responsible")
        for i, org in enumerate(s.adopting):
            self.fiche(src, ("adopting", i), "organisation", org, "adopting")
        if s.monitoring:
            self.fiche(src, ("monitoring", "organisation"), "organisation", s.monitoring.organisation, "monitoring")
        self.terms(src, ("territory", "regions"), "regions", s.territory.regions)
        self.terms(src, ("themes",), "themes", s.themes)
        self.terms(src, ("target_groups",), "target-groups", s.target_groups)

    def organisation(self, o: Organisation) -> None:
        src = Ref("organisation", o.id)
        self.term(src, ("type",), "organisation-types", o.type)
        self.fiche(src, ("parent",), "organisation", o.parent, "parent")

    def discussion(self, d: Discussion) -> None:
        src = Ref("discussion", d.id)
        for i, org in enumerate(d.organisers):
            self.fiche(src, ("organisers", i), "organisation", org, "organiser")
        self.terms(src, ("themes",), "themes", d.themes)
        for i, c in enumerate(d.contributions):
            self.fiche(src, ("contributions", i, "organisation"), "organisation", c.organisation, "contributor", str(i))

    def programmes(self) -> None:
        vocab = self.g.vocabularies.get("programmes", {})
        for term_id, programme in vocab.items():
            funder = getattr(programme, "funder", None)
            if funder and funder not in self.g.organisations:
                source = self._vocabulary_sources["programmes"]
                line, col = source.at((term_id, "funder"))
                self.diagnostics.append(Diagnostic(source.rel, line, col, "unknown-reference", f"no organisation has the id '{funder}'",
                                                   self._closest("organisation", funder)))

    def duplicates(self) -> None:
        """The same identifier on two fiches of one kind means the same thing has two fiches."""
        for kind in KINDS:
            seen: dict[tuple[str, str], str] = {}
            for fiche in self.g.fiches[kind].values():
                for i, ident in enumerate(getattr(fiche, "identifiers", [])):
                    key = (ident.scheme.lower(), ident.value.strip().lower())
                    if key in seen and seen[key] != fiche.id:
                        self._diag(self.g.sources[Ref(kind, fiche.id)], ("identifiers", i, "value"), "duplicate-id",
                                   f"the {kind} '{seen[key]}' has the same {ident.scheme} identifier '{ident.value}'",
                                   "merge the two fiches into one, or correct the identifier")
                    seen.setdefault(key, fiche.id)
        for name, terms in self.g.vocabularies.items():
            folded: dict[str, str] = {}
            for term_id in terms:
                other = folded.setdefault(term_id.lower(), term_id)
                if other != term_id:
                    source = self._vocabulary_sources[name]
                    line, col = source.at((term_id,), key=True)
                    self.diagnostics.append(Diagnostic(source.rel, line, col, "id-case-collision",
                                                       f"the terms '{other}' and '{term_id}' differ only by case", "rename one of them"))


def _taxonomies(g: SiteGraph) -> dict[str, dict[str, list[Ref]]]:
    # term → fiches as an insertion-ordered dict used as a set: a list's `in` made this quadratic
    tax: dict[str, dict[str, dict[Ref, None]]] = {name: defaultdict(dict) for name in TAXONOMIES}

    def add(name: str, key: str | None, ref: Ref):
        if key is not None:
            tax[name][key][ref] = None

    for p in g.projects.values():
        r = Ref("project", p.id)
        for c in p.countries:
            add("countries", c, r)
        for t in p.themes:
            add("themes", t, r)
        for t in p.target_groups:
            add("target-groups", t, r)
        for t in p.regions:
            add("regions", t, r)
        add("programmes", p.programme, r)
        add("years", str(p.start_date.year) if p.start_date else None, r)
        add("statuses", p.status_on(g.today), r)
    for s in g.strategies.values():
        r = Ref("strategy", s.id)
        add("countries", s.territory.country, r)
        for t in s.territory.regions:
            add("regions", t, r)
        for t in s.themes:
            add("themes", t, r)
        for t in s.target_groups:
            add("target-groups", t, r)
    for o in g.organisations.values():
        r = Ref("organisation", o.id)
        add("countries", o.country, r)
        add("organisation-types", o.type, r)
    for d in g.discussions.values():
        r = Ref("discussion", d.id)
        for t in d.themes:
            add("themes", t, r)
        for c in sorted({c.country for c in d.contributions if c.country}):
            add("countries", c, r)
    # Only terms that exist are kept: unknown ones were reported by the linker.
    for name, vocabulary in (("themes", "themes"), ("programmes", "programmes"), ("target-groups", "target-groups"),
                             ("regions", "regions"), ("organisation-types", "organisation-types")):
        known = g.vocabularies.get(vocabulary, {})
        tax[name] = {k: v for k, v in tax[name].items() if k in known}
    return {name: {k: list(v) for k, v in sorted(terms.items())} for name, terms in tax.items()}


def link(config: SiteConfig, fiches: list[tuple[FicheBase, SourceFile]], vocabularies: list[Vocabulary]) -> tuple[SiteGraph, list[Diagnostic]]:
    graph = SiteGraph(config=config, today=config.today())
    linker = _Linker(graph, {v.name: v.source for v in vocabularies})
    for v in vocabularies:
        graph.vocabularies[v.name] = v.terms
    for fiche, source in sorted(fiches, key=lambda fs: (fs[1].kind, fs[1].id)):
        graph.fiches[source.kind][source.id] = fiche
        graph.sources[Ref(source.kind, source.id)] = source
    for kind in KINDS:
        handler = getattr(linker, kind)
        for fiche in graph.fiches[kind].values():
            handler(fiche)
    linker.programmes()
    linker.duplicates()
    graph.taxonomies = _taxonomies(graph)
    return graph, linker.diagnostics
