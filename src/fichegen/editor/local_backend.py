"""The local backend of `fichegen serve --editor`: the small HTTP API Decap CMS's `local_backend` speaks, so that
the editor reads and saves the files of this computer, without GitHub.

Decap ships it as decap-server (Node, its `localFs` middleware: actions info, entriesByFolder, entriesByFiles,
getEntry, persistEntry, getMedia, getMediaFile, persistMedia, deleteFile, deleteFiles, getDeployPreview);
fichegen installed from a wheel may have no Node, so the same API is answered here, by `fichegen serve`, which
listens on 127.0.0.1 only. Every path is confined to the content folder: a path that is absolute, climbs out
with `..`, or resolves (through a symbolic link) outside it is refused, as decap-server's own check does for
the repository. Files are replaced whole (written beside, then renamed), so the preview never reads half a file.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

#: The largest request accepted (decap-server's express.json limit is 50 MB; fiches are limited to 1 MiB).
MAX_REQUEST_BYTES = 20 * 1024 * 1024
#: How deep entriesByFolder looks (Decap asks for 1 for a flat folder collection).
MAX_DEPTH = 10


class Refused(Exception):
    """A request the API answers with an error (422, as decap-server's validation does)."""


@dataclass(frozen=True)
class Answer:
    status: int
    body: Any

    def json(self) -> bytes:
        return json.dumps(self.body, ensure_ascii=False).encode("utf-8")


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class LocalBackend:
    """Decap's local file system API over the project at `root`, confined to its content folder."""

    def __init__(self, root: Path, content_dir: str = "content"):
        self.root = Path(root).resolve()
        self.content = (self.root / content_dir).resolve()
        self.touched: set[Path] = set()    # files written, moved or deleted: the preview follows them at once

    # --- paths -------------------------------------------------------------------------------
    def path(self, value: Any) -> Path:
        """The file a request names (relative to the project, as Decap sends it), or Refused if it is not a plain
        path inside the content folder."""
        if not isinstance(value, str) or not value or len(value) > 1000:
            raise Refused("a path must be a non-empty string")
        if "\\" in value or "\x00" in value or value.startswith("/") or (len(value) > 1 and value[1] == ":"):
            raise Refused(f"'{value[:100]}' must be a relative path with forward slashes")
        parts = value.split("/")
        if any(part in ("..", ".", "") for part in parts):
            raise Refused(f"'{value[:100]}' must be a plain path, without . or .. or empty segments")
        target = self.root.joinpath(*parts)
        resolved = target.resolve()
        if not resolved.is_relative_to(self.content) or resolved == self.content:
            raise Refused(f"'{value[:100]}' must resolve to a path under the content folder")
        return target

    def relative(self, path: Path) -> str:
        return path.relative_to(self.root).as_posix()

    # --- reading ------------------------------------------------------------------------------
    def entry(self, rel: str, label: str | None = None) -> dict:
        target = self.path(rel)
        try:
            data = target.read_bytes() if target.is_file() else None
        except OSError:
            data = None
        file: dict = {"path": rel, "id": _sha256(data) if data is not None else None}
        if label is not None:
            file["label"] = label
        return {"data": data.decode("utf-8", errors="replace") if data is not None else None, "file": file}

    def listing(self, folder: str, extension: str, depth: int) -> list[str]:
        base = self.path(folder)
        if not base.is_dir():
            return []
        found = []

        def walk(directory: Path, level: int) -> None:
            if level <= 0:
                return
            for child in sorted(directory.iterdir()):
                if not child.resolve().is_relative_to(self.content):
                    continue    # a symbolic link out of the content folder is not listed
                if child.is_dir():
                    walk(child, level - 1)
                elif child.is_file() and child.name.endswith(extension):
                    found.append(self.relative(child))

        walk(base, min(int(depth), MAX_DEPTH))
        return found

    def media_file(self, rel: str) -> dict:
        target = self.path(rel)
        data = target.read_bytes()
        return {"id": _sha256(data), "content": base64.b64encode(data).decode("ascii"), "encoding": "base64",
                "path": rel, "name": target.name}

    # --- writing ------------------------------------------------------------------------------
    def write(self, rel: str, data: bytes) -> None:
        target = self.path(rel)
        target.parent.mkdir(parents=True, exist_ok=True)
        if not target.parent.resolve().is_relative_to(self.content):
            raise Refused(f"'{rel[:100]}' must resolve to a path under the content folder")
        handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".editor-tmp", dir=target.parent)
        try:
            with os.fdopen(handle, "wb") as f:
                f.write(data)
            os.replace(temporary, target)
            self.touched.add(target)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise

    def delete(self, rel: str) -> None:
        target = self.path(rel)
        if target.is_file() or target.is_symlink():
            target.unlink()
            self.touched.add(target)

    @staticmethod
    def _asset_bytes(asset: Any) -> tuple[str, bytes]:
        if not isinstance(asset, dict) or asset.get("encoding") != "base64" or not isinstance(asset.get("content"), str):
            raise Refused("an asset needs a path, base64 content and encoding: base64")
        try:
            return asset.get("path"), base64.b64decode(asset["content"], validate=True)
        except (binascii.Error, ValueError):
            raise Refused("an asset's content is not valid base64") from None

    # --- the API --------------------------------------------------------------------------------
    def handle(self, raw: bytes) -> Answer:
        """Answer one request body as decap-server does: 200 with JSON, 422 for a request it refuses."""
        try:
            request = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError):
            return Answer(422, {"error": "the request is not JSON"})
        if not isinstance(request, dict) or not isinstance(request.get("action"), str):
            return Answer(422, {"error": "the request names no action"})
        params = request.get("params") or {}
        if not isinstance(params, dict):
            return Answer(422, {"error": "params must be an object"})
        action = request["action"]
        try:
            return Answer(200, self._act(action, params))
        except Refused as exc:
            return Answer(422, {"error": str(exc)})
        except OSError as exc:
            return Answer(500, {"error": f"{action}: {exc.strerror or exc}"})

    def _act(self, action: str, params: dict) -> Any:
        if action == "info":
            return {"repo": self.root.name, "publish_modes": ["simple"], "type": "local_fs"}
        if action == "entriesByFolder":
            extension = params.get("extension")
            if not isinstance(extension, str):
                raise Refused("entriesByFolder needs an extension")
            depth = params.get("depth", 1)
            if not isinstance(depth, int) or isinstance(depth, bool):
                raise Refused("depth must be a number")
            return [self.entry(rel) for rel in self.listing(params.get("folder"), extension, depth)]
        if action == "entriesByFiles":
            files = params.get("files")
            if not isinstance(files, list) or not all(isinstance(f, dict) for f in files):
                raise Refused("entriesByFiles needs a list of files")
            paths = [(f.get("path"), f.get("label")) for f in files]
            for rel, _ in paths:
                self.path(rel)
            return [self.entry(rel, label) for rel, label in paths]
        if action == "getEntry":
            return self.entry(self._checked(params.get("path")))
        if action == "persistEntry":
            return self._persist(params)
        if action == "getMedia":
            return [self.media_file(rel) for rel in self.listing(params.get("mediaFolder"), "", 1)]
        if action == "getMediaFile":
            return self.media_file(self._checked(params.get("path")))
        if action == "persistMedia":
            rel, data = self._asset_bytes(params.get("asset"))
            self.path(rel)
            self.write(rel, data)
            return self.media_file(rel)
        if action == "deleteFile":
            rel = self._checked(params.get("path"))
            self.delete(rel)
            return {"message": f"deleted file {rel}"}
        if action == "deleteFiles":
            paths = params.get("paths")
            if not isinstance(paths, list):
                raise Refused("deleteFiles needs a list of paths")
            for rel in paths:
                self.path(rel)      # every path checked before any file is deleted
            for rel in paths:
                self.delete(rel)
            return {"message": f"deleted files {', '.join(paths)}"}
        if action == "getDeployPreview":
            return None
        raise Refused(f"Unknown action {action}")

    def _checked(self, rel: Any) -> str:
        self.path(rel)
        return rel

    def _persist(self, params: dict) -> dict:
        entry, data_files = params.get("entry"), params.get("dataFiles")
        if (entry is None) == (data_files is None):
            raise Refused("persistEntry needs either entry or dataFiles")
        files = data_files if data_files is not None else [entry]
        if not isinstance(files, list) or not all(isinstance(f, dict) and isinstance(f.get("raw"), str) for f in files):
            raise Refused("every data file needs a path and its raw text")
        assets = params.get("assets") or []
        if not isinstance(assets, list):
            raise Refused("assets must be a list")
        decoded = [self._asset_bytes(a) for a in assets]
        for f in files:                    # every path checked before anything is written
            self.path(f.get("path"))
            if f.get("newPath") is not None:
                self.path(f["newPath"])
        for rel, _ in decoded:
            self.path(rel)
        for f in files:
            self.write(f["path"], f["raw"].encode("utf-8"))
        for rel, data in decoded:
            self.write(rel, data)
        if files and all(f.get("newPath") for f in files):
            for f in files:
                self.path(f["newPath"]).parent.mkdir(parents=True, exist_ok=True)
                os.replace(self.path(f["path"]), self.path(f["newPath"]))
                self.touched |= {self.path(f["path"]), self.path(f["newPath"])}
        return {"message": "entry persisted"}
