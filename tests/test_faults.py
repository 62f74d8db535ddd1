"""A build that fails at any stage, or is killed at any moment, never damages the published site.

The site on disk is always either the previous build or the complete new one, byte for byte: never a
mix, never missing. Whatever a failed or killed build left beside it (temporary folders) is removed by
the next build. Two builds of one project never write at the same time: the second is told so in one
line. A broken template, a full disk, a failing search index or a SIGKILL all end the same way.
"""

from __future__ import annotations

import builtins
import errno
import hashlib
import io
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

import fichegen.write
from fichegen.build import build
from fichegen.cli import main
from fichegen.overrides import BUILTIN_THEME
from fichegen.write import OLD_PREFIX, SITE_MARK, TMP_PREFIX, BuildLocked, build_lock, clean_leftovers

FIXTURES = Path(__file__).parent / "fixtures"
FICHEGEN = [sys.executable, "-m", "fichegen.cli"]


def snapshot(folder: Path) -> dict[str, str]:
    """Every file of a folder and the hash of its bytes.

    Pagefind's bundle is the one part of a build that is not byte-identical from run to run (its Rust
    hash maps name the filter chunks differently each time), so it counts as a whole: present with its
    entry file, or not."""
    files = {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
             for p in sorted(folder.rglob("*")) if p.is_file()}
    bundle = {k for k in files if k.startswith("pagefind/")}
    if bundle:
        files = {k: v for k, v in files.items() if k not in bundle}
        files["pagefind/"] = "complete" if "pagefind/pagefind-entry.json" in bundle and all(
            (folder / k).stat().st_size or k.endswith(".js") for k in bundle) else "partial"
    return files


def leftovers(out: Path) -> list[str]:
    return sorted(p.name for p in out.parent.iterdir() if p.name.startswith((TMP_PREFIX, OLD_PREFIX)))


@pytest.fixture
def built(project_copy):
    """The multilingual fixture copied, with a copy of every built-in template as its own, built once: (root, out, snapshot)."""
    root = project_copy("multilingual")
    shutil.copytree(BUILTIN_THEME / "templates", root / "templates")
    out = root / "site"
    assert build(root, out, search=False).ok
    return root, out, snapshot(out)


def edit_content(root: Path) -> None:
    """A change that makes the next build differ from the previous one."""
    path = root / "content" / "projects" / "bridge.yaml"
    path.write_text(path.read_text().replace("A bridge between two shores", "A bridge between two shores, rebuilt"))


# --- a stage fails ----------------------------------------------------------------------

@pytest.mark.parametrize("template, text", [
    ("base.html", "{% if %}broken"),                                               # syntax error: found by check
    ("project.html", "{% extends 'base.html' %}{% block content %}{{ nothing.here }}{% endblock %}"),   # fails while rendering
    ("organisation.html", "{% extends 'base.html' %}{% block content %}{{ 1 // 0 }}{% endblock %}"),    # Python error inside
    ("home.html", "{% extends 'base.html' %}{% block content %}{% include 'nowhere.html' %}{% endblock %}"),   # missing
])
def test_a_broken_template_leaves_the_previous_site_and_nothing_else(built, template, text):
    root, out, before = built
    edit_content(root)
    (root / "templates" / template).write_text(text)
    if "{% if %}" in text:
        result = build(root, out, search=False)
        assert [(d.path, d.code) for d in result.check.errors] == [(f"templates/{template}", "template-syntax")]
    else:
        with pytest.raises(Exception):
            build(root, out, search=False)
    assert snapshot(out) == before
    assert leftovers(out) == []
    run = CliRunner().invoke(main, ["build", "--root", str(root), "--out", str(out), "--no-search"])
    assert run.exit_code == 1
    assert snapshot(out) == before


def test_the_command_line_names_a_template_error_in_one_line(built):
    root, out, before = built
    (root / "templates" / "base.html").write_text("{% extends 'theme/base.html' %}{% block footer %}{{ 1 // 0 }}{% endblock %}")
    run = CliRunner().invoke(main, ["build", "--root", str(root), "--out", str(out), "--no-search"])
    assert run.exit_code == 1
    last = run.output.strip().splitlines()[-1]
    assert last.startswith("Build failed:") and "ZeroDivisionError" in last and "templates/base.html, line 1" in last
    assert "previous site" in last
    assert "Traceback" not in run.output
    assert snapshot(out) == before


