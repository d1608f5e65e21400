"""The sentences SCR Desk itself writes as an update's text, and telling them from what a person
wrote: a return shows partners the last update a person wrote, never "RAG changed from Amber to
Red in the detail form."."""

from __future__ import annotations

import re

__all__ = ["MADE_BY_SCR_DESK_LIKE", "proposal_accepted_narrative", "written_by_a_person"]


# The detail form's sentence is written by services.updates.record_form_change ("RAG changed
# from Amber to Red in the detail form."); the proposal's by services.proposals.
_ACCEPTED = "Proposal from {agency} ({period} return) accepted by the lead: {what}."
# The same sentences as SQL LIKE patterns, so the database finds the last written update itself.
MADE_BY_SCR_DESK_LIKE = ("Status changed from % to % in the detail form.",
                         "RAG changed from % to % in the detail form.",
                         "Proposal from % return) accepted by the lead: %")
_MADE = re.compile(r"^(?:(?:Status|RAG) changed from .* to .* in the detail form\.|"
                   r"Proposal from .* return\) accepted by the lead: .*)$", re.DOTALL)


def proposal_accepted_narrative(agency: str, period: str, what: str) -> str:
    """A partner's proposal accepted by the lead, as the update moving the item says."""
    return _ACCEPTED.format(agency=agency or "an agency", period=period, what=what)


def written_by_a_person(narrative: str) -> bool:
    """Whether an update's text is progress a person wrote (not empty, not one of ours)."""
    return bool(narrative.strip()) and not _MADE.match(narrative.strip())
