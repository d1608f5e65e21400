"""Values as people write them in a hand-made tracker: RAG words, status words, target dates in
every form, periods named in headings, and item numbers. Each reading says what it found and,
when the value cannot be placed, says so instead of raising: a tracker is never refused over a value."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from typing import Any

from scr_desk.domain.dates import DateError, coerce_date, parse_uk_date
from scr_desk.domain.enums import Rag, Status
from scr_desk.domain.rules import Period, period_of

MONTHS = {name: i for i, names in enumerate(
    [("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"), ("may",), ("jun", "june"),
     ("jul", "july"), ("aug", "august"), ("sep", "sept", "september"), ("oct", "october"),
     ("nov", "november"), ("dec", "december")], start=1) for name in names}
MONTH_RE = "|".join(sorted(MONTHS, key=len, reverse=True))


@dataclass(frozen=True)
class Reading:
    """What one value means. `known` is False when nothing could be read from it (kept as text)."""

    known: bool
    rag: Rag | None = None
    status: Status | None = None
    when: date | None = None
    note: str = ""  # words kept beside (or in place of) a date
    warning: str = ""  # a reading worth a second look (a split rating)
    empty: bool = False  # a value that says "nothing here" (N/A, -, TBC in a RAG column)
    partial: bool = False  # read from the words the value starts with; the rest is kept as text
    revised: date | None = None  # '31/03/2026 (revised 31/03/2027)': the date it was moved to
    how: str = ""  # how a date was read, for the account of readings ('month only', 'month first')


def words_of(text: str) -> str:
    """Lower-case words and numbers only ('Not due yet!' -> 'not due yet')."""
    return " ".join(re.sub(r"[^a-z0-9/%]+", " ", str(text).casefold()).split())


RAG_WORDS: dict[str, tuple[Rag | None, Status | None]] = {
    "r": (Rag.RED, None), "red": (Rag.RED, None), "a": (Rag.AMBER, None), "amber": (Rag.AMBER, None),
    "y": (Rag.AMBER, None), "yellow": (Rag.AMBER, None), "g": (Rag.GREEN, None), "green": (Rag.GREEN, None),
    "b": (Rag.BLUE, Status.COMPLETE), "blue": (Rag.BLUE, Status.COMPLETE), "c": (Rag.BLUE, Status.COMPLETE),
    "complete": (Rag.BLUE, Status.COMPLETE), "completed": (Rag.BLUE, Status.COMPLETE),
    "achieved": (Rag.BLUE, Status.COMPLETE), "done": (Rag.BLUE, Status.COMPLETE),
    "closed": (Rag.BLUE, Status.COMPLETE), "delivered": (Rag.BLUE, Status.COMPLETE),
    "fully achieved": (Rag.BLUE, Status.COMPLETE), "fully met": (Rag.BLUE, Status.COMPLETE),
    "implemented": (Rag.BLUE, Status.COMPLETE), "fully implemented": (Rag.BLUE, Status.COMPLETE),
    "on track": (Rag.GREEN, None), "on target": (Rag.GREEN, None), "good progress": (Rag.GREEN, None),
    "off track": (Rag.RED, None), "not on track": (Rag.RED, None), "off target": (Rag.RED, None),
    "behind": (Rag.RED, None), "no progress": (Rag.RED, None), "significant slippage": (Rag.RED, None),
    "at risk": (Rag.AMBER, None), "some slippage": (Rag.AMBER, None), "slippage": (Rag.AMBER, None),
    "limited progress": (Rag.AMBER, None), "some progress": (Rag.AMBER, None), "delayed": (Rag.AMBER, None),
    "not started": (None, Status.NOT_STARTED), "not yet started": (None, Status.NOT_STARTED),
}
NOTHING = {"n/a", "na", "n a", "", "tbc", "tba", "to be confirmed", "none", "nil", "not applicable", "?"}


LEADING_WORDS = re.compile(r"^\s*([A-Za-z][A-Za-z /]{0,24}?)\s*(?:[-–—:;,(.]|\s-\s)\s*\S")


def _leading(value: Any, reader: Any) -> Reading:
    """'Complete – evidence submitted' is read by its first words; the whole is kept as text."""
    match = LEADING_WORDS.match(str(value)) if isinstance(value, str) else None
    if match:
        found = reader(match[1])
        if found.known and not found.empty:
            status = found.status
            if status is None:  # 'Green - On Track': the words after the rating may say the status
                rest = re.sub(r"^[\s\-–—:;,(.]+", "", str(value)[match.end(1):]).strip(" ).")
                said = STATUS_WORDS.get(" ".join(re.sub(r"[^a-z ]+", " ", rest.casefold()).split()))
                status = said
            return Reading(True, rag=found.rag, status=status, warning=found.warning, partial=True)
    return Reading(False)


def read_rag(value: Any, scale: dict[int, Rag] | None = None) -> Reading:
    """'Amber/Green' -> Amber with a warning; 'Complete' -> Blue and Complete; '2' -> by the key;
    'Training delivered (Green)' -> Green, the words kept."""
    if scale is None and _hashable(value):
        return _read_rag_cached(value)
    return _read_rag_whole(value, scale)


@lru_cache(maxsize=4096)
def _read_rag_cached(value: Any) -> Reading:
    return _read_rag_whole(value, None)


def _hashable(value: Any) -> bool:
    return isinstance(value, str | int | float | date | None)


def either_half(value: Any, reader: Any) -> Reading | None:
    """A value written in two languages ('Heb ddechrau / Not started', 'Ambr\nAmber'): the reading of
    the one half that reads, else None (two halves that both read, 'Amber / Green', are no translation)."""
    if not isinstance(value, str):
        return None
    halves = [h.strip() for h in re.split(r"\s+/\s+|\n", value.strip()) if h.strip()]
    if len(halves) != 2:
        return None
    found = [reader(h) for h in halves]
    read = [f for f in found if f.known and not f.empty and (f.rag or f.status)]
    return read[0] if len(read) == 1 else None


def _read_rag_whole(value: Any, scale: dict[int, Rag] | None = None) -> Reading:
    """'Amber/Green' -> Amber with a warning; 'Complete' -> Blue and Complete; '2' -> by the key;
    'Training delivered (Green)' -> Green, the words kept; 'Ambr / Amber' -> Amber."""
    if (half := either_half(value, lambda v: _read_rag(v, scale))) is not None:
        return half
    found = _read_rag(value, scale)
    if not found.known:
        found = _leading(value, lambda v: _read_rag(v, scale))
    if not found.known and isinstance(value, str):
        colours = set(re.findall(r"\b(red|amber|green|blue)\b", value.casefold()))
        if len(colours) == 1:
            rag = Rag(colours.pop().capitalize())
            found = Reading(True, rag=rag, status=Status.COMPLETE if rag is Rag.BLUE else None, partial=True)
    return found


def _read_rag(value: Any, scale: dict[int, Rag] | None = None) -> Reading:
    text = words_of(value)
    if isinstance(value, int | float) and not isinstance(value, bool) or text.isdigit():
        number = int(float(value)) if not text.isdigit() else int(text)
        if scale and number in scale:
            keyed = scale[number]
            return Reading(True, rag=keyed, status=Status.COMPLETE if keyed is Rag.BLUE else None)
        return Reading(False)
    if text in NOTHING or set(str(value).strip()) <= {"-", "–", "—"}:
        return Reading(True, empty=True)
    if text in RAG_WORDS:
        rag, status = RAG_WORDS[text]
        return Reading(True, rag=rag, status=status)
    parts = [p.strip() for p in re.split(r"[/\\]| to |-", text) if p.strip()]
    if len(parts) == 2 and all(p in RAG_WORDS and RAG_WORDS[p][0] for p in parts):
        rags = [one for p in parts if (one := RAG_WORDS[p][0]) is not None]
        order = [Rag.RED, Rag.AMBER, Rag.GREEN, Rag.BLUE]
        worse = min(rags, key=order.index)
        return Reading(True, rag=worse, warning=f"{str(value).strip()!r} is a split rating; "
                                                f"the more cautious {worse.value} was taken")
    return Reading(False)


STATUS_WORDS: dict[str, Status] = {
    # the words of safeguarding trackers, and of audit, inspection and improvement plans
    "achieved": Status.COMPLETE, "fully achieved": Status.COMPLETE, "fully met": Status.COMPLETE,
    "met": Status.COMPLETE, "complete": Status.COMPLETE, "completed": Status.COMPLETE, "done": Status.COMPLETE,
    "closed": Status.COMPLETE, "finished": Status.COMPLETE, "delivered": Status.COMPLETE,
    "implemented": Status.COMPLETE, "fully implemented": Status.COMPLETE, "actioned": Status.COMPLETE,
    "signed off": Status.COMPLETE, "evidenced": Status.COMPLETE, "assured": Status.COMPLETE,
    "compliant": Status.COMPLETE, "discharged": Status.COMPLETE, "resolved": Status.COMPLETE,
    "partially met": Status.IN_PROGRESS, "partially achieved": Status.IN_PROGRESS,
    "partially implemented": Status.IN_PROGRESS, "partially compliant": Status.IN_PROGRESS,
    "substantially met": Status.IN_PROGRESS, "ongoing": Status.IN_PROGRESS, "on going": Status.IN_PROGRESS,
    "underway": Status.IN_PROGRESS, "under way": Status.IN_PROGRESS, "in progress": Status.IN_PROGRESS,
    "in hand": Status.IN_PROGRESS, "progressing": Status.IN_PROGRESS, "work in progress": Status.IN_PROGRESS,
    "wip": Status.IN_PROGRESS, "on track": Status.IN_PROGRESS, "on target": Status.IN_PROGRESS,
    "open": Status.IN_PROGRESS, "started": Status.IN_PROGRESS, "overdue": Status.IN_PROGRESS,
    "off track": Status.IN_PROGRESS, "not on track": Status.IN_PROGRESS, "delayed": Status.IN_PROGRESS,
    "at risk": Status.IN_PROGRESS, "slipped": Status.IN_PROGRESS, "outstanding": Status.IN_PROGRESS,
    "escalated": Status.IN_PROGRESS, "live": Status.IN_PROGRESS, "active": Status.IN_PROGRESS,
    "not yet started": Status.NOT_STARTED, "not started": Status.NOT_STARTED, "not met": Status.NOT_STARTED,
    "not achieved": Status.NOT_STARTED, "not implemented": Status.NOT_STARTED, "not yet due": Status.NOT_STARTED,
    "not due": Status.NOT_STARTED, "planned": Status.NOT_STARTED, "scoping": Status.NOT_STARTED,
    "non compliant": Status.NOT_STARTED, "to do": Status.NOT_STARTED, "future": Status.NOT_STARTED,
    "paused": Status.ON_HOLD, "deferred": Status.ON_HOLD, "on hold": Status.ON_HOLD, "postponed": Status.ON_HOLD,
    "blocked": Status.ON_HOLD, "suspended": Status.ON_HOLD,
    "superseded": Status.SUPERSEDED, "merged": Status.SUPERSEDED, "replaced": Status.SUPERSEDED,
    "withdrawn": Status.WITHDRAWN, "not accepted": Status.WITHDRAWN, "cancelled": Status.WITHDRAWN,
    "canceled": Status.WITHDRAWN, "no longer required": Status.WITHDRAWN, "not required": Status.WITHDRAWN,
    "rejected": Status.WITHDRAWN, "embedded": Status.EMBEDDED, "business as usual": Status.EMBEDDED,
    "bau": Status.EMBEDDED, "mainstreamed": Status.EMBEDDED,
}


def read_status(value: Any) -> Reading:
    """Status words to our statuses; never Assured, which is the panel's to give."""
    return _read_status_cached(value) if _hashable(value) else _read_status_whole(value)


