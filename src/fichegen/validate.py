"""Stage 2, validate: loaded data becomes typed models; every error points at the YAML node."""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, RootModel, ValidationError

from .diagnostics import Diagnostic, Severity
from .load import SourceFile
from .models import FICHE_TYPES, VOCABULARIES, FicheBase, Term, vocabulary_model
from .models.common import SHAPE_TAGS
from .models.references import FoundReference, walk_data
from .models.upgrades import old_shapes

_TYPE_ERRORS = ("_type", "_parsing", "is_instance_of", "model_attributes_type", "dict_type", "list_type", "string_type")


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


def _clean_loc(loc: tuple) -> tuple:
    # Pydantic adds validator names to locations inside unions and Annotated types; keep keys and indices.
    out = []
    for part in loc:
        if isinstance(part, int) or (isinstance(part, str) and not part.startswith(("function-", "constrained-", "nullable[", "union[", "dict["))
                                     and part not in ("root", "str", "int", "decimal", "date", "list[", "tagged-union", *SHAPE_TAGS)):
            out.append(part)
    return tuple(out)


def diagnostics_from(exc: ValidationError, source: SourceFile, model: type[BaseModel], offset: int = 0,
                     prefix: tuple = (), explained: set[tuple] | frozenset = frozenset(), only=None) -> list[Diagnostic]:
    """Pydantic errors as diagnostics; `offset` skips leading location parts that are not fields (term ids),
    `prefix` is put before every location (a term validated on its own), errors at or under a location in
    `explained` are left out (an old shape, already explained), and `only` keeps the errors it accepts."""
    out = []
    seen = set()
    for err in exc.errors(include_url=False):
        if only is not None and not only(err):
            continue
        loc = prefix + _clean_loc(err["loc"])
        if any(loc[:len(e)] == e for e in explained):
            continue
        kind = err["type"]
        if kind == "extra_forbidden":
            key = loc[-1] if loc else ""
            holder = _model_at(model, loc[offset:-1])
            hint = did_you_mean(key, holder.model_fields) if holder else ""
            if holder and not hint:
                hint = "known keys here: " + ", ".join(holder.model_fields)
            line, col = source.at(loc, key=True)
            d = Diagnostic(source.rel, line, col, "unknown-key", f"unknown key '{key}'", hint)
        elif kind == "missing":
            key = loc[-1] if loc else ""
            line, col = source.at(loc[:-1])
            where = "/".join(str(p) for p in loc[:-1])
            d = Diagnostic(source.rel, line, col, "missing-key", f"the required key '{key}' is missing" + (f" in {where}" if where else ""),
                           f"add '{key}:'; `fichegen new` shows every required key")
        else:
            line, col = source.at(loc)
            if kind.startswith(("unknown-", "invalid-value", "missing-original", "wrong-type")):
                code = kind
            elif any(kind.endswith(t) or t in kind for t in _TYPE_ERRORS):
                code = "wrong-type"
            else:
                code = "invalid-value"
            field = ".".join(str(p) for p in loc)
            message = err["msg"]
            if code == "wrong-type" and kind != "wrong-type":
                message = f"{field}: {message[0].lower() + message[1:]}, not {_describe(err.get('input'))}"
            else:
                message = f"{field}: {message[0].lower() + message[1:]}" if field else message
            d = Diagnostic(source.rel, line, col, code, message, _hint_for(kind, err))
        if (d.line, d.column, d.code) not in seen:
            seen.add((d.line, d.column, d.code))
            out.append(d)
    return out


def _describe(value: Any) -> str:
    if isinstance(value, dict):
        return "a mapping of keys"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "an empty value"
    text = str(value)
    return f"'{text[:40]}…'" if len(text) > 40 else f"'{text}'"


def _hint_for(kind: str, err: dict) -> str:
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return "write the keys below it, indented, e.g. 'en: …' for a text"
    if kind == "list_type":
        return "write a list, one item per line starting with '- '"
    if kind.startswith("int_"):
        return "write a whole number, without quotes or units"
    if kind.startswith("decimal") or kind.startswith("float"):
        return "write a number with a dot for decimals and no thousands separator, e.g. 1532558.68"
    if kind.startswith("date"):
        return "write the date as YYYY-MM-DD"
    if kind == "string_too_long":
        return "shorten it: the limit keeps a runaway paste out of the site"
    if kind == "string_too_short":
        return "write a text, or delete the line if the field is optional"
    if kind in ("literal_error", "enum"):
        return "use one of the values the message lists, spelt exactly"
    if kind.startswith(("greater_than", "less_than")):
        return "check the number: it is outside the range the field allows"
    if kind == "string_pattern_mismatch":
        return "check the spelling: ids are lower-case words joined by hyphens, codes upper-case (ES, EUR)"
    return ""


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
            removed |= _without(data, _clean_loc(err["loc"]))
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
        out += [d for d in diagnostics_from(exc, source, model, explained=explained)
                if (d.line, d.column) not in left]
        recovered = _recover(model, source.data, exc)
        if recovered is None:
            failed = frozenset(_clean_loc(err["loc"]) for err in exc.errors(include_url=False))
            return Unvalidated(source, list(walk_data(model, source.data, skip=failed | frozenset(found)))), out
        fiche = recovered
    fiche._id = source.id
    for problem in fiche.problems():
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
