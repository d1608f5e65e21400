"""Every edit the window can make: ask what is needed, build the edit (services.edits, where its
undo and redo are), and run it on the undo stack."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from scr_desk.domain.dto import ItemKey
from scr_desk.domain.enums import ItemKind
from scr_desk.domain.wording import field_words
from scr_desk.services.edits import items as item_edits
from scr_desk.services.edits.records import NewAgency, PartnershipName
from scr_desk.services.edits.updates import NewUpdate, UpdateCorrection
from scr_desk.ui.commands import Editor
from scr_desk.ui.meeting_edits import MeetingEdits

if TYPE_CHECKING:
    from scr_desk.ui.window_interface import WindowInterface

__all__ = ["EditController"]


class EditController(MeetingEdits):
    def __init__(self, window: WindowInterface) -> None:
        self.window = window
        self.editor = Editor(window.undo_stack, window.notify, window.report_error, window.show_status)

    # --- fields ---------------------------------------------------------------------------
    def edit_field(self, kind: ItemKind, item_id: int, field: str, value: object) -> None:
        item = ItemKey(kind, item_id)
        try:
            # The edit is made from the version on show: saved only if the item is still at it (someone
            # else's change since is refused in one sentence, and the item shown as it now is).
            edit = item_edits.field_change(self.sessions, item, field, value,
                                           shown_version=self.window.detail.shown_version(item),
                                           allow_unusual_date=self.window.prompts.allow_unusual_date)
        except Exception as exc:  # the item has gone, or the server cannot be reached
            self.window.report_error(f"change of {field_words(field)} on {self.window.reference_of(item)}", exc)
            if not self.window.offline():
                self.window.show_selected()
            return
        if edit is None:
            self.window.show_selected()  # nothing changed: no save, no undo entry
            return
        if not self.editor.run(edit) and not self.window.offline():
            self.window.show_selected()  # a refused value springs back to what is stored

    # --- create ---------------------------------------------------------------------------
    def new_review(self) -> None:
        self.editor.run(item_edits.new_review(self.sessions))
        self._focus_when_shown()

    def new_item(self) -> None:
        key = self.window.selected_key()
        if key is None:
            self.window.prompts.info("New item", "Select a review to add a recommendation to, "
                                                 "or a recommendation to add an action to.")
            return
        self.editor.run(item_edits.new_item_under(self.sessions, key))
        self._focus_when_shown()

    def _focus_when_shown(self) -> None:
        """Once the tree has reloaded with the new record selected, put the cursor in it."""
        self.window.after_next_load(self.window.detail.focus_first_field)

    # --- delete and move ------------------------------------------------------------------
    def delete_selected(self) -> None:
        key = self.window.selected_key()
        if key is None:
            return
        deletion = item_edits.deletion(self.sessions, key)
        if self.window.prompts.confirm("Delete", f"Delete {deletion.what}?\n\nYou can undo this with Edit > Undo.",
                                       "Delete"):
            self.editor.run(deletion)

    def move_selected(self, offset: int) -> None:
        key = self.window.selected_key()
        if key is None:
            return
        try:
            move = item_edits.move(self.sessions, key, offset)
        except Exception as exc:  # the item has gone, or the server cannot be reached
            self.window.report_error(f"move of {self.window.reference_of(key)}", exc)
            return
        if move is None:
            self.window.show_status(f"{self.window.reference_of(key)} is already "
                                    f"{'first' if offset < 0 else 'last'}.")
            return
        self.editor.run(move)

    # --- updates ------------------------------------------------------------------------
    def add_update(self, item: ItemKey, values: dict[str, Any]) -> None:
        reference = self.window.reference_of(item)
        # written against the item as shown
        if self.editor.run(NewUpdate(self.sessions, item, values, reference, self.window.detail.shown_version(item))):
            self.window.detail.update_saved(item.kind)
            self.window.show_status(f"Update added to {reference} and saved.")

    def correct_update(self, update_id: int) -> None:
        current = self.window.detail.shown_update(update_id)
        if current is None:
            return
        answer = self.window.prompts.update_correction(current, self.window.agencies)
        if answer:
            self.editor.run(UpdateCorrection(self.sessions, current, answer, self.window.reference_of(current.item)))

    # --- the partnership ----------------------------------------------------------------
    def name_partnership(self) -> None:
        """File > Partnership name…: ask, save (undoable), and say so."""
        from scr_desk.services import settings
        answer = self.window.prompts.partnership_name(settings.read_partnership_name(self.sessions))
        if answer is None:
            return
        naming = PartnershipName(self.sessions, answer)  # knows the name stored now, which undo puts back
        if answer == naming.before:  # (the name shown may have been its reviews')
            return
        if self.editor.run(naming):
            self.window.show_status(f"The partnership is now named {answer!r}." if answer
                                    else "The partnership's name is cleared.")

    # --- agencies -----------------------------------------------------------------------
    def new_agency(self) -> int | None:
        answer = self.window.prompts.agency_details()
        if not answer:
            return None
        edit = NewAgency(self.sessions, answer)
        return edit.row.id if self.editor.run(edit) and edit.row is not None else None

    def new_agency_for_field(self, kind: ItemKind, item_id: int, field: str) -> None:
        agency_id = self.new_agency()
        if agency_id is not None:
            self.edit_field(kind, item_id, field, agency_id)
        else:
            self.window.show_selected()
