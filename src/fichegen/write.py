"""Stage 5, write: the rendered site goes to disk all at once, or not at all.

A full build fills a temporary folder beside the output folder, swapped in with one rename only
when everything was written, so a failed or killed build leaves the previous site in place. An
incremental build's few changed files are written beside the files they replace and then renamed
over them (update_in_place). A lock file keeps two builds of one project from writing at the same time.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import fcntl
import os
import shutil
import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator, Protocol

TMP_PREFIX = ".fichegen-tmp-"
OLD_PREFIX = ".fichegen-old-"
#: Written into every built site: only a folder that has it (or an empty one) is ever replaced by a build.
SITE_MARK = ".fichegen-site"


class BuildLocked(Exception):
    """Another build of the same project is running."""


class UnsafePath(Exception):
    """A page would be written outside the output folder."""


class OutputRefused(Exception):
    """The output folder holds something other than a site built by fichegen: it is not replaced."""


def check_replaceable(out: Path) -> None:
    """Refuse to replace anything but an earlier build: a mistyped --out or output_dir must not wipe a folder."""
    if not out.exists() and not out.is_symlink():
        return
    if out.is_symlink() or not out.is_dir():
        raise OutputRefused(f"{out} is not a folder fichegen built; it is left alone: remove it or choose another output folder")
    if (out / SITE_MARK).is_file() or not any(out.iterdir()):
        return
    if all((out / name).exists() for name in ("index.html", "sitemap.xml", "static")):
        return   # built before the mark existed
    raise OutputRefused(f"{out} holds files but was not built by fichegen (it has no {SITE_MARK} file), so it is not replaced: "
                        "delete it yourself if it is an old site, or choose another output folder")


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
    """Temporary folders of builds that were killed before they could clean up.

    A build killed between the two renames of the fallback swap left the previous site beside the
    output folder instead of in it: it is put back before anything is deleted."""
    olds = sorted(out.parent.glob(f"{OLD_PREFIX}{out.name}-*"), key=lambda p: p.stat().st_mtime)
    if olds and not out.exists() and not out.is_symlink():
        os.rename(olds.pop(), out)
    for leftover in out.parent.glob(f"{TMP_PREFIX}{out.name}-*"):
        shutil.rmtree(leftover, ignore_errors=True)
    for leftover in olds:
        shutil.rmtree(leftover, ignore_errors=True)


class Budget(Protocol):
    def settle(self, folder: Path) -> int: ...


def write_site(out: Path, fill: Callable[[Path], None], budget: Budget | None = None) -> None:
    """Let `fill` write the site into a fresh folder beside `out` (pages, data files, search index), then
    swap that folder into `out`; on any failure the folder is removed and `out` is as it was. With `budget`
    (budgets.SiteBudget), the complete folder is measured first and a site over it is never swapped in."""
    def fill_and_mark(folder: Path) -> None:
        fill(folder)
        (folder / SITE_MARK).write_text("This folder was written by `fichegen build`; the next build replaces it whole.\n",
                                        encoding="utf-8")

    _swap_in_staged(out, fill_and_mark, budget)


def stage_update(out: Path, update: Callable[[Path], None], budget: Budget | None = None) -> None:
    """An incremental build, as safe as a full one: the previous site is hard-linked into a fresh folder
    (fast: no bytes are copied), `update` replaces files there (each replacement is a new file, never a
    write into a shared one), and the folder is swapped in like a full build's."""
    def link_then_update(folder: Path) -> None:
        _link_tree(out.absolute(), folder)
        update(folder)

    _swap_in_staged(out, link_then_update, budget)


def _swap_in_staged(out: Path, fill: Callable[[Path], None], budget: Budget | None) -> None:
    """The one way a site reaches `out`: filled in a fresh folder beside it, held to `budget`, swapped in whole."""
    out = out.absolute()
    clean_leftovers(out)
    check_replaceable(out)
    tmp = Path(tempfile.mkdtemp(prefix=f"{TMP_PREFIX}{out.name}-", dir=out.parent))
    try:
        fill(tmp)
        if budget is not None:
            budget.settle(tmp)
        os.chmod(tmp, 0o755)
        swap_in(tmp, out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def _link_tree(source: Path, folder: Path) -> None:
    """`source`'s files hard-linked into the empty `folder` (copied where the file system has no hard links)."""
    for dirpath, dirnames, filenames in os.walk(source):
        rel = Path(dirpath).relative_to(source)
        for d in dirnames:
            (folder / rel / d).mkdir()
        for name in filenames:
            try:
                os.link(Path(dirpath) / name, folder / rel / name)
            except OSError:
                shutil.copy2(Path(dirpath) / name, folder / rel / name)


NEW_SUFFIX = ".fichegen-new"


def write_new(path: Path, data: bytes) -> None:
    with open(path, "wb") as f:
        f.write(data)


def update_in_place(out: Path, writes: dict[str, bytes], deletes: list[str]) -> None:
    """An incremental build's few changed files, put into the site in two steps.

    First every new file is written beside the one it replaces, as a hidden `.name.fichegen-new`: a
    full disk or any other error there removes what was written, and the site is as it was. Then each
    is renamed over its old version: a rename is atomic and needs no space, so a reader only ever gets
    whole files. A build killed during these renames (milliseconds) leaves whole old and new files
    mixed; the caller dropped the build manifest first, so the next build is a full one."""
    out = out.absolute()
    check_replaceable(out)
    staged: list[tuple[Path, Path]] = []
    made: list[Path] = []
    try:
        for rel, data in sorted(writes.items()):
            target = safe_target(out, rel)
            missing = [d for d in target.parents if not d.is_dir() and d.is_relative_to(out)]
            for folder in reversed(missing):
                folder.mkdir()
                made.append(folder)
            staged.append((target.with_name(f".{target.name}{NEW_SUFFIX}"), target))
            write_new(staged[-1][0], data)
    except BaseException:
        for new, _ in staged:
            new.unlink(missing_ok=True)
        for folder in reversed(made):
            folder.rmdir()
        raise
    for new, target in staged:
        os.replace(new, target)
    for rel in deletes:
        target = safe_target(out, rel)
        target.unlink(missing_ok=True)
        with contextlib.suppress(OSError):   # a deleted fiche's folders, once empty
            target.parent.rmdir()


def _exchange(a: Path, b: Path) -> bool:
    """Swap two folders in one atomic step (Linux renameat2 RENAME_EXCHANGE); False where that is not available."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):   # a C library without renameat2
        return False
    at_fdcwd, rename_exchange = -100, 2
    if renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP):   # a file system that cannot exchange
        return False
    raise OSError(err, os.strerror(err), str(b))


def swap_in(new: Path, out: Path) -> None:
    """Replace `out` with `new`: in one atomic exchange where the system allows, otherwise by two renames
    (a build killed between them leaves the old site beside `out`, and the next build puts it back)."""
    if out.is_dir() and not out.is_symlink() and _exchange(new, out):
        shutil.rmtree(new, ignore_errors=True)   # `new` now holds the previous site
        return
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
