"""The handbook's generated pages: the field reference of every fiche type and vocabulary, the
fichegen.toml reference and the error-code catalogue, written as Markdown from the models,
`config.SiteConfig` and `diagnostics.CODES`, so they can never drift from the code."""

from __future__ import annotations

import ast
import functools
import inspect
import re
import sys
import typing
from dataclasses import dataclass
from typing import Any

import jinja2
import jinja2.meta
import jinja2.nodes
import yaml
from pydantic import BaseModel, RootModel, TypeAdapter

from ..config import SiteConfig
from ..diagnostics import CODES, Severity
from ..models import FICHE_TYPES, FOLDERS, VOCABULARIES, LocalizedMarkdown, LocalizedName, LocalizedText
from ..overrides import BUILTIN_THEME, TEMPLATES
from ..render.fragments import FRAGMENTS
from ..render.pages import PAGE_CONTEXT
from ..scaffold import skeleton

LOCALIZED = (LocalizedText.__name__, LocalizedMarkdown.__name__, LocalizedName.__name__)
#: Front matter of the field reference pages: their tables need the width of the table of contents.
WIDE_PAGE = "---\nhide:\n  - toc\n---\n"

# --- reading the models ------------------------------------------------------------------

def attribute_docstrings(model: type) -> dict[str, str]:
    """The docstring written under each field of `model` and its bases (what the field means).

    Pydantic puts a field type's own description (e.g. "ISO 639-1 language code") in place of
    the attribute docstring when the type carries one; the handbook wants both."""
    docs: dict[str, str] = {}
    for cls in reversed(model.__mro__):
        if isinstance(cls, type) and issubclass(cls, BaseModel) and not cls.__module__.startswith("pydantic"):
            docs.update(_own_docstrings(cls))
    return docs


@functools.cache
def _module_classes(module_name: str) -> dict[str, ast.ClassDef]:
    module = sys.modules[module_name]
    try:
        tree = ast.parse(inspect.getsource(module))
    except (OSError, TypeError, SyntaxError):
        return {}
    return {node.name: node for node in tree.body if isinstance(node, ast.ClassDef)}


@functools.cache
def _own_docstrings(cls: type) -> dict[str, str]:
    node = _module_classes(cls.__module__).get(cls.__name__)
    body = node.body if node else []
    docs = {}
    for statement, following in zip(body, body[1:]):
        if (isinstance(statement, ast.AnnAssign) and isinstance(statement.target, ast.Name)
                and isinstance(following, ast.Expr) and isinstance(following.value, ast.Constant)
                and isinstance(following.value.value, str)):
            docs[statement.target.id] = inspect.cleandoc(following.value.value)
    return docs


def nested_models(model: type[BaseModel]) -> list[type[BaseModel]]:
    """Every model used inside `model`'s fields (a project's Funding, Partner…), in order of first use."""
    seen: list[type[BaseModel]] = []

    def visit(annotation: Any) -> None:
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            if issubclass(annotation, RootModel) or annotation in seen:
                return
            seen.append(annotation)
            for field in annotation.model_fields.values():
                visit(field.annotation)
            return
        for arg in typing.get_args(annotation):
            visit(arg)

    for field in model.model_fields.values():
        visit(field.annotation)
    return seen


@dataclass(frozen=True)
class FieldRow:
    """One line of a field reference table."""

    name: str
    type: str
    required: str
    localized: bool
    allowed: str
    description: str
    example: str


@dataclass
class _TypeInfo:
    type: str
    allowed: str = ""
    example: Any = None
    localized: bool = False


def anchor(model: type[BaseModel]) -> str:
    return model.__name__.lower()


