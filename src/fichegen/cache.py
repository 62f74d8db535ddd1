"""What a build can reuse from the previous one, kept in .fichegen-cache/ beside fichegen.toml.

- `FicheCache`: each file's loaded and validated result, reused while the file keeps its size and
  modification time, so a `check` after editing one fiche re-reads one file.
- `Fragments` and `CardCache`: texts made from the graph (each fiche's pieces of the site-wide data files, each
  card's HTML), kept with the inputs they read (dependencies.py) and reused while those are unchanged.
- `OutputManifest`: what every page of the last build read (its inputs, with their digests) and the digest of
  every other file, so an incremental build renders and writes only the pages whose inputs changed (build.py).

All are keyed by a fingerprint of fichegen's own code: a new version never reads an old cache.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import shutil
import tempfile
import zlib
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable


CACHE_DIR = ".fichegen-cache"


def usable_cache(folder: Path | None) -> tuple[Path | None, str | None]:
    """(`folder`, None) when the cache can be written there; (None, why) when it cannot, e.g. in a read-only
    checkout built into another folder: the cache is then not used at all (what it holds may be stale, and
    nothing could be recorded for the next build), and the build goes on without it."""
    if folder is None:
        return None, None
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=folder):
            pass
    except OSError as exc:
        return None, f"the cache {folder} cannot be written ({exc.strerror or exc}): built without it"
    return folder, None


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """fichegen's own source files (names, sizes, modification times): the cache is only valid for this code."""
    package = Path(__file__).resolve().parent
    h = hashlib.blake2b(digest_size=12)
    for path in sorted(package.rglob("*.py")):
        st = path.stat()
        h.update(f"{path.relative_to(package)}:{st.st_size}:{st.st_mtime_ns}\n".encode())
    return h.hexdigest()


class Shelf:
    """Values by key, each kept with a signature and given back only while the signature is the same.

    Stored in SHARDS pickle files by a hash of the key, so that after editing one fiche only the
    shards holding what changed are written again (one pickle of everything took seconds to rewrite
    at 10,000 fiches). What a run did not ask for is dropped when it saves."""

    SHARDS = 32

    def __init__(self, folder: Path, name: str, settings: str = "", *, prune: bool = True, load: bool = True):
        """`prune`: drop on saving what this run did not ask for; `load`: start from the saved shelf."""
        self.folder = folder / f"{name}-{code_fingerprint()}"
        self.name = name
        self.settings = settings
        self.prune = prune
        self._old: list[dict[str, tuple]] = [{} for _ in range(self.SHARDS)]
        self._new: list[dict[str, tuple]] = [{} for _ in range(self.SHARDS)]
        self._dirty: set[int] = set()
        for i in range(self.SHARDS if load else 0):
            try:
                with open(self._file(i), "rb") as f:
                    saved_settings, entries = pickle.load(f)
                if saved_settings == settings:
                    self._old[i] = entries
            except (OSError, EOFError, pickle.UnpicklingError, ValueError, TypeError, AttributeError, ImportError):
                pass    # no cache, or one from elsewhere: start afresh

    def _file(self, shard: int) -> Path:
        return self.folder / f"{shard:02d}.pickle"

    def _shard(self, key: str) -> int:
        return zlib.crc32(key.encode("utf-8", "surrogateescape")) % self.SHARDS

    def peek(self, key: str) -> tuple | None:
        """(signature, value) as the last run kept it, whatever the signature; taken into this run's shelf."""
        shard = self._shard(key)
        entry = self._old[shard].get(key)
        if entry is not None:
            self._new[shard][key] = entry
        return entry

    def get(self, key: str, signature: Any) -> Any:
        shard = self._shard(key)
        entry = self._old[shard].get(key)
        if entry is not None and entry[0] == signature:
            self._new[shard][key] = entry
            return entry[1]
        return None

    def put(self, key: str, signature: Any, value: Any) -> None:
        shard = self._shard(key)
        self._new[shard][key] = (signature, value)
        self._dirty.add(shard)

    def keep(self) -> None:
        """What this run made, available as the last run's: a resident process (serve) between two edits."""
        for i in range(self.SHARDS):
            if self._new[i]:
                self._old[i] = {**self._old[i], **self._new[i]}
                self._new[i] = {}

    def save(self) -> None:
        """Write the shards that changed; a failure to save only costs speed next time."""
        try:
            for stale in self.folder.parent.glob(f"{self.name}-*"):
                if stale != self.folder:    # left by another version of fichegen
                    shutil.rmtree(stale) if stale.is_dir() else stale.unlink(missing_ok=True)
            for i in range(self.SHARDS):
                if i not in self._dirty and (not self.prune or self._new[i].keys() == self._old[i].keys()):
                    continue
                entries = self._new[i] if self.prune else {**self._old[i], **self._new[i]}
                self.folder.mkdir(parents=True, exist_ok=True)
                tmp = self._file(i).with_suffix(".tmp")
                with open(tmp, "wb") as f:
                    pickle.dump((self.settings, entries), f, protocol=pickle.HIGHEST_PROTOCOL)
                os.replace(tmp, self._file(i))
        except OSError:
            pass


class FicheCache(Shelf):
    """Loaded-and-validated results by file, valid while (size, mtime, inode) and the settings are unchanged.

    Files are known by their path relative to the project (`rel`), so the cache serves a project however
    its root is named (`--root .`, an absolute path, another working directory)."""

    def __init__(self, folder: Path, settings: str):
        super().__init__(folder, "fiches", settings)

    @staticmethod
    def stamp(path: Path) -> tuple[int, int, int]:
        st = path.stat()
        return st.st_size, st.st_mtime_ns, st.st_ino

    def get(self, path: Path, rel: str) -> Any:  # type: ignore[override]
        return super().get(rel, self.stamp(path))

    def put(self, path: Path, rel: str, value: Any) -> None:  # type: ignore[override]
        super().put(rel, self.stamp(path), value)


