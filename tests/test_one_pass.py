"""One pass finds every real problem and no false one: a fiche or term with mistakes of its own still exists for
the fiches that refer to it, and a fiche that does not validate still has every other reference checked."""

import shutil
from pathlib import Path

from fichegen.check import check

FIXTURES = Path(__file__).parent / "fixtures"


def site(tmp_path: Path, files: dict[str, str]) -> Path:
    root = tmp_path / "site"
    shutil.copytree(FIXTURES / "minimal", root)
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


PROJECT = ("original_language: en\ntitle: {en: Uses them}\nsummary: {en: It refers to an organisation and a theme.}\n"
           "participants:\n  - organisation: aima\n    roles: [lead]\nthemes: [integration]\n")


def found(root: Path) -> list[tuple[str, str]]:
    return sorted((d.path, d.code) for d in check(root).diagnostics)


def test_a_broken_organisation_is_reported_in_its_own_file_only(tmp_path):
    """A typo in aima.yaml used to make coop4int.yaml say "no organisation has the id 'aima' — did you mean…"."""
    root = site(tmp_path, {
        "content/projects/uses.yaml": PROJECT,
        "content/organisations/aima.yaml": "original_language: en\nname: {en: AIMA}\ntpye: public-agency\n",   # typo, and `type` missing
        "content/vocabularies/themes.yaml": "integration:\n  label: {en: Integration}\n",
    })
    assert found(root) == [("content/organisations/aima.yaml", "missing-key"), ("content/organisations/aima.yaml", "unknown-key")]


def test_a_broken_vocabulary_term_is_reported_in_the_vocabulary_only(tmp_path):
    root = site(tmp_path, {
        "content/projects/uses.yaml": PROJECT,
        "content/organisations/aima.yaml": "original_language: en\nname: {en: AIMA}\ntype: agency\n",
        "content/vocabularies/organisation-types.yaml": "agency:\n  label: {en: Agency}\n",
        "content/vocabularies/themes.yaml": "integration:\n  label: {english: Integration}\nother:\n  label: {en: Other}\n",
    })
    assert found(root) == [("content/vocabularies/themes.yaml", "unknown-language")]


def test_a_fiche_with_a_missing_key_still_has_every_reference_checked(tmp_path):
    """N independent mistakes in one fiche give N diagnostics in one run: a missing summary used to hide the rest."""
    root = site(tmp_path, {
        "content/projects/many.yaml": ("original_language: en\ntitle: {en: Four mistakes}\n"
                                       "participants:\n  - organisation: nobody\n    roles: [lead]\n"
                                       "themes: [no-such-theme]\nstrategies:\n  - strategy: no-such-strategy\n"),
    })
    problems = check(root).diagnostics
    assert sorted((d.code, d.line) for d in problems) == [("missing-key", 1), ("unknown-reference", 4),
                                                          ("unknown-reference", 6), ("unknown-reference", 8)]


def test_a_fiche_that_refers_to_a_fiche_with_an_error_gets_no_error_of_its_own(tmp_path):
    root = site(tmp_path, {
        "content/projects/uses.yaml": PROJECT.replace("themes: [integration]\n", ""),
        "content/organisations/aima.yaml": "original_language: en\nname: {en: AIMA}\ntype: agency\nwebsite: not-a-url\n",
        "content/vocabularies/organisation-types.yaml": "agency:\n  label: {en: Agency}\n",
    })
    assert [path for path, _ in found(root)] == ["content/organisations/aima.yaml"]


def test_world_regions_are_m49_codes_of_three_digits_iati_regions_or_terms(tmp_path):
    """`world_regions: [14]` passed check (digits were taken for a code unchecked) and made a page of no region."""
    root = site(tmp_path, {
        "content/projects/regions.yaml": PROJECT.replace("themes: [integration]\n", "")
        + 'world_regions:\n  - region: "014"\n  - region: "iati-1027"\n  - region: "14"\n',
        "content/organisations/aima.yaml": "original_language: en\nname: {en: AIMA}\ntype: agency\n",
        "content/vocabularies/organisation-types.yaml": "agency:\n  label: {en: Agency}\n",
    })
    [problem] = check(root).diagnostics
    assert (problem.code, problem.line, problem.column) == ("unknown-reference", 10, 13)
    assert "'014'" in problem.hint
