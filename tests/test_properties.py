"""Whatever an editor (or an attacker) writes, `check` answers with diagnostics, never an exception.

Hypothesis writes random YAML documents, random text in YAML's own characters, random bytes, and
random mutations of the real fiches (the showcase in content/ and tests/fixtures/multilingual): keys
deleted, renamed or added, values replaced by the wrong type or a huge string, text salted with odd
Unicode (right-to-left marks, zero-width joiners, combining accents, astral-plane emoji, NUL and other
control characters). Each goes into a project folder and through `fichegen.check.check`. A fiche that is
still valid survives the round trip model → JSON → model unchanged, and its pages render.

The UI catalogues are checked once, not in every example (they do not change between examples), so the
examples stay fast enough to run by the hundred.
"""

from __future__ import annotations

import json
import re
import shutil
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import fichegen.check
from fichegen.check import check
from fichegen.diagnostics import CODES, Diagnostic, format_github, format_json, format_markdown, format_text
from fichegen.load import FICHE_FOLDERS, load_file
from fichegen.models import FICHE_TYPES, VOCABULARIES

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[1]
MULTILINGUAL = REPO / "tests" / "fixtures" / "multilingual"
SETTINGS = dict(deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                                       HealthCheck.function_scoped_fixture])
RUNS: Counter = Counter()         # examples run per property, printed at the end

ODD_UNICODE = ["\u200f", "\u200e", "\u202e", "\u2066", "\u200d", "\u200b", "\ufeff", "\u0301\u0301\u0327", "e\u0301",
               "😀", "👩‍👩‍👧", "𝔘𝔫𝔦", "\U0010fffd", "\x00", "\x1b[2J", "\x07", "\x7f", "\x85", "\u2028", "\u2029", "\t", "\r\n",
               "ﷺ", "\uffff", "\u0000x", "𒐫" * 5]
KINDS = {folder: kind for folder, kind in FICHE_FOLDERS.items()}


def _fiches() -> list[tuple[str, str, dict]]:
    """(folder, name, data) of every real fiche and vocabulary, read by the real loader."""
    out = []
    for base in (REPO / "content", MULTILINGUAL / "content"):
        for path in sorted(base.rglob("*.yaml")):
            folder = path.parent.name
            kind = FICHE_FOLDERS.get(folder, "vocabulary")
            source, problems = load_file(path, base.parent, kind)
            assert source is not None and not problems, path
            out.append((folder, path.name, source.data))
    return out


BASES = _fiches()


@pytest.fixture(scope="module", autouse=True)
def catalogues_checked_once():
    """check_catalogues reads every UI catalogue: its first answer stands for all examples (it is not under test here)."""
    real = fichegen.check.check_catalogues
    cache: dict = {}

    def once(theme, config):
        key = tuple(config.languages)
        if key not in cache:
            cache[key] = real(theme, config)
        return list(cache[key])
    fichegen.check.check_catalogues = once
    yield
    fichegen.check.check_catalogues = real
    print("\nproperties: " + ", ".join(f"{n} {name}" for name, n in RUNS.items()) + f"; {sum(RUNS.values())} examples in all")


class Workspace:
    """One project folder reused by every example of a property: fichegen.toml, then the example's files."""

    def __init__(self, context: Path | None = None):
        self.root = Path(tempfile.mkdtemp(prefix="fichegen-property-"))
        toml = (context / "fichegen.toml").read_text() if context else \
            'title = { en = "Fuzz", fr = "Fuzz" }\nlanguages = ["en", "fr"]\nfallback = ["en", "fr"]\nbuild_date = 2024-06-01\n'
        (self.root / "fichegen.toml").write_text(toml)
        self.context = context

    def write(self, files: dict[str, bytes]) -> Path:
        content = self.root / "content"
        shutil.rmtree(content, ignore_errors=True)
        if self.context:
            shutil.copytree(self.context / "content", content)
        for rel, data in files.items():
            path = self.root / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        return self.root

    def close(self):
        shutil.rmtree(self.root, ignore_errors=True)


