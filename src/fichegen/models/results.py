"""What a project achieved, as IATI results record it: a result, optionally measured by indicators with a
baseline, a target and an actual value."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Iterator, Literal

from pydantic import Field

from .common import FuzzyDate, LocalizedText, Problem, Qualifier, Strict

Measure = Annotated[Decimal, Field(ge=0, max_digits=18, decimal_places=4, examples=[4653], json_schema_extra={"x-decimal-places": 4})]
Year = Annotated[int, Field(ge=1800, le=2199, examples=[2019])]


class Indicator(Strict):
    """A measure of a result: what is counted, from what, towards what, and what was reached."""

    title: LocalizedText
    """What the indicator counts, e.g. "Entrepreneurs reached"."""
    measure: Literal["unit", "percentage"] = "unit"
    """unit: a count or quantity; percentage: a share in percent."""
    baseline: Measure | None = None
    """The value before the project."""
    baseline_year: Year | None = None
    """The year the baseline was measured."""
    target: Measure | None = None
    """The value the project aimed at."""
    actual: Measure | None = None
    """The value reached."""
    qualifier: Qualifier | None = None
    """When the source qualifies the value reached: about, at_least, more_than ("más de 4.653"), at_most, less_than."""
    as_of: FuzzyDate | None = None
    """When the actual value was reached or reported."""


class Result(Strict):
    """A result the project achieved (for results it expects, see expected_results)."""

    title: LocalizedText
    """What was achieved, as the source states it: "12 local governments and 4,653 entrepreneurs reached"."""
    level: Literal["output", "outcome", "impact"] | None = None
    """output: what the project produced; outcome: the change it brought; impact: the longer-term effect."""
    indicators: Annotated[list[Indicator], Field(max_length=50)] = []
    """The figures behind the result, when the source gives them."""

    def problems(self, loc: tuple) -> Iterator[Problem]:
        for i, indicator in enumerate(self.indicators):
            if indicator.measure == "percentage":
                for name in ("baseline", "target", "actual"):
                    value = getattr(indicator, name)
                    if value is not None and value > 100:
                        yield Problem(loc + ("indicators", i, name), "invalid-value", f"{name} is {value}, more than 100 %",
                                      "write a percentage from 0 to 100, or use measure: unit")
            if indicator.baseline is None and indicator.target is None and indicator.actual is None:
                yield Problem(loc + ("indicators", i), "invalid-value", "the indicator has no baseline, target or actual value",
                              "give at least one value, or write the result without indicators")
