"""serve's live graph: after any sequence of edits, updating it file by file gives the graph and the diagnostics a
full `check` of the same content gives (the property test's edits, tests/test_incremental_properties.py)."""

from __future__ import annotations

from pathlib import Path

from hypothesis.stateful import invariant, run_state_machine_as_test

from fichegen.check import accept_intended, check
from fichegen.config import load_config
from fichegen.diagnostics import sort_key
from fichegen.i18n import check_catalogues
from fichegen.live import LiveGraph
from fichegen.overrides import Theme, check_theme

from test_incremental_properties import BOUNDED, IncrementalSite


def files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted((root / "content").rglob("*")) if p.is_file()}


def shown(root: Path, live: LiveGraph) -> list:
    theme = Theme.of(root)
    found = live.diagnostics() + check_theme(root, live.config, theme) + check_catalogues(theme, live.config)
    return accept_intended(root, sorted(set(found), key=sort_key), live.config.accept_warnings)[0]


def graph_facts(graph) -> dict:
    return {"fiches": {k: list(v) for k, v in graph.fiches.items()},
            "vocabularies": {k: list(v) for k, v in graph.vocabularies.items()},
            "outgoing": {k: v for k, v in graph.outgoing.items() if v},
            "incoming": {k: v for k, v in graph.incoming.items() if v},
            "taxonomies": graph.taxonomies, "memberships": graph.memberships}


class LiveSite(IncrementalSite):
    """The property test's edits, each followed by a file-by-file update of a live graph, compared with `check`."""

    def __init__(self):
        super().__init__()
        self.live = None
        self.seen: dict[str, bytes] = {}
        self.config_text = ""

    def first_build(self):
        """Nothing to build: this machine compares graphs."""

    @invariant()
    def incremental_build_equals_cold_build(self):
        config_text = (self.root / "fichegen.toml").read_text(encoding="utf-8")
        now = files(self.root)
        if self.live is None or config_text != self.config_text:
            self.live = LiveGraph(self.root, load_config(self.root)[0], workers=1)
            self.config_text = config_text
        else:
            changed = {rel for rel in set(now) | set(self.seen) if now.get(rel) != self.seen.get(rel)}
            self.live.update(changed)
        self.seen = now
        cold = check(self.root, workers=1)
        live = shown(self.root, self.live)
        assert live == cold.diagnostics, (set(live) - set(cold.diagnostics), set(cold.diagnostics) - set(live))
        if cold.ok():
            facts, checked = graph_facts(self.live.graph), graph_facts(cold.graph)
            assert facts == checked, [(k, facts[k], checked[k]) for k in facts if facts[k] != checked[k]]


def test_the_live_graph_equals_a_checked_one_after_every_edit():
    run_state_machine_as_test(LiveSite, settings=BOUNDED)


def _same_as_check(root: Path, live: LiveGraph) -> list:
    cold = check(root, workers=1)
    seen = shown(root, live)
    assert seen == cold.diagnostics, (set(seen) - set(cold.diagnostics), set(cold.diagnostics) - set(seen))
    return [d.code for d in seen]


def test_serve_reports_the_whole_site_checks_check_makes(tmp_path):
    """Links written in texts, the pages a fiche brings and stale schemas are checked across the site by `check`; the
    live graph reports them the same way after each save, without a cascade from a fiche with mistakes."""
    import shutil

    from test_incremental_properties import FIXTURE

    from fichegen.schema import write_schemas

    root = tmp_path / "site"
    shutil.copytree(FIXTURE, root)
    live = LiveGraph(root, load_config(root)[0], workers=1)
    write_schemas(root / "schemas", live.choices())
    harbour = root / "content/projects/harbour.yaml"
    text = harbour.read_text(encoding="utf-8")
    assert "schema-stale" not in _same_as_check(root, live)

    harbour.write_text(text + "description: {en: 'Run with [the school](../../organisations/school/).'}\n", encoding="utf-8")
    live.update({"content/projects/harbour.yaml"})
    assert "link-page" in _same_as_check(root, live)

    school = root / "content/organisations/school.yaml"
    school.write_text("original_language: en\nname: {en: Harbour school}\ntype: ngo\ncountry: PT\nsummary: {en: A school.}\n", encoding="utf-8")
    live.update({"content/organisations/school.yaml"})
    codes = _same_as_check(root, live)
    assert "link-page" not in codes and "schema-stale" in codes      # a new id the schemas do not list yet

    school.write_text("original_language: en\nname: {en: Harbour school}\ntype: ngo\ncountry: PTX\n", encoding="utf-8")
    live.update({"content/organisations/school.yaml"})
    codes = _same_as_check(root, live)
    assert "link-page" not in codes and "invalid-value" in codes   # a fiche with mistakes still exists

    write_schemas(root / "schemas", live.choices())
    (root / "fichegen.toml").write_text((root / "fichegen.toml").read_text(encoding="utf-8") + "max_pages_per_fiche = 3\n",
                                        encoding="utf-8")
    live = LiveGraph(root, load_config(root)[0], workers=1)
    codes = _same_as_check(root, live)
    assert "too-many-pages" in codes and "schema-stale" not in codes

    harbour.write_text(harbour.read_text(encoding="utf-8").replace("themes: [integration, employment]", "themes: [integration]"),
                       encoding="utf-8")
    live.update({"content/projects/harbour.yaml"})
    assert "too-many-pages" in _same_as_check(root, live)           # counted again for the edited fiche only
    harbour.write_text(harbour.read_text(encoding="utf-8").replace("Safe harbour", "Safe haven"), encoding="utf-8")
    live.update({"content/projects/harbour.yaml"})
    assert "schema-stale" in _same_as_check(root, live)             # the schemas list the old name
    school.unlink()
    live.update({"content/organisations/school.yaml"})
    assert "link-page" in _same_as_check(root, live)                # a fiche went: every written link checked again


def test_suggestions_know_only_the_terms_there_are_now(tmp_path):
    """The first linking may already look for suggestions (a reference to a removed term): after a later edit the
    hints are those `check` gives, not ones made from the ids the graph had at first."""
    import shutil

    from test_incremental_properties import FIXTURE

    root = tmp_path / "site"
    shutil.copytree(FIXTURE, root)
    themes = root / "content/vocabularies/themes.yaml"
    text = themes.read_text(encoding="utf-8")
    themes.write_text(text.replace("employment:\n  label: {en: Employment, fr: Emploi}\n", ""), encoding="utf-8")
    live = LiveGraph(root, load_config(root)[0], workers=1)          # a project names employment: a suggestion is looked for
    themes.write_text("remittances:\n  label: {en: Remittances, fr: Transferts de fonds}\n", encoding="utf-8")
    live.update({"content/vocabularies/themes.yaml"})
    assert "unknown-reference" in _same_as_check(root, live)        # integration is gone: no 'did you mean integration'
