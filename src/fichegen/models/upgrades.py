"""Fiches written for the first content model (fichegen 0.1): `check` explains each old shape with the new one.

A field whose shape changed is not silently re-read: the editor is told what to write instead, with an
example, once, at the old key (and the validation errors the old shape causes below it are not repeated).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterator


@dataclass(frozen=True)
class OldShape:
    loc: tuple
    message: str
    hint: str


def old_shapes(kind: str, data: Any) -> Iterator[OldShape]:
    """Where `data` (a fiche of `kind`, as read from YAML) still has the 0.1 shape."""
    if not isinstance(data, dict):
        return
    if kind == "project":
        yield from _project(data)


def _project(data: dict) -> Iterator[OldShape]:
    if "partners" in data:
        yield OldShape(("partners",), "`partners` is now `participants`, and each has `roles:` (a list): an organisation is listed once with all its roles",
                       "write:  participants:\n  - organisation: aima\n    roles: [lead, implementing]\n"
                       "(roles: funding, accountable, extending, implementing, lead, partner, associated, beneficiary)")
    if "partner_count" in data:
        yield OldShape(("partner_count",), "`partner_count` is gone: organisations the source does not name are a participant with a count",
                       f"write, under participants:  - count: {_count(data['partner_count'], data)}\n    roles: [partner]\n"
                       "(and name: {en: \"12 municipalities\"} when the source says who they are)")
    funding = data.get("funding")
    if isinstance(funding, dict):
        contribution = funding.get("contribution") if isinstance(funding.get("contribution"), dict) else {}
        example = ["funding:", "  - programme: <the programme id>"]
        if contribution.get("fund"):
            example.append(f"    fund: {contribution['fund']}")
        if contribution.get("amount"):
            example.append(f"    amount: \"{contribution['amount']}\"")
        if contribution.get("rate"):
            example.append(f"    share: \"{contribution['rate']}\"")
        budget = ""
        if funding.get("total"):
            budget = f"budget:\n  amount: \"{funding['total']}\"\n  currency: {funding.get('currency', 'EUR')}\n"
        yield OldShape(("funding",), "`funding` is now a list of funding sources, and the project's total is `budget`",
                       "write:\n" + budget + "\n".join(example) + "\n(one item per funder, programme or fund, each with the amount or share the source states)")
    if "programme" in data:
        yield OldShape(("programme",), "`programme` moved into `funding`: the programme is a funding source",
                       f"write:  funding:\n  - programme: {data['programme'] if isinstance(data['programme'], str) else '<id>'}\n"
                       "(with its amount or share when the source gives one)")


def _count(value: Any, data: dict) -> str:
    partners = data.get("partners") if isinstance(data.get("partners"), list) else []
    try:
        return str(max(int(str(value)) - len(partners), 1))
    except ValueError:
        return "N"
