"""`fichegen new TYPE ID`: a fiche skeleton built from the model, with placeholders `check` points at."""

from __future__ import annotations

import types
import typing
from pathlib import Path

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from .load import check_id
from .models import FICHE_TYPES, FOLDERS, FicheBase, LocalizedText

PLACEHOLDER = "TODO"


def _first_sentence(text: str | None) -> str:
    return (text or "").strip().split("\n")[0].rstrip(".")


def _unwrap(annotation):
    args = [a for a in typing.get_args(annotation) if a is not type(None)]
    if typing.get_origin(annotation) in (typing.Union, types.UnionType) and args:
        return _unwrap(args[0])
    if typing.get_origin(annotation) is typing.Annotated:
        return _unwrap(args[0])
    return annotation


def _is_model(t) -> bool:
    return isinstance(t, type) and issubclass(t, BaseModel)


def _required_lines(model: type[BaseModel], indent: str, lang: str) -> list[str]:
    # A nested model with no required field (a period) gets all its fields, so it is not left empty.
    required = [(n, f) for n, f in model.model_fields.items() if f.is_required()] or list(model.model_fields.items())
    lines = []
    for name, field in required:
        lines += _field_lines(name, field, indent, lang)
    return lines


def _field_lines(name: str, field: FieldInfo, indent: str, lang: str) -> list[str]:
    hint = _first_sentence(field.description)
    t = _unwrap(field.annotation)
    if name == "original_language":
        return [f"{indent}{name}: {lang}   # {hint}"]
    if _is_model(t) and issubclass(t, LocalizedText):
        return [f"{indent}{name}:   # {hint}", f"{indent}  {lang}: \"{PLACEHOLDER}: {hint}\""]
    if _is_model(t):
        return [f"{indent}{name}:   # {hint}"] + _required_lines(t, indent + "  ", lang)
    literal = typing.get_args(t) if typing.get_origin(t) is typing.Literal else ()
    if literal:
        return [f"{indent}{name}: {PLACEHOLDER}   # one of: {', '.join(map(str, literal))}. {hint}"]
    return [f"{indent}{name}: \"{PLACEHOLDER}: {hint}\""]


def _in_order(model: type[BaseModel]) -> list[tuple[str, FieldInfo]]:
    """The fiche's own fields first, then those every fiche has (published, sources…), as editors read them."""
    own = [(n, f) for n, f in model.model_fields.items() if n not in FicheBase.model_fields or n == "original_language"]
    common = [(n, f) for n, f in model.model_fields.items() if n in FicheBase.model_fields and n != "original_language"]
    return own + common


def skeleton(kind: str, fiche_id: str, lang: str = "en") -> str:
    model = FICHE_TYPES[kind]
    lines = [f"# yaml-language-server: $schema=../../schemas/{kind}.schema.json",
             f"# A {kind} fiche. Replace every {PLACEHOLDER}; `fichegen check` points at those left.",
             "# Optional fields are commented out: remove the # to use one. The handbook describes every field.", ""]
    lines += [line for name, field in _in_order(model) if field.is_required()
              for line in _field_lines(name, field, "", lang)]
    lines.append("")
    for name, field in _in_order(model):
        if not field.is_required():
            lines.append(f"# {name}:   # {_first_sentence(field.description)}")
    return "\n".join(lines) + "\n"


def new_fiche(root: Path, content_dir: str, kind: str, fiche_id: str, lang: str = "en") -> Path:
    problem = check_id(fiche_id)
    if problem:
        raise ValueError(f"'{fiche_id}' cannot be an id: {problem}")
    path = root / content_dir / FOLDERS[kind] / f"{fiche_id}.yaml"
    if path.exists():
        raise FileExistsError(f"{path} already exists")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(skeleton(kind, fiche_id, lang), encoding="utf-8")
    return path


def placeholders(data, loc: tuple = ()):
    """Locations of values that still hold a placeholder."""
    if isinstance(data, dict):
        for k, v in data.items():
            yield from placeholders(v, loc + (k,))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            yield from placeholders(v, loc + (i,))
    elif isinstance(data, str) and (data == PLACEHOLDER or data.startswith(PLACEHOLDER + ":")):
        yield loc
