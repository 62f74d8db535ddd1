"""Stage 3, link: every fiche, vocabulary term and code in one graph, references resolved into typed edges.

The references are not listed here: each model declares them next to its fields (models/references.py), and
the linker walks what the models declare. A fiche or term that did not validate still has its id (references
to it resolve, its own errors stay in its own file) and still has its references checked.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Iterable, Iterator, NamedTuple

from .codelists import codelist
from .config import SiteConfig
from .diagnostics import Diagnostic, Severity
from .load import SourceFile
from .models import FOLDERS, Discussion, FicheBase, Organisation, Project, Strategy, Term
from .models.geography import is_m49_code
from .models.references import CODE_KINDS, FoundReference, walk
from .suggest.references import Candidate, ReferenceIndex, describe
from .validate import Unvalidated, Vocabulary, did_you_mean

KINDS = ("project", "strategy", "organisation", "discussion")


class Ref(NamedTuple):
    """A node of the graph: a fiche (kind "project"…), a vocabulary term (kind "themes"…) or a code (kind
    "countries", "world-regions", "sectors")."""

    kind: str
    id: str


@dataclass(frozen=True)
class Edge:
    """A typed reference from one node to another: `source` is `relation` of `target` (a participant's role, a
    project's theme, a programme's funder…), as declared by the field that holds it."""

    source: Ref
    relation: str
    target: Ref
    detail: str | None = None   # a priority number, a phase, a contribution's position…
    field: str = ""             # where in the source it was written (dotted, without indices)


#: Taxonomies: each maps term → fiches. Years and statuses come from the data, the rest are nodes of the graph.
TAXONOMIES = ("countries", "world-regions", "sectors", "themes", "programmes", "target-groups", "regions", "years",
              "statuses", "organisation-types")
#: The taxonomies whose terms are nodes of the graph (its members are the fiches that refer to them).
NODE_TAXONOMIES = ("countries", "world-regions", "sectors", "themes", "programmes", "target-groups", "regions", "organisation-types")


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
    memberships: dict[Ref, dict[str, list[str]]] = field(default_factory=dict)   # fiche → taxonomy → its terms

    # --- reading -------------------------------------------------------------------
    def get(self, ref: Ref) -> FicheBase | None:
        return self.fiches[ref.kind].get(ref.id) if ref.kind in self.fiches else None

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


def known_fiche_ids(graph: SiteGraph, unvalidated: Iterable[Unvalidated]) -> dict[str, set[str]]:
    """kind → the ids of its fiches that exist, valid or not: a reference (or a link) to a fiche with mistakes of its
    own is not a mistake."""
    known = {k: set(graph.fiches[k]) for k in KINDS}
    for u in unvalidated:
        known[u.source.kind].add(u.source.id)
    return known


class Linker:
    """Resolves the references of every fiche and term into edges, and reports the ones that do not resolve."""

    def __init__(self, graph: SiteGraph, vocabularies: list[Vocabulary], unvalidated: list[Unvalidated]):
        self.g = graph
        self.diagnostics: list[Diagnostic] = []
        self.vocabulary_sources = {v.name: v.source for v in vocabularies}
        # Ids that exist, valid or not: a reference to a fiche or term with mistakes of its own is not a mistake.
        self.known: dict[str, set[str]] = known_fiche_ids(graph, unvalidated)
        for v in vocabularies:
            self.known[v.name] = set(v.terms) | set(v.unvalidated)
        self._indexes: dict[str, ReferenceIndex] = {}   # per kind or vocabulary, built at its first unknown reference

    def _closest(self, pool: str, word: str) -> str:
        """'did you mean …?' for an unknown id of a fiche kind or vocabulary: by id, acronym or name in any language,
        in time linear in the number of references (the index is built once)."""
        if pool not in self._indexes:
            if pool in KINDS:
                items = [(f.id, f.name, getattr(f, "acronym", None)) for f in self.g.fiches[pool].values()]
            else:
                items = [(i, t.label, None) for i, t in self.g.vocabularies.get(pool, {}).items()]
            self._indexes[pool] = ReferenceIndex(Candidate(i, _names(name), _names(acronym)) for i, name, acronym in items)
        return describe(self._indexes[pool].suggest(word), word)

    def forget_suggestions(self) -> None:
        """The fiches and terms changed (serve): suggestions are looked for among the new ones."""
        self._indexes.clear()

    def _diag(self, source: SourceFile, loc: tuple, code: str, message: str, hint: str = "", severity=Severity.error):
        line, col = source.at(loc)
        self.diagnostics.append(Diagnostic(source.rel, line, col, code, message, hint, severity))

    def resolve(self, src: Ref, source: SourceFile, found: Iterable[FoundReference]) -> None:
        for ref in found:
            target = self.target(src, source, ref)
            if target is None:
                continue
            where = ".".join(str(p) for p in ref.loc if not isinstance(p, int))
            for relation in ref.relations:
                edge = Edge(src, relation, target, ref.detail, where)
                self.g.outgoing[src].append(edge)
                self.g.incoming[target].append(edge)

    def target(self, src: Ref, source: SourceFile, ref: FoundReference) -> Ref | None:
        """The node `ref` points at, or None (reported) when it does not exist."""
        kind, value, loc = ref.reference.target, ref.value, ref.loc
        if ref.reference.is_code:
            return self.code(source, loc, kind, value)
        if kind == src.kind and value == src.id:
            self._diag(source, loc, "self-reference", f"this {kind} refers to itself as '{ref.relations[0]}'", "name another fiche")
            return None
        if value in self.known.get(kind, ()):
            if ref.reference.is_fiche and value not in self.g.fiches[kind]:
                return None       # it exists but did not validate: its own file reports why
            if not ref.reference.is_fiche and value not in self.g.vocabularies.get(kind, {}):
                return None
            target = Ref(kind, value)
            if ref.reference.is_fiche and ref.detail and ref.relations == ("contributes_to",):
                self.priority(source, loc, self.g.strategies[value], ref.detail)
            return target
        if ref.reference.is_fiche:
            if ref.reference.may_be_missing:
                self._diag(source, loc, "unlinked-project", f"the related {kind} '{value}' has no fiche yet; it is shown without a link",
                           f"add content/{FOLDERS[kind]}/{value}.yaml to link it", Severity.warning)
            else:
                hint = self._closest(kind, value) or f"create content/{FOLDERS[kind]}/{value}.yaml, or check the spelling"
                self._diag(source, loc, "unknown-reference", f"no {kind} has the id '{value}'", hint)
            return None
        hint = self._closest(kind, value) or f"add the term to content/vocabularies/{kind}.yaml, or check the spelling"
        self._diag(source, loc, "unknown-reference", f"'{value}' is not a term of the {kind} vocabulary", hint)
        return None

    def code(self, source: SourceFile, loc: tuple, kind: str, value: str) -> Ref | None:
        """Countries and UN M49 regions were checked by the model (CLDR); IATI regions and sectors are checked
        against the IATI codelists, other world regions against the world-regions vocabulary."""
        if kind == "sectors":
            sectors = codelist("Sector")
            if value not in sectors:
                self._diag(source, loc, "unknown-code", f"'{value}' is not an OECD DAC purpose code (IATI Sector codelist)",
                           "look the code up in the handbook's sector list, e.g. 15190 for migration and mobility")
                return None
            if sectors[value].withdrawn:
                self._diag(source, loc, "withdrawn-code", f"the sector code {value} has been withdrawn from the IATI Sector codelist",
                           "use the code that replaced it", Severity.warning)
        elif kind == "world-regions" and value.startswith("iati-"):
            if value[5:] not in codelist("Region"):
                self._diag(source, loc, "unknown-code", f"'{value[5:]}' is not a code of the IATI Region codelist",
                           "IATI regions are written iati-CODE, e.g. iati-1027 for Eastern Africa, regional")
                return None
        elif kind == "world-regions" and not is_m49_code(value) and value not in self.known.get("world-regions", ()):
            hint = (f"UN M49 codes have three digits: write '{value.zfill(3)}'" if value.isdigit() and len(value) < 3 else
                    self._closest("world-regions", value) or
                    "use a UN M49 code (014), an IATI region (iati-1027), or add the term to content/vocabularies/world-regions.yaml")
            self._diag(source, loc, "unknown-reference", f"'{value}' is not a term of the world-regions vocabulary", hint)
            return None
        return Ref(kind, value)

    def priority(self, source: SourceFile, loc: tuple, strategy: Strategy, number: str) -> None:
        if number not in strategy.numbers():
            numbers = sorted(strategy.numbers())
            where = loc[:-1] + ("priority",)
            self._diag(source, where, "unknown-priority", f"the strategy '{strategy.id}' has no priority or objective '{number}'",
                       did_you_mean(number, numbers) or "its numbers are: " + ", ".join(numbers))

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
                    source = self.vocabulary_sources[name]
                    line, col = source.at((term_id,), key=True)
                    self.diagnostics.append(Diagnostic(source.rel, line, col, "id-case-collision",
                                                       f"the terms '{other}' and '{term_id}' differ only by case", "rename one of them"))

    def statuses(self) -> None:
        for p in self.g.projects.values():
            for problem in p.status_problems(self.g.today):
                self._diag(self.g.sources[Ref("project", p.id)], problem.loc, problem.code, problem.message, problem.hint, Severity.warning)


def _names(text) -> tuple[str, ...]:
    """Every form of a name (or acronym): each language's, or the one that is the same in all."""
    if text is None:
        return ()
    return (text.name,) if text.invariant else tuple(dict.fromkeys(text.texts.values()))


