"""The base branch's word on a pull request: the limits that protect CI, and the files to review as code.

A pull request brings its own fichegen.toml, so the limits written there (`max_file_bytes`, `max_depth`,
`max_pages_per_fiche`, `max_site_bytes`) are whatever its author chose. With `--base REF`, the branch the
pull request goes into, `check` and `build` read those limits from fichegen.toml as it is at REF (with git)
and apply them: a pull request may lower a limit, and one that raises it gets an error saying that a
maintainer makes that change on the base branch. Every file the pull request changes outside the content
folder (configuration, templates, static files, UI strings, the handbook, workflows, code) gets a warning,
so that a maintainer reviews it as code before merging.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from .config import CONFIG_FILE, PROTECTED_LIMITS, SiteConfig, key_line, parse_config
from .diagnostics import Diagnostic, Severity


class BaseUnavailable(Exception):
    """The base revision cannot be read: not a git checkout, or a revision git does not know here."""


def _git(root: Path, *args: str) -> subprocess.CompletedProcess:
    try:
        return subprocess.run(["git", "-C", str(root), *args], capture_output=True, timeout=120, check=False)
    except FileNotFoundError:
        raise BaseUnavailable("git is not installed: --base reads the base revision with git") from None


def _resolve(root: Path, ref: str) -> tuple[str, str]:
    """(commit of `ref`, the project folder's path inside the repository, '' or ending in '/')."""
    if not ref or ref.startswith("-"):
        raise BaseUnavailable(f"'{ref}' is not a revision: give a branch, tag or commit, e.g. origin/main")
    inside = _git(root, "rev-parse", "--show-prefix")
    if inside.returncode != 0:
        raise BaseUnavailable(f"{root} is not in a git checkout, so there is no base revision to compare with")
    commit = _git(root, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{ref}^{{commit}}")
    if commit.returncode != 0:
        raise BaseUnavailable(f"git does not know the revision '{ref}' here: fetch it first, "
                              f"e.g. git fetch --depth=1 origin main:refs/remotes/origin/main")
    return commit.stdout.decode().strip(), inside.stdout.decode().strip()


def base_config(root: Path, ref: str) -> SiteConfig | None:
    """fichegen.toml as it is at `ref`; None when it is missing or invalid there."""
    commit, prefix = _resolve(root, ref)
    shown = _git(root, "show", f"{commit}:{prefix}{CONFIG_FILE}")
    if shown.returncode != 0:
        return None
    return parse_config(shown.stdout.decode("utf-8", errors="replace"))[0]


def protected_limits(base: SiteConfig | None) -> dict[str, int]:
    """The protected limits the base revision sets; fichegen's defaults where it sets none."""
    if base is None:
        return {key: SiteConfig.model_fields[key].default for key in PROTECTED_LIMITS}
    return {key: getattr(base, key) for key in PROTECTED_LIMITS}


def changed_paths(root: Path, ref: str) -> list[str]:
    """The files the checked-out commit (HEAD) changes from `ref` (added, modified, deleted), relative to `root`:
    paths of the repository outside `root` start with '../'."""
    commit, prefix = _resolve(root, ref)
    # From where HEAD's branch left REF when the history has it (a branch behind REF is not blamed for REF's newer
    # files); a shallow CI checkout has no common ancestor, and there HEAD is the pull request merged into REF.
    fork = _git(root, "merge-base", commit, "HEAD")
    since = fork.stdout.decode().strip() if fork.returncode == 0 else commit
    diff = _git(root, "diff", "--name-only", "-z", "--no-renames", since, "HEAD", "--")
    if diff.returncode != 0:
        raise BaseUnavailable(f"git cannot compare HEAD with '{ref}': {diff.stderr.decode(errors='replace').strip()}")
    top = Path(os.path.normpath(root.absolute() / ("../" * prefix.count("/") if prefix else ".")))
    out = []
    for raw in diff.stdout.split(b"\0"):
        if raw:
            path = os.fsdecode(raw)
            out.append(path[len(prefix):] if path.startswith(prefix) else os.path.relpath(top / path, root.absolute()))
    return sorted(out)


#: What a changed file is, by where it lies (the first that matches), for the reviewer.
_KINDS = (
    ((CONFIG_FILE,), "the site's configuration (folders, theme, languages, the limits that protect CI)"),
    ((".github/",), "a GitHub workflow, which decides what CI runs"),
    (("templates/", "static/", "i18n/", "theme/"), "part of the theme (templates, UI strings, files published as they are)"),
    (("handbook/", "mkdocs.yml", "docs/"), "part of the editors' handbook, built by MkDocs with its own settings"),
)
_OTHER = "code, a script or a setting that CI runs or the site publishes"


def review_problems(root: Path, ref: str, content_dirs: set[str]) -> list[Diagnostic]:
    """A warning at every file changed since `ref` that is not in one of `content_dirs`."""
    out = []
    for path in changed_paths(root, ref):
        if any(path.startswith(f"{folder}/") for folder in content_dirs):
            continue
        kind = next((what for starts, what in _KINDS if path == starts[0] or path.startswith(starts)), _OTHER)
        out.append(Diagnostic(path, 1, 1, "review-as-code",
                              f"this pull request changes {path}, which is {kind}, not a fiche or vocabulary",
                              "a maintainer reviews this change as code before merging; keep content changes in "
                              "pull requests of their own when you can", Severity.warning))
    return out


def apply(root: Path, ref: str, config: SiteConfig | None) -> tuple[SiteConfig | None, list[Diagnostic]]:
    """The configuration with the base revision's protected limits, the problems with raised ones, and a
    warning at every changed file outside the content folder."""
    base = base_config(root, ref)
    limits = protected_limits(base)
    diagnostics: list[Diagnostic] = []
    # Only the base's content folder counts as content: a pull request that names another (content_dir = "src")
    # must not get its code taken for fiches.
    content_dirs = {base.content_dir if base else SiteConfig.model_fields["content_dir"].default}
    if config is not None:
        text = (root / CONFIG_FILE).read_text(encoding="utf-8", errors="replace")
        for key, allowed in limits.items():
            asked = getattr(config, key)
            if asked > allowed:
                diagnostics.append(Diagnostic(
                    CONFIG_FILE, key_line(text, (key,)), 1, "protected-limit",
                    f"{key} is raised from {allowed:,} (on {ref}) to {asked:,}: a limit that protects CI only changes on "
                    f"the base branch, so this check applies {allowed:,}",
                    f"a maintainer must raise {key} on the base branch; undo the change in this pull request"))
        config = config.model_copy(update={key: min(getattr(config, key), allowed) for key, allowed in limits.items()})
    diagnostics += review_problems(root, ref, content_dirs)
    return config, diagnostics
