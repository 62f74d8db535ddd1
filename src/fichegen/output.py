"""The files a build makes, whole or in parts: kept in memory (`Output`), or written straight into the staging
folder as they come (`FolderOutput`). Pages, data files and static files all go through one of these."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Union

from .write import safe_target

Content = Union[bytes, str, Iterable[Union[bytes, str]]]   # a file, whole or in parts


def _parts(content: Content) -> Iterable[bytes]:
    if isinstance(content, (bytes, str)):
        content = (content,)
    for part in content:
        yield part.encode("utf-8") if isinstance(part, str) else part


@dataclass
class Output:
    """Files made by a build beside its pages (data files, feeds, static files), kept in memory: path
    relative to the output folder → bytes."""

    files: dict[str, bytes] = field(default_factory=dict)
    pages: dict[str, int] = field(default_factory=dict)   # pages per language
    _digests: dict[str, str] | None = field(default=None, repr=False, compare=False)

    def add(self, path: str, content: Content) -> None:
        """Add a file; `content` may come in parts (an iterable), which may themselves add files."""
        if path in self.files:
            raise OutputCollision(path)
        self._digests = None
        self.files[path] = b""   # taken, while its parts are made
        self.files[path] = b"".join(_parts(content))

    def paths(self) -> Iterable[str]:
        return self.files.keys()

    def size(self, path: str) -> int | None:
        data = self.files.get(path)
        return None if data is None else len(data)

    def digests(self) -> dict[str, str]:
        """Path → content hash, computed once (an incremental build compares them, then records them)."""
        if self._digests is None:
            self._digests = {path: _digest(data) for path, data in self.files.items()}
        return self._digests


class FolderOutput(Output):
    """Files written straight into a folder being built (the staging folder) as they are added; only their
    sizes and digests stay in memory, so the data files of a large site never have to fit in it."""

    def __init__(self, folder: Path):
        super().__init__()
        self.folder = folder
        self._written: dict[str, tuple[int, str]] = {}    # path → (size, digest)
        self._made: set[Path] = set()

    def add(self, path: str, content: Content) -> None:
        if path in self._written:
            raise OutputCollision(path)
        self._written[path] = (0, "")
        target = safe_target(self.folder, path)
        if target.parent not in self._made:
            target.parent.mkdir(parents=True, exist_ok=True)
            self._made.add(target.parent)
        h, size = hashlib.blake2b(digest_size=16), 0
        with open(target, "wb") as f:
            for part in _parts(content):
                f.write(part)
                h.update(part)
                size += len(part)
        self._written[path] = (size, h.hexdigest())

    def paths(self) -> Iterable[str]:
        return self._written.keys()

    def size(self, path: str) -> int | None:
        written = self._written.get(path)
        return None if written is None else written[0]

    def digests(self) -> dict[str, str]:
        return {path: digest for path, (_, digest) in self._written.items()}


def _digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


class OutputCollision(Exception):
    pass


