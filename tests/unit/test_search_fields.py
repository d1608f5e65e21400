"""The search finds a word in each field it searches, without a window, on a file and on a server:
one case per field, each word held by that field alone, so a field dropped from the search text
(issue 25's second escape: an owner's name) fails its own case. The window's find box has the same
cases in tests/ui/test_find_box.py. A field edited is searched as it now reads."""

from __future__ import annotations

from datetime import date

import pytest

from scr_desk.db.engine import Database
from scr_desk.domain.search import FilterCriteria
from scr_desk.services import items
from scr_desk.services.search import find
from scr_desk.services.tree import load_tree
from tests.search_kit import fill_every_searched_field

pytestmark = pytest.mark.both_engines

TODAY = date(2026, 11, 26)

# (what is typed, the one item that holds it, the field it is in)
FIELDS = [
    ("clare-r7-a1", "CLARE-R7-A1", "reference"),
    ("zanzibar", "CLARE-R7", "text"),
    ("kestrel", "CLARE-R7", "themes"),
    ("quokka", "CLARE-R7", "lead agency"),
    ("wombat", "CLARE-R7", "contributing agency"),
    ("numbat", "CLARE-R7-A1", "owner agency"),
    ("okonkwo", "CLARE-R7-A1", "owner's name"),
    ("delayed", "CLARE-R7-A1", "success measure"),
    ("marmalade", "CLARE-R7-A1", "an update's narrative"),
    ("flamingo", "CLARE-R7-A1", "an update's evidence"),
    ("halvorsen", "CLARE-R7-A1", "an update's author"),
]


@pytest.fixture
def searched(sample_db: Database) -> Database:
    """The sample, plus a recommendation and an action whose every field holds a word of its own."""
    fill_every_searched_field(sample_db.sessions)
    return sample_db


def found(db: Database, text: str) -> list[str]:
    names = {n.key: n.reference for n in load_tree(db.sessions, TODAY).walk()}
    return sorted(names[key] for key in find(db.sessions, FilterCriteria(text=text), TODAY).found)


@pytest.mark.parametrize(("typed", "holder", "field"), FIELDS, ids=[field for _, _, field in FIELDS])
def test_a_word_is_found_in_each_field_searched(searched: Database, typed: str, holder: str, field: str) -> None:
    assert found(searched, typed) == [holder], field


@pytest.mark.parametrize(("holder", "field", "before"), [
    ("CLARE-R7", "text", "zanzibar"), ("CLARE-R7", "themes", "kestrel"),
    ("CLARE-R7-A1", "owner_name", "okonkwo"), ("CLARE-R7-A1", "success_measure", "delayed")])
def test_a_field_edited_is_searched_as_it_now_reads(searched: Database, holder: str, field: str, before: str) -> None:
    item = next(n.key for n in load_tree(searched.sessions, TODAY).walk() if n.reference == holder)
    update = items.update_recommendation if holder == "CLARE-R7" else items.update_action
    update(searched.sessions, item.id, {field: "Pangolin"})
    assert found(searched, "pangolin") == [holder]
    assert found(searched, before) == []
