"""What the detail pane shows for the selected item, read from the services: a review with its
meetings, or a recommendation or an action with its updates newest first."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.orm import Session, sessionmaker

from scr_desk.domain.dto import AgencyRow, ItemRef
from scr_desk.services import items, meetings, reviews, updates
from scr_desk.services.tree import TreeNode
from scr_desk.ui.detail_pane import DetailPane


def show_detail(detail: DetailPane, sessions: sessionmaker[Session], key: tuple[str, int], node: TreeNode | None,
                agencies: Sequence[AgencyRow]) -> None:
    """Show the item `key` (its tree node, when loaded, gives the summary line) in `detail`."""
    kind, item_id = key
    summary = node.summary if node else ""
    if kind == "review":
        detail.review_page.item_labels = _item_labels(node.children if node else ())
        detail.show_review(reviews.get_review(sessions, item_id), summary, meetings.list_meetings(sessions, item_id),
                           agencies)
    elif kind == "recommendation":
        rec = items.get_recommendation(sessions, item_id)
        review = reviews.get_review(sessions, rec.review_id)
        heading = f"{rec.reference} · Recommendation {rec.number} of {review.name}"
        detail.show_item(kind, rec, heading, summary, updates.list_updates(sessions, ItemRef(kind, item_id)), agencies)
    else:
        action = items.get_action(sessions, item_id)
        detail.show_item(kind, action, f"{action.reference} · Action {action.number}", "",
                         updates.list_updates(sessions, ItemRef(kind, item_id)), agencies)


def _item_labels(recommendations: Sequence[TreeNode]) -> dict[tuple[str, int], str]:
    """How decisions name their items on a review's page: by reference."""
    labels: dict[tuple[str, int], str] = {}
    for rec in recommendations:
        labels[rec.key] = rec.reference
        labels.update({action.key: action.reference for action in rec.children})
    return labels
