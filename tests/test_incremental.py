"""Rebuilding after an edit writes only what changed, and gives the same bytes as a cold build."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest

from fichegen.build import build
from fichegen.check import check

REPO = Path(__file__).resolve().parents[1]


def snapshot(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def showcase(tmp_path) -> Path:
    """A copy of the showcase project, with a build and its cache in place."""
    root = tmp_path / "project"
    root.mkdir()
    shutil.copytree(REPO / "content", root / "content")
    shutil.copy(REPO / "fichegen.toml", root / "fichegen.toml")
    first = build(root, search=False, cache_dir=root / ".fichegen-cache")
    assert first.ok and not first.incremental
    return root


def rebuild(root: Path):
    result = build(root, search=False, cache_dir=root / ".fichegen-cache")
    assert result.ok, result.check.errors
    return result


def cold(root: Path, tmp_path: Path) -> dict[str, str]:
    out = tmp_path / "cold"
    assert build(root, out, search=False).ok
    return snapshot(out)


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_nothing_changed_nothing_written(showcase):
    result = rebuild(showcase)
    assert result.incremental and result.written == []


def test_an_edited_title_rewrites_its_pages_and_the_pages_that_show_it_only(showcase, tmp_path):
    edit(showcase / "content/projects/coop4int.yaml", "Cabo Verde – Coop4Int", "Cabo Verde (Coop4Int)")
    result = rebuild(showcase)
    written = set(result.written)
    assert result.incremental
    for lang in ("en", "fr", "es", "pt"):
        assert f"{lang}/projects/coop4int/index.html" in written
        assert f"{lang}/organisations/aima/index.html" in written          # lists it as lead
        assert f"{lang}/countries/cv/index.html" in written                # lists it under Cabo Verde
        assert f"{lang}/projects/lecim/index.html" not in written          # shows nothing of it
        assert f"{lang}/strategies/valencian-migration-strategy-2021-2026/index.html" not in written
    assert "data/projects/coop4int.json" in written and "data/projects/lecim.json" not in written
    total = len(snapshot(showcase / "site"))
    print(f"\nincremental: {len(written)} of {total} files written after editing one title")
    assert len(written) < total / 3
    assert snapshot(showcase / "site") == cold(showcase, tmp_path)


def test_the_data_files_are_joined_from_the_unchanged_fiches_pieces(showcase):
    """projects.json, projects.csv and the IATI file hold every project: after one edit, only the pieces that
    read what changed are made again, the rest comes from the cache."""
    first = rebuild(showcase)
    assert first.pieces_made == 0
    edit(showcase / "content/projects/lecim.yaml", "LECIM", "L.E.C.I.M.")
    result = rebuild(showcase)
    fiches = len(list((showcase / "content").glob("*/*.yaml"))) - len(list((showcase / "content/vocabularies").glob("*.yaml")))
    assert "data/projects.json" in result.written and "data/projects.csv" in result.written
    # lecim's record and CSV row (it is not in the IATI file); the records of the fiches it links to list its id
    # and relation among their backlinks, not its acronym, so they are not made again
    assert result.pieces_made == 2 < fiches, result.pieces_made


def test_a_new_and_a_deleted_fiche_end_as_a_cold_build_would(showcase, tmp_path):
    (showcase / "content/projects/lecim.yaml").unlink()
    new = showcase / "content/organisations/new-ngo.yaml"
    new.write_text("original_language: en\nname: {en: A new NGO}\ntype: ngo\ncountry: PT\n", encoding="utf-8")
    result = rebuild(showcase)
    assert result.incremental
    assert not (showcase / "site/en/projects/lecim/index.html").exists()
    assert "en/organisations/new-ngo/index.html" in result.written
    assert snapshot(showcase / "site") == cold(showcase, tmp_path)


def test_a_vocabulary_label_rewrites_the_pages_that_show_the_term(showcase, tmp_path):
    edit(showcase / "content/vocabularies/themes.yaml", "Remittances", "Money sent home")
    result = rebuild(showcase)
    assert result.incremental
    written = set(result.written)
    assert "en/themes/remittances/index.html" in written and "en/themes/index.html" in written
    assert "en/organisations/aima/index.html" not in written
    assert snapshot(showcase / "site") == cold(showcase, tmp_path)


def test_a_theme_change_rebuilds_everything(showcase, tmp_path):
    (showcase / "i18n").mkdir()
    (showcase / "i18n/en.yaml").write_text('nav.home: "Start"\n', encoding="utf-8")
    result = rebuild(showcase)
    assert not result.incremental
    assert snapshot(showcase / "site") == cold(showcase, tmp_path)


def test_the_file_cache_gives_the_same_diagnostics_with_their_positions(showcase):
    """An unchanged, cached file whose reference breaks is still reported at the right line."""
    cache = showcase / ".fichegen-cache"
    (showcase / "content/organisations/iscte.yaml").unlink()
    cached = check(showcase, cache_dir=cache).diagnostics
    fresh = check(showcase).diagnostics
    assert cached == fresh
    assert any(d.code == "unknown-reference" and d.path == "content/projects/coop4int.yaml" and d.line > 1 for d in cached)


def test_an_incremental_build_that_fails_half_way_leaves_the_previous_site_untouched(showcase, monkeypatch):
    """New files are written beside the old ones and renamed over them only once all were written."""
    from fichegen import write

    before = snapshot(showcase / "site")
    edit(showcase / "content/projects/coop4int.yaml", "Cabo Verde – Coop4Int", "Cabo Verde (Coop4Int)")
    real, calls = write.write_new, []

    def disk_full_after_ten(path, data):
        calls.append(path)
        if len(calls) > 10:
            raise OSError(28, "No space left on device")
        real(path, data)

    monkeypatch.setattr(write, "write_new", disk_full_after_ten)
    with pytest.raises(OSError):
        build(showcase, search=False, cache_dir=showcase / ".fichegen-cache")
    assert len(calls) == 11
    assert snapshot(showcase / "site") == before      # no .fichegen-new file left behind either
    assert not [p.name for p in showcase.iterdir() if p.name.startswith((".fichegen-tmp", ".fichegen-old"))]
    monkeypatch.setattr(write, "write_new", real)
    assert not rebuild(showcase).incremental, "the manifest was dropped, so the next build starts cold"


def test_an_incremental_build_killed_while_renaming_is_followed_by_a_full_one(showcase, monkeypatch, tmp_path):
    """The renames at the end of an incremental build take milliseconds; one cut short there leaves whole files of
    both builds, and the next build, finding no manifest, rebuilds the site in full."""
    import os

    from fichegen import write

    edit(showcase / "content/projects/coop4int.yaml", "Cabo Verde – Coop4Int", "Cabo Verde (Coop4Int)")
    real, renamed = os.replace, []

    def killed_after_three(src, dst, *args, **kwargs):
        if str(src).endswith(write.NEW_SUFFIX):
            if len(renamed) == 3:
                raise KeyboardInterrupt("killed")
            renamed.append(dst)
        return real(src, dst, *args, **kwargs)

    monkeypatch.setattr(write.os, "replace", killed_after_three)
    with pytest.raises(KeyboardInterrupt):
        build(showcase, search=False, cache_dir=showcase / ".fichegen-cache")
    monkeypatch.setattr(write.os, "replace", real)
    assert len(renamed) == 3
    after = rebuild(showcase)
    assert not after.incremental
    assert snapshot(showcase / "site") == cold(showcase, tmp_path)


def test_list_pages_of_an_incremental_build_lay_out_only_the_changed_fiches_cards(showcase, monkeypatch):
    """The cards of unchanged fiches come from the card cache of the last build, as they were."""
    from fichegen.render.views import Views

    real, laid_out = Views.card_summary, set()

    def counting(self, ref):
        laid_out.add(ref.id)
        return real(self, ref)

    monkeypatch.setattr(Views, "card_summary", counting)
    edit(showcase / "content/projects/coop4int.yaml", "Cabo Verde – Coop4Int", "Cabo Verde (Coop4Int)")
    result = rebuild(showcase)
    assert result.incremental and "en/countries/cv/index.html" in result.written
    assert laid_out == {"coop4int"}


def test_the_file_cache_serves_the_project_however_its_root_is_written(showcase, monkeypatch):
    """`fichegen check`, `--root .` and an absolute --root all find the files read by the last run."""
    from fichegen import check as check_module

    real, read = check_module._read, []
    monkeypatch.setattr(check_module, "_read", lambda job: read.append(job[2]) or real(job))
    monkeypatch.chdir(showcase.parent)
    check(Path(showcase.name), cache_dir=showcase / ".fichegen-cache", workers=1)
    check(showcase.absolute(), cache_dir=showcase / ".fichegen-cache", workers=1)
    assert read == []


def test_renaming_an_organisation_rewrites_every_file_that_names_it(showcase, tmp_path):
    """Issue 15's stale site: ICMPD renamed, then the programme it funds, the project it manages the funds of (its
    page, JSON-LD, record, CSV row and IATI activity) and the download pages (the IATI file's size) all change —
    found from what those files read, not from a list of what a page shows."""
    edit(showcase / "content/organisations/icmpd.yaml", "International Centre for Migration Policy Development",
         "International Centre for Migration Policy (renamed)")
    result = rebuild(showcase)
    written = set(result.written)
    assert result.incremental
    assert {"en/programmes/migration-partnership-facility/index.html", "en/projects/coop4int/index.html",
            "en/organisations/icmpd/index.html", "data/organisations/icmpd.json", "en/data/index.html"} <= written
    assert "International Centre for Migration Policy (renamed)" in \
        (showcase / "site/en/programmes/migration-partnership-facility/index.html").read_text(encoding="utf-8")
    assert "en/projects/lecim/index.html" not in written
    assert snapshot(showcase / "site") == cold(showcase, tmp_path)
