"""What a build can reuse from the previous one, kept in .fichegen-cache/ beside fichegen.toml.

- `FicheCache`: each file's loaded and validated result, reused while the file keeps its size and
  modification time, so a `check` after editing one fiche re-reads one file.
- `PageManifest`: a signature of the inputs of every page of the last build, so an incremental build
  renders and writes only the pages whose inputs changed (see build.py).

Both are keyed by a fingerprint of fichegen's own code: a new version never reads an old cache.
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
from functools import lru_cache
from pathlib import Path
from typing import Any

CACHE_DIR = ".fichegen-cache"


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """fichegen's own source files (names, sizes, modification times): the cache is only valid for this code."""
    package = Path(__file__).resolve().parent
    h = hashlib.blake2b(digest_size=12)
    for path in sorted(package.rglob("*.py")):
        st = path.stat()
        h.update(f"{path.relative_to(package)}:{st.st_size}:{st.st_mtime_ns}\n".encode())
    return h.hexdigest()


class FicheCache:
    """Loaded-and-validated results by file, valid while (size, mtime) and the settings are unchanged."""

    def __init__(self, folder: Path, settings: str):
        self.path = folder / f"fiches-{code_fingerprint()}.pickle"
        self.settings = settings
        self._old: dict[str, tuple] = {}
        self._new: dict[str, tuple] = {}
        self._changed = False
        try:
            with open(self.path, "rb") as f:
                saved_settings, entries = pickle.load(f)
            if saved_settings == settings:
                self._old = entries
        except (OSError, EOFError, pickle.UnpicklingError, ValueError, TypeError, AttributeError, ImportError):
            self._old = {}    # no cache, or one from elsewhere: start afresh

    @staticmethod
    def stamp(path: Path) -> tuple[int, int, int]:
        st = path.stat()
        return st.st_size, st.st_mtime_ns, st.st_ino

    def get(self, path: Path) -> Any:
        key = str(path)
        entry = self._old.get(key)
        if entry is not None and entry[0] == self.stamp(path):
            self._new[key] = entry
            return entry[1]
        return None

    def put(self, path: Path, value: Any) -> None:
        self._new[str(path)] = (self.stamp(path), value)
        self._changed = True

    def save(self) -> None:
        """Keep what this run saw (files that disappeared drop out); a failure to save only costs speed."""
        if not self._changed and self._new.keys() == self._old.keys():
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            for stale in self.path.parent.glob("fiches-*.pickle"):
                if stale != self.path:
                    stale.unlink(missing_ok=True)
            tmp = self.path.with_suffix(".tmp")
            with open(tmp, "wb") as f:
                pickle.dump((self.settings, self._new), f, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, self.path)
        except OSError:
            pass


class PageManifest:
    """The files of the last build of one output folder: page signatures and export digests."""

    def __init__(self, folder: Path, out: Path):
        name = hashlib.blake2b(str(out.absolute()).encode(), digest_size=8).hexdigest()
        self.path = folder / f"pages-{name}.json"

    def load(self) -> dict:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            return data if data.get("code") == code_fingerprint() else {}
        except (OSError, ValueError):
            return {}

    def save(self, global_digest: str, files: dict[str, str]) -> None:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            tmp = self.path.with_suffix(".tmp")
            tmp.write_text(json.dumps({"code": code_fingerprint(), "global": global_digest, "files": files},
                                      sort_keys=True), encoding="utf-8")
            os.replace(tmp, self.path)
        except OSError:
            pass

    def forget(self) -> None:
        self.path.unlink(missing_ok=True)
