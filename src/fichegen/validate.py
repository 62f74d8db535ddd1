"""Stage 2, validate: loaded data becomes typed models; every error points at the YAML node."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, RootModel, ValidationError

from .diagnostics import Diagnostic, Severity
from .field_errors import explain, field_site
from .load import SourceFile
from .models import FICHE_TYPES, VOCABULARIES, FicheBase, Term, vocabulary_model
from .models.common import SHAPE_TAGS
from .models.references import FoundReference, walk_data
from .models.upgrades import old_shapes


@dataclass
class Vocabulary:
    """A vocabulary file's valid terms; the ids of terms with mistakes (and the references they hold) apart."""

    name: str
    terms: dict[str, Term]
    source: SourceFile
    unvalidated: dict[str, list[FoundReference]] = field(default_factory=dict)


def did_you_mean(word: str, candidates, n: int = 3) -> str:
    close = difflib.get_close_matches(str(word), list(candidates), n=n, cutoff=0.6)
    return "did you mean " + " or ".join(f"'{c}'" for c in close) + "?" if close else ""


def _model_at(model: type[BaseModel], loc: tuple) -> type[BaseModel] | None:
    """The model class that holds the field at `loc`, for naming the keys it accepts."""
    import typing
    current: Any = model
    for part in loc:
        if isinstance(part, int):
            continue
        if not (isinstance(current, type) and issubclass(current, BaseModel)) or part not in current.model_fields:
            return None
        current = current.model_fields[part].annotation
        # unwrap Optional[X], list[X]
        for _ in range(3):
            args = [a for a in typing.get_args(current) if a is not type(None)]
            if typing.get_origin(current) in (list, typing.Union, __import__("types").UnionType) and args:
                current = args[0]
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


#: The names Pydantic puts in a location for the schema it went through (a union member, a validator), not a key.
_SCHEMA_STEPS = ("root", "str", "int", "decimal", "date", "list[", "tagged-union", *SHAPE_TAGS)


def _clean_loc(loc: tuple, data: Any) -> tuple:
    """The keys and indices of `loc` that lead through `data`, without the names of schemas Pydantic adds to it.

    A part that is a key of the data at that point stays even when it is also a schema's name: a
    contribution's `date` field is a key, not the date schema."""
    out, node = [], data
    for part in loc:
        if isinstance(node, dict) and part in node or isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            out.append(part)
            node = node[part]
        elif isinstance(part, str) and (part.startswith(("function-", "constrained-", "nullable[", "union[", "dict[")) or part in _SCHEMA_STEPS):
            continue
        else:   # a key that is missing, or the "[key]" of a refused mapping key
            out.append(part)
            node = None
    return tuple(out)


def field_path(loc: tuple) -> str:
    """A location as editors read it, as `fichegen translations` writes it: funding.total, countries[2]."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _fiche_language(source: SourceFile) -> str:
    """The fiche's original_language when it is a plausible code, for examples in hints."""
    value = source.data.get("original_language") if isinstance(source.data, dict) else None
    return value if isinstance(value, str) and re.fullmatch(r"[a-z]{2,3}", value) else "en"


def _holder(source: SourceFile, loc: tuple, offset: int) -> str:
    """What holds a key: 'a project', 'funding.contribution', 'a term of the themes vocabulary'."""
    if loc[offset:]:
        return field_path(loc[offset:])
    if source.kind == "vocabulary":
        return f"a term of the {source.id} vocabulary"
    return ("an " if source.kind[0] in "aeiou" else "a ") + source.kind


def _under(data: Any, prefix: tuple) -> Any:
    for part in prefix:
        data = data.get(part) if isinstance(data, dict) else None
    return data