class FullDisk:
    """Every file written into a build's staging folder from the n-th on fails with ENOSPC, as on a full disk.

    It replaces `open` itself (pathlib, the standard library and fichegen all end up there), so it holds
    whichever stage writes the file: pages, exports, the search index or the site mark."""

    def __init__(self, after: int):
        self.after = after
        self.opened = 0
        self.real_open = io.open

    def __call__(self, file, mode="r", *args, **kwargs):
        if any(c in mode for c in "wax") and TMP_PREFIX in str(file):
            self.opened += 1
            if self.opened > self.after:
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(file))
        return self.real_open(file, mode, *args, **kwargs)

    def install(self, monkeypatch) -> "FullDisk":
        monkeypatch.setenv("FICHEGEN_WORKERS", "1")      # count every file in this process
        monkeypatch.setattr(io, "open", self)
        monkeypatch.setattr(builtins, "open", self)
        return self


@pytest.mark.parametrize("fraction", [0, 0.01, 0.5, 0.99])
def test_a_full_disk_at_any_file_leaves_the_previous_site(built, monkeypatch, fraction):
    root, out, before = built
    edit_content(root)
    disk = FullDisk(int(len(before) * fraction))
    with monkeypatch.context() as patch:
        disk.install(patch)
        with pytest.raises(OSError) as err:
            build(root, out, search=False)
    assert err.value.errno == errno.ENOSPC and disk.opened == disk.after + 1
    assert snapshot(out) == before
    assert leftovers(out) == []


def test_a_full_disk_is_one_clear_line_on_the_command_line(built, monkeypatch):
    root, out, before = built
    edit_content(root)
    with monkeypatch.context() as patch:
        FullDisk(10).install(patch)
        run = CliRunner().invoke(main, ["build", "--root", str(root), "--out", str(out), "--no-search", "--quiet"])
    assert run.exit_code == 1
    (line,) = run.output.strip().splitlines()
    assert line.startswith("Build failed while writing: [Errno 28] No space left on device: ")
    assert line.endswith("The previous site was left as it was.") and TMP_PREFIX in line
    assert snapshot(out) == before


def test_a_failing_search_index_leaves_the_previous_site(built, monkeypatch):
    root, out, before = built
    edit_content(root)
    import fichegen.search

    def broken(folder, languages):
        (Path(folder) / "pagefind").mkdir()
        (Path(folder) / "pagefind" / "half-written").write_text("x")
        raise fichegen.search.SearchIndexError("Pagefind could not index the site: simulated crash")
    monkeypatch.setattr(fichegen.search, "index_site", broken)
    run = CliRunner().invoke(main, ["build", "--root", str(root), "--out", str(out), "--quiet"])
    assert run.exit_code == 1 and "simulated crash" in run.output.strip().splitlines()[-1]
    assert snapshot(out) == before
    assert leftovers(out) == []


def test_a_failing_swap_puts_the_previous_site_back(built, monkeypatch):
    """When the atomic exchange is unavailable and the second rename fails, the first is undone."""
    root, out, before = built
    edit_content(root)
    monkeypatch.setattr(fichegen.write, "_exchange", lambda a, b: False)
    real_rename = os.rename
    calls = []

    def rename(src, dst):
        calls.append((Path(src).name, Path(dst).name))
        if len(calls) == 2:
            raise OSError(errno.EIO, "simulated I/O error")
        return real_rename(src, dst)
    monkeypatch.setattr(fichegen.write.os, "rename", rename)
    with pytest.raises(OSError):
        build(root, out, search=False)
    monkeypatch.setattr(fichegen.write.os, "rename", real_rename)
    assert snapshot(out) == before
    assert leftovers(out) == []