@lru_cache(maxsize=4096)
def _read_status_cached(value: Any) -> Reading:
    return _read_status_whole(value)


def _read_status_whole(value: Any) -> Reading:
    """Status words to our statuses; never Assured, which is the panel's to give."""
    if (half := either_half(value, _read_status)) is not None:
        return half  # 'Heb ddechrau / Not started': either half of a bilingual value
    found = _read_status(value)
    if found.known:
        return found
    leading = _leading(value, _read_status)  # 'Amber – slipped': the rating its first word gives
    said, _ = status_in_phrase(words_of(value))
    if said is None:
        return leading
    return Reading(True, rag=leading.rag, status=said, warning=leading.warning, partial=True)


def _read_status(value: Any) -> Reading:
    text = words_of(value)
    if text in NOTHING or set(str(value).strip()) <= {"-", "–", "—"}:
        return Reading(True, empty=True)
    if text in STATUS_WORDS:
        return Reading(True, status=STATUS_WORDS[text])
    rag = _read_rag(value)  # a RAG word typed in the status column
    if rag.known and (rag.rag or rag.status):
        return rag
    return Reading(False)


# outcomes that say more than 'closed' or 'open' does
SPECIFIC = (Status.SUPERSEDED, Status.WITHDRAWN, Status.ON_HOLD, Status.EMBEDDED)
NOT_YET = re.compile(r"\b(not|no|never|yet to be|to be|awaiting|pending|un)\s*$")
PART = re.compile(r"\b(partially|partly|nearly|almost|mostly|substantially|largely)\s*$")
LONGEST_FIRST = sorted(STATUS_WORDS, key=lambda w: -len(w.split()))


