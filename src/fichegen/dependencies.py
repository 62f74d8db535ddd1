"""What each output read from the graph, recorded while it is made: an incremental build redoes exactly the
outputs whose recorded inputs changed.

Render code and the data-file pieces read the graph only through a `GraphReader`: it has the reading API of
`SiteGraph` (`get`, `projects`, `term`, `backlinks`, `taxonomies`…) and adds every read to the `Recorder` it
holds at that moment (the Views of one language hold one reader; the render loop gives it a fresh recorder
for each page, so nothing is global). What is recorded is an *input*, a small tuple:

| input | what was read | its digest |
|---|---|---|
| `("f", kind, id)` | a whole fiche (any field) | its file's path and bytes |
| `("n", kind, id)` | a fiche's name and acronym only (every link shows them) | those two fields |
| `("w", kind, id)` | the date lists sort a fiche by (`listed_date`) | that date |
| `("h", kind, id)` | whether a fiche exists | yes / no |
| `("t", vocabulary, id)` | a vocabulary term | the term |
| `("v", vocabulary)` | the ids of a vocabulary's terms | the ids |
| `("V",)` | which vocabularies there are | their names |
| `("k", kind)` | the ids of the fiches of a kind | the ids |
| `("i", kind, id)` / `("o", kind, id)` | the edges into / out of a node | the edges, in order |
| `("x", taxonomy)` | a whole taxonomy (its terms and their members) | the same |
| `("m", taxonomy, term)` | the members of one term | the members, in order |
| `("s", kind, id)` | the terms a fiche belongs to, per taxonomy | the same |
| `("d", name)` | something the build made beside the graph (the data files a download page describes) | given by the build |

`InputDigests` computes the digest of any input from the graph, so the next build compares what each
output read then with what the graph says now. Site-wide inputs (configuration, theme files, UI strings,
the build date, base path, fichegen's own code) are not recorded: a change to one of them changes every
page, and the build is a full one (build.py).
"""

from __future__ import annotations

import hashlib
from contextlib import contextmanager
from typing import Any, Callable, Iterable, Iterator, Mapping

from .link import Ref, SiteGraph

Input = tuple


def fiche_input(ref: Ref) -> Input:
    return ("f", ref.kind, ref.id)


def inputs_of_fiche(ref: Ref) -> tuple[Input, ...]:
    """Every input that reads one fiche, part or whole: what changes when its file does."""
    return (("f", ref.kind, ref.id), ("n", ref.kind, ref.id), ("w", ref.kind, ref.id), ("h", ref.kind, ref.id))


class Recorder:
    """The inputs one output read, as a set."""

    __slots__ = ("inputs",)

    def __init__(self) -> None:
        self.inputs: set[Input] = set()

    def add(self, key: Input) -> None:
        self.inputs.add(key)

    def update(self, keys: Iterable[Input]) -> None:
        self.inputs.update(keys)


class _Fiches(Mapping):
    """The fiches of one kind, as `SiteGraph.fiches[kind]` is, each read recorded: asking whether an id is there
    records its existence, taking one records the fiche, going through them records the ids and each fiche."""

    def __init__(self, reader: "GraphReader", kind: str):
        self._reader, self._kind, self._of = reader, kind, reader.graph.fiches[kind]

    def __contains__(self, fiche_id: object) -> bool:
        self._reader.recorder.add(("h", self._kind, fiche_id))
        return fiche_id in self._of

    def __getitem__(self, fiche_id: str):
        fiche = self._of[fiche_id]
        self._reader.recorder.add(("f", self._kind, fiche_id))
        return fiche

    def get(self, fiche_id: str, default=None):
        if fiche_id in self:
            return self[fiche_id]
        return default

    def __iter__(self) -> Iterator[str]:
        self._reader.recorder.add(("k", self._kind))
        return iter(self._of)

    def __len__(self) -> int:
        self._reader.recorder.add(("k", self._kind))
        return len(self._of)

    def values(self):
        recorder = self._reader.recorder
        recorder.add(("k", self._kind))
        recorder.update(("f", self._kind, i) for i in self._of)
        return self._of.values()

    def items(self):
        self.values()
        return self._of.items()


