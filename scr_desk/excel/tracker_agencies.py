"""Who a 'lead' cell names: one agency, several (the first leads, the rest contribute), an agency
and a post within it ('Fernley Community Health – Head of Nursing'), a person, a post ('SAB Chair /
DASS') or initials. An organisation is told from a person by more than a surname pattern: its words
(Council, Trust, Police, ICB…), an acronym, a post's words, a title, initials."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from scr_desk.excel.tracker_naming import ROLE_WORDS, is_no_agency, looks_like_agency, looks_like_person

STRONG = re.compile(r"\s*(?:;|\n|/|\+|,)\s*")  # separators that always part two names
WEAK = re.compile(r"\s+(?:&|and)\s+", re.IGNORECASE)  # 'Fire & Rescue Service' is one name
POST = re.compile(r"^(?P<agency>.+?)\s*(?:[–—:(]|\s-\s)\s*(?P<post>[^–—:()]+?)\)?$")
INITIALS = re.compile(r"^[A-Z]{2,3}(?:\s*[/,&]\s*[A-Z]{2,3})*$")
ACRONYM = re.compile(r"^[A-Z][A-Z&]{1,7}$")
HEAD_NOUN = re.compile(r"\b(council|trust|police|constabulary|services?|team|unit|board|partnership|authority|icb|ccg|"
                       r"hospitals?|academy|schools?|college|department|directorate|group|hub|panel|practices?|agency|"
                       r"care|health|housing|education|homes|ft|nhs|probation|cafcass|office|mash|centre|center|"
                       r"network|forum|provider|providers|commissioning|gp|gps|ltd|limited|charity|society)\W*$",
                       re.IGNORECASE)


@dataclass
class Named:
    agencies: list[str] = field(default_factory=list)  # the lead first
    owner: str = ""  # a person or post
    split: bool = False  # one cell named several agencies
    kept: str = ""  # words that name no one ('All agencies (via CSP)'), kept as text


def is_person_or_post(text: str) -> bool:
    """A person ('J Watkins', 'Dr R. Mensah') or a post ('Named Nurse', 'SAB Business Manager'): a
    post's words make it a post unless it ends in what names a body ('SAB Business Unit')."""
    text = " ".join(text.split())
    if looks_like_person(text):
        return True
    return bool(ROLE_WORDS.search(text)) and not HEAD_NOUN.search(text)


def stands_alone(text: str) -> bool:
    """A name that is whole on its own: it ends in a body's noun or is an acronym."""
    return bool(HEAD_NOUN.search(text) or ACRONYM.match(text.split()[-1] if text.split() else ""))


@lru_cache(maxsize=8192)
def read_lead(text: str, *, agency_column: bool) -> Named:
    """What a lead agency (`agency_column`) or owner cell names."""
    text = " ".join(str(text).replace("\n", " / ").split()).strip(" ,;")
    if not text:
        return Named()
    if is_no_agency(text) or re.match(r"(?i)^all\b", text):
        return Named(kept=text)
    if match := POST.match(text):  # 'Agency – Head of Nursing'
        agency, post = match["agency"].strip(), match["post"].strip()
        if looks_like_agency(agency) and not is_person_or_post(agency) and is_person_or_post(post):
            return Named([agency], post)
    if not agency_column:  # an owner column: people and posts, initials; an agency only by its words
        if is_person_or_post(text) or INITIALS.match(text) or not looks_like_agency(text):
            return Named(owner=text)
    elif is_person_or_post(text):
        return Named(owner=text)
    parts = _split(text)
    if len(parts) > 1:
        agencies = [p for p in parts if not is_person_or_post(p)]
        owners = [p for p in parts if is_person_or_post(p)]
        if agencies and all(looks_like_agency(p) or ACRONYM.match(p) for p in agencies):
            return Named(agencies, " / ".join(owners), split=len(agencies) > 1)
    return Named([text])


def parts_at_separators(text: str) -> list[str]:
    """A cell read as one agency, split at every separator it has (';', '/', ',', new lines, '&',
    'and'): the split the lead may choose instead ('Fennimoor and Brantwick ICB' as two bodies)."""
    pieces = [q.strip() for p in STRONG.split(text) for q in WEAK.split(p)]
    return [q for q in pieces if q]


def _split(text: str) -> list[str]:
    """The names in a cell: split at ';' '/' ',' and new lines, and at 'and' or '&' only where each
    side stands alone ('Corrowdale Council ASC and CSC' is two, 'Fennimoor and Brantwick ICB' one); a
    bare acronym after a named body shares its place name."""
    found: list[str] = []
    for part in (p for p in STRONG.split(text) if p):
        pieces = [q for q in WEAK.split(part) if q]
        if len(pieces) > 1 and all(stands_alone(q) for q in pieces):
            found += pieces
        else:
            found.append(part)
    named: list[str] = []
    for part in found:
        if named and ACRONYM.match(part) and len(named[-1].split()) > 1 and ACRONYM.match(named[-1].split()[-1]):
            part = " ".join(named[-1].split()[:-1] + [part])
        named.append(part)
    return named