def status_in_phrase(text: str) -> tuple[Status | None, float]:
    """The status a short phrase says in its own words ('Not due yet', 'Closed - superseded by new
    plan'): its status words wherever they stand, the longest first ('not started' before
    'started'); words after 'not', 'awaiting' or 'to be' say what has not happened, 'partly' makes
    it work in progress; a specific outcome (superseded, withdrawn, on hold) outranks 'closed'.
    With the share of the phrase's words that are status words."""
    words = text.split()
    if not words or len(words) > 8:
        return None, 0.0
    padded = f" {text} "
    used = [False] * len(padded)
    found: list[tuple[int, Status]] = []
    for phrase in LONGEST_FIRST:
        for match in re.finditer(rf"(?<= ){re.escape(phrase)}(?= )", padded):
            if any(used[match.start():match.end()]):
                continue
            used[match.start():match.end()] = [True] * (match.end() - match.start())
            before = padded[:match.start()]
            if NOT_YET.search(before):
                continue
            status = Status.IN_PROGRESS if PART.search(before) else STATUS_WORDS[phrase]
            found.append((match.start(), status))
    if not found:
        return None, 0.0
    found.sort()
    share = sum(1 for i, c in enumerate(padded) if used[i] and c != " " and padded[i - 1] == " ") / len(words)
    return next((s for _, s in found if s in SPECIFIC), found[0][1]), share


