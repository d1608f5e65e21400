"""A recommendation and an action whose every searched field holds a word of its own: the find
box's tests (tests/ui/test_find_box.py) and the search's own (tests/unit/test_search_fields.py)."""

from __future__ import annotations

from sqlalchemy.orm import Session, sessionmaker

from scr_desk.domain.dto import ItemKey
from scr_desk.services import agencies, items, reviews, updates


def fill_every_searched_field(sessions: sessionmaker[Session]) -> None:
    """CLARE-R7 (text "Zanzibar…", theme "Kestrel", lead "Quokka Trust", contributor "Wombat
    Services") and CLARE-R7-A1 (owner "Numbat Care", "Priya Okonkwo", measure "…delayed…", an
    update "Marmalade…" with evidence "Flamingo…" by "Ingrid Halvorsen")."""
    review = reviews.list_reviews(sessions)[0].id
    lead = agencies.create_agency(sessions, "Quokka Trust")
    contributing = agencies.create_agency(sessions, "Wombat Services")
    owner = agencies.create_agency(sessions, "Numbat Care")
    rec = items.create_recommendation(sessions, review, {
        "number": "7", "text": "Zanzibar protocol for strategy meetings", "themes": "Kestrel work",
        "lead_agency_id": lead.id, "contributor_ids": [contributing.id]})
    action = items.create_action(sessions, rec.id, {
        "text": "Write the escalation guide", "owner_agency_id": owner.id, "owner_name": "Priya Okonkwo",
        "success_measure": "Fewer delayed escalations"})
    updates.add_update(sessions, ItemKey.action(action.id), {
        "narrative": "Marmalade sessions held with every team", "evidence": "Flamingo attendance register",
        "author": "Ingrid Halvorsen"})
