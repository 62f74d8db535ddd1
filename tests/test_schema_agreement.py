"""The JSON Schemas say what `fichegen check` says.

A valid fiche of each type, written against the showcase, is changed one value at a time: a value `check`
accepts that a YAML editor reads differently (`start_date: 2021` is an integer to it), or a mistake `check`
refuses (`2021-02-30`, `UK`, an unknown programme). Every variant is read by `fichegen check` and by
check-jsonschema (the real checker, reading YAML 1.2 as editors do) with the schemas `fichegen schema`
wrote inside the project; both must give the same verdict, except for the variants listed in EXCEPTIONS,
whose reasons the schemas' descriptions and the handbook's page on editing in VS Code give.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections import Counter
from datetime import date, timedelta
from pathlib import Path

import pytest

from fichegen.check import check
from fichegen.models import FOLDERS
from fichegen.models.common import FuzzyDate
from fichegen.schema import (EXCEPTIONS, HANDBOOK_PAGE, all_schemas, day_pattern, decimal_pattern, fuzzy_date_pattern,
                             integer_pattern, write_schemas)

REPO = Path(__file__).resolve().parents[1]
CHECK_JSONSCHEMA = Path(sys.executable).parent / "check-jsonschema"

PROJECT = """\
original_language: en
acronym: TESTPROJ
title:
  en: A test project
  fr: Un projet d'essai
