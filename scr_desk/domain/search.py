"""What the find box and the filters ask, and what they get back: plain values shared by the
search service, its database implementations and the window.

A search document is a review, a recommendation or an action. Every implementation of the text
index numbers them the same way (`doc_id`), so the index answers with one integer per document.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from datetime import date

from scr_desk.domain.dto import ItemKey
from scr_desk.domain.enums import ItemKind, Rag, Status

__all__ = [
    "FilterCriteria", "ItemIds", "KINDS_BY_CODE", "KIND_CODES", "SearchResult", "SearchTerm", "doc_id", "fold",
    "holds_terms", "key_of_doc", "parse_terms",
]


# The kind of a document, in the two lowest bits of its number: doc = id * 4 + code.
KIND_CODES = {ItemKind.REVIEW: 1, ItemKind.RECOMMENDATION: 2, ItemKind.ACTION: 3}
KINDS_BY_CODE = {code: kind for kind, code in KIND_CODES.items()}


def doc_id(key: ItemKey) -> int:
    return key.id * 4 + KIND_CODES[key.kind]


def key_of_doc(doc: int) -> ItemKey:
    return ItemKey(KINDS_BY_CODE[doc & 3], doc >> 2)


@dataclass(frozen=True)
class SearchTerm:
    """One word as typed, cut into the tokens an index holds: letters and digits, lower case, without
    accents ("CLARE-R3" is ("clare", "r3"); "Café" is ("cafe",)). An item holds the term when one of
    its fields, or one update in its history, holds these tokens in a row, the last one as the start
    of a word (typing "trai" finds "training")."""

    tokens: tuple[str, ...]


_TOKEN = re.compile(r"[^\W_]+")


def fold(text: str) -> str:
    """Lower case without accents, as SQLite's unicode61 tokenizer (remove_diacritics 2) folds a
    word: simple lower case ("straße" stays), accents taken off letters that decompose ("é", not "ø")."""
    decomposed = unicodedata.normalize("NFD", text.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def parse_terms(text: str) -> tuple[SearchTerm, ...]:
    """The find box's text as terms: one per word separated by spaces; a word with no letter or
    digit (a lone dash) asks for nothing."""
    terms = []
    for word in text.split():
        tokens = tuple(_TOKEN.findall(fold(word)))
        if tokens:
            terms.append(SearchTerm(tokens))
    return tuple(terms)


def holds_terms(text: str, terms: Iterable[SearchTerm]) -> bool:
    """Does `text` hold every term, as the index would say? (For what the window shows of a row:
    whether its match is in what it shows or only in its updates.)"""
    tokens = _TOKEN.findall(fold(text))
    return all(_holds(tokens, term.tokens) for term in terms)


def _holds(tokens: list[str], wanted: tuple[str, ...]) -> bool:
    last = len(wanted) - 1
    for start in range(len(tokens) - last):
        if all(tokens[start + i] == wanted[i] for i in range(last)) and tokens[start + last].startswith(wanted[last]):
            return True
    return False


@dataclass(frozen=True)
class FilterCriteria:
    """The filter above the tree: words (the find box) and choices."""

    text: str = ""
    status: Status | None = None
    rag: Rag | None = None
    agency_id: int | None = None
    theme: str | None = None
    overdue_only: bool = False
    hide_closed: bool = False

    @property
    def active(self) -> bool:
        return self != FilterCriteria()

    @property
    def terms(self) -> tuple[SearchTerm, ...]:
        return parse_terms(self.text)

    @property
    def item_choices(self) -> bool:
        """A choice only items can pass (a review has no status, RAG, agency or theme of its own)."""
        return (self.status, self.rag, self.agency_id, self.theme) != (None,) * 4 or self.overdue_only


@dataclass(frozen=True)
class ItemIds(AbstractSet[ItemKey]):
    """A set of reviews, recommendations and actions held as three sets of ids (cheaper than a set
    of keys when there are a hundred thousand of them). `key in ids` and `(kind, id) in ids` work."""

    reviews: frozenset[int] = frozenset()
    recommendations: frozenset[int] = frozenset()
    actions: frozenset[int] = frozenset()

    def _ids(self, kind: ItemKind) -> frozenset[int]:
        if kind is ItemKind.REVIEW:
            return self.reviews
        return self.recommendations if kind is ItemKind.RECOMMENDATION else self.actions

    def __contains__(self, key: object) -> bool:
        if not isinstance(key, tuple) or len(key) != 2:
            return False
        kind, item_id = key
        try:
            return item_id in self._ids(ItemKind(kind))
        except ValueError:
            return False

    def __len__(self) -> int:
        return len(self.reviews) + len(self.recommendations) + len(self.actions)

    def __iter__(self) -> Iterator[ItemKey]:
        for kind in (ItemKind.REVIEW, ItemKind.RECOMMENDATION, ItemKind.ACTION):
            for item_id in self._ids(kind):
                yield ItemKey(kind, item_id)


@dataclass(frozen=True)
class SearchResult:
    """What the tree shows for a filter. `shown`: every item that matches, the reviews and
    recommendations above a match, and, where the words matched a review or a recommendation, the
    items under it that pass the other choices. `matches`: the items that match themselves (what
    the status bar counts). `to_open`: recommendations shown only for an action under them (the
    window opens them). `found`: the items holding the words themselves (highlighted);
    `history_only`: those of them that hold the words only in their update history (in italics)."""

    criteria: FilterCriteria
    today: date
    shown: ItemIds = field(default_factory=ItemIds)
    matches: ItemIds = field(default_factory=ItemIds)
    to_open: ItemIds = field(default_factory=ItemIds)
    found: ItemIds = field(default_factory=ItemIds)
    history_only: ItemIds = field(default_factory=ItemIds)