def assert_only_diagnostics(root: Path):
    """`check` returns, every problem is a well-formed Diagnostic, and every output format can print them."""
    result = check(root)
    for d in result.diagnostics:
        assert isinstance(d, Diagnostic)
        assert d.code in CODES, d
        assert d.line >= 1 and d.column >= 1 and isinstance(d.message, str) and d.message, d
    for formatter in (format_text, format_github, format_json, format_markdown):
        formatter(result.diagnostics)
    return result


def dump(data: Any) -> bytes:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=120).encode("utf-8")


# --- random documents -----------------------------------------------------------------------

scalars = st.one_of(st.none(), st.text(max_size=40), st.integers(), st.booleans(),
                    st.sampled_from(["", "null", "~", "2024-13-45", "1e400", "NaN", "-1", "0x1F", "NO", "yes", "TODO: x",
                                     "https://example.org/", "javascript:alert(1)", "EUR", "en"]))
keys = st.one_of(st.sampled_from(["title", "summary", "original_language", "partners", "funding", "period", "label", "en", "fr",
                                  "organisation", "role", "start_date", "priorities", "number", "rounds", "contributions",
                                  "territory", "type", "name", "links", "url", "_id", "__class__", "model_config"]),
                 st.text(min_size=1, max_size=12))
documents = st.recursive(scalars, lambda inner: st.one_of(st.lists(inner, max_size=5),
                                                          st.dictionaries(keys, inner, max_size=6)), max_leaves=30)
destinations = st.sampled_from([f"content/{folder}/doc.yaml" for folder in FICHE_FOLDERS] +
                               [f"content/vocabularies/{name}.yaml" for name in VOCABULARIES])


@settings(max_examples=300, **SETTINGS)
@given(document=documents, where=destinations)
def test_any_yaml_document_gives_only_diagnostics(document, where):
    RUNS["random YAML documents"] += 1
    space = _space("documents")
    assert_only_diagnostics(space.write({where: dump(document)}))


yaml_text = st.text(alphabet=st.sampled_from(sorted(set(":-[]{}#&*!|>'\"%@`,?\n\t ab1.~\\" + "".join(ODD_UNICODE)))), max_size=200)


@settings(max_examples=300, **SETTINGS)
@given(text=yaml_text, raw=st.binary(max_size=64), where=destinations)
def test_any_text_or_bytes_give_only_diagnostics(text, raw, where):
    RUNS["random YAML-like texts and bytes"] += 1
    space = _space("texts")
    assert_only_diagnostics(space.write({where: text.encode("utf-8", "surrogatepass")}))
    assert_only_diagnostics(space.write({where: raw}))


# --- mutations of real fiches -----------------------------------------------------------------

def paths_of(data: Any, prefix: tuple = ()) -> list[tuple]:
    out = [prefix]
    if isinstance(data, dict):
        for k, v in data.items():
            out += paths_of(v, prefix + (k,))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            out += paths_of(v, prefix + (i,))
    return out


def get(data, path):
    for p in path:
        data = data[p]
    return data


wrong_values = st.one_of(
    st.none(), st.just(""), st.just([]), st.just({}), st.just("x" * 100_001), st.just(["a", ["b", ["c"]]]),
    st.just({"en": {"nested": "too deep"}}), st.sampled_from(["12", "-1", "1e400", "2024-02-30", "ZZ", "xx", "9" * 40, "1.2.3.4"]),
    st.lists(st.sampled_from(ODD_UNICODE + list("ab -:")), max_size=12).map("".join), st.integers())


#: Keys whose string values are prose an editor writes (under a language code, or free text fields).
FREE_TEXT_KEYS = {"en", "fr", "es", "pt", "text", "author", "affiliation", "acronym", "city", "note", "scheme", "value"}
PRINTABLE_ODDITIES = [u for u in ODD_UNICODE if not any(ord(c) < 32 or 0x7F <= ord(c) <= 0x9F or c == "\uffff" for c in u)]


