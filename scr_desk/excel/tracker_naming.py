"""Names in a tracker: which review a sheet, a title line, a section header or the file name
names, the review's type, and whether a 'lead' is an agency or an officer. Never cuts a name."""

from __future__ import annotations

import re

TYPE_PHRASES = re.compile(
    r"\b(serious case reviews?|safeguarding adults? reviews?|domestic homicide reviews?|local child safeguarding "
    r"practice reviews?|child safeguarding practice reviews?|rapid reviews?|sar in rapid time|scrs?|lcsprs?|cspr|"
    r"sars?|dhrs?|sarrt)\b", re.IGNORECASE)
NOISE = re.compile(r"\b(action plans?|tracker|tracking|recommendations?|progress|updates?|monitoring|multi[- ]agency|"
                   r"learning|report|appendix|annex|table|sheet|copy|final|draft|v\d+|version|q[1-4]|quarter \d|"
                   r"\d{4}\s*[/-]\s*\d{2,4}|\d{2}\s*/\s*\d{2}|20\d\d|and|plans?|the|of|for|review|reviews|data|"
                   r"main|summary|actions?|overview|all|csv|from|in|into|regarding|arising|concerning|"
                   r"relating to|improvement|implementation|delivery|development|assurance|performance|"
                   r"strategic|operational|programme|register|log)\b", re.IGNORECASE)
PARTNERSHIP = re.compile(r"\b(partnership|board|council|borough|county|safeguarding children|safeguarding adults"
                         r"|community safety|lscp|lscb|sab|csp|city of|metropolitan)\b", re.IGNORECASE)
TYPES = [("domestic homicide", "Domestic Homicide Review"), ("dhr", "Domestic Homicide Review"),
         ("dhrs", "Domestic Homicide Review"), ("rapid time", "SAR in Rapid Time"), ("sarrt", "SAR in Rapid Time"),
         ("safeguarding adult", "Safeguarding Adults Review"),
         ("safeguarding adults review", "Safeguarding Adults Review"),
         ("sar", "Safeguarding Adults Review"), ("sars", "Safeguarding Adults Review"),
         ("lcspr", "Local Child Safeguarding Practice Review"), ("cspr", "Local Child Safeguarding Practice Review"),
         ("practice review", "Local Child Safeguarding Practice Review"), ("rapid review", "Rapid Review"),
         ("serious case", "Serious Case Review"), ("scr", "Serious Case Review"), ("thematic", "Thematic review"),
         ("audit", "Multi-agency audit")]
AGENCY_WORDS = re.compile(
    r"\b(council|police|constabulary|nhs|trust|icb|ccg|board|services?|partnership|schools?|college|health|"
    r"hospitals?|probation|department|team|authority|care|social|education|housing|gp|gps|ambulance|fire|academy|"
    r"safeguarding|ltd|limited|cafcass|dwp|directorate|unit|centre|center|agency|agencies|practice|commissioning|"
    r"children|adults?|community|public|foundation|university|prison|youth|offending|mash|hub|group|panel|"
    r"provider|providers|commissioners?|lscp|lsab|sab|csp|mash|constabulary|force|icb|ccg|"
    r"foundation|pdu|marac|cafcass|ofsted|cqc|nspcc|barnardo'?s|charity|society|network|forum|board|maternity|"
    r"midwifery|camhs|hospice|pharmacy|pharmacies|surgery|surgeries|clinic|recovery|refuge|homes|trust's)\b",
    re.IGNORECASE)
PERSON = re.compile(r"^(?:(?:mr|mrs|ms|miss|dr|prof)\.?\s+)?[A-Z][a-z'’-]*\.?(?:\s+[A-Z]\.?)?\s+[A-Z][a-zA-Z'’-]+$")
NO_AGENCY = re.compile(r"^(all|all agencies|all partners|all partner agencies|multi[- ]agency|partnership wide|"
                       r"various|tbc|n/?a|-)$", re.IGNORECASE)


def guess_review_type(*texts: str) -> str:
    """The review type the first text that names one names ('LCSPR Leo' -> LCSPR), else 'Other'."""
    for text in texts:
        lowered = text.casefold()
        for needle, label in TYPES:
            if re.search(rf"\b{re.escape(needle)}\b", lowered):
                return label
    return "Other"


def names_review_type(text: str) -> bool:
    return guess_review_type(text) != "Other"


def review_name(text: str) -> str:
    """'Serious Case Review - Clare: Action Plan 2020/21' -> 'Clare'; 'LCSPR Leo' -> 'Leo'. When only
    the type and noise words are there, the words as written (less the noise) are the name."""
    cleaned = " ".join(re.sub(r"[\"“”'‘’_]", " ", text).split())
    cleaned = re.sub(r"^\s*(?:\d{1,3}|[ivx]{1,4})\s*[.:)\-–]\s+", "", cleaned)  # '1 - Adult A' -> 'Adult A'
    stripped = _tidy(NOISE.sub(" ", TYPE_PHRASES.sub(" ", cleaned)))
    stripped = re.sub(r"^\d{1,3}\s*[.:)\-–]\s+(?=\S)", "", stripped)  # 'DHR 3 – Mr X' -> 'Mr X'
    if re.search(r"[^\W\d_]", stripped):  # letters left: 'SCR 1' keeps its type, 'LCSPR Leo' does not
        return stripped
    return _tidy(NOISE.sub(" ", cleaned)) or _tidy(cleaned)


def _tidy(text: str) -> str:
    text = re.sub(r"\s+([,.;:])", r"\1", " ".join(re.sub(r"[_|()\[\]]+", " ", text).split()))
    return text.strip(" -–—:;,.&/")


