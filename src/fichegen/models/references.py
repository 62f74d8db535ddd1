"""References between fiches, declared once, next to the field that holds them.

A field whose value is the id of another fiche, of a vocabulary term or of a code list entry carries a
`Reference` in its `Annotated` metadata, as Astro's content collections declare
`reference('organisations')` in the schema. Everything that follows references reads them from here:
the linker (edges of the graph and unknown-id diagnostics), incremental builds (what a page depends on),
the JSON Schemas (the real ids as `enum`s), the web editor (relation widgets) and the exports. A new field
that refers to something needs nothing more than its annotation.
"""

from __future__ import annotations

import types
import typing
from dataclasses import dataclass
from functools import cache
from typing import Any, Iterator

from pydantic import BaseModel, RootModel

#: Kinds of nodes a reference can point at. Fiches live in content/<folder>/; vocabularies in
#: content/vocabularies/; codes come from CLDR (countries, UN M49 regions) or the IATI codelists (sectors).
FICHE_KINDS = ("project", "strategy", "organisation", "discussion")
#: `detail_from=POSITION`: the edge keeps the position of the record holding the reference in its list (a contribution).
POSITION = "#position"
CODE_KINDS = ("countries", "world-regions", "sectors")


@dataclass(frozen=True)
class Reference:
    """The field holds the id of a node of the graph.

    `target` is a fiche kind ("organisation"), a vocabulary name ("themes") or a code kind ("countries").
    `relation` names the edge (the field's name when None); `relations_from` names a sibling field whose
    value(s) give the edge's relation instead (a participant's roles); `detail_from` a sibling field kept
    on the edge (a strategy link's priority). `may_be_missing`: the target may have no fiche yet, which is
    a warning, not an error (a related project not described yet)."""

    target: str
    relation: str | None = None
    relations_from: str | None = None
    detail_from: str | None = None
    may_be_missing: bool = False

    def __get_pydantic_json_schema__(self, core_schema, handler):
        """Marks the value's schema with what it refers to: schema.py lists the ids (or codes) it may take."""
        schema = handler(core_schema)
        schema["x-reference"] = self.target
        schema["x-reference-open"] = self.may_be_missing
        return schema

    @property
    def is_fiche(self) -> bool:
        return self.target in FICHE_KINDS

    @property
    def is_code(self) -> bool:
        return self.target in CODE_KINDS

    @property
    def is_term(self) -> bool:
        return not self.is_fiche and not self.is_code


@dataclass(frozen=True)
class FoundReference:
    """One reference found in a fiche: where it is, what it declares, the id, and the edges it makes."""

    loc: tuple
    reference: Reference
    value: str
    relations: tuple[str, ...]
    detail: str | None


def _found(loc: tuple, ref: Reference, value: str, field: str, sibling) -> FoundReference:
    """`sibling(name)` reads another field of the record holding the reference."""
    if ref.relations_from:
        given = sibling(ref.relations_from) or ()
        relations = tuple(str(r) for r in given) if isinstance(given, (list, tuple)) else (str(given),)
    else:
        relations = (ref.relation or field,)
    if ref.detail_from == POSITION:
        detail = str(loc[-2])
    else:
        value_of = sibling(ref.detail_from) if ref.detail_from else None
        detail = None if value_of is None else str(value_of)
    return FoundReference(loc, ref, value, relations, detail)


def reference_of(annotation: Any) -> Reference | None:
    """The Reference declared on a type (through Annotated, Optional and unions), if any; the outermost one
    wins, so a field can restate a type's reference with its own relation (`as_relation`)."""
    if typing.get_origin(annotation) is typing.Annotated:
        for meta in reversed(annotation.__metadata__):
            if isinstance(meta, Reference):
                return meta
        return reference_of(typing.get_args(annotation)[0])
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        for arg in typing.get_args(annotation):
            found = reference_of(arg)
            if found:
                return found
    return None


