"""The IATI Standard's validation rules (shared/iati-rulesets/standard.json), applied to an IATI XML file.

The XSD says what an IATI file may contain; the ruleset says what the IATI Validator further requires
(budget periods of at most a year, percentages that add up to 100, dates in order, …). This module is the
test suite's checker for it: `iati_rule_failures(path)` gives every rule a file breaks, as `Failure`s.

The semantics are those of SPEC.rst beside standard.json, matched against the two implementations IATI
wrote, read as the reference (none of their code is copied):

- the Python edition, `iatirulesets/__init__.py` of github.com/IATI/IATI-Rulesets (branch version-2.03,
  run by its `testrules.py`), and
- the JavaScript edition the IATI Validator runs today, `services/rulesValidator.js` of
  github.com/IATI/js-validator-api, whose ruleset format standard.json follows (`NOW`, `prefix`,
  `separator`, `idCondition`, `no_spaces`).

How a ruleset is applied. Each top-level key is an absolute XPath selecting context elements; every case
of every rule is evaluated on each of them, its XPaths relative to that element. A case whose `condition`
is false (XPath boolean) does not apply; nor does one whose `idCondition` excludes it. `loop` evaluates its
`do` cases once per distinct value of `foreach`, with `$1` replaced by the value in the keys named by `subs`.
A date is the `YYYY-MM-DD` at the start of the first node a path selects (`NOW`/`TODAY` is today); a rule
whose dates are missing or unreadable does not apply. Where the two editions differ, this follows the
Validator, the stricter one, so that what passes here passes both:

- `time_limit`: at most 365 days from start to end (the Python edition allowed one calendar year, 366
  days across a 29 February);
- `strict_sum`/`sum`: the sum rounded to 4 decimals, as the Validator does, in exact decimal arithmetic;
- `between_dates`: the bounds are included; `only_one_of`: every `excluded` path is tested;
- `regex_matches`/`regex_no_matches`: an empty text passes; an element's text is its XPath string-value;
- `if_then`, `evaluates_to_true`, `condition`: XPath boolean (an empty node-set is false, as in the Python
  edition; the Validator's JavaScript treats an empty array as true, which lets some cases pass unnoticed).

Organisation identifiers: `idCondition` NOT_EXISTING_ORG_ID(_PREFIX) exempts identifiers of publishers
already on the IATI Registry; fichegen's publisher is not one, so by default no identifier is exempt.
`startswith` with `ORG-ID-PREFIX` needs the list of registration agencies: `iati_rule_failures` takes it
from the OrganisationRegistrationAgency codelist in shared/ (its codes that are not withdrawn).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from pathlib import Path
from types import MappingProxyType

import pytest
from lxml import etree

from fichegen.codelists import parse_codelist
from shared_data import shared_path

DAYS_IN_A_YEAR = 365
_DATE = re.compile(r"\s*(-?\d{4,})-(\d{2})-(\d{2})")
#: The JavaScript edition's names for the rules (SPEC.rst: either spelling is accepted).
_CAMEL_CASE = MappingProxyType({
    "noMoreThanOne": "no_more_than_one", "atLeastOne": "atleast_one", "onlyOneOf": "only_one_of",
    "oneOrAll": "one_or_all", "dateOrder": "date_order", "dateNow": "date_now",
    "timeLimit": "time_limit", "betweenDates": "between_dates", "regexMatches": "regex_matches",
    "regexNoMatches": "regex_no_matches", "startsWith": "startswith", "ifThen": "if_then",
    "strictSum": "strict_sum", "noSpaces": "no_spaces", "evaluatesToTrue": "evaluates_to_true"})


@dataclass(frozen=True)
class Failure:
    """One case of one rule that an activity (or organisation) breaks.

    `case` is the rule's case as evaluated (its paths, condition, …; inside a loop, with `$1` replaced),
    `message` the ruleset's own text for the rule, `detail` what was found."""

    rule: str
    rule_id: str | None
    severity: str | None
    context: str
    identifier: str
    message: str
    detail: str
    line: int | None
    case: Mapping[str, object] = field(compare=False)

    def __str__(self) -> str:
        where = f"{self.identifier or '(no identifier)'}, line {self.line}"
        label = f"{self.rule_id} {self.rule}" if self.rule_id else self.rule
        text = " ".join(part for part in (self.message, self.detail) if part)
        return f"{where}: [{self.severity or 'error'}] {label}: {text}"


