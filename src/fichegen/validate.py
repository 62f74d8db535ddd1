"""Stage 2, validate: loaded data becomes typed models; every error points at the YAML node."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, RootModel, ValidationError

from .diagnostics import Diagnostic, Severity
from .field_errors import explain, field_site
from .load import SourceFile
from .models import FICHE_TYPES, VOCABULARIES, FicheBase, Term, vocabulary_model


@dataclass
class Vocabulary:
    name: str
    terms: dict[str, Term]
    source: SourceFile


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
_SCHEMA_STEPS = ("root", "str", "int", "decimal", "date", "list[", "tagged-union")


def _clean_loc(loc: tuple, data: Any) -> tuple:
    """The keys and indices of `loc` that lead through `data`, without the names of schemas Pydantic adds to it.

    A part that is a key of the data at that point stays even when it is also a schema's name: a
    contribution's `date` field is a key, not the date schema."""
    out, node = [], data
    for part in loc:
        if isinstance(node, dict) and part in node or isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            out.append(part)
            node = node[part]
        elif isinstance(part, str) and (part.startswith(("function-", "constrained-", "nullable[", "union[")) or part in _SCHEMA_STEPS):
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


def diagnostics_from(exc: ValidationError, source: SourceFile, model: type[BaseModel], offset: int = 0) -> list[Diagnostic]:
    """Pydantic errors as diagnostics; `offset` skips leading location parts that are not fields (term ids)."""
    out = []
    seen = set()
    errors = exc.errors(include_url=False)
    # A refused key's value is not reported again: `{en: Suspended, on hold}` is one mistake, not two.
    bad_keys = {loc[:-1] for loc in (_clean_loc(e["loc"], source.data) for e in errors) if loc and loc[-1] == "[key]"}
    for err in errors:
        loc = _clean_loc(err["loc"], source.data)
        kind = err["type"]
        if loc in bad_keys:
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


def validate_fiche(source: SourceFile) -> tuple[FicheBase | None, list[Diagnostic]]:
    """The fiche and its problems. A fiche with errors may still come back, recovered, for linking."""
    model = FICHE_TYPES[source.kind]
    from .scaffold import placeholders
    found = list(placeholders(source.data))
    left = [source.at(loc) for loc in found]
    out: list[Diagnostic] = [Diagnostic(source.rel, line, col, "placeholder-left",
                                        f"'{'.'.join(map(str, loc))}' is still a placeholder from `fichegen new`",
                                        "replace the TODO with the real value, or delete the line if the field is optional")
                             for loc, (line, col) in zip(found, left)]
    try:
        fiche = model.model_validate(source.data)
    except ValidationError as exc:
        # A placeholder is reported once, as such, not again as an invalid value.
        out += [d for d in diagnostics_from(exc, source, model) if (d.line, d.column) not in left]
        fiche = _recover(model, source.data, exc)
        if fiche is None:
            return None, out
    fiche._id = source.id
    for problem in fiche.problems():
        line, col = source.at(problem.loc)
        out.append(Diagnostic(source.rel, line, col, problem.code, problem.message, problem.hint))
    return fiche, out


def validate_vocabulary(source: SourceFile, default_language: str) -> tuple[Vocabulary | None, list[Diagnostic]]:
    if source.id not in VOCABULARIES:
        return None, [Diagnostic(source.rel, 1, 1, "bad-file-name", f"'{source.id}' is not a vocabulary fichegen knows",
                                 "vocabularies are: " + ", ".join(f"{n}.yaml" for n in VOCABULARIES) + ". " + did_you_mean(source.id, VOCABULARIES))]
    model: type[RootModel] = vocabulary_model(source.id)
    try:
        parsed = model.model_validate(source.data)
    except ValidationError as exc:
        return None, diagnostics_from(exc, source, VOCABULARIES[source.id], offset=1)
    out = []
    for term_id, term in parsed.root.items():
        if default_language not in term.label:
            line, col = source.at((term_id, "label"))
            out.append(Diagnostic(source.rel, line, col, "vocabulary-label-missing",
                                  f"term '{term_id}' has no label in the default language '{default_language}'",
                                  f"add '{default_language}:' under its label", Severity.warning))
    return Vocabulary(source.id, dict(parsed.root), source), out
