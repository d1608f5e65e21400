"""What other people changed: read from the audit trail after a change notice (db.server).

Every change is audited, and on a server writers take turns under one lock, so audit ids grow in
the order changes land. A window that has seen up to id N asks for the entries after N and learns
exactly which reviews, items and agencies changed, and who changed them; it refreshes only those.
A notice missed while the connection was down costs nothing: the next look catches up from N.
The notices themselves are storage's (db.server); the window listens to them through this module.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from scr_desk.db.models import Action, AuditEntry, Decision, Meeting, Recommendation, Review, Update
from scr_desk.db.server import ChangeListener, ConnectionLost
from scr_desk.domain.dto import ItemKey
from scr_desk.domain.enums import ItemKind
from scr_desk.services.audit import newest_audit_id
from scr_desk.services.users import display_names

# Past this many entries at once (an import of a whole workbook), reloading everything is cheaper
# than placing each one.
__all__ = ["ChangeListener", "Changes", "ConnectionLost", "changes_since", "newest_change"]

MOST_PLACED = 5_000
_CHUNK = 1_000
_STRUCTURAL = {"created", "deleted", "restored", "moved"}


@dataclass(frozen=True)
class Changes:
    """What changed after one audit id, up to another."""

    upto: int  # the newest audit id seen: ask again from here
    reviews: frozenset[int] = frozenset()  # reviews whose subtree shows something new
    items: frozenset[ItemKey] = frozenset()  # items whose own fields or updates changed
    structural: bool = False  # rows were added, removed or moved
    agencies: bool = False
    everything: bool = False  # too many, or not placeable: reload the whole record
    by: tuple[str, ...] = field(default=())  # who made them, as shown (display names where kept)

    @property
    def any(self) -> bool:
        return bool(self.reviews or self.items or self.structural or self.agencies or self.everything)


def newest_change(sessions: sessionmaker[Session]) -> int:
    """The newest audit id: where a window that has just loaded everything starts from."""
    with sessions() as session:
        return newest_audit_id(session)


def changes_since(sessions: sessionmaker[Session], after: int) -> Changes:
    """Everything audited after id `after`, placed in the record."""
    with sessions() as session:
        upto = newest_audit_id(session)
        if upto <= after:
            return Changes(max(upto, after))
        count = session.scalar(select(func.count()).where(AuditEntry.id > after, AuditEntry.id <= upto)) or 0
        logins = sorted(set(session.scalars(select(AuditEntry.user).distinct().where(
            AuditEntry.id > after, AuditEntry.id <= upto))))
        names = display_names(session)
        by = tuple(names.get(login, login) for login in logins if login)
        if count > MOST_PLACED:
            return Changes(upto, everything=True, structural=True, agencies=True, by=by)
        entries = session.execute(select(AuditEntry.entity, AuditEntry.entity_uid, AuditEntry.action)
                                  .where(AuditEntry.id > after, AuditEntry.id <= upto)).all()
        return _placed(session, upto, entries, by)


def _placed(session: Session, upto: int, entries: Iterable[tuple[str, str, str]], by: tuple[str, ...]) -> Changes:
    uids: dict[str, set[str]] = {}
    structural = agencies = everything = False
    for entity, uid, action in entries:
        uids.setdefault(entity, set()).add(uid)
        if entity in (ItemKind.REVIEW, ItemKind.RECOMMENDATION, ItemKind.ACTION) and action in _STRUCTURAL:
            structural = True
        if entity == "agency":
            agencies = True
        elif entity not in _PLACERS and entity not in ("team_member",):
            everything = True  # settings, and whatever a later version audits: reload to be sure
    reviews: set[int] = set()
    items: set[ItemKey] = set()
    for entity, placer in _PLACERS.items():
        wanted = uids.pop(entity, set())
        found = placer(session, sorted(wanted)) if wanted else []
        placed_uids = {uid for uid, _review, _item in found}
        if wanted - placed_uids:
            everything = True  # gone since (deleted): its place in the tree is gone too
        for _uid, review_id, item in found:
            if review_id is not None:
                reviews.add(review_id)
            if item is not None:
                items.add(item)
    return Changes(upto, frozenset(reviews), frozenset(items), structural or everything, agencies, everything, by)


Placed = list[tuple[str, int | None, ItemKey | None]]  # (uid, review id, item)


def _chunks(values: list[str]) -> Iterable[list[str]]:
    for start in range(0, len(values), _CHUNK):
        yield values[start:start + _CHUNK]


def _reviews(session: Session, uids: list[str]) -> Placed:
    return [(uid, id_, ItemKey(ItemKind.REVIEW, id_)) for chunk in _chunks(uids) for uid, id_ in
            session.execute(select(Review.uid, Review.id).where(Review.uid.in_(chunk)))]


def _recommendations(session: Session, uids: list[str]) -> Placed:
    return [(uid, review_id, ItemKey(ItemKind.RECOMMENDATION, id_)) for chunk in _chunks(uids)
            for uid, id_, review_id in session.execute(select(Recommendation.uid, Recommendation.id,
                                                              Recommendation.review_id)
                                                       .where(Recommendation.uid.in_(chunk)))]


def _actions(session: Session, uids: list[str]) -> Placed:
    return [(uid, review_id, ItemKey(ItemKind.ACTION, id_)) for chunk in _chunks(uids)
            for uid, id_, review_id in session.execute(
                select(Action.uid, Action.id, Recommendation.review_id).join(Recommendation)
                .where(Action.uid.in_(chunk)))]


def _updates(session: Session, uids: list[str]) -> Placed:
    placed: Placed = []
    for chunk in _chunks(uids):
        for uid, rec_id, action_id, rec_review, action_review in session.execute(
                select(Update.uid, Update.recommendation_id, Update.action_id, Recommendation.review_id,
                       select(Recommendation.review_id).join(Action, Action.recommendation_id == Recommendation.id)
                       .where(Action.id == Update.action_id).scalar_subquery())
                .outerjoin(Recommendation, Recommendation.id == Update.recommendation_id)
                .where(Update.uid.in_(chunk))):
            item = ItemKey(ItemKind.RECOMMENDATION, rec_id) if rec_id else ItemKey(ItemKind.ACTION, action_id or 0)
            placed.append((uid, rec_review if rec_id else action_review, item))
    return placed


def _meetings(session: Session, uids: list[str]) -> Placed:
    return [(uid, review_id, None) for chunk in _chunks(uids) for uid, review_id in
            session.execute(select(Meeting.uid, Meeting.review_id).where(Meeting.uid.in_(chunk)))]


def _decisions(session: Session, uids: list[str]) -> Placed:
    return [(uid, review_id, None) for chunk in _chunks(uids) for uid, review_id in session.execute(
        select(Decision.uid, Meeting.review_id).join(Meeting).where(Decision.uid.in_(chunk)))]


_PLACERS = {ItemKind.REVIEW.value: _reviews, ItemKind.RECOMMENDATION.value: _recommendations,
            ItemKind.ACTION.value: _actions, "update": _updates, "meeting": _meetings, "decision": _decisions}
