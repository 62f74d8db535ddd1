"""The editors' handbook: the pages shipped in this package (docs/ and mkdocs.yml beside this file),
the reference pages generated from the code (reference.py), and a project's own Markdown pages, built
with MkDocs Material into site/handbook/.

The MkDocs configuration always comes from the package, never from the project: a project (or a pull
request) cannot add MkDocs hooks or plugins, which run Python. A project adds pages as Markdown files in
handbook/ beside fichegen.toml; they are copied, without following links, into a section of their own.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import tempfile
from pathlib import Path

from ..models import FICHE_TYPES
from ..overrides import HANDBOOK_PAGES, handbook_pages as project_pages
from .reference import (configuration_reference, error_code_reference, fiche_reference, reference_index,
                        template_reference, vocabulary_reference)

#: The handbook's sources, shipped in the package.
HANDBOOK = Path(__file__).resolve().parent
HANDBOOK_CONFIG = HANDBOOK / "mkdocs.yml"
HANDBOOK_DOCS = HANDBOOK / "docs"
#: Where a project's own pages (Markdown in handbook/ beside fichegen.toml) go in the handbook.
PROJECT_SECTION = "this-site"
REFERENCE_FOLDER = "reference"
#: Hand-written pages hold these markers; the generated Markdown replaces them.
MARKERS = {
    "<!-- fichegen:configuration -->": configuration_reference,
    "<!-- fichegen:error-codes -->": error_code_reference,
    "<!-- fichegen:reference-index -->": reference_index,
    "<!-- fichegen:templates -->": template_reference,
}


class HandbookError(Exception):
    """The handbook could not be built; the message says why (MkDocs' warnings in strict mode)."""


# --- writing and building -------------------------------------------------------------------

def write_reference(docs_dir: Path) -> list[Path]:
    """Write the generated pages into `docs_dir` (a copy of docs/, never the repository's own)."""
    docs_dir = Path(docs_dir)
    folder = docs_dir / REFERENCE_FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    pages = {f"{kind}.md": fiche_reference(kind) for kind in FICHE_TYPES}
    pages["vocabularies.md"] = vocabulary_reference()
    written = []
    for name, text in pages.items():
        path = folder / name
        path.write_text(text, encoding="utf-8")
        written.append(path)
    for page in sorted(docs_dir.rglob("*.md")):
        text = page.read_text(encoding="utf-8")
        filled = text
        for marker, generate in MARKERS.items():
            if marker in filled:
                filled = filled.replace(marker, generate())
        if filled != text:
            page.write_text(filled, encoding="utf-8")
            written.append(page)
    return written


def _title(path: Path) -> str:
    match = re.search(r"^#\s+(.+?)\s*#*\s*$", path.read_text(encoding="utf-8", errors="replace"), re.M)
    return match[1] if match else path.stem.replace("-", " ").capitalize()


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def build_handbook(root: Path, out_folder: Path) -> Path:
    """Build the handbook into `out_folder` with MkDocs, strict: any MkDocs warning is an error."""
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")  # Material's banner about MkDocs 2 is not for editors
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    out_folder = Path(out_folder).absolute()
    pages, _ = project_pages(root)   # `check` reports what was left out
    collect = _Collect()
    logger = logging.getLogger("mkdocs")
    with tempfile.TemporaryDirectory(prefix="fichegen-handbook-") as tmp:
        docs = Path(tmp) / "docs"
        shutil.copytree(HANDBOOK_DOCS, docs)
        write_reference(docs)
        options = {}
        if pages:
            for rel, path in pages.items():
                target = docs / PROJECT_SECTION / rel
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(path.read_bytes())
            options["nav"] = _nav(load_config(config_file=str(HANDBOOK_CONFIG))["nav"], pages)
        logger.addHandler(collect)
        try:
            config = load_config(config_file=str(HANDBOOK_CONFIG), docs_dir=str(docs), site_dir=str(out_folder),
                                 strict=True, **options)
            build(config)
        except (MkDocsException, SystemExit, OSError) as exc:
            details = "; ".join(collect.messages) or str(exc)
            raise HandbookError(f"the handbook did not build: {details}") from None
        finally:
            logger.removeHandler(collect)
    # MkDocs' 404 page links to its assets by absolute address, which only holds when the handbook
    # is the whole host; the site's own 404 page answers for every missing address instead.
    (out_folder / "404.html").unlink(missing_ok=True)
    return out_folder


def _nav(nav: list, pages: dict[str, Path]) -> list:
    """The package's navigation with a section for the project's own pages, after the welcome page."""
    section = {"This site": [{_title(path): f"{PROJECT_SECTION}/{rel}"} for rel, path in sorted(pages.items())]}
    return nav[:1] + [section] + nav[1:]
