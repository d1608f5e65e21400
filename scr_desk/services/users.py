"""The people who change the record, and the names shown for them (`scr-desk users`).

The audit trail records each change's author as the database knows them: on a server the role
that connected (`session_user`: the server vouches for it), on a file the computer's login name.
A display name kept in the database ("Jo Bloggs, business manager" for the role `jbloggs`) is
what the window, the command line and reports show beside or instead of that name.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from scr_desk.db.models import AuditEntry, TeamMember
from scr_desk.services import audit, fields
from scr_desk.services.errors import ValidationError

__all__ = [
    "DISPLAY_NAME_LENGTH", "LOGIN_LENGTH", "UserRow", "display_names", "list_users", "me", "set_display_name",
    "shown_name",
]


DISPLAY_NAME_LENGTH = 200
LOGIN_LENGTH = 100
_display_name = fields.text("Display name", max_length=DISPLAY_NAME_LENGTH)


@dataclass(frozen=True)
class UserRow:
    login: str  # the role (or login name) the audit trail records
    display_name: str  # "" when none is kept
    changes: int  # audit entries made under this login
    last_change: datetime | None

    @property
    def shown(self) -> str:
        return self.display_name or self.login


def list_users(sessions: sessionmaker[Session]) -> list[UserRow]:
    """Everyone with a display name or a change to their name, by login."""
    with sessions() as session:
        names = dict(session.execute(select(TeamMember.login, TeamMember.display_name)).all())
        activity = {login: (count, last) for login, count, last in session.execute(
            select(AuditEntry.user, func.count(), func.max(AuditEntry.at)).group_by(AuditEntry.user))
            if login}
    logins = sorted(set(names) | set(activity), key=lambda login: (login.casefold(), login))
    return [UserRow(login, names.get(login, ""), *activity.get(login, (0, None))) for login in logins]


def display_names(session: Session) -> dict[str, str]:
    """login -> display name, for the logins that have one."""
    return {login: name for login, name in session.execute(
        select(TeamMember.login, TeamMember.display_name)) if name}


def shown_name(session: Session, login: str) -> str:
    """How a change's author is shown: 'Jo Bloggs (jbloggs)' when a display name is kept."""
    name = display_names(session).get(login, "") if login else ""
    return f"{name} ({login})" if name and name != login else login


def me(sessions: sessionmaker[Session]) -> UserRow:
    """The person this connection changes the record as."""
    with sessions() as session:
        login = audit.current_user(session)
    return next((row for row in list_users(sessions) if row.login == login), UserRow(login, "", 0, None))


def set_display_name(sessions: sessionmaker[Session], login: str, name: object) -> tuple[str, str]:
    """Keep `name` as `login`'s display name (empty: none); audited. Returns (before, after)."""
    login = login.strip()
    if not login:
        raise ValidationError("Login", "name the role (or login) whose display name this is")
    if len(login) > LOGIN_LENGTH:
        raise ValidationError("Login", f"must be at most {LOGIN_LENGTH} characters")
    with sessions.begin() as session:
        clean = str(_display_name(session, name) or "")
        member = session.scalar(select(TeamMember).where(TeamMember.login == login))
        before = member.display_name if member is not None else ""
        if before == clean:
            return before, clean
        if member is None:
            member = TeamMember(login=login, display_name=clean)
            session.add(member)
            session.flush()
        else:
            member.display_name = clean
        audit.record(session, "team_member", member.uid, "changed", field="display_name", old=before, new=clean)
    return before, clean
