"""Static pagination of the list pages: numbered pages and orderings, each at its own crawlable address.

A list longer than one page (`PAGE_SIZE` cards or rows) is split into numbered pages, and each ordering
(newest first, oldest first, A–Z) is its own series of pages, so sorting and paging work without JavaScript
and every page stays small whatever the size of the knowledge base. The complete lists stay in the data files
(projects.json, projects.csv) and in the search.

Addresses, under a list's address `base` (/en/projects/, /en/countries/cv/projects/):

    base                       the default ordering, page 1
    base page/2/               the default ordering, page 2
    base sort/oldest/          another ordering, page 1
    base sort/oldest/page/2/   another ordering, page 2

Two segments under `base`, so a numbered page never takes the address of a fiche (/en/projects/<id>/).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Any, Callable, Sequence

#: Cards (or table rows) on one page of a list: a card is about 1 KB, so a page stays far under 250 KB at any size.
PAGE_SIZE = 50
#: Rows of the translation status table on one page (a row is a few cells).
TABLE_PAGE_SIZE = 100
#: The orderings a list of dated fiches offers, the first being the default; organisations are listed A–Z.
DATED_ORDERS = ("newest", "oldest", "title")
NAMED_ORDERS = ("title",)
#: A term's lists of one kind (a country's projects) are paged in their default ordering only: every ordering of
#: every term's lists would add some 18,000 pages to a 10,000-project site; the lists of a whole kind
#: (/en/projects/) have every ordering, and the search sorts any selection.
TERM_ORDERS = 1
#: Numbered links shown around the current page (the first and last pages are always linked).
AROUND = 2


def orders_for(kind: str) -> tuple[str, ...]:
    return NAMED_ORDERS if kind == "organisation" else DATED_ORDERS


def page_count(total: int, size: int | None = None) -> int:
    return max(1, -(-total // (size or PAGE_SIZE)))


def list_url(base: str, order: str, number: int, default: str) -> str:
    """The address of page `number` of the list at `base` in `order`."""
    url = base if order == default else f"{base}sort/{order}/"
    return url if number <= 1 else f"{url}page/{number}/"


def title_key(title: Any) -> tuple[str, str]:
    """A-Z order of titles in any Latin script: accents and case second (Émilie after Emile, before Emma)."""
    text = str(title)
    bare = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return bare.casefold(), text.casefold()


def ordered(items: Sequence[Any], order: str, date: Callable[[Any], str], name: Callable[[Any], tuple[str, str]],
            tie: Callable[[Any], Any]) -> list[Any]:
    """`items` in `order`: newest (by date, latest first), oldest (undated last) or A–Z. `name` gives an item's
    `title_key`; `tie` what orders items of the same date (their ids: so that a date ordering reads no title,
    and a page of it is not made again when a title elsewhere in the list changes)."""
    if order == "title":
        return sorted(items, key=lambda i: (name(i), tie(i)))
    out = sorted(items, key=tie)
    if order == "newest":
        out.sort(key=date, reverse=True)
    elif order == "oldest":
        out.sort(key=lambda i: (date(i) == "", date(i)))
    return out


def window(items: Sequence[Any], number: int, size: int | None = None) -> Sequence[Any]:
    size = size or PAGE_SIZE
    return items[(number - 1) * size: number * size]


@dataclass(frozen=True)
class PageLink:
    number: int | None        # None: a gap between numbered links
    url: str = ""
    current: bool = False
    label: str = ""


@dataclass(frozen=True)
class OrderLink:
    label: str
    url: str
    current: bool


@dataclass(frozen=True)
class Pagination:
    """What a list page says about where it is: page links, the orderings, "Page 2 of 14", "61–120 of 700"."""

    number: int
    count: int
    prev: str | None
    next: str | None
    pages: tuple[PageLink, ...]
    orders: tuple[OrderLink, ...]
    status: str
    shown: str
    label: str                 # the navigation's accessible name
    order_label: str
    prev_label: str
    next_label: str


def pagination(t: Callable[..., str], number_format: Callable[[int], str], base: str, total: int, kind: str,
               order: str, number: int, size: int | None = None, *, label: str = "",
               orders: tuple[str, ...] | None = None) -> Pagination | None:
    """The links of page `number` of a list of `total` entries (in `orders`, by default those of its kind); None
    when the list fits on one page."""
    size = size or PAGE_SIZE
    count = page_count(total, size)
    if count <= 1:
        return None
    orders = orders or (orders_for(kind) if kind else ("newest",))
    default = orders[0]

    def url(n: int, o: str = order) -> str:
        return list_url(base, o, n, default)

    shown_numbers = sorted({1, count} | set(range(max(1, number - AROUND), min(count, number + AROUND) + 1)))
    pages: list[PageLink] = []
    for n in shown_numbers:
        if pages and pages[-1].number is not None and n > pages[-1].number + 1:
            pages.append(PageLink(None))
        pages.append(PageLink(n, url(n), n == number, t("list.page_link", page=number_format(n))))
    order_links = tuple(OrderLink(t(f"list.order.{o}"), url(1, o), o == order) for o in orders) if len(orders) > 1 else ()
    first, last = (number - 1) * size + 1, min(number * size, total)
    return Pagination(number, count, url(number - 1) if number > 1 else None, url(number + 1) if number < count else None,
                      tuple(pages), order_links,
                      t("list.page_of", page=number_format(number), pages=number_format(count)),
                      t("list.shown", first=number_format(first), last=number_format(last), total=number_format(total)),
                      label or t("list.pages"), t("list.order"), t("list.previous"), t("list.next"))
