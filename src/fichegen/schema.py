"""JSON Schemas for editors' autocompletion, generated from the models (never written by hand)."""

from __future__ import annotations

import json
from pathlib import Path

from .models import FICHE_TYPES, VOCABULARIES, vocabulary_model

DRAFT = "https://json-schema.org/draft/2020-12/schema"


def fiche_schema(kind: str) -> dict:
    model = FICHE_TYPES[kind]
    schema = model.model_json_schema(mode="validation")
    return {"$schema": DRAFT, "$id": f"{kind}.schema.json", **schema}


def vocabulary_schema(name: str) -> dict:
    schema = vocabulary_model(name).model_json_schema(mode="validation")
    schema["title"] = f"Vocabulary: {name}"
    schema["description"] = (f"content/vocabularies/{name}.yaml: a mapping from term id to term. "
                             + (VOCABULARIES[name].__doc__ or "").strip())
    return {"$schema": DRAFT, "$id": f"vocabulary-{name}.schema.json", **schema}


def all_schemas() -> dict[str, str]:
    """File name → JSON text, for every fiche type and vocabulary."""
    out = {f"{kind}.schema.json": fiche_schema(kind) for kind in FICHE_TYPES}
    out.update({f"vocabulary-{name}.schema.json": vocabulary_schema(name) for name in VOCABULARIES})
    return {name: json.dumps(schema, ensure_ascii=False, indent=2, sort_keys=True) + "\n" for name, schema in out.items()}


def write_schemas(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in all_schemas().items():
        path = folder / name
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
        written.append(path)
    return written
