"""JSON Schemas for editors' autocompletion, generated from the models (never written by hand)."""

from __future__ import annotations

import json
from pathlib import Path

from .models import FICHE_TYPES, VOCABULARIES, vocabulary_model

DRAFT = "https://json-schema.org/draft/2020-12/schema"
#: The schemas shipped in the package (content-independent: they name no vocabulary term), written into a
#: project by `fichegen init` and `fichegen new`; tests/test_cli.py keeps them equal to the models.
PACKAGED = Path(__file__).resolve().parent / "schemas"


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


def packaged_schemas() -> dict[str, str]:
    """File name → JSON text of the schemas shipped in the package."""
    return {path.name: path.read_text(encoding="utf-8") for path in sorted(PACKAGED.glob("*.schema.json"))}