def as_relation(annotation: Any, relation: str | None = None, relations_from: str | None = None) -> Any:
    """`annotation` (a type that declares a Reference) with the edges it makes named `relation`, or after
    the value(s) of the sibling field `relations_from`: a recipient country is a "countries" edge, an
    organisation's seat a "country" one."""
    ref = reference_of(annotation)
    assert ref is not None, f"{annotation} declares no reference"
    return typing.Annotated[annotation, Reference(ref.target, relation, relations_from, ref.detail_from, ref.may_be_missing)]


def _field_reference(model: type[BaseModel], name: str) -> Reference | None:
    field = model.model_fields[name]
    for meta in reversed(field.metadata):
        if isinstance(meta, Reference):
            return meta
    annotation = field.annotation
    if typing.get_origin(annotation) is list:
        annotation = typing.get_args(annotation)[0]
    return reference_of(annotation)


@cache
def declared(model: type[BaseModel]) -> tuple[tuple[str, Reference], ...]:
    """(field, Reference) for every field of `model` that holds references itself (a str or a list of them).

    Computed once per model class: the classes are immutable, so this is a table, not state."""
    return tuple((name, ref) for name in model.model_fields if (ref := _field_reference(model, name)) is not None)


def walk(model: BaseModel, loc: tuple = ()) -> Iterator[FoundReference]:
    """Every reference held by `model` and the models nested in it, in field order, with its location."""
    if isinstance(model, RootModel):
        return
    refs = dict(declared(type(model)))
    sibling = lambda name: getattr(model, name, None)  # noqa: E731
    for name in type(model).model_fields:
        value = getattr(model, name)
        if value is None:
            continue
        ref = refs.get(name)
        if isinstance(value, list):
            for i, item in enumerate(value):
                if isinstance(item, str) and ref is not None:
                    yield _found(loc + (name, i), ref, item, name, sibling)
                elif isinstance(item, BaseModel):
                    yield from walk(item, loc + (name, i))
        elif isinstance(value, str) and ref is not None:
            yield _found(loc + (name,), ref, value, name, sibling)
        elif isinstance(value, BaseModel):
            yield from walk(value, loc + (name,))


def walk_data(model: type[BaseModel], data: Any, loc: tuple = (), skip: frozenset[tuple] = frozenset()) -> Iterator[FoundReference]:
    """The references in raw data read for `model` that did not validate: a fiche with a missing key or a
    wrong value still has every other reference checked, in the same pass. Values at the locations in
    `skip` (those validation already reported) are left out."""
    if not isinstance(data, dict) or issubclass(model, RootModel):
        return
    refs = dict(declared(model))
    sibling = data.get
    for name, field in model.model_fields.items():
        value = data.get(name)
        if value is None:
            continue
        ref = refs.get(name)
        nested = _models_in(field.annotation)
        values = list(enumerate(value)) if isinstance(value, list) else [(None, value)]
        for i, item in values:
            where = loc + ((name,) if i is None else (name, i))
            if where in skip:
                continue
            if isinstance(item, str) and ref is not None:
                yield _found(where, ref, item, name, sibling)
            elif isinstance(item, dict) and nested:
                yield from walk_data(nested[0], item, where, skip)


def _models_in(annotation: Any) -> list[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [] if issubclass(annotation, RootModel) else [annotation]
    return [m for arg in typing.get_args(annotation) for m in _models_in(arg)]


def targets(model: type[BaseModel]) -> set[str]:
    """Every kind of node `model` (and the models nested in it) can refer to."""
    found: set[str] = set()
    seen: set[type] = set()

    def visit(cls: Any) -> None:
        if isinstance(cls, type) and issubclass(cls, BaseModel):
            if cls in seen or issubclass(cls, RootModel):
                return
            seen.add(cls)
            found.update(ref.target for _, ref in declared(cls))
            for field in cls.model_fields.values():
                visit(field.annotation)
            return
        for arg in typing.get_args(cls):
            visit(arg)

    visit(model)
    return found