@dataclass(frozen=True)
class Checker:
    """What a ruleset is checked against besides the file: the time, and the organisation id lists."""

    now: datetime
    org_ids: frozenset[str] = frozenset()
    org_id_prefixes: frozenset[str] | None = None    # None: unknown, and `ORG-ID-PREFIX` cases do not apply


# --- entry points ----------------------------------------------------------------------------

def standard_ruleset() -> dict:
    """shared/iati-rulesets/standard.json; skips the calling test when shared/ is absent."""
    path = shared_path("iati-rulesets", "standard.json")
    if path is None:
        pytest.skip("the IATI ruleset is absent: neither ../shared/iati-rulesets/standard.json beside the clone "
                    "nor /work/shared/iati-rulesets/standard.json exists")
    return json.loads(path.read_text(encoding="utf-8"))


def registration_agencies() -> frozenset[str] | None:
    """The codes of OrganisationRegistrationAgency (XM-DAC, GB-COH, …) that are not withdrawn, from shared/."""
    path = shared_path("iati-codelists", "non-embedded", "OrganisationRegistrationAgency.xml")
    if path is None:
        return None
    return frozenset(parse_codelist(path.read_bytes()).codes())


def iati_rule_failures(xml_path: Path | str, *, now: datetime | None = None) -> list[Failure]:
    """Every rule of the IATI Standard's ruleset that the file breaks (warnings included: see `severity`)."""
    checker = Checker(now or datetime.now(timezone.utc), org_id_prefixes=registration_agencies())
    return check_ruleset(parse(xml_path), standard_ruleset(), checker)


def parse(xml_path: Path | str) -> etree._ElementTree:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    return etree.parse(str(xml_path), parser)


def check_ruleset(document: etree._ElementTree | etree._Element, ruleset: Mapping, checker: Checker) -> list[Failure]:
    """The failures of `ruleset` on `document`, in the ruleset's order of contexts, rules and cases."""
    failures = []
    for context, rules in ruleset.items():
        for element in document.xpath(context):
            for rule, spec in rules.items():
                for case in spec["cases"]:
                    if rule == "loop":
                        failures += _loop(context, element, case, checker)
                    else:
                        failure = _evaluate(context, element, rule, case, checker)
                        if failure is not None:
                            failures.append(failure)
    return failures


def report(failures: Iterable[Failure]) -> str:
    """One line per failure, for printing."""
    return "\n".join(str(f) for f in failures) or "no failure"


# --- one case ----------------------------------------------------------------------------------

def _loop(context: str, element, case: Mapping, checker: Checker) -> list[Failure]:
    values = list(dict.fromkeys(_text(v) for v in _nodes(element, case["foreach"])))
    failures = []
    for rule, spec in case["do"].items():
        for sub_case in spec["cases"]:
            for value in values:
                substituted = dict(sub_case)
                for key in case["subs"]:
                    if key in sub_case:
                        substituted[key] = _substitute(sub_case[key], value)
                failure = _evaluate(context, element, rule, substituted, checker)
                if failure is not None:
                    failures.append(failure)
    return failures


def _substitute(template, value: str):
    if isinstance(template, str):
        return template.replace("$1", value)
    return [t.replace("$1", value) for t in template]


def _evaluate(context: str, element, rule: str, case: Mapping, checker: Checker) -> Failure | None:
    rule = _CAMEL_CASE.get(rule, rule)
    if rule not in RULES:
        raise ValueError(f"unknown rule type {rule!r} in the ruleset (context {context}); "
                         f"this checker knows {', '.join(sorted(RULES))}")
    if "condition" in case and not _boolean(element.xpath(case["condition"])):
        return None
    if not _id_condition_holds(element, case, checker):
        return None
    detail = RULES[rule](element, case, checker)
    if detail is None:
        return None
    info = case.get("ruleInfo", {})
    return Failure(rule=rule, rule_id=info.get("id"), severity=info.get("severity"), context=context,
                   identifier=_identifier(element), message=info.get("message", ""), detail=detail,
                   line=_line(element), case=MappingProxyType({k: v for k, v in case.items() if k != "ruleInfo"}))


def _id_condition_holds(element, case: Mapping, checker: Checker) -> bool:
    condition = case.get("idCondition")
    if condition is None:
        return True
    texts = [text for _, text in _matches(element, case)]
    if condition == "NOT_EXISTING_ORG_ID":
        return not any(text in checker.org_ids for text in texts)
    if condition == "NOT_EXISTING_ORG_ID_PREFIX":
        return not any(text.startswith(f"{org}-") for text in texts for org in checker.org_ids)
    raise ValueError(f"unknown idCondition {condition!r}")