class _Kinds(Mapping):
    def __init__(self, reader: "GraphReader"):
        self._reader = reader

    def __getitem__(self, kind: str) -> _Fiches:
        return _Fiches(self._reader, kind)

    def __iter__(self):
        return iter(self._reader.graph.fiches)

    def __len__(self) -> int:
        return len(self._reader.graph.fiches)


class _Terms(Mapping):
    """One vocabulary's terms: a term taken is recorded, going through them records the ids and each term."""

    def __init__(self, reader: "GraphReader", name: str):
        self._reader, self._name, self._of = reader, name, reader.graph.vocabularies.get(name, {})

    def __contains__(self, term_id: object) -> bool:
        self._reader.recorder.add(("t", self._name, term_id))
        return term_id in self._of

    def __getitem__(self, term_id: str):
        self._reader.recorder.add(("t", self._name, term_id))
        return self._of[term_id]

    def __iter__(self):
        self._reader.recorder.add(("v", self._name))
        return iter(self._of)

    def __len__(self) -> int:
        self._reader.recorder.add(("v", self._name))
        return len(self._of)

    def values(self):
        self._reader.recorder.update([("v", self._name)] + [("t", self._name, i) for i in self._of])
        return self._of.values()

    def items(self):
        self.values()
        return self._of.items()


class _Vocabularies(Mapping):
    def __init__(self, reader: "GraphReader"):
        self._reader = reader

    def __contains__(self, name: object) -> bool:
        self._reader.recorder.add(("V",))
        return name in self._reader.graph.vocabularies

    def __getitem__(self, name: str) -> _Terms:
        if name not in self:
            raise KeyError(name)
        return _Terms(self._reader, name)

    def __iter__(self):
        self._reader.recorder.add(("V",))
        return iter(self._reader.graph.vocabularies)

    def __len__(self) -> int:
        self._reader.recorder.add(("V",))
        return len(self._reader.graph.vocabularies)


class _Taxonomy(Mapping):
    """One taxonomy, term → members: one term's members are recorded alone, the whole taxonomy when gone through."""

    def __init__(self, reader: "GraphReader", name: str):
        self._reader, self._name, self._of = reader, name, reader.graph.taxonomies.get(name, {})

    def __contains__(self, term: object) -> bool:
        self._reader.recorder.add(("x", self._name))
        return term in self._of

    def __getitem__(self, term: str) -> list[Ref]:
        self._reader.recorder.add(("m", self._name, term))
        return self._of[term]

    def __iter__(self):
        self._reader.recorder.add(("x", self._name))
        return iter(self._of)

    def __len__(self) -> int:
        self._reader.recorder.add(("x", self._name))
        return len(self._of)


class _Taxonomies(Mapping):
    def __init__(self, reader: "GraphReader"):
        self._reader = reader

    def __getitem__(self, name: str) -> _Taxonomy:
        if name not in self._reader.graph.taxonomies:
            raise KeyError(name)
        return _Taxonomy(self._reader, name)

    def __iter__(self):
        return iter(self._reader.graph.taxonomies)

    def __len__(self) -> int:
        return len(self._reader.graph.taxonomies)


class _Memberships:
    def __init__(self, reader: "GraphReader"):
        self._reader = reader

    def get(self, ref: Ref, default=None):
        self._reader.recorder.add(("s", ref.kind, ref.id))
        return self._reader.graph.memberships.get(ref, default)


class _Sources:
    """Where each fiche was read from: its path is part of the whole fiche's digest."""

    def __init__(self, reader: "GraphReader"):
        self._reader = reader

    def get(self, ref: Ref, default=None):
        self._reader.recorder.add(fiche_input(ref))
        return self._reader.graph.sources.get(ref, default)

    def values(self):
        graph = self._reader.graph
        self._reader.recorder.update([("k", kind) for kind in graph.fiches] + [fiche_input(r) for r in graph.sources])
        return graph.sources.values()

    def items(self):
        self.values()
        return self._reader.graph.sources.items()