summary:
  en: A project with a [link](https://www.icmpd.org/).
status: closed
start_date: 2019-01
end_date: 2020-12
duration_months: 24
budget:
  amount: 1000000
  currency: EUR
funding:
  - funder: icmpd
    programme: migration-partnership-facility
    fund: amif
    amount: 900000
    share: 90
    qualifier: about
    kind: contribution
participants:
  - organisation: aima
    roles: [lead, implementing]
  - name: twelve municipalities
    count: 12
    roles: [partner]
    country: CV
countries:
  - CV
other_countries:
  - country: PT
    relation: partners
world_regions: ["014"]
sectors: ["15190"]
themes: [integration]
regions: [ES-VC]
places:
  - name: Praia
    country: CV
    coordinates:
      latitude: 14.93
      longitude: -23.51
phases:
  - name: Phase 1
    start_date: 2019-02
milestones:
  - date: 2019-03
    event: launch
results:
  - title:
      en: People trained
    level: output
    indicators:
      - title:
          en: People trained
        measure: unit
        baseline_year: 2019
        target: 100
        actual: 120
related_projects:
  - relation: related
    project: lecim
strategies:
  - strategy: valencian-migration-strategy-2021-2026
    priority: "1"
links:
  - url: https://www.icmpd.org/
    kind: website
published: 2024-01-31
"""

ORGANISATION = """\
original_language: en
name:
  en: A test organisation
acronym: TORG
type: ngo
country: PT
city: Lisbon
website: https://www.example.org/
parent: aima
"""

DISCUSSION = """\
original_language: fr
title:
  fr: Une discussion
summary:
  fr: Un résumé.
period:
  start: 2013-06
  end: 2013-07
languages: [fr, en]
contributions:
  - author: A. Person
    language: fr
    date: 2013-06-12
    text: Une contribution.
"""

BASES = {"project": PROJECT, "organisation": ORGANISATION, "discussion": DISCUSSION}

#: (name, fiche type, text replaced, replacement, what `check` says: True accepted, False refused).
VARIANTS: list[tuple[str, str, str, str, bool]] = [
    # --- values check accepts that a YAML editor types differently -----------------------------------
    ("year-unquoted", "project", "start_date: 2019-01", "start_date: 2019", True),
    ("year-quoted", "project", "start_date: 2019-01", 'start_date: "2019"', True),
    ("day", "project", "start_date: 2019-01", "start_date: 2019-01-15", True),
    ("leap-day", "project", "  - date: 2019-03", "  - date: 2020-02-29", True),
    ("leap-day-published", "project", "published: 2024-01-31", "published: 2024-02-29", True),
    ("acronym-number", "project", "acronym: TESTPROJ", "acronym: 2030", True),
    ("acronym-boolean", "project", "acronym: TESTPROJ", "acronym: true", True),
    ("acronym-null", "project", "acronym: TESTPROJ", "acronym: ~", True),
    ("title-number", "project", "  en: A test project", "  en: 1984", True),
    ("title-plain-name", "project", "title:\n  en: A test project\n  fr: Un projet d'essai", "title: A test project", True),
    ("count-quoted", "project", "    count: 12", '    count: "12"', True),
    ("amount-quoted", "project", "    amount: 900000\n", '    amount: "900000.00"\n', True),
    ("amount-float", "project", "  amount: 1000000", "  amount: 1000000.50", True),
    ("share-quoted", "project", "    share: 90", '    share: "90"', True),
    ("text-pt-BR", "project", "  fr: Un projet d'essai", "  fr: Un projet d'essai\n  pt-BR: Um projeto de teste", True),
    ("text-original", "project", "  en: A project with", "  original: en\n  en: A project with", True),
    ("country-share", "project", "countries:\n  - CV", "countries:\n  - country: CV\n    percentage: 100", True),
    ("m49-unquoted", "project", 'world_regions: ["014"]', "world_regions: [014]", True),
    ("iati-region", "project", 'world_regions: ["014"]', "world_regions: [iati-1027]", True),
    ("sector-unquoted", "project", 'sectors: ["15190"]', "sectors: [15190]", True),
    ("sector-share", "project", 'sectors: ["15190"]', "sectors:\n  - code: 15190\n    percentage: 100", True),
    ("two-themes", "project", "themes: [integration]", "themes: [integration, remittances]", True),
    ("status-contradicting-dates", "project", "status: closed", "status: ongoing", True),   # a warning only
    ("related-project-without-fiche", "project", "    project: lecim", "    project: not-described-yet", True),
    ("latitude-quoted", "project", "      latitude: 14.93", '      latitude: "14.93"', True),
    ("baseline-year-quoted", "project", "        baseline_year: 2019", '        baseline_year: "2019"', True),
    ("duration-quoted", "project", "duration_months: 24", 'duration_months: "24"', True),
    ("priority-unquoted", "project", '    priority: "1"', "    priority: 1", True),
    ("phase-project", "project", "    start_date: 2019-02\nmilestones", "    start_date: 2019-02\n    project: lecim\nmilestones", True),
    ("milestone-year", "project", "  - date: 2019-03", "  - date: 2019", True),
    ("url-with-query", "project", "  - url: https://www.icmpd.org/", "  - url: https://www.icmpd.org/en/search?q=mpf#results", True),
    ("roles-funding-partner", "project", "roles: [lead, implementing]", "roles: [funding, partner]", True),
    ("currency-usd", "project", "  currency: EUR", "  currency: USD", True),
    ("organisation-website-path", "organisation", "website: https://www.example.org/", "website: https://www.example.org/about", True),
    ("organisation-city-number", "organisation", "city: Lisbon", "city: 1000", True),
    ("contribution-language-tag", "discussion", "    language: fr", "    language: pt-BR", True),
    ("discussion-period-years", "discussion", "  start: 2013-06\n  end: 2013-07", "  start: 2013\n  end: 2013", True),
    # --- mistakes check refuses ---------------------------------------------------------------------
    ("amount-with-separators", "project", "    amount: 900000\n", '    amount: "1.532.558,68"\n', False),
    ("share-with-percent", "project", "    share: 90", '    share: "94,42%"', False),
    ("month-13", "project", "start_date: 2019-01", "start_date: 2021-13-01", False),
    ("february-30", "project", "start_date: 2019-01", "start_date: 2019-02-30", False),
    ("february-29-not-leap", "project", "end_date: 2020-12", "end_date: 2019-02-29", False),
    ("year-out-of-range", "project", "start_date: 2019-01", "start_date: 1750", False),
    ("date-words", "project", "start_date: 2019-01", "start_date: March 2019", False),
    ("country-uk", "project", "countries:\n  - CV", "countries:\n  - UK", False),
    ("country-lowercase", "project", "countries:\n  - CV", "countries:\n  - cv", False),
    ("currency-xyz", "project", "  currency: EUR", "  currency: XYZ", False),
    ("currency-sign", "project", "  currency: EUR", "  currency: €", False),
    ("unknown-funder", "project", "  - funder: icmpd", "  - funder: icmpd-vienna", False),
    ("unknown-programme", "project", "    programme: migration-partnership-facility", "    programme: mpf", False),
    ("theme-as-programme", "project", "    programme: migration-partnership-facility", "    programme: remittances", False),
    ("unknown-fund", "project", "    fund: amif", "    fund: erdf", False),
    ("unknown-theme", "project", "themes: [integration]", "themes: [integrations]", False),
    ("unknown-region", "project", "regions: [ES-VC]", "regions: [ES-XX]", False),
    ("unknown-participant", "project", "  - organisation: aima", "  - organisation: agencia-migracoes", False),
    ("unknown-strategy", "project", "  - strategy: valencian-migration-strategy-2021-2026", "  - strategy: valencian-strategy", False),
    ("unknown-phase-project", "project", "    start_date: 2019-02\nmilestones", "    start_date: 2019-02\n    project: nowhere\nmilestones", False),
    ("unknown-sector", "project", 'sectors: ["15190"]', 'sectors: ["99999"]', False),
    ("not-m49", "project", 'world_regions: ["014"]', 'world_regions: ["999"]', False),
    ("unknown-iati-region", "project", 'world_regions: ["014"]', "world_regions: [iati-9999]", False),
    ("unknown-world-region-term", "project", 'world_regions: ["014"]', "world_regions: [horn-of-africa]", False),
    ("text-key-word", "project", "  fr: Un projet d'essai", "  french: Un projet d'essai", False),
    ("text-key-unknown-region", "project", "  fr: Un projet d'essai", "  pt-XX: Um projeto", False),
    ("text-original-not-a-language", "project", "  en: A project with", "  original: english\n  en: A project with", False),
    ("original-language-word", "project", "original_language: en", "original_language: english", False),
    ("status-word", "project", "status: closed", "status: finished", False),
    ("role-synonym", "project", "roles: [lead, implementing]", "roles: [leader]", False),
    ("country-relation", "project", "    relation: partners", "    relation: partner", False),
    ("count-zero", "project", "    count: 12", "    count: 0", False),
    ("count-word", "project", "    count: 12", "    count: twelve", False),
    ("count-quoted-zero", "project", "    count: 12", '    count: "0"', False),
    ("count-too-large-quoted", "project", "    count: 12", '    count: "100001"', False),
    ("share-above-100", "project", "    share: 90", "    share: 150", False),
    ("share-zero-quoted", "project", "    share: 90", '    share: "0"', False),
    ("amount-negative", "project", "  amount: 1000000", "  amount: -5", False),
    ("amount-three-decimals-quoted", "project", "    amount: 900000\n", '    amount: "900000.555"\n', False),
    ("latitude-95", "project", "      latitude: 14.93", "      latitude: 95", False),
    ("latitude-95-quoted", "project", "      latitude: 14.93", '      latitude: "95"', False),
    ("url-without-scheme", "project", "  - url: https://www.icmpd.org/", "  - url: www.icmpd.org/x", False),
    ("url-with-space", "project", "  - url: https://www.icmpd.org/", '  - url: "https://www.ic mpd.org/"', False),
    ("url-ftp", "project", "  - url: https://www.icmpd.org/", "  - url: ftp://www.icmpd.org/", False),
    ("link-kind", "project", "    kind: website", "    kind: webpage", False),
    ("unknown-key", "project", "budget:\n", "budgets:\n  amount: 5\nbudget:\n", False),
    ("missing-title", "project", "title:\n  en: A test project\n  fr: Un projet d'essai\n", "", False),
    ("missing-summary", "project", "summary:\n  en: A project with a [link](https://www.icmpd.org/).\n", "", False),
    ("title-null", "project", "title:\n  en: A test project\n  fr: Un projet d'essai", "title: ~", False),
    ("title-empty-mapping", "project", "title:\n  en: A test project\n  fr: Un projet d'essai", "title: {}", False),
    ("title-empty-text", "project", "  en: A test project", '  en: ""', False),
    ("title-list", "project", "title:\n  en: A test project\n  fr: Un projet d'essai", "title: [A, B]", False),
    ("published-not-a-day", "project", "published: 2024-01-31", "published: 2024-02-30", False),
    ("published-year", "project", "published: 2024-01-31", "published: 2024", False),
    ("duration-words", "project", "duration_months: 24", "duration_months: 24 months", False),
    ("baseline-year-1700", "project", "        baseline_year: 2019", "        baseline_year: 1700", False),
    ("qualifier-word", "project", "    qualifier: about", "    qualifier: roughly", False),
    ("funding-kind", "project", "    kind: contribution", "    kind: total", False),
    ("indicator-measure", "project", "        measure: unit", "        measure: percent", False),
    ("milestone-event", "project", "    event: launch", "    event: started", False),
    ("result-level", "project", "    level: output", "    level: result", False),
    ("theme-twice", "project", "themes: [integration]", "themes: [integration, integration]", False),
    ("country-twice", "project", "countries:\n  - CV", "countries:\n  - CV\n  - CV", False),
    ("place-country", "project", "    country: CV\n    coordinates", "    country: XX\n    coordinates", False),
    ("organisation-type", "organisation", "type: ngo", "type: charity", False),
    ("organisation-country-uk", "organisation", "country: PT", "country: UK", False),
    ("organisation-parent", "organisation", "parent: aima", "parent: nobody", False),
    ("organisation-website-www", "organisation", "website: https://www.example.org/", "website: www.example.org", False),
    ("contribution-language", "discussion", "    language: fr", "    language: xx", False),
    ("contribution-date", "discussion", "    date: 2013-06-12", "    date: 2013-06-31", False),
    ("discussion-language-twice", "discussion", "languages: [fr, en]", "languages: [fr, fr]", False),
    # --- what a schema cannot say (EXCEPTIONS): check refuses, the schema accepts -----------------------
    ("end-before-start", "project", "end_date: 2020-12", "end_date: 2018-12", False),
    ("dates-and-duration", "project", "duration_months: 24", "duration_months: 36", False),
    ("amount-larger-than-budget", "project", "    amount: 900000\n", "    amount: 2000000\n", False),
    ("shares-not-100", "project", "countries:\n  - CV", "countries:\n  - country: CV\n    percentage: 60", False),
    ("participant-twice", "project", "  - name: twelve municipalities", "  - organisation: aima\n    roles: [partner]\n  - name: twelve municipalities", False),
    ("unknown-priority", "project", '    priority: "1"', '    priority: "9"', False),
    ("phase-without-part-of", "project", "    project: lecim", "    project: lecim\n    phase: \"2\"", False),
    ("amount-three-decimals", "project", "    amount: 900000\n", "    amount: 900000.555\n", False),
    # "14" is no M49 code (three digits) and no world-regions term: check refuses it; the schema cannot, since the
    # editor reads an unquoted 014 as the number 14 too (the leading-zeros exception)
    ("m49-without-zero", "project", 'world_regions: ["014"]', "world_regions: [14]", False),
    ("discussion-end-before-start", "discussion", "  end: 2013-07", "  end: 2012-07", False),
    ("count-unusual-form", "project", "    count: 12", '    count: "1_000"', True),
]

#: Variant → the reason (a key of schema.EXCEPTIONS) its schema verdict differs from check's.
EXCEPTIONS_SEEN = {
    "end-before-start": "end-before-start",
    "discussion-end-before-start": "end-before-start",
    "dates-and-duration": "dates-disagree",
    "amount-larger-than-budget": "funding-mismatch",
    "shares-not-100": "percentages-sum",
    "participant-twice": "duplicate-item",
    "unknown-priority": "unknown-priority",
    "phase-without-part-of": "cross-field",
    "amount-three-decimals": "decimal-places",
    "count-unusual-form": "unusual-numbers",
    "m49-without-zero": "leading-zeros",
}


def variant_text(kind: str, old: str, new: str) -> str:
    base = BASES[kind]
    assert base.count(old) == 1, f"{old!r} must appear once in the {kind} base"
    return base.replace(old, new)


@pytest.fixture(scope="module")
def verdicts(tmp_path_factory) -> dict[str, tuple[bool, bool, list[str]]]:
    """Variant → (check accepts it, the schema accepts it, check's error codes), read by both tools."""
    root = tmp_path_factory.mktemp("agreement")
    shutil.copy(REPO / "fichegen.toml", root)
    shutil.copytree(REPO / "content", root / "content")
    base = check(root)
    assert base.ok(), base.diagnostics
    write_schemas(root / "schemas", base.choices)   # what `fichegen schema` writes inside the project
    files: dict[str, Path] = {}
    for kind, text in BASES.items():   # the bases themselves must be clean for both
        files[f"base-{kind}"] = root / "content" / FOLDERS[kind] / f"base-{kind}.yaml"
        files[f"base-{kind}"].write_text(text, encoding="utf-8")
    for name, kind, old, new, _ in VARIANTS:
        files[name] = root / "content" / FOLDERS[kind] / f"v-{name.lower()}.yaml"
        files[name].write_text(variant_text(kind, old, new), encoding="utf-8")
    result = check(root)
    errors: dict[str, list[str]] = {}
    for d in result.errors:
        errors.setdefault(d.path, []).append(d.code)
    schema_errors: dict[str, list[str]] = {}
    for kind, folder in FOLDERS.items():
        paths = [p for p in files.values() if p.parent.name == folder]
        if not paths:
            continue
        run = subprocess.run([str(CHECK_JSONSCHEMA), "--schemafile", str(root / "schemas" / f"{kind}.schema.json"),
                              "--output-format", "json", *map(str, paths)], capture_output=True, text=True)
        report = json.loads(run.stdout)
        assert not report.get("parse_errors"), report["parse_errors"]
        for error in report.get("errors", []):
            schema_errors.setdefault(Path(error["filename"]).name, []).append(f"{error['path']}: {error['message'][:200]}")
    out = {}
    for name, path in files.items():
        rel = path.relative_to(root).as_posix()
        out[name] = (rel not in errors, path.name not in schema_errors, errors.get(rel, []) + schema_errors.get(path.name, []))
    return out


def test_the_corpus_has_55_kinds_of_single_changes_in_both_directions():
    names = [v[0] for v in VARIANTS]
    assert len(names) == len(set(names))
    accepted = Counter(v[4] for v in VARIANTS)
    assert len(VARIANTS) >= 55 and accepted[True] >= 25 and accepted[False] >= 55, accepted
    print(f"\n{len(VARIANTS)} variants: {accepted[True]} valid, {accepted[False]} mistakes")


def test_the_base_fiches_are_clean_for_both(verdicts):
    for kind in BASES:
        assert verdicts[f"base-{kind}"][:2] == (True, True), verdicts[f"base-{kind}"]


@pytest.mark.parametrize("variant", VARIANTS, ids=[v[0] for v in VARIANTS])
def test_check_and_the_schema_agree(verdicts, variant):
    name, kind, old, new, valid = variant
    by_check, by_schema, said = verdicts[name]
    assert by_check is valid, f"check {'refused' if not by_check else 'accepted'} {new!r}: {said}"
    if name in EXCEPTIONS_SEEN:
        assert by_schema is not by_check, f"{name} is listed as an exception but the schema agrees with check"
        return
    assert by_schema is by_check, f"check {'accepts' if by_check else 'refuses'} {new!r}, the schema does not: {said}"


def test_every_exception_is_said_in_the_schemas_and_the_handbook():
    reasons = set(EXCEPTIONS_SEEN.values())
    assert reasons <= set(EXCEPTIONS)
    handbook = (REPO / "src/fichegen/handbook/docs" / HANDBOOK_PAGE).read_text(encoding="utf-8")
    description = json.loads(all_schemas()["project.schema.json"])["description"]
    for reason, text in EXCEPTIONS.items():
        assert text in description, reason
        assert f"`{reason}`" in handbook, f"{HANDBOOK_PAGE} does not explain the exception {reason}"
    print(f"\n{len(EXCEPTIONS_SEEN)} variants differ, for {len(reasons)} documented reasons")


# --- the patterns themselves, against the models' own reading --------------------------------------------

def test_the_date_patterns_accept_exactly_the_dates_check_accepts():
    """Every month and every possible last day of a month from 1790 to 2209, month and day 00 too:
    pattern = FuzzyDate."""
    import re
    day, fuzzy = re.compile(day_pattern()), re.compile(fuzzy_date_pattern())

    def parses(text: str) -> bool:
        try:
            FuzzyDate.parse(text)
        except Exception:
            return False
        return True

    for year in range(1790, 2210):
        for month in range(0, 14):
            for d in [0, 1, 9, 10, 19, 20, 28, 29, 30, 31, 32]:
                text = f"{year:04d}-{month:02d}-{d:02d}"
                ok = parses(text)
                assert bool(fuzzy.match(text)) is ok, text
                assert bool(day.match(text)) is ok, text
            text = f"{year:04d}-{month:02d}"
            assert bool(fuzzy.match(text)) is parses(text), text
    assert fuzzy.match("2021") and not fuzzy.match("1799") and not day.match("2021")


def test_number_patterns_follow_the_bounds():
    import re
    count = re.compile(integer_pattern(1, 100_000))
    assert all(count.match(str(n)) for n in (1, 9, 10, 99, 100, 12345, 99999, 100000))
    assert not any(count.match(s) for s in ("0", "100001", "200000", "-1", "1.5", ""))
    share = re.compile(decimal_pattern(0, 100, True, 4))
    assert all(share.match(s) for s in ("0.5", "1", "94.42", "99.9999", "100", "100.0"))
    assert not any(share.match(s) for s in ("0", "0.00", "100.01", "101", "94,42", "94.42%", "1.23456"))
    latitude = re.compile(decimal_pattern(-90, 90, False, 6))
    assert all(latitude.match(s) for s in ("-23.5505", "0", "90", "-90.0", "89.999999"))
    assert not any(latitude.match(s) for s in ("90.1", "-91", "1.2345678"))


# --- examples, staleness ------------------------------------------------------------------------------

def _nodes(node, path=""):
    if isinstance(node, dict):
        yield path, node
        for key, value in node.items():
            if key not in ("examples", "enum", "const", "default"):
                yield from _nodes(value, f"{path}/{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _nodes(value, f"{path}/{i}")


@pytest.mark.parametrize("generic", [True, False], ids=["shipped", "showcase"])
def test_every_example_a_schema_shows_is_a_value_it_accepts(generic):
    """Completion shows examples: each must be a value the field takes (typed as the editor types it)."""
    from jsonschema import Draft202012Validator

    choices = None if generic else check(REPO).choices
    checked = 0
    for name, text in all_schemas(choices).items():
        schema = json.loads(text)
        for path, node in _nodes(schema):
            for example in node.get("examples", []):
                alone = {k: v for k, v in node.items() if k != "examples"} | {"$defs": schema.get("$defs", {})}
                errors = list(Draft202012Validator(alone).iter_errors(example))
                assert not errors, f"{name}{path}: example {example!r}: {errors[0].message}"
                checked += 1
    assert checked > 20


def test_showcase_examples_of_ids_name_showcase_content():
    """Ids shown as examples (in the shipped schemas and the handbook) are the showcase's, not made up."""
    from fichegen.models.common import ID_EXAMPLES
    from fichegen.models import FOLDERS as folders

    result = check(REPO)
    for kind, example in ID_EXAMPLES.items():
        if kind == "world-regions":
            continue   # a UN M49 code: no vocabulary term needed
        known = result.choices.values[kind]
        assert example in known, f"{kind}: {example} is not in the showcase"
    assert set(folders) <= set(ID_EXAMPLES)


def test_check_says_when_the_schemas_no_longer_list_the_content(tmp_path):
    """A new organisation makes the schemas stale (the editor would underline its id): a warning names the
    command; `fichegen schema` makes it go; the shipped schemas, which list no ids, are never stale."""
    from click.testing import CliRunner

    from fichegen.cli import main

    root = tmp_path / "site"
    root.mkdir()
    shutil.copy(REPO / "fichegen.toml", root)
    shutil.copytree(REPO / "content", root / "content")
    shutil.copytree(REPO / "src/fichegen/schemas", root / "schemas")
    assert [d.code for d in check(root).diagnostics] == [], "the shipped schemas are not stale"
    assert CliRunner().invoke(main, ["schema", "--root", str(root)]).exit_code == 0
    assert check(root).diagnostics == []
    (root / "content/organisations/new-partner.yaml").write_text(ORGANISATION, encoding="utf-8")
    stale = [d for d in check(root).diagnostics if d.code == "schema-stale"]
    assert [(d.path, d.severity.value) for d in stale] == [("schemas/project.schema.json", "warning")]
    assert stale[0].hint == "run `fichegen schema` and commit schemas/ with the change"
    verify = CliRunner().invoke(main, ["schema", "--root", str(root), "--check"])
    assert verify.exit_code == 1 and "project.schema.json is out of date" in verify.output
    assert CliRunner().invoke(main, ["schema", "--root", str(root)]).exit_code == 0
    assert check(root).diagnostics == []
    listed = json.loads((root / "schemas/project.schema.json").read_text(encoding="utf-8"))["$defs"]["organisation-list"]
    assert listed["enum"][listed["enum"].index("new-partner")] == "new-partner"
    assert "A test organisation (TORG)" in listed["enumDescriptions"]


@pytest.mark.parametrize("schemas", ["shipped", "showcase"])
def test_the_showcase_and_the_starter_are_valid_for_the_schemas(schemas):
    """The shipped schemas (ids checked by their form) accept the showcase and what `fichegen init` writes;
    the showcase's own schemas (its ids listed) accept the showcase."""
    folder = REPO / ("src/fichegen/schemas" if schemas == "shipped" else "schemas")
    roots = [REPO / "content"] + ([REPO / "src/fichegen/starter/content", REPO / "src/fichegen/starter/examples/content"]
                                  if schemas == "shipped" else [])
    by_schema: dict[Path, list[Path]] = {}
    for root in roots:
        for path in sorted(root.rglob("*.yaml")):
            kind = next((k for k, f in FOLDERS.items() if f == path.parent.name), None)
            by_schema.setdefault(folder / (f"{kind}.schema.json" if kind else f"vocabulary-{path.stem}.schema.json"), []).append(path)
    for schema, paths in by_schema.items():
        run = subprocess.run([str(CHECK_JSONSCHEMA), "--schemafile", str(schema), *map(str, paths)], capture_output=True, text=True)
        assert run.returncode == 0, f"{schema.name}: {run.stdout[-2000:]}"
    assert sum(map(len, by_schema.values())) >= 30


#: Single changes to a programme of the showcase's vocabulary: (name, text replaced, replacement, check accepts).
PROGRAMME_VARIANTS = [
    ("period-years-unquoted", 'start: "2000"', "start: 2000", True),
    ("period-day", 'start: "2000"', "start: 2000-02-29", True),
    ("period-impossible-day", 'start: "2000"', "start: 2001-02-29", False),
    ("label-number", "    en: CADSES 2000–2006", "    en: 2000", True),
    ("funder-unknown", "  funder: icmpd\n", "  funder: icmpd-vienna\n", False),
    ("budget-separators", "  funder: icmpd\n", '  funder: icmpd\n  budget:\n    amount: "1.000.000,00"\n    currency: EUR\n', False),
    ("budget-plain", "  funder: icmpd\n", "  funder: icmpd\n  budget:\n    amount: 1000000\n    currency: EUR\n", True),
    ("website-without-scheme", "  funder: icmpd\n", "  funder: icmpd\n  website: www.icmpd.org/mpf\n", False),
    ("label-key", "    fr: CADSES 2000-2006", "    french: CADSES 2000-2006", False),
]


def test_vocabulary_schemas_agree_with_check(tmp_path):
    """The vocabulary schemas too: a programme's period, budget, funder and website, changed one at a time."""
    vocabulary = (REPO / "content/vocabularies/programmes.yaml").read_text(encoding="utf-8")
    base = check(REPO)
    paths, by_check = {}, {}
    for name, old, new, _ in PROGRAMME_VARIANTS:
        root = tmp_path / name
        shutil.copytree(REPO / "content", root / "content")
        shutil.copy(REPO / "fichegen.toml", root)
        assert vocabulary.count(old) >= 1, old
        paths[name] = root / "content/vocabularies/programmes.yaml"
        paths[name].write_text(vocabulary.replace(old, new, 1), encoding="utf-8")
        by_check[name] = not [d for d in check(root).errors if d.path == "content/vocabularies/programmes.yaml"]
    schema = tmp_path / "schemas"
    write_schemas(schema, base.choices)
    run = subprocess.run([str(CHECK_JSONSCHEMA), "--schemafile", str(schema / "vocabulary-programmes.schema.json"),
                          "--output-format", "json", *map(str, paths.values())], capture_output=True, text=True)
    refused = {Path(e["filename"]).parent.parent.parent.name for e in json.loads(run.stdout)["errors"]}
    for name, old, new, accepted in PROGRAMME_VARIANTS:
        assert by_check[name] is accepted, f"check on {new!r}"
        assert (name not in refused) is accepted, f"the schema on {new!r}"