NOT_A_DATE = re.compile(r"^(ongoing|on going|tbc|tba|to be (confirmed|agreed|determined)|immediate(ly)?|n/?a|"
                        r"asap|continuous|as required|annual(ly)?|quarterly|monthly|rolling|not applicable|"
                        r"\d+ (months?|weeks?|years?) .*|quarterly .*|from .*|by .*publication.*|.*ongoing.*)$")


def fiscal_year_in(text: str) -> int | None:
    """'2026/27', '2026-27', '2026-2027' -> 2026 (the April it starts); None when not named."""
    for match in re.finditer(r"\b(20\d\d)\s*[/-]\s*(\d\d|20\d\d)\b", str(text)):
        start, end = int(match[1]), match[2]
        if (int(end) == start + 1) if len(end) == 4 else (int(end) == (start + 1) % 100):
            return start
    short = re.search(r"\b(\d\d)\s*/\s*(\d\d)\b", str(text))
    if short and int(short[2]) == (int(short[1]) + 1) % 100:
        return 2000 + int(short[1])
    return None


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _year(text: str) -> int:
    return 2000 + int(text) if len(text) == 2 else int(text)


def read_target(value: Any, *, date1904: bool, fiscal_year: int | None) -> Reading:
    """A target as written (see _read_target); read once per distinct value."""
    if _hashable(value):
        return _read_target_cached(value, date1904, fiscal_year)
    return _read_target(value, date1904=date1904, fiscal_year=fiscal_year)


@lru_cache(maxsize=8192)
def _read_target_cached(value: Any, date1904: bool, fiscal_year: int | None) -> Reading:
    return _read_target(value, date1904=date1904, fiscal_year=fiscal_year)