@st.composite
def mutations(draw, bases=None, valid: bool = False):
    """A real fiche with 1–4 mutations applied; returns (folder, file name, data).

    With `valid`, only what keeps a fiche valid: printable odd Unicode or a huge text in its prose, optional
    keys deleted (the fiche may still turn out invalid, e.g. when a required key goes)."""
    import copy
    folder, name, data = draw(st.sampled_from(bases or BASES))
    data = copy.deepcopy(data)
    for _ in range(draw(st.integers(1, 4))):
        paths = [p for p in paths_of(data) if p]
        if not paths:
            break
        path = draw(st.sampled_from(paths))
        parent, last = get(data, path[:-1]), path[-1]
        operations = ["odd-text", "odd-text", "huge-text", "delete", "extreme", "many"] if valid else \
            ["delete", "wrong", "odd-text", "rename", "add-key", "extreme", "many"]
        operation = draw(st.sampled_from(operations))
        if operation == "delete":
            del parent[last]
        elif operation == "wrong":
            parent[last] = copy.deepcopy(draw(wrong_values))
        elif operation in ("odd-text", "huge-text"):
            strings = [p for p in paths if isinstance(get(data, p), str) and (not valid or p[-1] in FREE_TEXT_KEYS)]
            if not strings:
                continue
            path = draw(st.sampled_from(strings))
            parent, last = get(data, path[:-1]), path[-1]
            text = parent[last]
            if operation == "huge-text":
                word = draw(st.sampled_from(["Ω", "a", "👩‍👩‍👧", "\u0627"]))
                parent[last] = (word * draw(st.sampled_from([40, 300, 5000]))) if draw(st.booleans()) else " ".join([text] * 200)
                if last in ("acronym", "author", "affiliation", "city", "scheme", "value"):
                    parent[last] = parent[last][:40]
                continue
            odd = draw(st.lists(st.sampled_from(PRINTABLE_ODDITIES if valid else ODD_UNICODE), min_size=1, max_size=4))
            at = draw(st.integers(0, len(text)))
            parent[last] = text[:at] + "".join(odd) + text[at:]
        elif operation == "extreme":
            # dates and numbers at the edges of what validation accepts
            for p in paths:
                value = get(data, p)
                if isinstance(value, str) and re.fullmatch(r"\d{4}(-\d\d(-\d\d)?)?", value) and draw(st.booleans()):
                    get(data, p[:-1])[p[-1]] = draw(st.sampled_from(["1800", "1800-01", "2199-12-31", "2199", "1999-12-31"]))
                elif isinstance(value, str) and re.fullmatch(r"\d+(\.\d+)?", value) and draw(st.booleans()):
                    get(data, p[:-1])[p[-1]] = draw(st.sampled_from(["0", "0.01", "1", "100", "9999999999999999.99", "10000"]))
        elif operation == "many":
            lists = [p for p in paths if isinstance(get(data, p), list) and 0 < len(get(data, p)) <= 3
                     and len(json.dumps(get(data, p))) < 2000]
            if lists:
                path = draw(st.sampled_from(lists))
                items = get(data, path)
                items.extend(copy.deepcopy(items) * draw(st.sampled_from([4, 40])))
        elif operation == "rename" and isinstance(parent, dict):
            parent[draw(keys)] = parent.pop(last)
        elif operation == "add-key" and isinstance(get(data, path), dict):
            get(data, path)[draw(keys)] = copy.deepcopy(draw(wrong_values))
    return folder, name, data


FICHE_BASES = [b for b in BASES if b[0] in FICHE_FOLDERS]
MULTILINGUAL_FICHES = [b for b in FICHE_BASES if (MULTILINGUAL / "content" / b[0] / b[1]).is_file()]


_spaces: dict[str, Workspace] = {}


def _space(name: str, context: Path | None = None) -> Workspace:
    if name not in _spaces:
        _spaces[name] = Workspace(context)
    return _spaces[name]


@pytest.fixture(scope="module", autouse=True)
def workspaces_removed():
    yield
    for space in _spaces.values():
        space.close()


@settings(max_examples=500, **SETTINGS)
@given(mutated=mutations())
def test_mutated_fiches_give_only_diagnostics(mutated):
    """The mutated fiche goes in beside the multilingual fixture, so references and the linker are exercised too."""
    RUNS["mutated fiches"] += 1
    folder, name, data = mutated
    space = _space("mutations", MULTILINGUAL)
    result = assert_only_diagnostics(space.write({f"content/{folder}/{name}": dump(data)}))
    assert result.graph is not None


# --- valid fiches: round trip and rendering ---------------------------------------------------

