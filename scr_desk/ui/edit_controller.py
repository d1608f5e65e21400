"""Every edit the window can make, each as an undoable pair of service calls."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from contextlib import nullcontext
from typing import TYPE_CHECKING, Any

from scr_desk.domain.dates import unusual_dates_allowed
from scr_desk.domain.dto import ActionRow, ItemKey, RecommendationRow, ReviewRow
from scr_desk.domain.enums import ItemKind, Rag, ReviewType, Status
from scr_desk.domain.rules import next_number
from scr_desk.services import agencies, items, reviews, settings, snapshot, updates
from scr_desk.ui.commands import Change, Editor
from scr_desk.ui.meeting_edits import MeetingEdits
from scr_desk.ui.edit_wording import field_words, guard_field, same_value

if TYPE_CHECKING:
    from sqlalchemy.orm import Session, sessionmaker

    from scr_desk.services.snapshot import Snapshot
    from scr_desk.ui.window_interface import WindowInterface

    ItemRow = ReviewRow | RecommendationRow | ActionRow

_GETTERS: dict[ItemKind, Callable[[sessionmaker[Session], int], ItemRow]] = {
    ItemKind.REVIEW: reviews.get_review, ItemKind.RECOMMENDATION: items.get_recommendation,
    ItemKind.ACTION: items.get_action}
_UPDATERS: dict[ItemKind, Callable[[sessionmaker[Session], int, Mapping[str, object]], ItemRow]] = {
    ItemKind.REVIEW: reviews.update_review, ItemKind.RECOMMENDATION: items.update_recommendation,
    ItemKind.ACTION: items.update_action}
_VERSIONED = {ItemKind.RECOMMENDATION: items.update_recommendation, ItemKind.ACTION: items.update_action}
_MOVERS: dict[ItemKind, Callable[[sessionmaker[Session], int, int], list[int]]] = {
    ItemKind.REVIEW: reviews.move_review, ItemKind.RECOMMENDATION: items.move_recommendation,
    ItemKind.ACTION: items.move_action}


class EditController(MeetingEdits):
    def __init__(self, window: WindowInterface) -> None:
        self.window = window
        self.editor = Editor(window.undo_stack, window.notify, window.report_error, window.show_status)

    def _review_of(self, kind: ItemKind, item_id: int) -> int | None:
        return item_id if kind is ItemKind.REVIEW else self.window.review_id_of(ItemKey(kind, item_id))

    # --- fields ---------------------------------------------------------------------------
    def edit_field(self, kind: ItemKind, item_id: int, field: str, value: object) -> None:
        try:
            row = _GETTERS[kind](self.sessions, item_id)
        except Exception as exc:  # the item has gone, or the server cannot be reached
            where = self.window.reference_of(ItemKey(kind, item_id))
            self.window.report_error(f"change of {field_words(field)} on {where}", exc)
            if not self.window.offline():
                self.window.show_selected()
            return
        before = getattr(row, field)
        if isinstance(before, tuple) and field == "themes":
            before = "; ".join(before)
        if same_value(before, value):
            self.window.show_selected()  # nothing changed: no save, no undo entry
            return
        review_id = self._review_of(kind, item_id)
        change = Change(review_id=review_id)
        reference = row.reference or getattr(row, "code", "") or getattr(row, "name", "")
        text = f"change of {field_words(field)} on {reference}"
        if kind is ItemKind.REVIEW and field == "name":
            self._rename_review(item_id, value, before, text, change)
            return
        if kind is not ItemKind.REVIEW and (move := _as_move(field, value)) is not None:
            self._record_move(ItemKey(kind, item_id), field, move, text, change)
            return
        getter = _GETTERS[kind]

        allowed = self._unusual_date_allowed(kind, item_id, field, value, field_words(field))
        # The edit was made from the version on show: saved only if the item is still at it (someone
        # else's change since is refused in one sentence, and the item shown as it now is).
        shown = self.window.detail.shown_version(ItemKey(kind, item_id))

        def apply(new: object, expected: object, version: int | None = None) -> Change:
            if field != "themes":
                guard_field(self.sessions, getter, item_id, field, expected, reference)
            with unusual_dates_allowed() if allowed else nullcontext():
                if version is not None and kind is not ItemKind.REVIEW:
                    _VERSIONED[kind](self.sessions, item_id, {field: new}, expected_version=version)
                else:
                    update(self.sessions, item_id, {field: new})
            return change
        update = _UPDATERS[kind]
        if not self.editor.run(text, lambda: apply(value, before, shown), lambda: apply(before, value),
                               lambda: apply(value, before)) and not self.window.offline():
            self.window.show_selected()  # a refused value springs back to what is stored

    def _rename_review(self, review_id: int, name: object, before: object, text: str, change: Change) -> None:
        """A review's code follows its name until edited by hand; undo puts both back."""
        state: dict[str, Any] = {}

        def do() -> Change:
            state["before"] = reviews.rename_review(self.sessions, review_id, name)
            return Change(structural=True, select=ItemKey(ItemKind.REVIEW, review_id))

        def undo() -> Change:
            guard_field(self.sessions, reviews.get_review, review_id, "name", name, str(name))
            old_name, old_code = state["before"]
            reviews.update_review(self.sessions, review_id, {"name": old_name, "code": old_code})
            return Change(structural=True, select=ItemKey(ItemKind.REVIEW, review_id))
        if not self.editor.run(f"renaming of {before} to {name}", do, undo):
            self.window.show_selected()

    def _record_move(self, item: ItemKey, field: str, value: Status | Rag, text: str, change: Change) -> None:
        """A status or RAG chosen in the form is a dated update in the timeline (one truth for
        the tree, the timeline, the dashboard and the reports); undo removes that update."""
        state: dict[str, Any] = {}
        getter, reference = _GETTERS[item.kind], text.split(" on ")[-1]
        shown = self.window.detail.shown_version(item)  # chosen on the item as shown

        def do() -> Change:
            if "uid" in state:
                guard_field(self.sessions, getter, item.id, field, state[field], reference)
            row = updates.record_form_change(self.sessions, item, field, value, uid=state.get("uid"),
                                             expected_version=None if "uid" in state else shown)
            state.update(uid=row.uid, status=row.previous_status, rag=row.previous_rag)
            return change

        def undo() -> Change:
            guard_field(self.sessions, getter, item.id, field, value, reference)
            updates.retract_update(self.sessions, state["uid"], state["status"], state["rag"])
            return change
        if not self.editor.run(text, do, undo) and not self.window.offline():
            self.window.show_selected()

    def _unusual_date_allowed(self, kind: ItemKind, item_id: int, field: str, value: object, label: str) -> bool:
        """A date outside 2000–2100 is kept only once the lead says it is meant."""
        from scr_desk.services.fields import UnusualDateValue, optional_date
        if not field.endswith(("_date", "_on")) or value in (None, ""):
            return False
        try:
            optional_date(label)(None, value)  # type: ignore[arg-type]
        except UnusualDateValue as exc:
            return self.window.prompts.allow_unusual_date(label.capitalize(), exc.value)
        except Exception:  # noqa: BLE001 - any other refusal is reported by the edit itself
            return False
        return False

    # --- create ---------------------------------------------------------------------------
    def _create(self, text: str, kind: ItemKind, create: Callable[[], ItemRow],
                delete: Callable[[int], Snapshot]) -> None:
        """Create a record; undo deletes it (keeping a snapshot), redo restores that snapshot,
        so the record keeps its id and key through any number of undo/redo rounds."""
        state: dict[str, Any] = {}

        def changed(select: bool) -> Change:
            return Change(structural=True, select=state["key"] if select else None)

        def do() -> Change:
            row = create()
            state["key"] = ItemKey(kind, row.id)
            return changed(True)

        def undo() -> Change:
            state["snapshot"] = delete(state["key"][1])
            return changed(False)

        def redo() -> Change:
            snapshot.restore(self.sessions, state["snapshot"])
            return changed(True)
        self.editor.run(text, do, undo, redo)

    def new_review(self) -> None:
        existing = {r.name for r in reviews.list_reviews(self.sessions)}
        name = next(n for n in (f"New review {i}" if i else "New review" for i in range(1000)) if n not in existing)
        self._create("New review", ItemKind.REVIEW,
                     lambda: reviews.create_review(self.sessions, {"name": name, "review_type": ReviewType.OTHER}),
                     lambda i: reviews.delete_review(self.sessions, i))
        self._focus_when_shown()

    def new_item(self) -> None:
        key = self.window.selected_key()
        if key is None:
            self.window.prompts.info("New item", "Select a review to add a recommendation to, "
                                                 "or a recommendation to add an action to.")
            return
        kind, item_id = key
        if kind is ItemKind.REVIEW:
            taken = [r.reference.rsplit("-R", 1)[-1] for r in self._children(key)]
            number = next_number(taken)
            self._create(f"New recommendation {number}", ItemKind.RECOMMENDATION,
                         lambda: items.create_recommendation(self.sessions, item_id, {"number": number}),
                         lambda i: items.delete_item(self.sessions, ItemKind.RECOMMENDATION, i))
        else:
            rec_id = item_id if kind is ItemKind.RECOMMENDATION \
                else items.get_action(self.sessions, item_id).recommendation_id
            self._create("New action", ItemKind.ACTION, lambda: items.create_action(self.sessions, rec_id, {}),
                         lambda i: items.delete_item(self.sessions, ItemKind.ACTION, i))
        self._focus_when_shown()

    def _focus_when_shown(self) -> None:
        """Once the tree has reloaded with the new record selected, put the cursor in it."""
        self.window.after_next_load(self.window.detail.focus_first_field)

    # --- delete and move ------------------------------------------------------------------
    def delete_selected(self) -> None:
        key = self.window.selected_key()
        if key is None:
            return
        kind, item_id = key
        delete: Callable[[sessionmaker[Session], int], Snapshot]
        if kind is ItemKind.REVIEW:
            what, delete = reviews.preview_delete_review(self.sessions, item_id), reviews.delete_review
        else:
            what = items.preview_delete(self.sessions, kind, item_id)
            delete = lambda s, i: items.delete_item(s, kind, i)  # noqa: E731
        if not self.window.prompts.confirm("Delete", f"Delete {what}?\n\nYou can undo this with Edit > Undo.",
                                           "Delete"):
            return
        state: dict[str, Any] = {}

        def do() -> Change:
            state["snapshot"] = delete(self.sessions, item_id)
            return Change(structural=True)

        def undo() -> Change:
            snapshot.restore(self.sessions, state["snapshot"])
            return Change(structural=True, select=key)
        self.editor.run(f"deletion of {what.split(', with')[0]}", do, undo)

    def move_selected(self, offset: int) -> None:
        key = self.window.selected_key()
        if key is None:
            return
        kind, item_id = key
        mover = _MOVERS[kind]

        def move(step: int) -> Change:
            mover(self.sessions, item_id, step)
            return Change(structural=True, select=key)
        self.editor.run(f"move of {self.window.reference_of(key)}", lambda: move(offset), lambda: move(-offset))

    # --- updates ------------------------------------------------------------------------
    def add_update(self, item: ItemKey, values: dict[str, Any]) -> None:
        state: dict[str, Any] = {}
        change = Change(review_id=self._review_of(item.kind, item.id))
        shown = self.window.detail.shown_version(item)  # written against the item as shown

        def do() -> Change:
            first = "uid" not in state
            row = updates.add_update(self.sessions, item, values, uid=state.get("uid"),
                                     expected_version=shown if first else None)
            state.update(uid=row.uid, status=row.previous_status, rag=row.previous_rag)
            return change

        def undo() -> Change:
            updates.retract_update(self.sessions, state["uid"], state["status"], state["rag"])
            return change
        reference = self.window.reference_of(item)
        if self.editor.run(f"update added to {reference}", do, undo):
            self.window.detail.update_saved(item.kind)
            self.window.show_status(f"Update added to {reference} and saved.")

    def correct_update(self, update_id: int) -> None:
        current = self.window.detail.shown_update(update_id)
        if current is None:
            return
        answer = self.window.prompts.update_correction(current, self.window.agencies)
        if not answer:
            return
        before = {k: getattr(current, k) for k in answer}
        change = Change(review_id=self._review_of(current.item.kind, current.item.id))

        def apply(values: dict[str, Any]) -> Change:
            updates.correct_update(self.sessions, update_id, values)
            return change
        reference = self.window.reference_of(current.item)
        self.editor.run(f"correction of an update on {reference}", lambda: apply(answer), lambda: apply(before))

    # --- the partnership ----------------------------------------------------------------
    def name_partnership(self) -> None:
        """File > Partnership name…: ask, save (undoable), and say so."""
        shown = settings.read_partnership_name(self.sessions)  # the one in use, perhaps its reviews'
        with self.sessions() as session:
            before = settings.stored_partnership_name(session)  # what undo puts back
        answer = self.window.prompts.partnership_name(shown)
        if answer is None or answer == before:
            return

        def named(name: str) -> Callable[[], Change]:
            def apply() -> Change:
                settings.name_partnership(self.sessions, name)
                return Change()
            return apply
        if self.editor.run("partnership name", named(answer), named(before)):
            self.window.show_status(f"The partnership is now named {answer!r}." if answer
                                    else "The partnership's name is cleared.")

    # --- agencies -----------------------------------------------------------------------
    def new_agency(self) -> int | None:
        answer = self.window.prompts.agency_details()
        if not answer:
            return None
        state: dict[str, Any] = {}

        def do() -> Change:
            row = state.get("row")
            state["row"] = agencies.restore_agency(self.sessions, row) if row else \
                agencies.create_agency(self.sessions, **answer)
            return Change(agencies=True, structural=True)

        def undo() -> Change:
            agencies.delete_agency(self.sessions, state["row"].id)
            return Change(agencies=True, structural=True)
        return state["row"].id if self.editor.run(f"new agency {answer['name']}", do, undo) else None

    def new_agency_for_field(self, kind: ItemKind, item_id: int, field: str) -> None:
        agency_id = self.new_agency()
        if agency_id is not None:
            self.edit_field(kind, item_id, field, agency_id)
        else:
            self.window.show_selected()


def _as_move(field: str, value: object) -> Status | Rag | None:
    """A status or RAG chosen in the form, as its member; None for any other field, or none chosen."""
    if field not in ("status", "rag") or value is None:
        return None
    kind = Rag if field == "rag" else Status
    return value if isinstance(value, kind) else kind(str(value))
