"""The fiche or term an unknown reference probably meant: by id written otherwise ('NGO_One'), by acronym
('AIMA', 'icmpd'), by name in any language ('Agência para a Integração, Migrações e Asilo'), by initials,
or by a near spelling ('ngo-on').

Comparing each unknown reference with every candidate (difflib) made 46,000 unknown ids against 2,000
organisations take half a minute. The candidates are indexed once instead — by folded form, by every
form with one letter left out (an edit of one or two letters meets there), and by word — so that a
lookup costs a bounded number of dictionary probes whatever the number of candidates, and only the few
candidates found are compared letter by letter."""

from __future__ import annotations

import difflib
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Iterable

from .guess import fold

#: Words that name nothing by themselves (en, fr, es, pt): left out of initials and of word matches.
STOPWORDS = frozenset("a an the of for and in on to at by with de da do das dos del la le les l el los las des du d "
                      "e et y o para pour por em en au aux com con sur".split())
#: A word shared by more candidates than this ("university", "ministry") is not used to find them.
MAX_SHARING = 100
#: Forms shorter than this are not searched by near spelling: every two-letter form is one letter from another.
MIN_FUZZY = 4
#: Forms longer than this (names) are found by word, not by near spelling.
MAX_FUZZY = 40
#: How close a near spelling must be (difflib's ratio, as the suggestions always used).
CUTOFF = 0.6


@dataclass(frozen=True)
class Candidate:
    """What a reference can name: a fiche or a vocabulary term, its id, its names in every language, its acronyms."""

    id: str
    names: tuple[str, ...] = ()
    acronyms: tuple[str, ...] = ()


@dataclass(frozen=True)
class Match:
    """A suggested id, and how the word met it: 'id', 'acronym', 'name', 'initials', 'spelling' or 'words'."""

    id: str
    via: str
    label: str = ""   # the candidate's first name, when it says more than the id: to show which one it is


def compact(text: str) -> str:
    """The form references are compared in: folded, without spaces or punctuation ('NGO_One' → 'ngoone')."""
    return fold(text).replace(" ", "")


def _words(text: str) -> list[str]:
    return [w for w in fold(text).split() if w not in STOPWORDS and not w.isdigit()]


def initials(name: str) -> str:
    """'Agência para a Integração, Migrações e Asilo' → 'aima'."""
    words = _words(name)
    return "".join(w[0] for w in words) if len(words) >= 2 else ""


def _deletions(key: str) -> set[str]:
    return {key[:i] + key[i + 1:] for i in range(len(key))}


class ReferenceIndex:
    """Candidates indexed once; `suggest` then costs about the same for any number of candidates."""

    _RANK = {"id": 0, "acronym": 1, "name": 1, "initials": 2, "spelling": 3, "words": 4}

    def __init__(self, candidates: Iterable[Candidate]):
        self._labels: dict[str, str] = {}
        self._exact: dict[str, dict[str, str]] = defaultdict(dict)   # form → {id: via}
        self._near: dict[str, set[str]] = defaultdict(set)           # form with one letter left out → ids
        self._forms: dict[str, str] = {}                             # id → its compact form
        self._by_word: dict[str, set[str]] = defaultdict(set)
        self._answers: dict[tuple[str, int], list[Match]] = {}        # one index serves one check: the same typo recurs
        for c in candidates:
            self._add(c)

    def _add(self, c: Candidate) -> None:
        form = self._forms[c.id] = compact(c.id)
        self._labels[c.id] = c.names[0] if c.names and compact(c.names[0]) != form else ""
        keys = [(form, "id")] + [(compact(a), "acronym") for a in c.acronyms] + [(compact(n), "name") for n in c.names]
        keys += [(initials(n), "initials") for n in c.names]
        for key, via in keys:
            if key:
                self._exact[key].setdefault(c.id, via)
        for key in {form, *(compact(a) for a in c.acronyms)}:
            if MIN_FUZZY <= len(key) <= MAX_FUZZY:
                for near in _deletions(key) | {key}:
                    self._near[near].add(c.id)
        for text in (c.id.replace("-", " "), *c.names, *c.acronyms):
            for word in _words(text):
                self._by_word[word].add(c.id)

    def suggest(self, word: str, n: int = 3) -> list[Match]:
        """Up to `n` ids `word` probably meant, the likeliest first; none when nothing is close."""
        answer = self._answers.get((word, n))
        if answer is None:
            answer = self._answers[(word, n)] = self._suggest(word, n)
        return answer

    def _suggest(self, word: str, n: int) -> list[Match]:
        key = compact(word)
        if not key:
            return []
        found: dict[str, tuple[str, float]] = {cid: (via, 1.0) for cid, via in self._exact.get(key, {}).items()}
        if len(found) < n and MIN_FUZZY <= len(key) <= MAX_FUZZY:
            near: set[str] = set()
            for probe in _deletions(key) | {key}:
                near |= self._near.get(probe, set())
            for cid in near:
                found.setdefault(cid, ("spelling", 1.0))
        if len(found) < n:
            words = set(_words(word.replace("-", " ")))
            shared: Counter = Counter()
            for w in words:
                holders = self._by_word.get(w, ())
                if len(holders) <= MAX_SHARING:
                    shared.update(holders)
            for cid, count in shared.most_common(4 * n):
                found.setdefault(cid, ("words", count / len(words)))
        ranked = []
        for cid, (via, overlap) in found.items():
            closeness = 1.0
            if via in ("spelling", "words") or len(found) > 1:   # only needed to leave out or to order
                matcher = difflib.SequenceMatcher(None, key, self._forms[cid])
                closeness = matcher.ratio() if matcher.real_quick_ratio() >= CUTOFF / 2 else 0.0
            if via == "spelling" and closeness < CUTOFF:
                continue
            if via == "words" and overlap < 2 / 3 and closeness < CUTOFF:   # two words of three, or spelt alike
                continue
            ranked.append((self._RANK[via], -overlap, -closeness, cid, via))
        ranked.sort()
        return [Match(cid, via, self._labels[cid]) for *_, cid, via in ranked[:n]]


def suggest_reference(word: str, candidates: Iterable[Candidate] | ReferenceIndex, n: int = 3) -> list[Match]:
    """The ids `word` probably meant among `candidates`. Pass a ReferenceIndex when there are many lookups."""
    index = candidates if isinstance(candidates, ReferenceIndex) else ReferenceIndex(candidates)
    return index.suggest(word, n)


def describe(matches: list[Match], word: str) -> str:
    """The hint: "did you mean 'aima'? (AIMA: Agência para a Integração, Migrações e Asilo)"."""
    if not matches:
        return ""
    hint = "did you mean " + " or ".join(f"'{m.id}'" for m in matches) + "?"
    first = matches[0]
    if first.via in ("acronym", "name", "initials", "words") and first.label:
        hint += f" ('{first.id}' is {first.label})"
    return hint
