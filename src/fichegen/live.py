"""The graph of a site kept up to date file by file, for `serve`: a save re-reads that one file, re-validates it and
re-links what depends on it — the file's node and its outgoing edges are replaced, the fiches that name a node
that appeared or went are linked again, the taxonomies of the fiches whose edges changed are updated — without
reading or linking anything else.

The graph and the diagnostics are those `check` gives for the same files (tests/test_live.py compares them after
random edits), with one difference made for previewing: a fiche whose file no longer validates keeps its last valid
version in the graph, so its page and the pages that show it still render (with its problems shown over them).

Every change to the graph is noted first (`_note`): the digest each affected input (dependencies.py) had before. What
`update` returns is the set of inputs whose digest changed, so the resident site knows which rendered pages to drop.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from .budgets import fiche_budget_problems
from .check import read_file, read_files
from .config import SiteConfig
from .dependencies import Input, InputDigests, inputs_of_fiche
from .diagnostics import Diagnostic, Severity
from .link import KINDS, NODE_TAXONOMIES, TAXONOMIES, Edge, Linker, Ref, SiteGraph, taxonomies_of
from .load import FICHE_FOLDERS, VOCABULARY_FOLDER, SourceFile, check_id, discover
from .models.references import walk
from .schema import FOLDER as SCHEMA_FOLDER
from .schema import Choices, choices_of, schema_problems
from .validate import Unvalidated, Vocabulary
from .written_links import link_problems

_KIND_ORDER = {kind: i for i, kind in enumerate(KINDS)}
#: The inputs (dependencies.py) `fichegen schema` lists: names, ids, vocabulary terms.
_CHOICE_INPUTS = frozenset("nhktvV")


def _member_order(ref: Ref) -> tuple:
    return (_KIND_ORDER[ref.kind], ref.id)


@dataclass
class _Source:
    """A node that holds references: where they are written and what they are."""

    source: SourceFile
    found: list
    validated: bool = True      # False: an unvalidated fiche or term, whose references are only checked
    checked: tuple | None = None    # (source, references) of a newer version that does not validate: only checked


@dataclass
class FileState:
    kind: str                   # a fiche kind, or "vocabulary"
    path: Path
    problems: list[Diagnostic] = field(default_factory=list)     # from loading and validating it
    nodes: list[Ref] = field(default_factory=list)               # the nodes it gives the graph
    broken: bool = False        # it does not validate now (its last valid version may still be in the graph)
    invalid: frozenset = frozenset()    # a vocabulary's terms that do not validate


class LiveGraph:
    """A SiteGraph and its diagnostics, updated one file at a time (`update`)."""

    def __init__(self, root: Path, config: SiteConfig, cache_dir: Path | None = None, workers: int | None = None):
        self.root, self.config = root, config
        self._before: dict[Input, object] = {}
        self._noting = False
        self._resolved: set[Ref] = set()
        self._identifiers_changed = False
        self.graph = SiteGraph(config=config, today=config.today())
        paths, self.discovered = discover(root, config.content_dir)
        entries = read_files(root, config, paths, cache_dir, workers)
        self.files: dict[str, FileState] = {}
        self.sources: dict[Ref, _Source] = {}
        self.referrers: dict[Ref, set[Ref]] = defaultdict(set)     # node → the sources that name it, resolved or not
        self.link_problems: dict[Ref, list[Diagnostic]] = {}
        self.site_problems: list[Diagnostic] = []                   # duplicates and statuses: across fiches
        self.written_link_problems: list[Diagnostic] = []           # links written in texts (written_links.py)
        self._linked_ids: dict[str, frozenset] | None = None        # the fiche ids they were checked against
        self._schema_check: tuple = (None, [])                      # (what it was made from, schema-stale warning)
        self._choices: tuple[frozenset, Choices] | None = None      # (the broken files then, choices()) until a name,
                                                                    # id or term changes
        self.term_rank: dict[Ref, tuple] = {}
        vocabularies, unvalidated = [], []
        for path, kind, rel in paths:
            result, problems = entries[path]
            state = self.files[rel] = FileState(kind, path, list(problems))
            if kind != "vocabulary":
                state.nodes, state.broken = [Ref(kind, Path(rel).stem)], result is None
            if isinstance(result, Vocabulary):
                vocabularies.append(result)
                self.graph.vocabularies[result.name] = result.terms
                state.nodes = [Ref(result.name, t) for t in (*result.terms, *result.unvalidated)]
                state.invalid = frozenset(result.unvalidated)
            elif isinstance(result, Unvalidated):
                unvalidated.append(result)
                state.nodes, state.broken = [Ref(result.source.kind, result.source.id)], True
            elif result is not None:
                fiche, source = result
                self.graph.fiches[kind][source.id] = fiche
                self.graph.sources[Ref(kind, source.id)] = source
                state.nodes = [Ref(kind, source.id)]
        for kind in KINDS:
            self.graph.fiches[kind] = dict(sorted(self.graph.fiches[kind].items()))
        self.linker = Linker(self.graph, vocabularies, unvalidated)
        self._rank_terms()
        for kind in KINDS:
            for fiche_id, fiche in self.graph.fiches[kind].items():
                ref = Ref(kind, fiche_id)
                self.sources[ref] = _Source(self.graph.sources[ref], list(walk(fiche)))
        for u in unvalidated:
            self.sources[Ref(u.source.kind, u.source.id)] = _Source(u.source, u.references, validated=False)
        for v in vocabularies:
            self._add_vocabulary_sources(v)
        for ref in self.sources:
            self._resolve(ref)
        self._site_checks()
        self._check_written_links(None)
        self.graph.taxonomies = taxonomies_of(self.graph)
        for taxonomy, terms in self.graph.taxonomies.items():
            for term, refs in terms.items():
                for ref in refs:
                    self.graph.memberships.setdefault(ref, {}).setdefault(taxonomy, []).append(term)
        self.budget_problems: dict[Ref, list[Diagnostic]] = {}     # fiches bringing too many pages (budgets.py)
        self._check_budgets(None)
        self._noting = True

    # --- diagnostics ---------------------------------------------------------------------
    def diagnostics(self) -> list[Diagnostic]:
        """Every problem `check` would report for the content (theme and UI strings aside), unsorted."""
        out = list(self.discovered)
        for state in self.files.values():
            out += state.problems
        for problems in self.link_problems.values():
            out += problems
        broken = self._broken_files()       # their last valid version is previewed; `check` has no such version
        for problems in self.budget_problems.values():
            out += [d for d in problems if d.path not in broken]
        return out + self.site_problems + self.written_link_problems + self._schema_problems()

    def _broken_files(self) -> set[str]:
        return {rel for rel, state in self.files.items() if state.broken}

    def _fiche_ids(self) -> dict[str, frozenset]:
        return {kind: frozenset(self.linker.known[kind]) for kind in KINDS}

    def _check_written_links(self, rels: set[str] | None) -> None:
        """The links written in the texts of the files at `rels` checked again (all files: None). A link's verdict
        depends on its own text and on which fiches exist (valid or not): when a fiche went, every file is checked
        again; when one came, the files that had a broken link too (it may lead there now, or be hinted at)."""
        ids = self._fiche_ids()
        before = self._linked_ids
        if rels is not None and before is not None and ids != before:
            if any(before[kind] - ids[kind] for kind in KINDS):
                rels = None
            else:
                rels = set(rels) | {d.path for d in self.written_link_problems}
        self._linked_ids = ids
        kept = [] if rels is None else [d for d in self.written_link_problems if d.path not in rels]
        found = link_problems(self.graph, self.linker.vocabulary_sources, self.linker.known, rels)
        broken = self._broken_files()
        self.written_link_problems = kept + [d for d in found if d.path not in broken]

    def _check_budgets(self, refs: set[Ref] | None) -> None:
        """The pages each fiche of `refs` (None: every fiche) would bring, against `max_pages_per_fiche`: a fiche's
        count changes only with its own memberships (the fiches `_update_taxonomies` refreshed)."""
        if refs is None:
            self.budget_problems = {}
            refs = {Ref(kind, fiche_id) for kind, fiches in self.graph.fiches.items() for fiche_id in fiches}
        for ref in refs:
            found = fiche_budget_problems(self.graph, self.config.max_pages_per_fiche, [ref]) if ref.kind in _KIND_ORDER else []
            if found:
                self.budget_problems[ref] = found
            else:
                self.budget_problems.pop(ref, None)

    def choices(self) -> Choices:
        """What `fichegen schema` would list for the content as it is now (as `check` reads it)."""
        fiches, unvalidated = [], []
        for state in self.files.values():
            if state.kind == "vocabulary":
                continue
            for ref in state.nodes:
                if state.broken:
                    if ref in self.sources:         # a fiche with mistakes, not an unreadable file
                        unvalidated.append((ref.kind, ref.id))
                elif ref.id in self.graph.fiches[ref.kind]:
                    fiches.append((self.graph.fiches[ref.kind][ref.id], self.graph.sources[ref]))
        terms = {name: dict(self.graph.vocabularies.get(name, {})) for name in self.linker.vocabulary_sources}
        for rel, state in self.files.items():
            if state.kind == "vocabulary" and Path(rel).stem in terms:
                terms[Path(rel).stem].update(dict.fromkeys(state.invalid))   # terms with mistakes: by id
        return choices_of(self.config, fiches, terms, unvalidated)

    def _schema_problems(self) -> list[Diagnostic]:
        """`check`'s schema-stale warning, made again only when the choices or the schema files changed."""
        folder = self.root / SCHEMA_FOLDER
        if not folder.is_dir():
            return []
        broken = frozenset(self._broken_files())      # a fiche with mistakes is listed by its id only
        if self._choices is None or self._choices[0] != broken:
            self._choices = (broken, self.choices())   # 60 ms at 10,000 fiches: not on every save
        key = (self._choices[1], sorted((p.name, p.stat().st_mtime_ns) for p in folder.iterdir()))
        if key != self._schema_check[0]:
            self._schema_check = (key, schema_problems(self.root, key[0]))
        return self._schema_check[1]

    def broken_nodes(self) -> dict[Ref, str]:
        """The nodes of files that do not validate now → their file (shown over the pages that read them)."""
        return {ref: rel for rel, state in self.files.items() if state.broken or any(d.is_error for d in state.problems)
                for ref in state.nodes}

    # --- linking -------------------------------------------------------------------------
    def _rank_terms(self) -> None:
        """The order in which `link` resolves vocabulary terms (file order, then term order): incoming edges follow it."""
        self.term_rank = {}
        for i, name in enumerate(self.linker.vocabulary_sources):
            for j, term in enumerate(self.graph.vocabularies.get(name, {})):
                self.term_rank[Ref(name, term)] = (2, i, j)

    def _rank(self, ref: Ref) -> tuple:
        if ref.kind in _KIND_ORDER:
            return (0 if ref.id in self.graph.fiches[ref.kind] else 1, _KIND_ORDER[ref.kind], ref.id)
        return self.term_rank.get(ref, (3, ref.kind, ref.id))

    def _add_vocabulary_sources(self, v: Vocabulary) -> None:
        for term_id, term in v.terms.items():
            self.sources[Ref(v.name, term_id)] = _Source(v.source, list(walk(term, (term_id,))))
        for term_id, found in v.unvalidated.items():
            self.sources[Ref(v.name, term_id)] = _Source(v.source, found, validated=False)

    def _resolve(self, ref: Ref) -> None:
        """Turn the references of `ref` into edges and diagnostics; a fiche or term that did not validate has its
        references checked only (as `check` does, without edges: no page links to what is not there), and one whose
        last valid version stands in for it keeps that version's edges and gets its new version's diagnostics."""
        held = self.sources[ref]
        linker, before = self.linker, len(self.linker.diagnostics)
        for found in held.found + list(held.checked[1] if held.checked else []):
            self.referrers[Ref(found.reference.target, found.value)].add(ref)
        if held.validated:
            self._note(("o", ref.kind, ref.id))
            for target in {Ref(f.reference.target, f.value) for f in held.found}:
                self._note(("i", target.kind, target.id))
            linker.resolve(ref, held.source, held.found)
            if self._noting:
                self._resolved.add(ref)
        else:
            for found in held.found:
                linker.target(ref, held.source, found)
        if held.checked is not None:
            del linker.diagnostics[before:]
            for found in held.checked[1]:
                linker.target(ref, held.checked[0], found)
        self.link_problems[ref] = linker.diagnostics[before:]
        del linker.diagnostics[before:]

    def _unlink(self, ref: Ref) -> set[Ref]:
        """Remove the edges out of `ref` (and its diagnostics); the nodes they pointed at."""
        self._note(("o", ref.kind, ref.id))
        edges = self.graph.outgoing.pop(ref, [])
        targets = set()
        for edge in edges:
            targets.add(edge.target)
            self._note(("i", edge.target.kind, edge.target.id))
            incoming = self.graph.incoming.get(edge.target, [])
            for i, other in enumerate(incoming):
                if other is edge:
                    del incoming[i]
                    break
            if not incoming:
                self.graph.incoming.pop(edge.target, None)
        held = self.sources.get(ref)
        if held is not None:
            for found in held.found:
                self.referrers.get(Ref(found.reference.target, found.value), set()).discard(ref)
        self.link_problems.pop(ref, None)
        return targets

    def _site_checks(self) -> None:
        before = len(self.linker.diagnostics)
        self.linker.duplicates()
        self.linker.statuses()
        self.site_problems = self.linker.diagnostics[before:]
        del self.linker.diagnostics[before:]

    # --- noting what changes -------------------------------------------------------------
    def _note(self, key: Input) -> None:
        if self._noting and key not in self._before:
            self._before[key] = self._state(key)

    def _state(self, key: Input):
        """What an input is now, to compare after the update: the edges, members and memberships themselves (copied:
        they change in place; comparing them is cheaper than hashing large lists), else its digest."""
        g, tag = self.graph, key[0]
        if tag in ("i", "o"):
            edges = (g.incoming if tag == "i" else g.outgoing).get(Ref(key[1], key[2]), ())
            return [(e.source, e.relation, e.target, e.detail, e.field) for e in edges]
        if tag == "m":
            return list(g.taxonomies.get(key[1], {}).get(key[2], ()))
        if tag == "x":
            return [(term, list(members)) for term, members in g.taxonomies.get(key[1], {}).items()]
        if tag == "s":
            return {t: list(terms) for t, terms in g.memberships.get(Ref(key[1], key[2]), {}).items()}
        return InputDigests(self.graph)[key]

    def changed_inputs(self) -> set[Input]:
        """The inputs noted since the last call that are not what they were."""
        before, self._before = self._before, {}
        return {key for key, old in before.items() if self._state(key) != old}

    # --- updating ------------------------------------------------------------------------
    def update(self, rels: set[str]) -> set[Input]:
        """Read the files at `rels` (paths relative to the project) again, whether changed, new or gone, and
        bring the graph and diagnostics up to date; the inputs whose digest changed."""
        self.linker.forget_suggestions()      # indexes built since (by the first linking too) know the old ids
        now = self._found_again(rels)
        touched = {rel for rel in rels if rel in now or rel in self.files}
        touched |= (set(now) ^ set(self.files))       # created or removed without an event (a folder moved)
        self._resolved: set[Ref] = set()
        relink: set[Ref] = set()        # sources to link again: they name a node that appeared, went or changed
        refresh: set[Ref] = set()       # fiches whose memberships of taxonomies may have changed
        for rel in sorted(touched):
            old = self.files.get(rel)
            if rel in now and old is not None and old.kind != "vocabulary" and not old.broken and now[rel][1] == old.kind:
                path, kind = now[rel]
                result, problems = read_file(self.root, self.config, path, kind, rel)
                same = self._same_edges(old, result)
                if same is not None:     # the common edit: texts, dates, figures — no reference changed
                    self._replace_in_place(rel, old, same, problems, refresh)
                    continue
            if old is not None and old.kind == "vocabulary":
                self._drop_vocabulary(rel, old, relink)
            kept = None
            if old is not None and old.kind != "vocabulary":
                kept = self._drop_fiche(old, relink, refresh)
            if rel not in now:
                if old is not None and old.kind == "vocabulary":
                    for ref in old.nodes:
                        relink |= self.referrers.get(ref, set())
                self.files.pop(rel, None)
                continue
            path, kind = now[rel]
            result, problems = read_file(self.root, self.config, path, kind, rel)
            state = self.files[rel] = FileState(kind, path, list(problems))
            if kind != "vocabulary":
                state.nodes, state.broken = [Ref(kind, Path(rel).stem)], result is None    # its id, even unreadable
            if kind == "vocabulary":
                self._add_vocabulary(state, result, old, relink)
            else:
                self._add_fiche(state, result, kept, relink, refresh)
        for ref in sorted(r for r in relink if r in self.sources):
            self._unlink(ref)
            self._resolve(ref)
            if ref.kind in _KIND_ORDER:
                refresh.add(ref)
        self._sort_incoming()
        self._update_taxonomies(refresh)
        if self._identifiers_changed:
            self._site_checks()       # identifiers compared across fiches, term ids across a vocabulary
        else:
            self._status_checks(refresh)
        self._check_written_links(touched)
        self._check_budgets(refresh)
        self._identifiers_changed = False
        changed = self.changed_inputs()
        if any(key[0] in _CHOICE_INPUTS for key in changed):
            self._choices = None
        return changed

    def _status_checks(self, refs: set[Ref]) -> None:
        """A project's status against its dates, for the projects that changed (the other warnings stay)."""
        paths = {self.graph.sources[r].rel for r in refs if r.kind == "project" and r in self.graph.sources}
        paths |= {state_rel for state_rel, state in self.files.items() if any(n in refs for n in state.nodes)}
        kept = [d for d in self.site_problems if d.path not in paths or d.code in ("duplicate-id", "id-case-collision")]
        before = len(self.linker.diagnostics)
        for ref in refs:
            project = self.graph.projects.get(ref.id) if ref.kind == "project" else None
            if project is not None:
                source = self.graph.sources[ref]
                for problem in project.status_problems(self.graph.today):
                    line, column = source.at(problem.loc)
                    self.linker.diagnostics.append(Diagnostic(source.rel, line, column, problem.code, problem.message,
                                                              problem.hint, Severity.warning))
        self.site_problems = kept + self.linker.diagnostics[before:]
        del self.linker.diagnostics[before:]

    def _found_again(self, rels: set[str]) -> dict[str, tuple[Path, str]]:
        """rel → (path, kind) of every content file, as `discover` finds them: the known files with the edited or
        new ones (for the plain case — an existing .yaml file right in a fiche or vocabulary folder, with a valid
        name — decided here as discover would), else by discovering the whole folder again."""
        now = {rel: (state.path, state.kind) for rel, state in self.files.items()}
        flagged = {d.path for d in self.discovered}
        content = self.root / self.config.content_dir
        for rel in rels:
            path = self.root / rel
            parts = Path(rel).relative_to(self.config.content_dir).parts if rel.startswith(self.config.content_dir + "/") else ()
            if rel in flagged or len(parts) != 2 or not rel.endswith(".yaml") or parts[1].startswith("."):
                break
            if not path.exists() and not path.is_symlink():
                now.pop(rel, None)
                continue
            kind = "vocabulary" if parts[0] == VOCABULARY_FOLDER else FICHE_FOLDERS.get(parts[0])
            if path.is_symlink() or not path.is_file() or kind is None or (kind != "vocabulary" and check_id(path.stem)) \
                    or not content.is_dir() or content.is_symlink():
                break
            now[rel] = (path, kind)
        else:
            return now
        paths, self.discovered = discover(self.root, self.config.content_dir)
        return {rel: (path, kind) for path, kind, rel in paths}

    def _drop_fiche(self, old: FileState, relink: set[Ref], refresh: set[Ref]) -> tuple | None:
        """Take a fiche file's node out of the graph; (ref, fiche, source, its references) of a valid version, kept
        in case the new version does not validate (add_fiche)."""
        self._identifiers_changed = True
        kept = None
        if not old.nodes:
            return None
        ref = old.nodes[0]
        self._unlink(ref)
        held = self.sources.pop(ref, None)
        self.linker.known[ref.kind].discard(ref.id)
        if ref.id in self.graph.fiches[ref.kind]:
            for key in (*inputs_of_fiche(ref), ("k", ref.kind)):
                self._note(key)
            if held is not None:
                kept = (ref, self.graph.fiches[ref.kind].pop(ref.id), self.graph.sources.pop(ref),
                        _Source(held.source, held.found))
            else:
                self.graph.fiches[ref.kind].pop(ref.id)
                self.graph.sources.pop(ref, None)
        relink |= self.referrers.get(ref, set())
        refresh.add(ref)
        return kept

    def _add_fiche(self, state: FileState, result, kept: tuple | None, relink: set[Ref], refresh: set[Ref]) -> None:
        self._identifiers_changed = True
        if isinstance(result, Unvalidated):
            ref = Ref(result.source.kind, result.source.id)
            state.nodes, state.broken = [ref], True
            if kept is not None and kept[0] == ref:       # preview the last valid version, with the problems over it
                self._put_fiche(ref, kept[1], kept[2])
                self.sources[ref] = _Source(kept[3].source, kept[3].found, checked=(result.source, result.references))
            else:
                self.sources[ref] = _Source(result.source, result.references, validated=False)
        elif result is not None:
            fiche, source = result
            ref = Ref(state.kind, source.id)
            state.nodes = [ref]
            self._put_fiche(ref, fiche, source)
            self.sources[ref] = _Source(source, list(walk(fiche)))
        else:
            return
        self.linker.known[ref.kind].add(ref.id)
        self._resolve(ref)
        relink |= self.referrers.get(ref, set()) - {ref}
        refresh.add(ref)

    def _same_edges(self, old: FileState, result) -> tuple | None:
        """(fiche, source, references) of a valid new version of a valid fiche that names exactly what the old one
        did, the same way; None otherwise."""
        if not isinstance(result, tuple) or not old.nodes:
            return None
        fiche, source = result
        ref = old.nodes[0]
        held = self.sources.get(ref)
        if held is None or not held.validated or held.checked is not None or ref.id != source.id \
                or ref.id not in self.graph.fiches[ref.kind]:
            return None
        found = list(walk(fiche))
        if [(f.loc, f.reference, f.value, f.relations, f.detail) for f in found] != \
                [(f.loc, f.reference, f.value, f.relations, f.detail) for f in held.found]:
            return None
        if ref.kind == "strategy" and fiche.numbers() != self.graph.fiches[ref.kind][ref.id].numbers():
            return None       # the projects that cite its priorities are checked again
        return fiche, source, found

    def _replace_in_place(self, rel: str, old: FileState, same: tuple, problems, refresh: set[Ref]) -> None:
        """The new version of a fiche whose references are unchanged: its edges stay as they are."""
        fiche, source, found = same
        ref = old.nodes[0]
        self.files[rel] = FileState(old.kind, old.path, list(problems), [ref])
        identifiers_changed = getattr(self.graph.fiches[ref.kind][ref.id], "identifiers", None) != getattr(fiche, "identifiers", None)
        self._put_fiche(ref, fiche, source)
        self.sources[ref] = _Source(source, found)
        linker, before = self.linker, len(self.linker.diagnostics)
        for each in found:        # the same edges; only the diagnostics may say something new (a hint, a line)
            linker.target(ref, source, each)
        self.link_problems[ref] = linker.diagnostics[before:]
        del linker.diagnostics[before:]
        refresh.add(ref)
        if identifiers_changed:
            self._identifiers_changed = True

    def _put_fiche(self, ref: Ref, fiche, source: SourceFile) -> None:
        fiches = self.graph.fiches[ref.kind]
        new = ref.id not in fiches
        for key in inputs_of_fiche(ref) + ((("k", ref.kind),) if new else ()):
            self._note(key)
        fiches[ref.id] = fiche
        self.graph.sources[ref] = source
        if new:
            self.graph.fiches[ref.kind] = dict(sorted(fiches.items()))

    def _drop_vocabulary(self, rel: str, old: FileState, relink: set[Ref]) -> None:
        self._identifiers_changed = True
        name = Path(rel).stem
        for ref in old.nodes:     # the fiches that name its terms are linked again only if a term appears or goes
            self._unlink(ref)
            self.sources.pop(ref, None)
            self._note(("t", ref.kind, ref.id))
        self._note(("v", name))
        self._note(("V",))
        self.graph.vocabularies.pop(name, None)
        self.linker.known.pop(name, None)
        self.linker.vocabulary_sources.pop(name, None)

    def _add_vocabulary(self, state: FileState, result, old: FileState | None, relink: set[Ref]) -> None:
        self._identifiers_changed = True
        if not isinstance(result, Vocabulary):      # unreadable: its terms are gone for `check` too
            for ref in (old.nodes if old is not None else ()):
                relink |= self.referrers.get(ref, set())
            return
        self._note(("v", result.name))
        self._note(("V",))
        for term_id in (*result.terms, *result.unvalidated):
            self._note(("t", result.name, term_id))
        self.graph.vocabularies[result.name] = result.terms
        self.linker.known[result.name] = set(result.terms) | set(result.unvalidated)
        self.linker.vocabulary_sources[result.name] = result.source
        self.linker.vocabulary_sources = dict(sorted(self.linker.vocabulary_sources.items(), key=lambda item: item[1].rel))
        self.graph.vocabularies = {name: self.graph.vocabularies[name] for name in self.linker.vocabulary_sources
                                   if name in self.graph.vocabularies}
        self._rank_terms()
        state.nodes = [Ref(result.name, t) for t in (*result.terms, *result.unvalidated)]
        state.invalid = frozenset(result.unvalidated)
        self._add_vocabulary_sources(result)
        for ref in state.nodes:
            self._resolve(ref)
        before = {r for r in (old.nodes if old is not None else ()) if r.id not in (old.invalid if old is not None else ())}
        for ref in before ^ {Ref(result.name, t) for t in result.terms}:     # terms that appeared, went, or (in)validated
            relink |= self.referrers.get(ref, set()) - {ref}

    def _sort_incoming(self) -> None:
        """Edges into a node in the order `link` makes them: by source (fiches by kind and id, then terms in file
        order), each source's in the order it holds them. The edges of the sources linked again in this update were
        appended; each is put back in its place (the rest of the list is in order already)."""
        resolved = self._resolved
        if not resolved:
            return
        position: dict[int, int] = {}
        for source in resolved:
            for i, own in enumerate(self.graph.outgoing.get(source, ())):
                position[id(own)] = i

        def order(edge: Edge) -> tuple:
            at = position.get(id(edge))
            if at is None:
                at = next(i for i, own in enumerate(self.graph.outgoing[edge.source]) if own is edge)
            return (self._rank(edge.source), at)

        for key in [k for k in self._before if k[0] == "i"]:
            incoming = self.graph.incoming.get(Ref(key[1], key[2]))
            if not incoming or len(incoming) < 2:
                continue
            new = [e for e in incoming if e.source in resolved]
            if not new:
                continue
            kept = [e for e in incoming if e.source not in resolved]
            for edge in new:
                bisect.insort(kept, edge, key=order)
            incoming[:] = kept

    def _update_taxonomies(self, refs: set[Ref]) -> None:
        """The memberships of `refs` (fiches whose edges, dates or existence changed), and the terms they join or leave."""
        g = self.graph
        for ref in sorted(r for r in refs if r.kind in _KIND_ORDER):
            old = g.memberships.get(ref, {})
            new = self._memberships_of(ref)
            if old == new:
                continue
            self._note(("s", ref.kind, ref.id))
            for taxonomy in set(old) | set(new):
                before, after = set(old.get(taxonomy, ())), set(new.get(taxonomy, ()))
                terms = g.taxonomies.setdefault(taxonomy, {})
                for term in before - after:
                    self._note(("m", taxonomy, term))
                    self._note(("x", taxonomy))
                    members = terms.get(term, [])
                    if ref in members:
                        members.remove(ref)
                    if not members:
                        terms.pop(term, None)
                for term in after - before:
                    self._note(("m", taxonomy, term))
                    self._note(("x", taxonomy))
                    members = terms.get(term)
                    if members is None:
                        terms[term] = [ref]
                        g.taxonomies[taxonomy] = dict(sorted(terms.items()))
                        terms = g.taxonomies[taxonomy]
                    else:
                        bisect.insort(members, ref, key=_member_order)
            if new:
                g.memberships[ref] = new
            else:
                g.memberships.pop(ref, None)

    def _memberships_of(self, ref: Ref) -> dict[str, list[str]]:
        """taxonomy → terms for one fiche, in TAXONOMIES order, each taxonomy's terms sorted (as link gives them)."""
        g = self.graph
        found: dict[str, set[str]] = defaultdict(set)
        for edge in g.outgoing.get(ref, ()):
            if edge.target.kind in NODE_TAXONOMIES:
                found[edge.target.kind].add(edge.target.id)
        project = g.projects.get(ref.id) if ref.kind == "project" else None
        if project is not None:
            if project.start_date:
                found["years"].add(str(project.start_date.year))
            status = project.status_on(g.today)
            if status:
                found["statuses"].add(status)
        return {taxonomy: sorted(found[taxonomy]) for taxonomy in TAXONOMIES if found.get(taxonomy)}


__all__ = ["FileState", "LiveGraph"]
