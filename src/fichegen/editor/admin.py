"""The files of the editor at /admin/: its page, the generated configuration, the editor's own script and the
Decap CMS bundle, served from the site itself (no other host is ever contacted but GitHub's API).

The bundle comes from npm (scripts/editor/package.json, pinned) and is copied into static/vendor/ by
scripts/editor/copy_bundle.py, which scripts/setup.sh runs; a wheel carries it as package data. An
installation without it builds the site without the editor and says so (`editor-not-installed`)."""

from __future__ import annotations

import html
import json
from importlib import resources
from importlib.resources.abc import Traversable
from typing import Iterator

from ..config import SiteConfig
from ..diagnostics import Diagnostic, Severity
from ..output import Output
from .cms_config import EditorConfig, editor_config

#: Where the editor lives in the built site.
ADMIN = "admin/"
#: The pinned bundle, relative to the package's static folder.
BUNDLE = "vendor/decap-cms.js"
#: The local backend's address in `fichegen serve --editor`, relative to the site root.
LOCAL_API = "__fichegen/editor/api/v1"
#: The attribute of admin/index.html that `fichegen serve --editor` fills in with the local backend's URL.
LOCAL_MARK = 'data-local-backend=""'

#: As strict as Decap CMS allows: scripts from the site only, but 'unsafe-eval' because Decap validates its
#: configuration with ajv, which compiles its schemas to functions, and 'unsafe-inline' styles because its
#: interface is styled with emotion (CSS-in-JS), which writes <style> elements at run time. GitHub's API and
#: its avatars are the only other hosts; the OAuth proxy (auth_base_url) opens in a pop-up window.
CSP = ("default-src 'self'; script-src 'self' 'unsafe-eval'; style-src 'self' 'unsafe-inline'; "
       "img-src 'self' data: blob: https://avatars.githubusercontent.com; "
       "connect-src 'self' https://api.github.com; frame-src 'self' blob:; font-src 'self' data:; "
       "object-src 'none'; base-uri 'self'; form-action 'self'")


def static_folder() -> Traversable:
    return resources.files("fichegen.editor") / "static"


def bundle_installed() -> bool:
    return (static_folder() / BUNDLE).is_file()


def _files(folder: Traversable, prefix: str = "") -> Iterator[tuple[str, Traversable]]:
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.is_dir():
            yield from _files(entry, f"{prefix}{entry.name}/")
        elif entry.is_file() and not entry.name.endswith(".map"):
            yield f"{prefix}{entry.name}", entry


def index_page(config: SiteConfig, base_path: str) -> str:
    """The admin page: no inline script or style, the CMS from the site, and a note for those without JavaScript.
    Decap reads its configuration from config.yml beside the page.

    Decap renders into the existing #nc-root (its screens bring their own <main>), under a heading for the whole page."""
    e = html.escape
    title = config.title.get(config.default_language) or "fichegen"
    repository = config.editor.repository or ""
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="{e(CSP)}">
<meta name="robots" content="noindex">
<title>Editor – {e(title)}</title>
<link rel="icon" href="{e(base_path)}static/favicon.svg" type="image/svg+xml">
<link rel="stylesheet" href="{e(base_path)}{ADMIN}admin.css">
<script src="{e(base_path)}{ADMIN}fichegen-boot.js"></script>
<script src="{e(base_path)}{ADMIN}{BUNDLE}"></script>
<script type="module" src="{e(base_path)}{ADMIN}fichegen-editor.js"></script>
</head>
<body data-repository="{e(repository)}" data-site="{e(base_path)}" {LOCAL_MARK}>
<section class="visually-hidden" aria-labelledby="editor-title"><h1 id="editor-title">The editor of {e(title)}</h1></section>
<div id="nc-root">
<main id="fichegen-editor-notice" class="notice" hidden>
<h2>The editor of {e(title)}</h2>
<p class="notice-text"></p>
<p><a href="{e(base_path)}">Back to the site</a></p>
</main>
<noscript><div class="notice"><h2>The editor of {e(title)}</h2>
<p>The editor needs JavaScript. You can also change the YAML files in the repository directly: the handbook explains how.</p>
<p><a href="{e(base_path)}">Back to the site</a></p></div></noscript>
</div>
</body>
</html>
"""


def add_editor(output: Output, config: SiteConfig, base_path: str, editor: EditorConfig | None = None) -> list[Diagnostic]:
    """Add the editor's files under admin/; nothing (and a warning) when the CMS bundle is not installed."""
    if not bundle_installed():
        return [Diagnostic("fichegen.toml", 1, 1, "editor-not-installed",
                           "the web editor was not written into the site: the Decap CMS bundle is not installed",
                           "run `bash scripts/setup.sh` in a checkout, or set enabled = false under [editor] in fichegen.toml",
                           Severity.warning)]
    editor = editor or editor_config(config)
    output.add(ADMIN + "index.html", index_page(config, base_path))
    output.add(ADMIN + "config.yml", editor.cms_yaml())
    shapes = {**editor.formats, "default_language": config.default_language, "stylesheet": f"{base_path}static/site.css"}
    output.add(ADMIN + "fichegen-editor.json", json.dumps(shapes, ensure_ascii=False, sort_keys=True, indent=1) + "\n")
    for rel, entry in _files(static_folder()):
        output.add(ADMIN + rel, entry.read_bytes())
    return []