def test_without_the_atomic_exchange_the_two_renames_still_publish_the_new_site(built, monkeypatch):
    root, out, before = built
    edit_content(root)
    monkeypatch.setattr(fichegen.write, "_exchange", lambda a, b: False)
    assert build(root, out, search=False).ok
    after = snapshot(out)
    assert after != before and SITE_MARK in after and leftovers(out) == []


def test_a_build_killed_between_the_two_renames_gets_its_previous_site_back(built):
    """The fallback swap's window: site/ renamed away, the new one not yet in place. The next build restores it first."""
    root, out, before = built
    old = out.parent / f"{OLD_PREFIX}{out.name}-killed"
    os.rename(out, old)
    (out.parent / f"{TMP_PREFIX}{out.name}-killed").mkdir()
    clean_leftovers(out)
    assert snapshot(out) == before and leftovers(out) == []


# --- the process is killed ----------------------------------------------------------------

def write_large_project(root: Path, projects: int) -> None:
    """A generated project big enough for the write stage to take a while: `projects` projects, two languages."""
    (root / "content" / "projects").mkdir(parents=True)
    (root / "content" / "organisations").mkdir()
    (root / "content" / "vocabularies").mkdir()
    (root / "fichegen.toml").write_text('title = { en = "Large", fr = "Grand" }\nlanguages = ["en", "fr"]\n'
                                        'fallback = ["en", "fr"]\nbuild_date = 2024-06-01\n')
    (root / "content" / "vocabularies" / "organisation-types.yaml").write_text("ngo:\n  label: {en: NGO, fr: ONG}\n")
    (root / "content" / "vocabularies" / "themes.yaml").write_text(
        "".join(f"theme-{t}:\n  label: {{en: Theme {t}, fr: Thème {t}}}\n" for t in range(12)))
    for o in range(20):
        (root / "content" / "organisations" / f"org-{o}.yaml").write_text(
            f"original_language: en\nname: {{en: Organisation {o}, fr: Organisation {o}}}\ntype: ngo\ncountry: FR\n")
    for p in range(projects):
        (root / "content" / "projects" / f"project-{p}.yaml").write_text(
            f"original_language: en\ntitle: {{en: Project number {p}, fr: Projet numéro {p}}}\n"
            f"summary: {{en: 'What project {p} does, **in short**.', fr: 'Ce que fait le projet {p}.'}}\n"
            f"description: {{en: '{'A longer description. ' * 30}'}}\n"
            f"start_date: {2000 + p % 20}\nend_date: {2003 + p % 20}\ncountries: [FR, ES, PT]\n"
            f"themes: [theme-{p % 12}, theme-{(p + 5) % 12}]\n"
            f"participants:\n  - {{organisation: org-{p % 20}, roles: [lead]}}\n  - {{organisation: org-{(p + 7) % 20}, roles: [partner]}}\n"
            f"budget: {{amount: '{1000 + p}00', currency: EUR}}\nfunding: [{{funder: org-{p % 20}, share: '80'}}]\n")