def is_generic_sheet(name: str) -> bool:
    """'Sheet1', 'Appendix 1', 'Tracker Q3', 'DHR action plans' name no review."""
    name = re.sub(r"([A-Za-z]{2,})(\d)", r"\1 \2", name.replace("_", " "))  # 'Sheet1' -> 'Sheet 1'
    return not _tidy(re.sub(r"\d+", " ", NOISE.sub(" ", TYPE_PHRASES.sub(" ", name))))


def title_review(lines: list[str]) -> str:
    """The review a tracker's title lines name: a line naming a review type beats a partnership's
    name; '' when no line names a review."""
    typed = [line for line in lines if names_review_type(line)]
    for line in typed:
        if review_name(line) and not PARTNERSHIP.search(review_name(line)):
            return review_name(line)
    heading = re.compile(r"^\s*(recommendation|rec\.?|learning point|finding|action)s?\s*\d", re.IGNORECASE)
    for line in typed + [line for line in lines if not PARTNERSHIP.search(line) and not heading.match(line)]:
        name = _tidy(NOISE.sub(" ", TYPE_PHRASES.sub(" ", line)))
        if name and len(name) <= 120 and not PARTNERSHIP.search(name):
            return name
    return ""


def looks_like_person(text: str) -> bool:
    """'J Watkins', 'Jane Smith', 'Dr K. Patel' name an officer, not an agency."""
    text = " ".join(text.split())
    last = text.split()[-1] if text.split() else ""
    return bool(PERSON.match(text)) and not AGENCY_WORDS.search(text) and not (last.isupper() and len(last) > 1)


def is_no_agency(text: str) -> bool:
    return bool(NO_AGENCY.match(" ".join(text.split())))


ROLE_WORDS = re.compile(r"\b(head|manager|director|officer|co-?ordinator|chair|designated|named|nurse|doctor|"
                        r"practitioner|consultant|lead|dass|dcs|principal|chief|executive|deputy|assistant|"
                        r"administrator|adviser|advisor|analyst|worker|trainer|inspector|detective|sergeant|"
                        r"superintendent|di|dci|ds|supt|midwife|paediatrician|psychologist|secretary|clerk|"
                        r"business support|support officer|specialist|matron|sister|therapist|supervisor|"
                        r"commissioner|registrar|pharmacist|health visitor|headteacher|teacher|senco|dsl|"
                        r"counsellor)\b", re.IGNORECASE)


NOT_NAMES = {"tbc", "tba", "n/a", "na", "rag", "brag", "nb", "none", "nil", "all", "yes", "no", "ok"}


def looks_like_agency(text: str) -> bool:
    """'Children's Services', 'SCC'; not a role ('Head of Service, CSC' names an officer)."""
    text = " ".join(text.split())
    if ROLE_WORDS.search(text) or text.casefold() in NOT_NAMES or len(text) > 120:
        return False
    if text.isupper() and text.replace("&", "").isalpha() and 2 <= len(text) <= 8 or PLACE_ACRONYM.match(text):
        return True
    return bool(AGENCY_WORDS.search(text)) and _headed_by_a_body(text)


CONNECTORS = {"and", "of", "for", "the", "&", "in", "on"}
ACTIVITY_WORDS = {"with", "to", "by", "from", "into", "about", "at", "between", "across", "is", "are", "was", "were",
                  "be", "been", "has", "have", "should", "will", "must", "a", "an", "not", "all", "every"}


def _headed_by_a_body(text: str) -> bool:
    """An agency's name ends in what it names ('Adult social care', 'Police public protection unit',
    'Eastvale Council'), or is a body and its service in two words ('Health visiting'); words that
    end in something else are a thing done ('GP record flags', 'MARAC referral audit')."""
    bare = re.sub(r"\([^)]*\)|\[[^]]*\]", " ", text)
    bare = re.split(r"\s[-–—/]\s|[,;:]", bare)[0]
    if any(w in ACTIVITY_WORDS for w in bare.split()):
        return False  # 'Workshop with housing', 'Review the pathway with partners': a thing done with a body
    words = [w.strip("'’.") for w in bare.split() if w.strip("'’.").casefold() not in CONNECTORS]
    if not words:
        return False
    last = words[-1]
    if AGENCY_WORDS.fullmatch(last) or last[:1].isupper() or last.casefold().endswith(("'s", "’s")):
        return True
    return len(words) <= 2 and bool(AGENCY_WORDS.fullmatch(words[0]))


# a place and the body's initials: 'Dunmere ASC', 'Cresthaven SCP', 'North Elmshire ICB'
PLACE_ACRONYM = re.compile(r"^(?:[A-Z][a-z’'-]+\s+){1,3}(?:[A-Z]{2,4}|[A-Z]{2,4}s)$")


def looks_like_role(text: str) -> bool:
    """'Head of Safeguarding', 'Named Nurse', 'SAB Chair / DASS': a post, held by a person."""
    text = " ".join(text.split())
    return len(text.split()) <= 8 and bool(ROLE_WORDS.search(text))


PERSON_WORD = re.compile(r"^(?i:child|children|adult|baby|babies|family|mr|mrs|ms|miss|young person|sibling|siblings)"
                         r"\b[\s'‘’\"“]+[A-Z0-9]")


def names_a_review(text: str) -> bool:
    """'SAR – Adult C', 'LCSPR Leo', 'Child D': a heading naming a review, not a sentence
    ('SAR training for all staff' is an action)."""
    text = " ".join(text.split())
    if len(text) > 80 or len(text.split()) > 8:
        return False
    words = review_name(text).split()
    if not words or len(words) > 4:
        return False
    named = all(w[0].isupper() or w[0].isdigit() or w[0] in "'‘\"“(" for w in words)
    return named and (names_review_type(text) or bool(PERSON_WORD.match(text)))