# --- the rules: each returns None when the case holds, else what was found -----------------------

def no_more_than_one(element, case, checker):
    found = _matches(element, case)
    return None if len(found) <= 1 else f"{len(found)} found for {_paths(case)}, at most one allowed."


def atleast_one(element, case, checker):
    return None if _matches(element, case) else f"None found for {_paths(case)}."


def only_one_of(element, case, checker):
    found = len(_matches(element, case))
    for excluded in case["excluded"]:
        if _nodes(element, excluded):
            if found:
                return f"{excluded} is present, so {_paths(case)} must not be, but {found} found."
        elif found != 1:
            return f"{excluded} is absent, so exactly one of {_paths(case)} is required, but {found} found."
    return None


def one_or_all(element, case, checker):
    if _nodes(element, case["one"]):
        return None
    kind = case["all"]
    if kind == "lang":
        lacking = [n for n in element.xpath("descendant::narrative") if not n.xpath("@xml:lang")]
        what = "narrative without xml:lang"
    elif kind == "sector":
        lacking = [t for t in element.xpath("transaction") if not t.xpath("sector")]
        what = "transaction without sector"
    elif kind == "recipient-country|recipient-region":
        lacking = [t for t in element.xpath("transaction") if not t.xpath("recipient-country|recipient-region")]
        what = "transaction without recipient-country or recipient-region"
    elif kind == "currency":
        lacking = [v for v in element.xpath("descendant::value | descendant::forecast | descendant::loan-status")
                   if not v.xpath("@currency")]
        what = "amount without @currency"
    else:
        raise ValueError(f"unknown one_or_all 'all' value {kind!r}")
    if not lacking:
        return None
    return f"No {case['one']}, and {len(lacking)} {what} (line {', '.join(str(_line(n)) for n in lacking)})."


def dependent(element, case, checker):
    present = [path for path in case["paths"] if _nodes(element, path)]
    if not present or len(present) == len(case["paths"]):
        return None
    absent = [path for path in case["paths"] if path not in present]
    return f"{' and '.join(present)} present but {' and '.join(absent)} missing."


def strict_sum(element, case, checker):
    values = [text for _, text in _matches(element, case)]
    try:
        total = sum((Decimal(v.strip()) for v in values), Decimal(0))
    except InvalidOperation:
        return f"Not all numbers: {' + '.join(values)} ({_paths(case)})."
    expected = Decimal(str(case["sum"]))
    if total.quantize(Decimal("0.0001"), ROUND_HALF_UP) == expected:
        return None
    return f"{' + '.join(values) or 'nothing'} = {total}, not {case['sum']} ({_paths(case)})."


def sum_(element, case, checker):
    return strict_sum(element, case, checker) if _matches(element, case) else None


def date_order(element, case, checker):
    less, more = _date(element, case["less"], checker), _date(element, case["more"], checker)
    if less is None or more is None or less <= more:
        return None
    return f"{_date_label(case['less'], less)} is after {_date_label(case['more'], more)}."


def date_now(element, case, checker):
    found = _nodes(element, case["date"])
    moment = _datetime(_text(found[0])) if found else None
    if moment is None or moment <= checker.now:
        return None
    return f"{case['date']} {_text(found[0])} is after now ({checker.now.isoformat(timespec='seconds')})."


def time_limit(element, case, checker):
    start, end = _date(element, case["start"], checker), _date(element, case["end"], checker)
    if start is None or end is None or (end - start).days <= DAYS_IN_A_YEAR:
        return None
    return (f"{_date_label(case['start'], start)} to {_date_label(case['end'], end)} is {(end - start).days} days, "
            f"more than {DAYS_IN_A_YEAR}.")


def between_dates(element, case, checker):
    day, start, end = (_date(element, case[key], checker) for key in ("date", "start", "end"))
    if day is None or start is None or end is None or start <= day <= end:
        return None
    return f"{_date_label(case['date'], day)} is not between {start.isoformat()} and {end.isoformat()}."


def regex_matches(element, case, checker):
    wrong = [(path, text) for path, text in _matches(element, case) if text and not re.search(case["regex"], text)]
    return _listing(wrong, f"does not match {case['regex']}")


def regex_no_matches(element, case, checker):
    wrong = [(path, text) for path, text in _matches(element, case) if text and re.search(case["regex"], text)]
    return _listing(wrong, f"matches {case['regex']}")