class TextShelf(Shelf):
    """A shelf of texts made by the build, kept compressed (zlib's fastest level): at 10,000 fiches they
    are hundreds of megabytes, and a full build holds all of them until it saves them."""

    def __init__(self, folder: Path, name: str, **options):
        super().__init__(folder, name, **options)
        self.made = 0     # texts made by this run (the others were reused)

    def make(self, key: str, signature: str | None, produce: Callable[[], str]) -> str:
        """The text for `key`, made by `produce()` unless an earlier run made it with this signature."""
        kept = self.get(key, signature) if signature else None
        if kept is not None:
            return zlib.decompress(kept).decode("utf-8")
        text = produce()
        self.made += 1
        if signature:
            self.put(key, signature, zlib.compress(text.encode("utf-8"), 1))
        return text


class RecordedTexts(TextShelf):
    """Texts made from the graph, each kept with the inputs it read (dependencies.py) and their combined digest:
    given back, and its inputs recorded again, while those inputs' digests are unchanged."""

    def __init__(self, folder: Path, name: str, **options):
        super().__init__(folder, name, **options)
        self.digests = None           # dependencies.InputDigests of this build, set before the first use
        self.narrow: Callable[[str, set], set] | None = None    # tests only: what the text is taken to depend on

    def recorded(self, key: str, reader, produce: Callable[[], str], extra: str = "", known: tuple = ()) -> str:
        """The text for `key`: the last one made when the inputs it read (and `extra`, what it depends on beside the
        graph) are unchanged, else `produce()` with `reader` recording what it reads (`known`: inputs read before)."""
        entry = self.peek(key)
        if entry is not None and isinstance(entry[0], tuple) and len(entry[0]) == 2:
            inputs, digest = entry[0]
            if digest == f"{extra}:{self.digests.combined(inputs)}":
                reader.recorder.update(inputs)
                return zlib.decompress(entry[1]).decode("utf-8")
        with reader.recording() as recorder:
            text = produce()
        self.made += 1
        inputs = set(recorder.inputs) | set(known)
        if self.narrow is not None:
            inputs = self.narrow(key, inputs)
        kept = tuple(sorted(inputs))
        self.put(key, (kept, f"{extra}:{self.digests.combined(kept)}"), zlib.compress(text.encode("utf-8"), 1))
        return text


class Fragments(RecordedTexts):
    """Pieces of the site-wide data files (a fiche's JSON record, CSV row, IATI activity), each kept with what it
    read: an incremental build makes only the pieces whose inputs changed and joins the rest as they were."""

    def __init__(self, folder: Path):
        super().__init__(folder, "fragments")


class CardCache(RecordedTexts):
    """Each card's HTML (per language and heading level), kept with what the card read, so that the list pages an
    incremental build renders again join the cards of unchanged fiches as they were. A full build starts it
    afresh; workers send the cards they laid out back to the main process (`take_new`)."""

    def __init__(self, folder: Path, *, fresh: bool):
        super().__init__(folder, "cards", prune=False, load=not fresh)
        self._made: list[tuple[str, Any, bytes]] = []

    def html(self, lang: str, ref, heading: str, reader, known: tuple, lay_out: Callable[[], str]) -> str:
        return self.recorded(f"{lang}:{ref.kind}/{ref.id}:{heading}", reader, lay_out, known=known)

    def put(self, key: str, signature: Any, value: Any) -> None:
        super().put(key, signature, value)
        self._made.append((key, signature, value))

    def take_new(self) -> list[tuple[str, Any, bytes]]:
        """The cards laid out since the last call (a worker process sends them to the main one)."""
        made, self._made = self._made, []
        return made

    def add(self, made: list[tuple[str, Any, bytes]]) -> None:
        """Cards a worker laid out (from its `take_new`)."""
        for key, signature, packed in made:
            Shelf.put(self, key, signature, packed)


class OutputManifest:
    """The outputs of the last build of one output folder: for every page, the inputs it read (as positions in a
    table of inputs, each with its digest then), and the digest of every other file."""

    def __init__(self, folder: Path, out: Path):
        name = hashlib.blake2b(str(out.absolute()).encode(), digest_size=8).hexdigest()
        self.path = folder / f"outputs-{name}.pickle"

    def load(self) -> dict:
        """{"site": digest of the site-wide inputs, "inputs": [input…], "digests": [digest…],
        "pages": {path: (position…)}, "files": {path: digest}}, or {} when there is none for this code."""
        try:
            with open(self.path, "rb") as f:
                data = pickle.load(f)
            return data if isinstance(data, dict) and data.get("code") == code_fingerprint() else {}
        except (OSError, EOFError, pickle.UnpicklingError, ValueError, TypeError, AttributeError, ImportError):
            return {}

    def save(self, site: str, inputs: list, digests: list[str], pages: dict[str, tuple[int, ...]], files: dict[str, str],
             site_bytes: int | None = None) -> None:
        """`site_bytes`: the size of the site written, so that the next update need not measure it again."""
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            tmp = self.path.with_suffix(".tmp")
            with open(tmp, "wb") as f:
                pickle.dump({"code": code_fingerprint(), "site": site, "inputs": inputs, "digests": digests,
                             "pages": pages, "files": files, "site_bytes": site_bytes}, f, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, self.path)
        except OSError:
            pass

    def forget(self) -> None:
        self.path.unlink(missing_ok=True)