class GraphReader:
    """The graph as render code and the data files read it: `SiteGraph`'s reading API, every read recorded into
    `recorder` (replaced by whoever makes an output: `recording()`)."""

    def __init__(self, graph: SiteGraph, recorder: Recorder | None = None, shared: dict | None = None):
        """`shared`: where values computed for many outputs are kept (`shared()`), one for every reader of a build."""
        self.graph = graph
        self.recorder = recorder or Recorder()
        self.config = graph.config          # site-wide: not recorded
        self.today = graph.today
        self._shared: dict[str, tuple[Any, frozenset]] = {} if shared is None else shared

    @contextmanager
    def recording(self, recorder: Recorder | None = None, *, nested: bool = True) -> Iterator[Recorder]:
        """Record into a fresh recorder (or `recorder`) for the length of the block. `nested`: what it read is
        also added to the recorder it replaced, so a part made inside an output (a card on a page) counts for both;
        an output of its own (a page) is not nested."""
        outer, self.recorder = self.recorder, recorder or Recorder()
        try:
            yield self.recorder
        finally:
            inner, self.recorder = self.recorder, outer
            if nested:
                outer.update(inner.inputs)

    def shared(self, key: str, compute: Callable[[], Any]) -> Any:
        """A value computed once from the graph and shared by many outputs (the translation report): each output
        that uses it records what computing it read."""
        kept = self._shared.get(key)
        if kept is None:
            with self.recording() as recorder:
                value = compute()
            kept = self._shared[key] = (value, frozenset(recorder.inputs))
        else:
            self.recorder.update(kept[1])
        return kept[0]

    def forget(self, changed: set[Input]) -> None:
        """Drop the shared values computed from inputs that changed."""
        for key in [key for key, (_, inputs) in self._shared.items() if not changed.isdisjoint(inputs)]:
            del self._shared[key]

    # --- SiteGraph's reading API ---------------------------------------------------------
    def get(self, ref: Ref):
        self.recorder.add(fiche_input(ref))
        return self.graph.get(ref)

    def exists(self, ref: Ref) -> bool:
        self.recorder.add(("h", ref.kind, ref.id))
        return self.graph.get(ref) is not None

    def name_of(self, ref: Ref):
        """A fiche's name (None when there is no such fiche): only the name and acronym are recorded."""
        self.recorder.add(("n", ref.kind, ref.id))
        fiche = self.graph.get(ref)
        return fiche.name if fiche is not None else None

    def listed_date(self, ref: Ref) -> str:
        """The date a list sorts a fiche by: only that date is recorded (a list page does not show every fiche it
        sorts)."""
        self.recorder.add(("w", ref.kind, ref.id))
        fiche = self.graph.get(ref)
        return fiche.listed_date() if fiche is not None else ""

    def acronym_of(self, ref: Ref):
        self.recorder.add(("n", ref.kind, ref.id))
        return getattr(self.graph.get(ref), "acronym", None)

    def all(self, kind: str) -> list:
        return list(self.fiches[kind].values())

    @property
    def fiches(self) -> _Kinds:
        return _Kinds(self)

    @property
    def projects(self) -> _Fiches:
        return _Fiches(self, "project")

    @property
    def strategies(self) -> _Fiches:
        return _Fiches(self, "strategy")

    @property
    def organisations(self) -> _Fiches:
        return _Fiches(self, "organisation")

    @property
    def discussions(self) -> _Fiches:
        return _Fiches(self, "discussion")

    @property
    def vocabularies(self) -> _Vocabularies:
        return _Vocabularies(self)

    @property
    def taxonomies(self) -> _Taxonomies:
        return _Taxonomies(self)

    @property
    def memberships(self) -> _Memberships:
        return _Memberships(self)

    @property
    def sources(self) -> _Sources:
        return _Sources(self)

    def term(self, vocabulary: str, term_id: str):
        self.recorder.add(("t", vocabulary, term_id))
        return self.graph.term(vocabulary, term_id)

    def backlinks(self, ref: Ref, *relations: str):
        self.recorder.add(("i", ref.kind, ref.id))
        return self.graph.backlinks(ref, *relations)

    def links(self, ref: Ref, *relations: str):
        self.recorder.add(("o", ref.kind, ref.id))
        return self.graph.links(ref, *relations)

    @property
    def incoming(self) -> Mapping:
        return _Edges(self, "i", self.graph.incoming)

    @property
    def outgoing(self) -> Mapping:
        return _Edges(self, "o", self.graph.outgoing)

    def status(self, project) -> str | None:
        self.recorder.add(("f", "project", project.id))
        return self.graph.status(project)

    def refs(self, kind: str) -> Iterator[Ref]:
        self.recorder.add(("k", kind))
        return self.graph.refs(kind)