def _read_target(value: Any, *, date1904: bool, fiscal_year: int | None) -> Reading:
    """A target as written: a date; a month (its last day, 'month only'); a financial-year quarter
    (its last day); 'End of year'; or words kept as a note. Unknown when impossible or ambiguous."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return Reading(True, empty=True)
    if isinstance(value, datetime | date) or (isinstance(value, int | float) and not isinstance(value, bool)):
        try:
            return Reading(True, when=coerce_date(value, epoch_1904=date1904))
        except (DateError, OverflowError, ValueError):
            return Reading(False)
    raw = " ".join(str(value).split())
    raw = re.sub(r"^(\d{1,2}[/.\-]\d{1,2}[/.\-]\d{2,4}|\d{4}-\d\d-\d\d)[ T]\d{1,2}:\d\d(:\d\d(?:\.\d+)?)?"
                 r"(?:Z|[+-]\d\d:?\d\d)?$", r"\1", raw)  # a system's timestamp: its day
    text = raw.casefold().strip(" .")
    bare = re.sub(r"^(by|before|due|due by|no later than|deadline|target|complete by|completed by)\s*:?\s+", "", text)
    for candidate in dict.fromkeys((raw, bare)):
        try:
            return Reading(True, when=coerce_date(candidate, epoch_1904=date1904))
        except DateError:
            pass
    if match := re.fullmatch(rf"({MONTH_RE})\.? (\d{{1,2}})(?:st|nd|rd|th)?,? (\d{{4}})", bare):
        try:
            return Reading(True, when=date(int(match[3]), MONTHS[match[1]], int(match[2])))
        except ValueError:
            return Reading(False)
    text = bare
    if match := re.fullmatch(rf"(?:end of |by |end )?({MONTH_RE})\.?[\s\-/']*(\d{{4}}|\d{{2}})", text):
        return Reading(True, when=_month_end(_year(match[2]), MONTHS[match[1]]), note="month only",
                       how="month only")
    if match := re.fullmatch(r"(?:end of |by (?:the )?end of |by )?q(?:uarter)?\s*([1-4])\s*(?:of )?(.*)", text):
        start = fiscal_year_in(match[2]) if match[2] else fiscal_year
        if start is None and (year := re.fullmatch(r"(20\d\d)", match[2].strip())):
            start = int(year[1])
        if start is not None:
            return Reading(True, when=Period(start, int(match[1])).last_day, how="end of the quarter")
        return Reading(False)
    if re.fullmatch(r"(by )?(the )?end of (the )?(financial )?year", text):
        if fiscal_year is not None:
            return Reading(True, when=date(fiscal_year + 1, 3, 31), how="end of the financial year")
        return Reading(False)
    tokens = re.findall(r"\b\d{1,2}[/.\-]\d{1,2}[/.\-]\d{2,4}\b", text)
    if tokens:
        days = [_one_reading(token) for token in tokens]
        if days[0] is None:
            return Reading(False)  # a date that is impossible or truly ambiguous: asked, never guessed
        first, how = days[0]
        if len(tokens) == 1 and tokens[0] == text:
            return Reading(True, when=first, how=how)
        later = [d[0] for d in days[1:] if d is not None]
        if later and REVISION.search(text):  # '31/03/2026 (revised 31/03/2027)': moved to the last date
            return Reading(True, when=first, revised=later[-1], note=raw, how="revised")
        return Reading(True, when=first, note=raw, how=how)  # '31/03/2027 (revised from Dec)': the words kept
    if re.fullmatch(r"\d+", text):
        return Reading(False)
    return Reading(True, note=raw)  # words in place of a date: kept as the item's target note


REVISION = re.compile(r"\b(rev|revised|extended|moved|new|now|changed|amended|rescheduled|deferred|then)\b")


def _one_reading(token: str) -> tuple[date, str] | None:
    """A numeric date as the UK writes it; a date only month-first can make sense of ('12/31/2026')
    is read that way, as it has no other reading; an impossible one is None."""
    try:
        return parse_uk_date(token), ""
    except DateError:
        pass
    match = re.fullmatch(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2,4})", token)
    if match and int(match[1]) <= 12 < int(match[2]):
        try:
            return date(_year(match[3]), int(match[1]), int(match[2])), "month first, its only possible reading"
        except ValueError:
            return None
    return None


def heading_period(text: str, fiscal_year: int | None) -> tuple[Period | None, date | None]:
    """The reporting period a column heading names, and the day it names if any:
    'Update Q1 26/27' -> 2026-27 Q1; 'Progress presented to Committee Dec 2017' -> 2017-18 Q3."""
    lowered = text.casefold()
    match = re.search(r"\b(\d{1,2})[/.](\d{1,2})[/.](\d{2,4})\b", lowered)
    if match:
        try:
            day = date(_year(match[3]), int(match[2]), int(match[1]))
            return period_of(day), day
        except ValueError:
            pass
    quarter = re.search(r"\b(?:q|quarter\s*)([1-4])\b", lowered)
    if quarter:
        start = fiscal_year_in(lowered) or fiscal_year
        if start is None and (year := re.search(r"\b(20\d\d)\b", lowered)):
            start = int(year[1])
        return (Period(start, int(quarter[1])), None) if start is not None else (None, None)
    month = re.search(rf"\b({MONTH_RE})\.?[\s\-/']*(\d{{4}}|\d{{2}})\b", lowered)
    if month:
        day = _month_end(_year(month[2]), MONTHS[month[1]])
        return period_of(day), day
    return None, None