def taxonomies_of(g: SiteGraph) -> dict[str, dict[str, list[Ref]]]:
    """Term → the fiches that refer to it (any field), plus the start years and statuses of projects."""
    tax: dict[str, dict[str, dict[Ref, None]]] = {name: defaultdict(dict) for name in TAXONOMIES}
    for target, edges in g.incoming.items():
        if target.kind in NODE_TAXONOMIES:
            for e in edges:
                if e.source.kind in KINDS:
                    tax[target.kind][target.id][e.source] = None
    for p in g.projects.values():
        r = Ref("project", p.id)
        if p.start_date:
            tax["years"][str(p.start_date.year)][r] = None
        status = p.status_on(g.today)
        if status:
            tax["statuses"][status][r] = None
    order = {kind: i for i, kind in enumerate(KINDS)}
    return {name: {term: sorted(members, key=lambda r: (order[r.kind], r.id)) for term, members in sorted(terms.items())}
            for name, terms in tax.items()}


def link(config: SiteConfig, fiches: list[tuple[FicheBase, SourceFile]], vocabularies: list[Vocabulary],
         unvalidated: list[Unvalidated] = ()) -> tuple[SiteGraph, list[Diagnostic]]:
    graph = SiteGraph(config=config, today=config.today())
    for v in vocabularies:
        graph.vocabularies[v.name] = v.terms
    for fiche, source in sorted(fiches, key=lambda fs: (fs[1].kind, fs[1].id)):
        graph.fiches[source.kind][source.id] = fiche
        graph.sources[Ref(source.kind, source.id)] = source
    linker = Linker(graph, vocabularies, list(unvalidated))
    for kind in KINDS:
        for fiche in graph.fiches[kind].values():
            ref = Ref(kind, fiche.id)
            linker.resolve(ref, graph.sources[ref], walk(fiche))
    for u in unvalidated:
        linker.resolve(Ref(u.source.kind, u.source.id), u.source, u.references)
    for v in vocabularies:
        for term_id, term in v.terms.items():
            linker.resolve(Ref(v.name, term_id), v.source, walk(term, (term_id,)))
        for term_id, found in v.unvalidated.items():
            linker.resolve(Ref(v.name, term_id), v.source, found)
    linker.duplicates()
    linker.statuses()
    graph.taxonomies = taxonomies_of(graph)
    for taxonomy, terms in graph.taxonomies.items():
        for term, refs in terms.items():
            for ref in refs:
                graph.memberships.setdefault(ref, {}).setdefault(taxonomy, []).append(term)
    return graph, linker.diagnostics
