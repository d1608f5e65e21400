"""Edits of what surrounds the items: the partnership's name, the agencies, and the decisions on
partners' proposals."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from scr_desk.domain.dto import AgencyRow
from scr_desk.domain.wording import count
from scr_desk.services import agencies, proposals, settings
from scr_desk.services.agency_merge import Merged, merge_agencies, merge_agencies_backed_up, unmerge_agencies
from scr_desk.services.edits.base import Change, Edit, FieldsEdit

if TYPE_CHECKING:
    from sqlalchemy.orm import Session, sessionmaker

    from scr_desk.db.engine import Database

__all__ = ["AgencyChange", "AgencyDeletion", "AgencyMerge", "NewAgency", "PartnershipName", "ProposalDecisions"]


class PartnershipName(Edit):
    """The partnership's name (empty clears it); undo puts back the name stored before."""

    def __init__(self, sessions: sessionmaker[Session], name: str) -> None:
        super().__init__(sessions, "partnership name")
        with sessions() as session:
            self.before = settings.stored_partnership_name(session)
        self.name = name

        self._stored = self.before  # what the last step stored

    def do(self) -> Change:
        self._stored = settings.name_partnership(self.sessions, self.name)
        return Change()

    def _undo(self) -> Change:
        self._stored = settings.name_partnership(self.sessions, self.before, expected=self._stored)
        return Change()

    def _redo(self) -> Change:
        self._stored = settings.name_partnership(self.sessions, self.name, expected=self._stored)
        return Change()


_AGENCIES = Change(agencies=True, structural=True)


class NewAgency(Edit):
    """A new agency; undo deletes it (nothing names it yet), redo puts it back with its key."""

    def __init__(self, sessions: sessionmaker[Session], details: Mapping[str, str]) -> None:
        super().__init__(sessions, f"new agency {details['name']}")
        self.details = dict(details)
        self.row: AgencyRow | None = None  # once made

    def do(self) -> Change:
        self.row = agencies.create_agency(self.sessions, **self.details)
        return _AGENCIES

    def _undo(self) -> Change:
        assert self.row is not None
        agencies.delete_agency(self.sessions, self.row.id)
        return _AGENCIES

    def _redo(self) -> Change:
        assert self.row is not None
        self.row = agencies.restore_agency(self.sessions, self.row)
        return _AGENCIES


class AgencyChange(FieldsEdit):
    """An agency's name, code or contact details; undo puts back those before."""

    def __init__(self, sessions: sessionmaker[Session], before: AgencyRow, values: Mapping[str, object]) -> None:
        super().__init__(sessions, f"change of agency {before.name}", before, values, _AGENCIES)
        self.agency_id = before.id

    def _write(self, values: Mapping[str, object], expected: Mapping[str, object]) -> AgencyRow:
        return agencies.update_agency(self.sessions, self.agency_id, values, expected_values=expected)


class AgencyDeletion(Edit):
    """An agency nothing names; undo puts it back with its id and key."""

    def __init__(self, sessions: sessionmaker[Session], row: AgencyRow) -> None:
        super().__init__(sessions, f"deletion of agency {row.name}")
        self.row = row

    def do(self) -> Change:
        self.row = agencies.delete_agency(self.sessions, self.row.id)
        return _AGENCIES

    def _undo(self) -> Change:
        agencies.restore_agency(self.sessions, self.row)
        return _AGENCIES

    def _redo(self) -> Change:
        return self.do()


class AgencyMerge(Edit):
    """A duplicate agency merged into the one it duplicates: everything naming it moved, then it
    is deleted. Undo puts it back (same id and key) with exactly the references the merge moved;
    redo merges again. Given the database, the first merge takes a backup first, under the writer
    lock, as the window does."""

    def __init__(self, sessions: sessionmaker[Session], duplicate: AgencyRow, keep: AgencyRow,
                 database: Database | None = None) -> None:
        super().__init__(sessions, f"merge of agency {duplicate.name} into {keep.name}")
        self.duplicate_id, self.keep_id, self._database = duplicate.id, keep.id, database
        self.merged: Merged | None = None  # what moved, once merged

    def do(self) -> Change:
        if self._database is not None:
            self.merged = merge_agencies_backed_up(self._database, self.duplicate_id, self.keep_id)
        else:
            self.merged = merge_agencies(self.sessions, self.duplicate_id, self.keep_id)
        return _AGENCIES

    def _undo(self) -> Change:
        assert self.merged is not None
        unmerge_agencies(self.sessions, self.merged)
        return _AGENCIES

    def _redo(self) -> Change:
        self.merged = merge_agencies(self.sessions, self.duplicate_id, self.keep_id)
        return _AGENCIES


class ProposalDecisions(Edit):
    """Partners' proposals accepted and declined as one edit ("acceptance of 2 proposals"); undo
    lets them wait again and puts back what an acceptance moved."""

    def __init__(self, sessions: sessionmaker[Session], accept: Sequence[int], decline: Sequence[int]) -> None:
        accept, decline = list(accept), list(decline)
        super().__init__(sessions, f"acceptance of {count(len(accept), 'proposal')}" if accept and not decline else
                         f"declining of {count(len(decline), 'proposal')}" if decline and not accept else
                         f"decision on {count(len(accept) + len(decline), 'proposal')}")
        self.accept, self.decline = accept, decline
        self._decided: list[proposals.Decided] = []

    def do(self) -> Change:
        self._decided = proposals.decide_proposals(self.sessions, self.accept, self.decline)
        return Change(structural=True)

    def _undo(self) -> Change:
        proposals.reopen_proposals(self.sessions, self._decided)
        return Change(structural=True)

    def _redo(self) -> Change:
        self._decided = proposals.decide_proposals(self.sessions, self.accept, self.decline, again=self._decided)
        return Change(structural=True)
