"""Return workbooks for partner agencies: which items each agency reports on, and the files."""

from __future__ import annotations

import uuid
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

from sqlalchemy import ColumnElement, and_, func, not_, or_, select
from sqlalchemy.orm import InstrumentedAttribute, Session, sessionmaker

from scr_desk import __version__
from scr_desk.db.models import Action, Agency, AppMeta, Recommendation, Review, Update, recommendation_contributor
from scr_desk.db.portable import in_code_order, like_exactly
from scr_desk.domain.enums import AGENCY_STATUSES, RAG_DESCRIPTIONS, STATUS_DESCRIPTIONS, ItemKind, Status
from scr_desk.domain.rules import (
    ReturnDatesError,
    action_reference,
    check_return_dates,
    effective_target,
    parse_period,
    period_of,
    recommendation_reference,
    shown_rag,
)
from scr_desk.domain.update_words import MADE_BY_SCR_DESK_LIKE
from scr_desk.excel.layout import ReturnHeader, ReturnItem, return_file_name, return_key
from scr_desk.services.agencies import find_agency
from scr_desk.services.errors import ServiceError, ValidationError
from scr_desk.services.files import write_atomically
from scr_desk.services.return_record import record_export, signature, signed_by
from scr_desk.services.settings import partnership_name

__all__ = [
    "ExportResult", "OPEN_STATUSES", "Progress", "ReturnNotWritten", "ReturnsBatch", "agencies_with_open_items",
    "build_return_items", "check_workbook", "checked_period", "database_uid", "default_deadline", "default_period",
    "export_return", "export_returns", "return_header",
]


Progress = Callable[[int, int, str], None]
OPEN_STATUSES = [s for s in Status if not s.is_closed]


@dataclass(frozen=True)
class ExportResult:
    path: Path
    rows: int
    warnings: tuple[str, ...] = ()
    agency: str = ""
    export_id: str = ""  # a return's: the record of what was sent


def default_period(today: date | None = None) -> str:
    return str(period_of(today or date.today()))


def default_deadline(period: str) -> date:
    """Two weeks after the quarter ends: the usual return date."""
    return parse_period(period).last_day + timedelta(days=14)


def checked_period(period: str, deadline: date | None) -> str:
    """The period as written in returns ("2020-21 Q3"), once it and the deadline are shown to be
    meant (within 2000-2100, the deadline not before the period begins); ValidationError if not."""
    try:
        parsed = parse_period(period)
        check_return_dates(parsed, deadline)
    except ReturnDatesError as exc:
        raise ValidationError(exc.field.capitalize(), str(exc)) from None
    except ValueError as exc:
        raise ValidationError("Period", str(exc)) from None
    return str(parsed)


def database_uid(session: Session) -> str:
    return session.scalar(select(AppMeta.value).where(AppMeta.key == "database_uid")) or ""


def _agency_scope(agency_id: int) -> tuple[ColumnElement[bool], ColumnElement[bool]]:
    contributes = select(recommendation_contributor.c.recommendation_id).where(
        recommendation_contributor.c.agency_id == agency_id)
    led_or_contributed = or_(Recommendation.lead_agency_id == agency_id, Recommendation.id.in_(contributes))
    owned = or_(Action.owner_agency_id == agency_id,
                (Action.owner_agency_id.is_(None)) & (Recommendation.lead_agency_id == agency_id))
    return led_or_contributed, owned


def agencies_with_open_items(sessions: sessionmaker[Session]) -> list[tuple[int, str, str, int]]:
    """(id, name, code, open items) for every agency, those with open items first."""
    with sessions() as session:
        result = []
        for agency in session.scalars(select(Agency).order_by(in_code_order(Agency.name))):
            led, owned = _agency_scope(agency.id)
            recs = session.scalar(select(func.count()).select_from(Recommendation).where(
                led, Recommendation.status.in_(OPEN_STATUSES))) or 0
            acts = session.scalar(select(func.count()).select_from(Action).join(Recommendation).where(
                owned, Action.status.in_(OPEN_STATUSES))) or 0
            result.append((agency.id, agency.name, agency.code, recs + acts))
        return sorted(result, key=lambda r: (r[3] == 0, r[1].casefold()))