def _describe(schema: dict, defs: dict) -> _TypeInfo:
    """A JSON Schema fragment in words an editor understands."""
    if "anyOf" in schema:
        options = [s for s in schema["anyOf"] if s.get("type") != "null"]
        if len(options) == 1:
            return _describe({**options[0], **({"examples": schema["examples"]} if "examples" in schema else {})}, defs)
        if {o.get("type") for o in options} == {"number", "string"}:  # decimal amounts: 1532558.68 or "1532558.68"
            number = next(o for o in options if o.get("type") == "number")
            bounds = _bounds(number)
            described = schema.get("description") or number.get("description") or "A number with a dot for decimals."
            return _TypeInfo("decimal number", described + (f" {bounds[0].upper()}{bounds[1:]}." if bounds else ""),
                             _first(schema.get("examples") or number.get("examples")))
        return _TypeInfo(" or ".join(_describe(o, defs).type for o in options))
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        target = defs.get(name, {})
        title = target.get("title", name)
        if title in LOCALIZED:
            return _describe(target, defs)
        return _TypeInfo(f"[{title}](#{title.lower()})", "see below", None)
    if schema.get("title") in LOCALIZED:
        markdown = schema["title"] == LocalizedMarkdown.__name__
        keys = "language tags (en, fr, es, pt-BR…) as keys, and `original:` naming the language it was first written in when that is not the fiche's"
        if schema["title"] == LocalizedName.__name__:
            return _TypeInfo("name in each language, or one name", keys + "; or one plain text for a name that is the same in every language",
                             _first(schema.get("examples")), localized=True)
        return _TypeInfo("Markdown text in each language" if markdown else "text in each language",
                         keys + (", Markdown as values" if markdown else ""), _first(schema.get("examples")), localized=True)
    kind = schema.get("type")
    if "enum" in schema:
        return _TypeInfo("one of the listed words", ", ".join(f"`{v}`" for v in schema["enum"]), schema["enum"][0])
    if kind == "array":
        inner = _describe(schema.get("items", {}), defs)
        example = [inner.example] if inner.example is not None else None
        return _TypeInfo(f"list of {inner.type}", inner.allowed, example, inner.localized)
    if kind == "object":
        keys = (schema.get("propertyNames") or {}).get("description", "keys")
        values = [_describe(v, defs).type for v in (schema.get("patternProperties") or {}).values()]
        return _TypeInfo("mapping", f"{keys.rstrip('.')} as keys" + (f", {values[0]} as values" if values else ""))
    if kind == "boolean":
        return _TypeInfo("true or false", "`true`, `false`", True)
    if kind == "integer":
        return _TypeInfo("whole number", _bounds(schema), _first(schema.get("examples")) or schema.get("minimum"))
    if kind == "number":
        return _TypeInfo("number", _bounds(schema), _first(schema.get("examples")))
    if kind == "string":
        fmt = schema.get("format")
        if fmt == "date":
            return _TypeInfo("date", "YYYY-MM-DD", "2024-05-31")
        if fmt == "uri":
            return _TypeInfo("web address", "starts with `https://` or `http://`", _first(schema.get("examples")))
        if "YYYY" in schema.get("description", ""):
            return _TypeInfo("date", schema["description"], _first(schema.get("examples")))
        allowed = schema.get("description") or _length(schema) or (f"matches `{schema['pattern']}`" if "pattern" in schema else "")
        return _TypeInfo("text", allowed, _first(schema.get("examples")))
    return _TypeInfo(kind or "any value")


def _first(values: list | None) -> Any:
    return values[0] if values else None


def _bounds(schema: dict) -> str:
    parts = []
    if "minimum" in schema:
        parts.append(f"at least {_plain(schema['minimum'])}")
    if "exclusiveMinimum" in schema:
        parts.append(f"more than {_plain(schema['exclusiveMinimum'])}")
    if "maximum" in schema:
        parts.append(f"at most {_plain(schema['maximum'])}")
    if "exclusiveMaximum" in schema:
        parts.append(f"less than {_plain(schema['exclusiveMaximum'])}")
    return " and ".join(parts)


def _length(schema: dict) -> str:
    low, high = schema.get("minLength"), schema.get("maxLength")
    if high:
        return f"{low or 0} to {high} characters"
    return ""


def _plain(value: Any) -> str:
    return str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)


def _yaml_value(value: Any) -> str:
    text = yaml.safe_dump(value, default_flow_style=True, allow_unicode=True, width=10_000, sort_keys=False).strip()
    return text.removesuffix("\n...").removesuffix("...").strip()


def _default(field) -> str:
    if field.is_required():
        return ""
    default = field.get_default(call_default_factory=True)
    if default is None or default == [] or default == {} or isinstance(default, BaseModel):
        return ""
    return _yaml_value(default if isinstance(default, (str, int, float, bool, list, dict)) else str(default))


@functools.cache
def type_schema(model: type[BaseModel], name: str) -> dict:
    """The JSON Schema of a field's type alone (its format and constraints, not the field's description)."""
    hints = typing.get_type_hints(model, include_extras=True)
    return TypeAdapter(hints[name]).json_schema(mode="validation")


def _example_text(key: str, value: Any) -> str:
    if isinstance(value, str) and re.fullmatch(r"[\w(][\w .,/()+:-]*", value) and ": " not in value:
        return f"`{key}: {value}`"
    return f"`{key}: {_yaml_value(value)}`"