def _valid(folder: str, data: dict):
    from pydantic import ValidationError
    kind = KINDS.get(folder)
    if kind is None:
        return None, None
    try:
        return kind, FICHE_TYPES[kind].model_validate(data)
    except ValidationError:
        return kind, None


@settings(max_examples=500, **SETTINGS)
@given(mutated=mutations(FICHE_BASES, valid=True))
def test_a_valid_fiche_survives_model_json_model_unchanged(mutated):
    folder, name, data = mutated
    kind, fiche = _valid(folder, data)
    if fiche is None:
        return
    RUNS["valid fiches round-tripped"] += 1
    dumped = fiche.model_dump(mode="json")
    text = json.dumps(dumped, ensure_ascii=False)
    again = FICHE_TYPES[kind].model_validate(json.loads(text))
    assert again == fiche
    assert again.model_dump(mode="json") == dumped


def test_every_real_fiche_survives_the_round_trip():
    checked = 0
    for folder, name, data in BASES:
        kind, fiche = _valid(folder, data)
        if kind is None:
            continue
        assert fiche is not None, name
        assert FICHE_TYPES[kind].model_validate(json.loads(json.dumps(fiche.model_dump(mode="json")))) == fiche, name
        checked += 1
    assert checked >= 20


@settings(max_examples=150, **SETTINGS)
@given(mutated=mutations(MULTILINGUAL_FICHES, valid=True), lang=st.sampled_from(["en", "fr", "es", "pt"]))
def test_a_mutated_fiche_that_passes_check_renders_its_page(mutated, lang):
    """Odd but valid values (huge texts, emoji in names, RTL marks in acronyms) must not break a template or a chart."""
    from fichegen.overrides import Theme
    from fichegen.render.pages import SiteRenderer

    folder, name, data = mutated
    if folder not in FICHE_FOLDERS:
        return
    space = _space("render", MULTILINGUAL)
    result = assert_only_diagnostics(space.write({f"content/{folder}/{name}": dump(data)}))
    if not result.ok():
        return
    RUNS["valid mutated fiches rendered"] += 1
    renderer = SiteRenderer(result.graph, Theme.of(space.root))
    fiche_id = name.removesuffix(".yaml")
    pages = [p for p in renderer.pages() if p.lang == lang and p.key[:1] == ("fiche",) and p.key[2] == fiche_id]
    assert pages
    for page in pages:
        assert "<html" in renderer.render_page(page)


# --- Markdown texts ------------------------------------------------------------------------------

#: Markdown's own characters, letters, digits and spaces. Left out: `:` (reference definitions, which CommonMark
#: shows nowhere), `!` (images, whose address the sanitizer drops), `&` (entities: `&amp;` is one character).
MARKDOWN_ALPHABET = list("ab7 \n\n\t*_`[]()<>#|-=+.\\\"'/~{}") + ["é", "ж", "\u00a0", "  \n"]
#: A fence's info string, also inside a block quote or list item (`>```a`, `- ```a`).
FENCE_INFO = re.compile(r"^(?:[ \t>]|[-*+](?=[ \t])|\d{1,9}[.)](?=[ \t]))*(?:`{3,}|~{3,})(.*)$", re.M)


@settings(max_examples=400, **SETTINGS)
@given(text=st.lists(st.sampled_from(MARKDOWN_ALPHABET), max_size=300).map("".join))
def test_any_markdown_text_renders_to_allowed_elements_with_every_letter_kept(text):
    """Random Markdown: only the sanitizer's elements and attributes come out, and every letter of the text is
    still there for the reader (as text, or as a link's address or title); a fenced code block's info string
    (its language) is markup and is not shown."""
    from markdown_shown import letters_of, shown

    from fichegen.render.markup import MarkdownRenderer

    renderer = MarkdownRenderer()
    out = str(renderer.html(text))
    seen = shown(out)
    assert not seen.problems(), seen.problems()
    expected = letters_of(FENCE_INFO.sub("", text))
    assert not expected - seen.letters(), (expected - seen.letters(), out)
    assert renderer.plain(text) == renderer.plain(text) and renderer.rendered == 1
    RUNS["Markdown texts rendered"] += 1
