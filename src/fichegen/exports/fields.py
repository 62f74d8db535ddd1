"""The field reference of an open data file, read from the models' JSON Schema (never written by hand).

Each field comes out with its dotted path (`funding.contribution.amount`, `partners[].role`), a type key
the download page translates, whether it is required, and the description from the model's docstring.
"""

from __future__ import annotations

import typing
from dataclasses import dataclass
from functools import lru_cache

from pydantic import BaseModel

#: JSON Schema definitions that are values, not records to walk into.
TEXT_DEFINITIONS = {"LocalizedText": "localized_text", "LocalizedMarkdown": "localized_markdown", "LocalizedName": "localized_name"}
PARTIAL_DATE_PATTERN = r"^\d{4}(-\d{2}(-\d{2})?)?$"


@dataclass(frozen=True)
class FieldDoc:
    """One field of a record: `type` is a key (text, date, list…), `item` the type of a list's items."""

    name: str
    type: str
    required: bool
    description: str
    item: str = ""
    choices: tuple[str, ...] = ()


@lru_cache(maxsize=32)
def model_fields(model: type[BaseModel], prefix: str = "") -> tuple[FieldDoc, ...]:
    """Every field of `model`, nested models flattened into dotted names, in the model's order."""
    schema = model.model_json_schema(mode="validation")
    classes = _models_in(model)
    return tuple(_walk(schema, schema.get("$defs", {}), classes, model.__name__, prefix))


def _walk(schema: dict, defs: dict, classes: dict[str, type[BaseModel]], name_of: str, prefix: str) -> list[FieldDoc]:
    out: list[FieldDoc] = []
    required = set(schema.get("required", ()))
    docs = attribute_docstrings(classes[name_of]) if name_of in classes else {}
    for name, prop in schema.get("properties", {}).items():
        path = f"{prefix}{name}"
        is_required = name in required      # within its record: a partner must name its organisation
        description = " ".join((docs.get(name) or str(prop.get("description", ""))).split())
        value = _non_null(prop)
        kind, item, choices, nested, nested_name = _type(value, defs)
        out.append(FieldDoc(path, kind, is_required, description, item, choices))
        if nested is not None:
            child_prefix = path + ("[]." if kind == "list" else ".")
            out += _walk(nested, defs, classes, nested_name, child_prefix)
    return out


def _models_in(model: type[BaseModel]) -> dict[str, type[BaseModel]]:
    """Every model class reachable from `model`'s fields, by name (the JSON Schema's definition names)."""
    found: dict[str, type[BaseModel]] = {}

    def visit(annotation) -> None:
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            if annotation.__name__ not in found:
                found[annotation.__name__] = annotation
                for field in annotation.model_fields.values():
                    visit(field.annotation)
            return
        for arg in typing.get_args(annotation):
            visit(arg)

    visit(model)
    return found


def attribute_docstrings(cls: type[BaseModel]) -> dict[str, str]:
    """The docstring written under each field (Pydantic keeps it as the field's description)."""
    return {name: field.description or "" for name, field in cls.model_fields.items()}


def _non_null(prop: dict) -> dict:
    """The schema of a value that may also be null, without the null."""
    options = [o for o in prop.get("anyOf", ()) if o.get("type") != "null"]
    if "anyOf" in prop and len(options) == 1:
        return {**options[0], **{k: v for k, v in prop.items() if k not in ("anyOf", "default")}}
    return prop


def _type(schema: dict, defs: dict) -> tuple[str, str, tuple[str, ...], dict | None, str]:
    """(type key, item type key for lists, allowed values, nested record schema to walk into, its name)."""
    ref = schema.get("$ref")
    if ref:
        name = ref.rsplit("/", 1)[-1]
        if name in TEXT_DEFINITIONS:
            return TEXT_DEFINITIONS[name], "", (), None, ""
        return "record", "", (), defs.get(name, {}), name
    if schema.get("type") == "array":
        item_kind, _, choices, nested, name = _type(_non_null(schema.get("items", {})), defs)
        return "list", item_kind, choices, nested, name
    if "enum" in schema:
        return "choice", "", tuple(str(v) for v in schema["enum"]), None, ""
    options = {o.get("type") for o in schema.get("anyOf", ())}
    if {"number", "string"} <= options:
        return "decimal", "", (), None, ""
    kind = schema.get("type")
    if kind == "string":
        if schema.get("format") == "date":
            return "date", "", (), None, ""
        if schema.get("format") == "uri":
            return "url", "", (), None, ""
        if schema.get("pattern") == PARTIAL_DATE_PATTERN:
            return "partial_date", "", (), None, ""
        return "text", "", (), None, ""
    if kind in ("integer", "number", "boolean", "object"):
        return kind, "", (), None, ""
    return "text", "", (), None, ""