def diagnostics_from(exc: ValidationError, source: SourceFile, model: type[BaseModel], offset: int = 0,
                     prefix: tuple = (), already_said: set[tuple] | frozenset = frozenset(), only=None) -> list[Diagnostic]:
    """Pydantic errors as diagnostics; `offset` skips leading location parts that are not fields (term ids),
    `prefix` is put before every location (a term validated on its own), errors at or under a location in
    `already_said` are left out (an old shape, already explained), and `only` keeps the errors it accepts."""
    out = []
    seen = set()
    errors = [e for e in exc.errors(include_url=False) if only is None or only(e)]
    data = _under(source.data, prefix)
    # A refused key's value is not reported again: `{en: Suspended, on hold}` is one mistake, not two.
    bad_keys = {loc[:-1] for loc in (prefix + _clean_loc(e["loc"], data) for e in errors) if loc and loc[-1] == "[key]"}
    for err in errors:
        loc = prefix + _clean_loc(err["loc"], data)
        kind = err["type"]
        if loc in bad_keys or any(loc[:len(e)] == e for e in already_said):
            continue
        if kind == "extra_forbidden":
            key = loc[-1] if loc else ""
            holder = _model_at(model, loc[offset:-1])
            hint = did_you_mean(key, holder.model_fields) if holder else ""
            if holder and not hint:
                hint = "known keys here: " + ", ".join(holder.model_fields)
            line, col = source.at(loc, key=True)
            d = Diagnostic(source.rel, line, col, "unknown-key", f"'{key}' is not a field of {_holder(source, loc[:-1], offset)}", hint)
        elif kind == "missing":
            key = loc[-1] if loc else ""
            line, col = source.at(loc[:-1])
            where = field_path(loc[:-1])
            d = Diagnostic(source.rel, line, col, "missing-key", f"the required key '{key}' is missing" + (f" in {where}" if where else ""),
                           f"add '{key}:'; `fichegen new` shows every required key")
        else:
            is_key = bool(loc) and loc[-1] == "[key]"   # a mapping's key was refused (a text's language code)
            where = loc[:-1] if is_key else loc
            line, col = source.at(where, key=is_key)
            explained = explain(err, field_site(model, loc[offset:]), field_path(where), _fiche_language(source))
            d = Diagnostic(source.rel, line, col, explained.code, explained.message, explained.hint or _hint_for(kind, err))
        if (d.line, d.column, d.code) not in seen:
            seen.add((d.line, d.column, d.code))
            out.append(d)
    return out


def _hint_for(kind: str, err: dict) -> str:
    """A hint by error type alone, for an error whose field could not be told (field_errors explains the rest)."""
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return "write the keys below it, indented, e.g. 'en: …' for a text"
    if kind == "list_type":
        return "write a list, one item per line starting with '- '"
    if kind.startswith("int_"):
        return "write a whole number, digits only, without quotes or units"
    if kind.startswith(("decimal", "float")):
        return "write a plain number: digits, a dot before the decimals, no thousands separator, currency or %"
    if kind.startswith("date"):
        return "write the date as YYYY-MM-DD"
    if kind in ("literal_error", "enum"):
        return "use one of the values the message lists, spelt exactly"
    if kind.startswith(("greater_than", "less_than")):
        return "check the number: it is outside the range the field allows"
    return "see the field in the handbook's field reference for the form it takes"


def _without(data: Any, loc: tuple) -> bool:
    """Remove the value at `loc` from `data` (in place); False when nothing could be removed."""
    *parents, last = loc or (None,)
    node = data
    for part in parents:
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            return False
    if isinstance(node, dict) and last in node:
        del node[last]
        return True
    if isinstance(node, list) and isinstance(last, int) and last < len(node):
        del node[last]
        return True
    return False


def _recover(model: type[FicheBase], data: dict, exc: ValidationError) -> FicheBase | None:
    """Drop the values that failed and validate again, so references in the rest are still checked.

    The fiche is reported as invalid either way; this only lets one pass find more problems."""
    import copy
    data = copy.deepcopy(data)
    for _ in range(10):
        removed = False
        for err in exc.errors(include_url=False):
            if err["type"] == "missing":
                return None
            removed |= _without(data, _clean_loc(err["loc"], data))
        if not removed:
            return None
        try:
            return model.model_validate(data)
        except ValidationError as again:
            exc = again
    return None


@dataclass
class Unvalidated:
    """A fiche that did not validate: its id still exists for the references to it, and the references it
    holds are still checked (read from its raw data), so one mistake does not hide or cause others."""

    source: SourceFile
    references: list[FoundReference]