class _Edges:
    def __init__(self, reader: GraphReader, tag: str, edges: Mapping):
        self._reader, self._tag, self._edges = reader, tag, edges

    def get(self, ref: Ref, default=()):
        self._reader.recorder.add((self._tag, ref.kind, ref.id))
        return self._edges.get(ref, default)


def _hash(text: str) -> str:
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=12).hexdigest()


def _name_digest(fiche) -> str:
    acronym = getattr(fiche, "acronym", None)
    return _hash(repr((fiche.name.root, acronym.root if acronym is not None else None)))


class InputDigests:
    """The digest of any input, computed from the graph (once per input per build), and `extra` ones the
    build gives for what it made beside the graph (`("d", name)`)."""

    def __init__(self, graph: SiteGraph, extra: Mapping[Input, str] | None = None):
        self.graph = graph
        self.extra = dict(extra or {})
        self._known: dict[Input, str] = {}

    def __getitem__(self, key: Input) -> str:
        known = self._known.get(key)
        if known is None:
            known = self._known[key] = self._compute(key)
        return known

    def combined(self, keys: Iterable[Input]) -> str:
        """One digest for a set of inputs (and their digests)."""
        h = hashlib.blake2b(digest_size=12)
        for key in sorted(keys):
            h.update(repr(key).encode("utf-8", "surrogatepass"))
            h.update(self[key].encode())
        return h.hexdigest()

    def _compute(self, key: Input) -> str:
        g, tag = self.graph, key[0]
        if tag == "f":
            source = g.sources.get(Ref(key[1], key[2]))
            return f"{source.rel}:{source.digest}" if source is not None and g.get(Ref(key[1], key[2])) is not None else "-"
        if tag == "n":
            fiche = g.get(Ref(key[1], key[2]))
            return _name_digest(fiche) if fiche is not None else "-"
        if tag == "w":
            fiche = g.get(Ref(key[1], key[2]))
            return fiche.listed_date() if fiche is not None else "-"
        if tag == "h":
            return "1" if g.get(Ref(key[1], key[2])) is not None else "0"
        if tag == "t":
            term = g.term(key[1], key[2])
            return _hash(term.model_dump_json()) if term is not None else "-"
        if tag == "v":
            return _hash("\n".join(g.vocabularies.get(key[1], {})))
        if tag == "V":
            return _hash("\n".join(sorted(g.vocabularies)))
        if tag == "k":
            return _hash("\n".join(g.fiches.get(key[1], {})))
        if tag in ("i", "o"):
            edges = (g.incoming if tag == "i" else g.outgoing).get(Ref(key[1], key[2]), ())
            return _hash(repr([(e.source, e.relation, e.target, e.detail, e.field) for e in edges]))
        if tag == "x":
            return _hash(repr(g.taxonomies.get(key[1], {})))
        if tag == "m":
            return _hash(repr(g.taxonomies.get(key[1], {}).get(key[2])))
        if tag == "s":
            return _hash(repr(g.memberships.get(Ref(key[1], key[2]))))
        if tag == "d":
            return self.extra.get(key, "-")
        raise ValueError(f"unknown input {key!r}")