def _latest_updates(session: Session, column: InstrumentedAttribute[int | None],
                    ids: Sequence[int]) -> dict[int, Update]:
    """Each item's last update a person wrote: never an empty one, nor a sentence SCR Desk wrote
    itself ("RAG changed from Amber to Red in the detail form.")."""
    if not ids:
        return {}
    written = and_(Update.narrative != "", *(not_(like_exactly(Update.narrative, p)) for p in MADE_BY_SCR_DESK_LIKE))
    ranked = select(Update.id, func.row_number().over(
        partition_by=column, order_by=(Update.as_at.desc(), Update.id.desc())).label("rank")).where(
        column.in_(ids), written).subquery()
    latest = select(Update).join(ranked, ranked.c.id == Update.id).where(ranked.c.rank == 1)
    return {getattr(u, column.key): u for u in session.scalars(latest)}


def build_return_items(session: Session, agency_id: int) -> list[ReturnItem]:
    led, owned = _agency_scope(agency_id)
    names = dict(session.execute(select(Agency.id, Agency.name)).all())
    reviews = {r.id: r for r in session.scalars(select(Review))}
    recs = list(session.scalars(select(Recommendation).where(led, Recommendation.status.in_(OPEN_STATUSES))))
    actions = list(session.scalars(select(Action).join(Recommendation).where(owned, Action.status.in_(OPEN_STATUSES))))
    parents = {r.id: r for r in session.scalars(select(Recommendation).where(
        Recommendation.id.in_({a.recommendation_id for a in actions} | {r.id for r in recs})))}
    rec_updates = _latest_updates(session, Update.recommendation_id, [r.id for r in recs])
    act_updates = _latest_updates(session, Update.action_id, [a.id for a in actions])
    items: list[tuple[tuple[int, ...], ReturnItem]] = []
    for rec in recs:
        review = reviews[rec.review_id]
        items.append(((review.position, review.id, rec.position, 0), _return_item(
            rec, review, rec, rec_updates.get(rec.id), names, key=return_key(ItemKind.RECOMMENDATION, rec.uid),
            reference=recommendation_reference(review.code, rec.number), action_text="",
            owner=names.get(rec.lead_agency_id or 0, ""))))
    for action in actions:
        rec = parents[action.recommendation_id]
        review = reviews[rec.review_id]
        owner = " · ".join(x for x in (names.get(action.owner_agency_id or 0, ""), action.owner_name) if x)
        items.append(((review.position, review.id, rec.position, action.position), _return_item(
            action, review, rec, act_updates.get(action.id), names, key=return_key(ItemKind.ACTION, action.uid),
            reference=action_reference(review.code, rec.number, action.number), action_text=action.text,
            owner=owner)))
    return [item for _, item in sorted(items, key=lambda pair: pair[0])]


def _return_item(item: Recommendation | Action, review: Review, rec: Recommendation, last: Update | None,
                 names: dict[int, str], *, key: str, reference: str, action_text: str, owner: str) -> ReturnItem:
    """One row of a return: the item as it stands, with its recommendation and the last update a
    person wrote, signed with its author and agency."""
    rag = shown_rag(item.status, item.rag)
    target = effective_target(item.target_date, item.revised_target_date)
    return ReturnItem(
        key=key, version=item.version, reference=reference, review=review.name, rec_number=rec.number,
        rec_text=rec.text, action_text=action_text, owner=owner,
        target=target, target_note=item.target_note if target is None else "",
        status=item.status.value, rag=rag.value if rag else "",
        last_update_date=last.as_at if last else None, last_update=_signed(last, names) if last else "")


def _signed(update: Update, names: dict[int, str]) -> str:
    """"Training delivered to 40 staff. (J Smith, Hampshire Constabulary)": who wrote it, beside
    the date in its own column."""
    by = ", ".join(x for x in (update.author.strip(), names.get(update.agency_id or 0, "")) if x)
    return f"{update.narrative.strip()} ({by})" if by else update.narrative.strip()


def return_header(session: Session, export_id: str, partnership: str, agency_name: str, period: str,
                  deadline: date, exported_at: datetime, app_version: str) -> ReturnHeader:
    """A return's cover: the same for the workbook first written and for one rebuilt from the
    record (the signature is worked out again from the export id: it is the same)."""
    return ReturnHeader(
        export_id=export_id, signature=signature(session, export_id), partnership=partnership,
        agency_name=agency_name, period=period, deadline=deadline, exported_at=exported_at, app_version=app_version,
        statuses=tuple((s.value, STATUS_DESCRIPTIONS[s]) for s in AGENCY_STATUSES),
        rags=tuple((r.value, d) for r, d in RAG_DESCRIPTIONS.items()), **signed_by(session))