def field_rows(model: type[BaseModel]) -> list[FieldRow]:
    """The reference table of one model, from its fields, their docstrings and their types' JSON Schema."""
    docs = attribute_docstrings(model)
    rows = []
    for name, field in model.model_fields.items():
        key = field.alias or name
        schema = type_schema(model, name)
        info = _describe(schema, schema.get("$defs", {}))
        example = _first(field.examples) if field.examples else info.example
        if example is None:
            example_text = "see below" if info.type.startswith(("[", "list of [")) else "—"
        else:
            example_text = _example_text(key, example)
        default = _default(field)
        required = "**required**" if field.is_required() else (f"optional (default `{default}`)" if default else "optional")
        rows.append(FieldRow(key, info.type, required, info.localized, info.allowed,
                             docs.get(name) or field.description or "", example_text))
    return rows


# --- Markdown ------------------------------------------------------------------------------

def _cell(text: str) -> str:
    """Text for one table cell: on one line, pipes escaped, and <…> shown, not taken for HTML (except in `code`)."""
    parts = " ".join(str(text).split()).replace("|", "\\|").split("`")
    return "`".join(part if i % 2 else part.replace("<", "&lt;").replace(">", "&gt;") for i, part in enumerate(parts))


def field_table(model: type[BaseModel], scope: str | None = None) -> str:
    """The fields of `model` as a Markdown table; each row has the id SCOPE-FIELD (scope: the model's name)."""
    scope = f"{anchor(model)}-" if scope is None else scope
    lines = ["| Field | Description | Required | Localized | Type | Allowed values | Example |",
             "|---|---|---|---|---|---|---|"]
    for row in field_rows(model):
        lines.append(f"| `{row.name}` {{#{scope}{row.name.replace('_', '-')}}} | {_cell(row.description)} | {row.required} | "
                     f"{'yes' if row.localized else 'no'} | {_cell(row.type)} | {_cell(row.allowed)} | {_cell(row.example)} |")
    return "\n".join(lines)


def _sections(model: type[BaseModel]) -> list[str]:
    parts = []
    for nested in nested_models(model):
        doc = inspect.cleandoc(nested.__doc__ or "")
        parts += [f"## {nested.__name__} {{#{anchor(nested)}}}", "", doc, "", field_table(nested), ""]
    return parts


def fiche_reference(kind: str) -> str:
    """The reference page of one fiche type."""
    model = FICHE_TYPES[kind]
    doc = inspect.cleandoc(model.__doc__ or "")
    lines = [
        WIDE_PAGE,
        f"# {kind.capitalize()} fiches",
        "",
        f"{doc} One file per {kind}, in `content/{FOLDERS[kind]}/`; the file name (without `.yaml`) is the fiche's id "
        "and the last part of its web address.",
        "",
        "This page is generated from the data model that `fichegen check` validates against, so it is always "
        "exactly what the tool accepts. Fields marked *localized* take a text per language "
        "(see [Changing and translating a fiche](../changing-and-translating.md)).",
        "",
        f"## What `fichegen new {kind} my-id` writes",
        "",
        "```yaml",
        skeleton(kind, "my-id").rstrip(),
        "```",
        "",
        f"## Fields of a {kind} {{#{anchor(model)}}}",
        "",
        field_table(model),
        "",
    ]
    return "\n".join(lines + _sections(model))


def vocabulary_reference() -> str:
    """One page for every vocabulary file and the fields of its terms."""
    lines = [
        WIDE_PAGE,
        "# Vocabularies",
        "",
        "Vocabularies are the shared lists of terms that fiches refer to by id (themes, target groups, "
        "programmes…). Each lives in one file of `content/vocabularies/`: a mapping from term id to the term. "
        "A fiche names a term by its id, e.g. `themes: [integration]`; `fichegen check` reports an id that no "
        "vocabulary defines and suggests the closest one.",
        "",
        "This page is generated from the data model.",
        "",
    ]
    nested: list[type[BaseModel]] = []
    for name, model in VOCABULARIES.items():
        doc = inspect.cleandoc(model.__doc__ or "")
        lines += [f"## {name} {{#{name}}}", "", f"File `content/vocabularies/{name}.yaml`, a mapping from term id to term. {doc}",
                  "", field_table(model, f"{name}-"), ""]
        nested += [m for m in nested_models(model) if m not in nested]
    for model in nested:
        lines += [f"## {model.__name__} {{#{anchor(model)}}}", "", inspect.cleandoc(model.__doc__ or ""), "", field_table(model), ""]
    return "\n".join(lines)


