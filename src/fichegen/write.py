"""Stage 5, write: the rendered site goes to disk all at once, or not at all.

Files are written into a temporary folder beside the output folder and swapped in with
renames only when every file was written, so a failed or killed build leaves the previous
site in place. A lock file keeps two builds of one project from writing at the same time.
"""

from __future__ import annotations

import errno
import fcntl
import os
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator

TMP_PREFIX = ".fichegen-tmp-"
OLD_PREFIX = ".fichegen-old-"


class BuildLocked(Exception):
    """Another build of the same project is running."""


class UnsafePath(Exception):
    """A page would be written outside the output folder."""


@contextmanager
def build_lock(out: Path) -> Iterator[None]:
    out.parent.mkdir(parents=True, exist_ok=True)
    lock_path = out.parent / f".{out.name}.lock"
    with open(lock_path, "w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            if exc.errno in (errno.EAGAIN, errno.EACCES):
                raise BuildLocked(f"another fichegen build is writing {out} (lock: {lock_path}); wait for it to finish") from None
            raise
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def safe_target(base: Path, rel: str) -> Path:
    """The file for `rel` inside `base`; refuses absolute paths, '..' and anything that resolves outside."""
    parts = rel.split("/")
    if rel.startswith("/") or any(p in ("", ".", "..") for p in parts) or "\\" in rel or "\x00" in rel:
        raise UnsafePath(f"refusing to write {rel!r}: not a plain relative path")
    target = base.joinpath(*parts)
    if not target.resolve().is_relative_to(base.resolve()):
        raise UnsafePath(f"refusing to write {rel!r}: outside the output folder")
    return target


def clean_leftovers(out: Path) -> None:
    """Temporary folders of builds that were killed before they could clean up."""
    for leftover in out.parent.glob(f"{TMP_PREFIX}{out.name}-*"):
        shutil.rmtree(leftover, ignore_errors=True)
    for leftover in out.parent.glob(f"{OLD_PREFIX}{out.name}-*"):
        shutil.rmtree(leftover, ignore_errors=True)


def write_site(files: dict[str, bytes], out: Path, finish: Callable[[Path], None] | None = None) -> int:
    """Write every file into a fresh folder, let `finish` complete it (search index), then swap it into `out`."""
    out = out.absolute()
    clean_leftovers(out)
    tmp = Path(tempfile.mkdtemp(prefix=f"{TMP_PREFIX}{out.name}-", dir=out.parent))
    try:
        made: set[Path] = set()
        for rel in sorted(files):
            target = safe_target(tmp, rel)
            if target.parent not in made:
                target.parent.mkdir(parents=True, exist_ok=True)
                made.add(target.parent)
            with open(target, "wb") as f:
                f.write(files[rel])
        if finish:
            finish(tmp)
        os.chmod(tmp, 0o755)
        swap_in(tmp, out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return len(files)


def swap_in(new: Path, out: Path) -> None:
    """Replace `out` with `new` by two renames; the old site is removed only after."""
    old = None
    if out.exists():
        old = Path(tempfile.mkdtemp(prefix=f"{OLD_PREFIX}{out.name}-", dir=out.parent))
        os.rmdir(old)
        os.rename(out, old)
    try:
        os.rename(new, out)
    except BaseException:
        if old is not None:
            os.rename(old, out)
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
