"""Email drafts (.eml, RFC 5322, written with the standard `email` package) for a return and its
chasers. `X-Unsent: 1` makes Outlook and Thunderbird open the file as a draft to edit and send
from the lead's own mailbox: SCR Desk never sends anything.

Each draft has a short plain-text body, the same in HTML, and the return attached."""

from __future__ import annotations

import html
from dataclasses import dataclass
from datetime import date
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import SMTP

from scr_desk.domain.dates import format_uk
from scr_desk.domain.wording import count, possessive

__all__ = [
    "Attachment", "NO_PARTNERSHIP", "ReturnLetter", "XLSX_TYPE", "chaser_draft", "no_address_warning", "return_draft",
]


XLSX_TYPE = ("application", "vnd.openxmlformats-officedocument.spreadsheetml.sheet")
NO_PARTNERSHIP = "Safeguarding partnership"


@dataclass(frozen=True)
class ReturnLetter:
    """What a draft says about one return."""

    partnership: str
    agency: str
    contact: str
    emails: tuple[str, ...]
    period: str
    deadline: date
    items: int
    sent_on: date | None = None  # for a chaser: when the return first went
    days_overdue: int = 0


@dataclass(frozen=True)
class Attachment:
    file_name: str
    data: bytes


def return_draft(letter: ReturnLetter, attachment: Attachment) -> bytes:
    """The email that sends a return."""
    subject = f"{_partnership(letter)}: {letter.period} return for {letter.agency}"
    paragraphs = [
        f"Please find attached {possessive(letter.agency)} quarterly return for {letter.period}: "
        f"{count(letter.items, 'open item')} (the recommendations and actions your agency leads or contributes to).",
        f"Please send it back by {format_uk(letter.deadline)}.",
        *_what_to_fill(),
    ]
    return _draft(letter, subject, paragraphs, attachment)


def chaser_draft(letter: ReturnLetter, attachment: Attachment | None) -> bytes:
    """The email that chases a return not yet back, with the same return attached (None: the
    return could not be found or rebuilt, and the text says which one to use instead)."""
    late = letter.days_overdue > 0
    subject = f"{'Overdue' if late else 'Reminder'}: {_partnership(letter)}: {letter.period} return for {letter.agency}"
    sent = f", sent on {format_uk(letter.sent_on)}," if letter.sent_on else ""
    when = (f"was due on {format_uk(letter.deadline)} and has not come back yet ({count(letter.days_overdue, 'day')} "
            "overdue)" if late else f"is due on {format_uk(letter.deadline)}")
    again = ("The same return is attached again: fill in this copy or the one you have, whichever is easier; "
             "both are read the same way." if attachment is not None else
             f"Please use the workbook sent{' on ' + format_uk(letter.sent_on) if letter.sent_on else ''}.")
    paragraphs = [f"A reminder that {possessive(letter.agency)} quarterly return for {letter.period}{sent} {when}.",
                  again,
                  f"It lists {count(letter.items, 'open item')}. " + _what_to_fill()[0]]
    return _draft(letter, subject, paragraphs + _what_to_fill()[1:], attachment)


def _partnership(letter: ReturnLetter) -> str:
    return letter.partnership or NO_PARTNERSHIP


def _what_to_fill() -> list[str]:
    return [
        "On the Returns sheet, fill in the shaded columns of each row: the update for this period, the evidence, "
        "a proposed status and RAG if they have changed, a revised target date only if one has been agreed, and "
        "your name and role under \"Completed by\".",
        "The other columns show the record as it stands: changes to them are not taken. Please keep the file as "
        ".xlsx and send it back as an attachment.",
        "If anything is unclear, reply to this email.",
    ]


def _draft(letter: ReturnLetter, subject: str, paragraphs: list[str], attachment: Attachment | None) -> bytes:
    greeting = f"Dear {letter.contact}," if letter.contact else "Dear colleague,"
    sign_off = ["Kind regards,", _partnership(letter)]
    message = EmailMessage(policy=SMTP)
    message["X-Unsent"] = "1"  # open as a draft to edit and send, in Outlook and Thunderbird alike
    if letter.emails:
        first, *others = letter.emails
        message["To"] = [Address(display_name=letter.contact, addr_spec=first) if letter.contact else
                         Address(addr_spec=first), *(Address(addr_spec=a) for a in others)]
    message["Subject"] = subject
    plain = "\n\n".join([greeting, *paragraphs, "\n".join(sign_off)]) + "\n"
    message.set_content(plain)
    body = "".join(f"<p>{html.escape(p)}</p>\n" for p in [greeting, *paragraphs])
    body += "<p>" + "<br>\n".join(html.escape(line) for line in sign_off) + "</p>\n"
    message.add_alternative(f"<!DOCTYPE html>\n<html><body>\n{body}</body></html>\n", subtype="html")
    if attachment is not None:
        message.add_attachment(attachment.data, maintype=XLSX_TYPE[0], subtype=XLSX_TYPE[1],
                               filename=attachment.file_name)
    return message.as_bytes()


def no_address_warning(agency: str, code: str) -> str:
    return (f"{agency} has no email address: its draft has no recipient (add one with "
            f"`scr-desk agencies edit {code or 'CODE'} --email ADDRESS`, or in Edit > Agencies).")