def reference_index() -> str:
    rows = ["| Fiche type | Folder | Reference |", "|---|---|---|"]
    for kind in FICHE_TYPES:
        rows.append(f"| {kind} | `content/{FOLDERS[kind]}/` | [{kind.capitalize()} fields]({kind}.md) |")
    rows.append("| vocabulary terms | `content/vocabularies/` | [Vocabularies](vocabularies.md) |")
    return "\n".join(rows)


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{k} = {_toml_value(v)}" for k, v in value.items()) + " }"
    return '"' + str(value).replace("\\", "\\\\").replace('"', '\\"') + '"'


def configuration_reference() -> str:
    """Every key of fichegen.toml, from `config.SiteConfig`."""
    def rows(model: type[BaseModel], prefix: str = "") -> list[str]:
        docs = attribute_docstrings(model)
        out = []
        for name, field in model.model_fields.items():
            key = f"{prefix}{name}"
            ident = key.replace(".", "-").replace("_", "-")
            description = _cell(docs.get(name) or field.description or "")
            sub = next((a for a in [field.annotation, *typing.get_args(field.annotation)]
                        if isinstance(a, type) and issubclass(a, BaseModel) and not issubclass(a, RootModel)), None)
            if sub is not None:
                out.append(f"| `{key}` {{#{ident}}} | table `[{key}]` | — | {description} |")
                out += rows(sub, f"{key}.")
                continue
            schema = type_schema(model, name)
            info = _describe(schema, schema.get("$defs", {}))
            if info.localized:
                kind = 'text in each language: `{ en = "…", fr = "…" }`'
            else:
                kind = info.type + (f" ({_cell(info.allowed)})" if info.allowed else "")
            default = None if field.is_required() else field.get_default(call_default_factory=True)
            shown = ("**required**" if field.is_required() else
                     "(none)" if default in (None, {}, []) else f"`{_toml_value(default)}`")
            out.append(f"| `{key}` {{#{ident}}} | {kind} | {shown} | {description} |")
        return out

    return "\n".join(["| Key | Type | Default | What it does |", "|---|---|---|---|", *rows(SiteConfig)])




def error_code_reference() -> str:
    """Every code of diagnostics.CODES: its title, what it means and how to fix it."""
    parts = []
    for code, info in CODES.items():
        severity = "Warning: the build goes on" if info.severity is Severity.warning else "Error: nothing is published until it is fixed"
        parts += [f"### {info.title} {{#{code}}}", "",
                  f"Code `{code}` · *{severity}*", "",
                  info.explanation, "",
                  f"**How to fix:** {CODES[code].fix or 'see the message and its hint.'}", ""]
    return "\n".join(parts)


def template_reference() -> str:
    """Every built-in template: what it extends, the blocks it defines, the values it reads besides the
    context every page gets, read from the templates themselves."""
    folder = BUILTIN_THEME / TEMPLATES
    env = jinja2.Environment()
    rows = ["| Template | Extends | Blocks it defines | Macros it defines | Values it reads besides the common ones |",
            "|---|---|---|---|---|"]
    for path in sorted(folder.rglob("*.html")):
        name = path.relative_to(folder).as_posix()
        tree = env.parse(path.read_text(encoding="utf-8"))
        extends = next((node.template.value for node in tree.find_all(jinja2.nodes.Extends)
                        if isinstance(node.template, jinja2.nodes.Const)), "")
        blocks = [node.name for node in tree.find_all(jinja2.nodes.Block)]
        macros = [node.name for node in tree.body if isinstance(node, jinja2.nodes.Macro)]
        imported = {n if isinstance(n, str) else n[1] for node in tree.find_all(jinja2.nodes.FromImport) for n in node.names}
        reads = sorted(jinja2.meta.find_undeclared_variables(tree) - set(PAGE_CONTEXT) - set(FRAGMENTS) - imported)
        rows.append(f"| `{name}` | {_code_list([extends] if extends else [])} | {_code_list(blocks)} | {_code_list(macros)} | "
                    f"{_code_list(reads)} |")
    common = ["| Value | What it is |", "|---|---|"] + [f"| `{key}` | {_cell(text)} |" for key, text in PAGE_CONTEXT.items()]
    helpers = ["| Helper | What it does |", "|---|---|"] + [
        f"| `{name}(…)` | {_cell(inspect.getdoc(function) or '')} |" for name, function in FRAGMENTS.items()]
    return "\n".join(["### Values every page gets", "", *common, "", "### Helpers every template may call", "", *helpers, "",
                      "### The templates", "", *rows])


def _code_list(names: list[str]) -> str:
    return ", ".join(f"`{name}`" for name in names) or "—"