def _agency(session: Session, agency: int | str) -> Agency:
    found = session.get(Agency, agency) if isinstance(agency, int) else find_agency(session, agency)
    if found is None:
        known = ", ".join(session.scalars(select(Agency.name).order_by(in_code_order(Agency.name))))
        raise ServiceError(f"There is no agency called {agency!r}; the agencies are: {known or 'none yet'}.")
    return found


def export_return(sessions: sessionmaker[Session], agency: int | str, out: Path, *, period: str | None = None,
                  deadline: date | None = None, progress: Progress | None = None) -> ExportResult:
    """Write one agency's return workbook to `out` (atomically: never a half-written file), and
    record in the database what was sent, which is what its import will be checked against."""
    from scr_desk.excel.return_writer import write_return  # openpyxl loads only when a workbook is made

    period = checked_period(period or default_period(), deadline)
    export_id = uuid.uuid4().hex
    with sessions() as session:
        found = _agency(session, agency)
        agency_id, name = found.id, found.name
        items = build_return_items(session, found.id)
        header = return_header(session, export_id, partnership_name(session), found.name, period,
                               deadline or default_deadline(period), datetime.now().replace(microsecond=0),
                               __version__)

    def write(temp: Path) -> list[str]:
        from scr_desk.services.export_temp import private_scratch
        with private_scratch():  # openpyxl's scratch files stay in the private data folder
            warnings = write_return(temp, header, items,
                                    (lambda done, total: progress(done, total, name)) if progress else None)
        check_workbook(temp)
        # Recorded only once the workbook is written and sound, and before it takes its name.
        with sessions.begin() as session:
            sent_to = session.get(Agency, agency_id)
            if sent_to is None:
                raise ServiceError(f"{name} was deleted while its return was being written; nothing was sent.")
            record_export(session, header, sent_to, Path(out).resolve(), items)
        return warnings
    warnings = write_atomically(Path(out), write, for_others=True)  # sent to a partner: openable on a shared drive
    return ExportResult(Path(out), len(items), tuple(warnings), name, export_id)


@dataclass(frozen=True)
class ReturnNotWritten:
    agency: str
    path: Path
    reason: str


class ReturnsBatch(list[ExportResult]):
    """The returns written (the list itself) and those that were not, each with why."""

    def __init__(self) -> None:
        super().__init__()
        self.failed: list[ReturnNotWritten] = []


def export_returns(sessions: sessionmaker[Session], folder: Path, agency_ids: Sequence[int], *, period: str,
                   deadline: date, progress: Progress | None = None,
                   cancelled: Callable[[], bool] | None = None) -> ReturnsBatch:
    """One return per agency into `folder`, each under its own name (two agencies never share a
    file); one return that cannot be written does not stop the others. Stops cleanly when
    cancelled."""
    from scr_desk.domain.errors import ScrDeskError
    from scr_desk.excel.layout import unique_file_names
    period = checked_period(period, deadline)  # once, before any file: the same slip would fail every return
    folder.mkdir(parents=True, exist_ok=True)
    results = ReturnsBatch()
    with sessions() as session:
        chosen = session.scalars(select(Agency).where(Agency.id.in_(agency_ids)))
        agencies = sorted(((a.id, a.name, a.code) for a in chosen), key=lambda a: a[1].casefold())
    names = unique_file_names([return_file_name(period, code, name) for _, name, code in agencies])
    for done, ((agency_id, name, _code), file_name) in enumerate(zip(agencies, names, strict=True)):
        if cancelled and cancelled():
            break
        if progress:
            progress(done, len(agencies), name)
        try:
            results.append(export_return(sessions, agency_id, folder / file_name, period=period, deadline=deadline))
        except (ScrDeskError, OSError) as exc:
            reason = str(exc) if isinstance(exc, ScrDeskError) else _file_error(exc, folder / file_name)
            results.failed.append(ReturnNotWritten(name, folder / file_name, reason))
    if progress:
        progress(len(results) + len(results.failed), len(agencies), "")
    return results


def _file_error(error: OSError, path: Path) -> str:
    from scr_desk.db.errors import describe_file_error
    return describe_file_error(error, path)


def check_workbook(path: Path) -> None:
    """A written workbook must at least be a sound zip before it replaces anything."""
    try:
        with zipfile.ZipFile(path) as archive:
            bad = archive.testzip()
    except zipfile.BadZipFile as exc:
        raise ServiceError(f"{path.name}: the workbook written is not readable ({exc}); "
                           "nothing was replaced.") from None
    if bad is not None:
        raise ServiceError(f"{path.name}: the workbook written is damaged ({bad}); nothing was replaced.")
