"""What the window reads when it opens a database or reloads its tree, on a worker: the reviews
(one query), the children of those it needs at once, the filter's lists and the record counts.
Plain values only, so the worker touches no widget."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from scr_desk.domain.dto import ItemKey
from scr_desk.domain.tree import TreeNode

if TYPE_CHECKING:
    from sqlalchemy.orm import Session, sessionmaker

# No more recommendations than this in all, and every review's children are read at once (the
# tree then opens every review, as a small partnership's lead expects).
READ_ALL_BELOW = 1500


@dataclass(frozen=True)
class TreeLoad:
    reviews: list[TreeNode]
    subtrees: dict[int, tuple[TreeNode, ...]] = field(default_factory=dict)
    agencies: dict[int, str] = field(default_factory=dict)
    themes: tuple[str, ...] = ()
    counts: dict[str, int] = field(default_factory=dict)


def load_tree_rows(sessions: sessionmaker[Session], keep: set[int], wanted: Iterable[ItemKey | None]) -> TreeLoad:
    """The reviews; the children of every review when there are few, else of those in `keep`
    (read before) and of the reviews holding the `wanted` items (to be selected)."""
    from scr_desk.services.stats import record_counts
    from scr_desk.services.tree import filter_choices, list_reviews, load_subtrees, review_of
    today = date.today()
    reviews = list_reviews(sessions, today)
    if sum(review.child_count for review in reviews) <= READ_ALL_BELOW:
        read = {review.id for review in reviews}
    else:
        read = set(keep) | {review for key in wanted if key is not None
                            if (review := review_of(sessions, key)) is not None}
        # And the first review's: reading one here prepares the statements that read a review, so
        # the first review the user opens is read as fast as the next (150 ms cold against 20 ms).
        read |= {reviews[0].id} if reviews else set()
    agencies, themes = filter_choices(sessions)
    return TreeLoad(reviews, load_subtrees(sessions, read, today) if read else {}, agencies, themes,
                    record_counts(sessions))
