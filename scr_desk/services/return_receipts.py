"""What an applied return leaves on the board: the receipt (which export came back, in which
import, how many rows landed and how many were left out), and each proposal recorded with its
update but not applied, waiting for the lead's decision. Written in the import's own transaction,
so an import undone or rolled back takes them with it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from scr_desk.db.base import new_uid
from scr_desk.db.models import Proposal, ReturnExport, ReturnReceipt, Update
from scr_desk.domain.enums import ProposalState, Rag, Status

__all__ = ["WaitingProposal", "record_receipt"]


@dataclass(frozen=True)
class WaitingProposal:
    """A proposal left for the lead: the update it came with (by uid), and what it proposes."""

    update_uid: str
    status: Status | None
    rag: Rag | None
    revised_target_date: date | None

    @classmethod
    def of(cls, update_uid: str, proposed: dict[str, Any]) -> WaitingProposal:
        return cls(update_uid, proposed.get("status"), proposed.get("rag"), proposed.get("revised_target_date"))


def record_receipt(session: Session, export_uid: str, batch_id: int, rows_landed: int, rows_left_out: int,
                   proposals: list[WaitingProposal]) -> None:
    """Inside the import's transaction, after its updates are written (flushed)."""
    export_id = session.scalar(select(ReturnExport.id).where(ReturnExport.uid == export_uid))
    if export_id is None:
        return  # verified against the record when planned; gone only if deleted meanwhile
    session.add(ReturnReceipt(export_id=export_id, import_batch_id=batch_id, rows_landed=rows_landed,
                              rows_left_out=rows_left_out))
    if not proposals:
        return
    update_ids = dict(session.execute(select(Update.uid, Update.id).where(
        Update.uid.in_([p.update_uid for p in proposals]))).all())
    session.execute(insert(Proposal), [
        {"uid": new_uid(), "update_id": update_ids[p.update_uid], "export_id": export_id, "status": p.status,
         "rag": p.rag, "revised_target_date": p.revised_target_date, "state": ProposalState.WAITING,
         "decided_by": ""} for p in proposals if p.update_uid in update_ids])
