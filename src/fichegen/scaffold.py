"""Scaffolding: `fichegen init` writes a content repository that checks and builds at once, `fichegen new TYPE ID`
a fiche skeleton built from the model, with placeholders `check` points at."""

from __future__ import annotations

import json
import types
import typing
from dataclasses import dataclass, field
from importlib.metadata import version
from pathlib import Path

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from .config import CONFIG_FILE
from .load import check_id
from .models import FICHE_TYPES, FOLDERS, VOCABULARIES, FicheBase, LocalizedText
from .overrides import BUILTIN_THEME, I18N
from .schema import packaged_schemas

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
             f"# {'An' if kind[0] in 'aeiou' else 'A'} {kind} fiche. Replace every {PLACEHOLDER}; `fichegen check` points at those left.",
             "# Optional fields are commented out: remove the # to use one. The handbook describes every field.", ""]
    lines += [line for name, field in _in_order(model) if field.is_required()
              for line in _field_lines(name, field, "", lang)]
    lines.append("")
    for name, field in _in_order(model):
        if not field.is_required():
            lines.append(f"# {name}:   # {_first_sentence(field.description)}")
    return "\n".join(lines) + "\n"


def new_fiche(root: Path, content_dir: str, kind: str, fiche_id: str, lang: str = "en") -> Path:
    """Write the skeleton of a new fiche; the schemas its first line names are written too when missing."""
    problem = check_id(fiche_id)
    if problem:
        raise ValueError(f"'{fiche_id}' cannot be an id: {problem}")
    path = root / content_dir / FOLDERS[kind] / f"{fiche_id}.yaml"
    if path.exists():
        raise FileExistsError(f"{path} already exists")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(skeleton(kind, fiche_id, lang), encoding="utf-8")
    write_missing_schemas(root)
    return path


def write_missing_schemas(root: Path) -> list[Path]:
    """The packaged JSON Schemas that `root/schemas/` lacks (what the fiches' first lines point at)."""
    folder = root / SCHEMAS
    written = []
    for name, text in packaged_schemas().items():
        if not (folder / name).exists():
            folder.mkdir(parents=True, exist_ok=True)
            (folder / name).write_text(text, encoding="utf-8")
            written.append(folder / name)
    return written


# --- fichegen init -----------------------------------------------------------------------------

#: What `fichegen init` writes, shipped in the package; examples/ only without --bare.
STARTER = Path(__file__).resolve().parent / "starter"
EXAMPLES = "examples"
SCHEMAS = "schemas"
#: Starter files holding @NAME@ markers, filled in by init_project.
FILLED = ("fichegen.toml", "requirements.txt", ".pre-commit-config.yaml", "README.md", ".github/CODEOWNERS")
DEFAULT_LANGUAGES = ("en", "fr", "es", "pt")
DEFAULT_MAINTAINERS = "@OWNER/maintainers"


class ProjectExists(Exception):
    """`fichegen init` was given a folder that already holds a fichegen project."""


@dataclass
class Started:
    """What `fichegen init` did: the files it wrote and those it found already there and left alone."""

    root: Path
    written: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)
    languages_without_ui: list[str] = field(default_factory=list)


def vscode_settings() -> dict:
    """VS Code's settings for a content repository: each content folder mapped to the schema of its type."""
    schemas = {f"./{SCHEMAS}/{kind}.schema.json": [f"content/{FOLDERS[kind]}/*.yaml"] for kind in FICHE_TYPES}
    schemas.update({f"./{SCHEMAS}/vocabulary-{name}.schema.json": [f"content/vocabularies/{name}.yaml"] for name in VOCABULARIES})
    return {
        "yaml.schemas": schemas,
        "yaml.validate": True, "yaml.completion": True, "yaml.hover": True,
        "yaml.schemaStore.enable": False, "yaml.format.enable": False,
        "[yaml]": {"editor.insertSpaces": True, "editor.tabSize": 2, "editor.detectIndentation": False,
                   "editor.renderWhitespace": "boundary",
                   "editor.quickSuggestions": {"other": True, "comments": False, "strings": True}},
        "files.encoding": "utf8", "files.eol": "\n", "files.insertFinalNewline": True,
    }


def _toml_string(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)   # a JSON string is a TOML basic string


def starter_files(title: str, languages: list[str], bare: bool, maintainers: str) -> dict[str, str]:
    """Path in the new project → text, for every file `fichegen init` writes."""
    values = {
        "@TITLE@": f"{languages[0]} = {_toml_string(title)}",
        "@PLAIN_TITLE@": title,
        "@LANGUAGES@": ", ".join(_toml_string(lang) for lang in languages),
        "@DEFAULT_LANGUAGE@": languages[0],
        "@FICHEGEN_VERSION@": version("fichegen"),
        "@MAINTAINERS@": maintainers,
    }
    files: dict[str, str] = {}
    for path in sorted(STARTER.rglob("*")):
        rel = path.relative_to(STARTER).as_posix()
        if not path.is_file() or "__pycache__" in rel or (bare and rel.startswith(f"{EXAMPLES}/")):
            continue
        text = path.read_text(encoding="utf-8")
        if rel in FILLED:
            for marker, value in values.items():
                text = text.replace(marker, value)
        files[rel.removeprefix(f"{EXAMPLES}/")] = text
    files.update({f"{SCHEMAS}/{name}": text for name, text in packaged_schemas().items()})
    files[".vscode/settings.json"] = json.dumps(vscode_settings(), indent=2) + "\n"
    return files


def init_project(target: Path, title: str | None = None, languages: list[str] | None = None, bare: bool = False,
                 maintainers: str = DEFAULT_MAINTAINERS) -> Started:
    """Write a content repository into `target` (made when missing): every file that is not there yet."""
    target = Path(target)
    if (target / CONFIG_FILE).exists():
        raise ProjectExists(f"{target / CONFIG_FILE} already exists: this folder is a fichegen project already")
    languages = list(languages or DEFAULT_LANGUAGES)
    title = title or (target.resolve().name.replace("-", " ").replace("_", " ").strip().capitalize() or "Knowledge base")
    started = Started(target, languages_without_ui=[l for l in languages if not (BUILTIN_THEME / I18N / f"{l}.yaml").is_file()])
    for rel, text in starter_files(title, languages, bare, maintainers).items():
        path = target / rel
        if path.exists() or path.is_symlink():
            started.kept.append(rel)
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        started.written.append(rel)
    return started


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