def test_a_build_killed_at_any_moment_leaves_the_previous_or_the_new_site_never_a_mix(tmp_path):
    """SIGKILL at random moments of real builds (rendering, writing, indexing): the site folder always holds one
    complete build, and the next build cleans up what the killed one left."""
    root = tmp_path / "project"
    write_large_project(root, 80)
    out = tmp_path / "site"
    first = subprocess.run(FICHEGEN + ["build", "--root", str(root), "--out", str(out), "--quiet", "--no-cache"],
                           capture_output=True, text=True, timeout=300)
    assert first.returncode == 0, first.stderr
    sites = [snapshot(out)]               # every complete site the folder may legitimately hold
    rng = random.Random(20240601)
    kills = {"before writing": 0, "while writing or indexing": 0, "after the swap": 0}
    started = time.monotonic()
    for attempt in range(6):
        edit = root / "content" / "projects" / "project-0.yaml"
        edit.write_text(edit.read_text().replace("Project number 0", f"Project number 0 (edit {attempt})", 1)
                        if attempt == 0 else edit.read_text().replace(f"(edit {attempt - 1})", f"(edit {attempt})"))
        process = subprocess.Popen(FICHEGEN + ["build", "--root", str(root), "--out", str(out), "--quiet", "--no-cache"],
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        # half the kills wait for the write stage to begin, the others strike anywhere
        if attempt % 2 == 0:
            deadline = time.monotonic() + 120
            while not any(p.name.startswith(TMP_PREFIX) for p in tmp_path.iterdir()) and process.poll() is None \
                    and time.monotonic() < deadline:
                time.sleep(0.005)
            time.sleep(rng.uniform(0, 0.6))
        else:
            time.sleep(rng.uniform(0.3, 4))
        writing = any(p.name.startswith(TMP_PREFIX) for p in tmp_path.iterdir())
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)   # the build and the Pagefind process it started
        process.wait()
        now = snapshot(out)
        assert SITE_MARK in now, (f"the site folder is missing or partial: {len(now)} files beside "
                                  f"{sorted(p.name for p in tmp_path.iterdir())}; the kill came {'during' if writing else 'before'} writing")
        new_site = now not in sites        # then it must be exactly the complete build of the new content, checked below
        kills["after the swap" if new_site else "while writing or indexing" if writing else "before writing"] += 1
        # the next build completes and leaves nothing behind
        done = subprocess.run(FICHEGEN + ["build", "--root", str(root), "--out", str(out), "--quiet", "--no-cache"],
                              capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stderr
        assert leftovers(out) == []
        complete = snapshot(out)
        if new_site:
            assert now == complete, "the site folder held a mix: neither the previous site nor the complete new one"
        sites.append(complete)
    print(f"\nfaults: {sum(kills.values())} builds killed with SIGKILL ({', '.join(f'{n} {k}' for k, n in kills.items())}) "
          f"in {time.monotonic() - started:.0f}s; the site folder always held one complete build")
    assert kills["while writing or indexing"] >= 1, kills


# --- two builds at once ---------------------------------------------------------------------

def test_a_second_build_while_one_is_writing_stops_with_one_clear_line(built):
    root, out, before = built
    edit_content(root)
    with build_lock(out.absolute()):
        with pytest.raises(BuildLocked):
            build(root, out, search=False)
        run = subprocess.run(FICHEGEN + ["build", "--root", str(root), "--out", str(out), "--no-search"],
                             capture_output=True, text=True, timeout=120)
    assert run.returncode == 1
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Build stopped: another fichegen build is writing"), run.stderr
    assert snapshot(out) == before and leftovers(out) == []


def test_two_builds_started_together_leave_one_complete_site(tmp_path):
    root = tmp_path / "project"
    write_large_project(root, 40)
    out = tmp_path / "site"
    reference = tmp_path / "reference"
    assert build(root, reference, search=False).ok
    runs = [subprocess.Popen(FICHEGEN + ["build", "--root", str(root), "--out", str(out), "--no-search", "--quiet"],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    results = [(r.wait(timeout=300), r.stderr.read()) for r in runs]
    assert any(code == 0 for code, _ in results), results
    for code, err in results:
        assert code == 0 or err.strip().startswith("Build stopped: another fichegen build is writing"), err
        assert "Traceback" not in err
    assert snapshot(out) == snapshot(reference)
    assert leftovers(out) == []


def test_a_search_index_cut_short_is_recognised(tmp_path):
    """Pagefind may report its files written before they are all on disk (seen under load): such a bundle is read
    back and indexed again rather than published with an empty entry file or a truncated fragment."""
    from fichegen.search import incomplete

    out = tmp_path / "site"
    assert build(FIXTURES / "multilingual", out, search=True).ok
    bundle = out / "pagefind"
    assert incomplete(bundle) is None
    entry = bundle / "pagefind-entry.json"
    whole = entry.read_bytes()
    entry.write_bytes(b"")
    assert "pagefind-entry.json" in incomplete(bundle)
    entry.write_bytes(whole)
    fragment = next(bundle.glob("fragment/*.pf_fragment"))
    fragment.write_bytes(fragment.read_bytes()[:20])
    assert fragment.name in incomplete(bundle)