def startswith(element, case, checker):
    if "start" in case:    # the Python edition: one start path
        found = _nodes(element, case["start"])
        starts = [_text(found[0])] if found else []
    elif list(case["prefix"]) == ["ORG-ID-PREFIX"] or case["prefix"] == "ORG-ID-PREFIX":
        if checker.org_id_prefixes is None:
            return None
        wrong = [(path, text) for path, text in _matches(element, case)
                 if "-".join(text.split("-")[:2]) not in checker.org_id_prefixes]
        return _listing(wrong, "does not start with a registration agency code (OrganisationRegistrationAgency)")
    else:
        starts = [_text(n) + case.get("separator", "") for path in case["prefix"] for n in _nodes(element, path)]
    wrong = [(path, text) for path, text in _matches(element, case) if not any(text.startswith(s) for s in starts)]
    return _listing(wrong, f"does not start with {' or '.join(repr(s) for s in starts) or 'a prefix (none found)'}")


def unique(element, case, checker):
    texts = [text for _, text in _matches(element, case)]
    repeated = sorted({text for text in texts if texts.count(text) > 1})
    if not repeated:
        return None
    return f"{', '.join(repr(t) for t in repeated)} found more than once among {_paths(case)}."


def if_then(element, case, checker):
    if not _boolean(element.xpath(case["if"])) or _boolean(element.xpath(case["then"])):
        return None
    return f"{case['if']} holds, but not {case['then']}."


def evaluates_to_true(element, case, checker):
    return None if _boolean(element.xpath(case["eval"])) else f"{case['eval']} is false."


def range_(element, case, checker):
    low, high = case.get("min"), case.get("max")
    wrong = []
    for path, text in _matches(element, case):
        try:
            value = Decimal(text.strip())
        except InvalidOperation:
            wrong.append((path, text))
            continue
        if (low is not None and value < Decimal(str(low))) or (high is not None and value > Decimal(str(high))):
            wrong.append((path, text))
    return _listing(wrong, f"is not a number from {low} to {high}")


def no_spaces(element, case, checker):
    wrong = [(path, text) for path, text in _matches(element, case) if text != text.strip()]
    return _listing(wrong, "starts or ends with white space")


RULES: Mapping[str, Callable] = MappingProxyType({
    "no_more_than_one": no_more_than_one, "atleast_one": atleast_one, "only_one_of": only_one_of,
    "one_or_all": one_or_all, "dependent": dependent, "sum": sum_, "strict_sum": strict_sum,
    "date_order": date_order, "date_now": date_now, "time_limit": time_limit, "between_dates": between_dates,
    "regex_matches": regex_matches, "regex_no_matches": regex_no_matches, "startswith": startswith,
    "unique": unique, "if_then": if_then, "evaluates_to_true": evaluates_to_true, "range": range_,
    "no_spaces": no_spaces,
})


# --- XPath results and dates -----------------------------------------------------------------------

def _nodes(element, path: str) -> list:
    result = element.xpath(path)
    return result if isinstance(result, list) else [result]


def _matches(element, case: Mapping) -> list[tuple[str, str]]:
    """(path, text) of every node the case's paths select, in the paths' order."""
    return [(path, _text(node)) for path in case.get("paths", ()) for node in _nodes(element, path)]


def _text(node) -> str:
    if isinstance(node, etree._Element):
        return node.xpath("string()")
    return str(node)


def _boolean(result) -> bool:
    """XPath's boolean(): a node-set is true when not empty, a number when neither 0 nor NaN."""
    if isinstance(result, float):
        return result == result and result != 0
    return bool(result)


def _date(element, path: str, checker: Checker) -> date | None:
    if path in ("NOW", "TODAY"):
        return checker.now.date()
    found = _nodes(element, path)
    match = _DATE.match(_text(found[0])) if found else None
    if match is None:
        return None
    try:
        return date(*map(int, match.groups()))
    except ValueError:
        return None


def _datetime(text: str) -> datetime | None:
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def _date_label(path: str, day: date) -> str:
    return f"today ({day.isoformat()})" if path in ("NOW", "TODAY") else f"{path} {day.isoformat()}"


def _paths(case: Mapping) -> str:
    return " | ".join(case.get("paths", ()))


def _listing(wrong: list[tuple[str, str]], problem: str) -> str | None:
    if not wrong:
        return None
    return "; ".join(f"{path} {text!r} {problem}" for path, text in wrong) + "."


def _identifier(element) -> str:
    return element.xpath("string(ancestor-or-self::iati-activity[1]/iati-identifier"
                         " | ancestor-or-self::iati-organisation[1]/organisation-identifier)").strip()


def _line(element) -> int | None:
    return getattr(element, "sourceline", None)