def validate_fiche(source: SourceFile) -> tuple[FicheBase | Unvalidated, list[Diagnostic]]:
    """The fiche and its problems. A fiche with errors comes back recovered (the failing values dropped) when
    that is possible, else as Unvalidated, for linking."""
    model = FICHE_TYPES[source.kind]
    from .scaffold import placeholders
    found = list(placeholders(source.data))
    left = [source.at(loc) for loc in found]
    out: list[Diagnostic] = [Diagnostic(source.rel, line, col, "placeholder-left",
                                        f"'{'.'.join(map(str, loc))}' is still a placeholder from `fichegen new`",
                                        "replace the TODO with the real value, or delete the line if the field is optional")
                             for loc, (line, col) in zip(found, left)]
    old = list(old_shapes(source.kind, source.data))
    out += [Diagnostic(source.rel, *source.at(shape.loc, key=True), "old-shape", shape.message, shape.hint) for shape in old]
    explained = {shape.loc for shape in old}
    try:
        fiche = model.model_validate(source.data)
    except ValidationError as exc:
        # A placeholder is reported once, as such, not again as an invalid value; an old shape once, explained.
        out += [d for d in diagnostics_from(exc, source, model, already_said=explained)
                if (d.line, d.column) not in left]
        recovered = _recover(model, source.data, exc)
        if recovered is None:
            failed = frozenset(_clean_loc(err["loc"], source.data) for err in exc.errors(include_url=False))
            return Unvalidated(source, list(walk_data(model, source.data, skip=failed | frozenset(found)))), out
        fiche = recovered
        dropped = [_clean_loc(err["loc"], source.data) for err in exc.errors(include_url=False)]
    else:
        dropped = []
    fiche._id = source.id
    for problem in fiche.problems():
        if any(problem.loc[:len(d)] == d or d[:len(problem.loc)] == problem.loc for d in dropped):
            continue    # about a record whose failing value was dropped to go on checking: it would blame the wrong thing
        line, col = source.at(problem.loc)
        out.append(Diagnostic(source.rel, line, col, problem.code, problem.message, problem.hint))
    return fiche, out


def validate_vocabulary(source: SourceFile, default_language: str) -> tuple[Vocabulary | None, list[Diagnostic]]:
    """The vocabulary's terms, each validated on its own: a term with a mistake is reported in this file and
    its id still exists (Vocabulary.unvalidated), so fiches that use it are not blamed for it."""
    if source.id not in VOCABULARIES:
        return None, [Diagnostic(source.rel, 1, 1, "bad-file-name", f"'{source.id}' is not a vocabulary fichegen knows",
                                 "vocabularies are: " + ", ".join(f"{n}.yaml" for n in VOCABULARIES) + ". " + did_you_mean(source.id, VOCABULARIES))]
    term_model = VOCABULARIES[source.id]
    data = source.data if isinstance(source.data, dict) else {}
    try:
        vocabulary_model(source.id).model_validate({k: {} for k in data})
    except ValidationError as exc:   # only the term ids are read here: their own mistakes are reported below
        out = diagnostics_from(exc, source, term_model, offset=1, only=lambda err: err["loc"][-1] == "[key]")
    else:
        out = []
    terms: dict[str, Term] = {}
    unvalidated: dict[str, list[FoundReference]] = {}
    for term_id, value in data.items():
        try:
            term = term_model.model_validate(value)
        except ValidationError as exc:
            out += diagnostics_from(exc, source, term_model, offset=1, prefix=(term_id,))
            unvalidated[term_id] = list(walk_data(term_model, value, (term_id,)))
            continue
        terms[term_id] = term
        out += [Diagnostic(source.rel, *source.at((term_id,) + problem.loc), problem.code, problem.message, problem.hint)
                for problem in _term_problems(term)]
        if default_language not in term.label:
            line, col = source.at((term_id, "label"))
            out.append(Diagnostic(source.rel, line, col, "vocabulary-label-missing",
                                  f"term '{term_id}' has no label in the default language '{default_language}'",
                                  f"add '{default_language}:' under its label", Severity.warning))
    return Vocabulary(source.id, terms, source, unvalidated), out


def _term_problems(term: Term):
    from .models.common import repeats
    return repeats(term)
