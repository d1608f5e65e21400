"""What names a review, read from a line as a person reads a title: a name in quotes ('Rowan'), the
words after the review's type ('SAR Adult M', 'Thematic review: adolescent self-harm'), a person
named as reviews name them ('Child D', 'Mr T'). Never an 'Updated:' line, a version, a date, a
partnership's name or noise; a file name only as the last resort, cleaned. Also the partnership a
title names."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from scr_desk.excel.tracker_naming import guess_review_type

TYPE_WORDS = re.compile(
    r"\b(serious case reviews?|safeguarding adults? reviews?|domestic homicide reviews?|local child safeguarding "
    r"practice reviews?|child safeguarding practice reviews?|rapid reviews?|sar in rapid time|(?:joint )?thematic "
    r"(?:reviews?|sars?|audits?)|multi[- ]agency audits?|joint targeted area inspection|scrs?|lcsprs?|cspr|sars?|"
    r"dhrs?|sarrt)\b", re.IGNORECASE)
QUOTED = re.compile(r"[‘'\"“]([^‘’'\"“”\n]{1,60}?)[’'\"”](?![a-z])")
INSPECTION = re.compile(r"\b((?:[A-Z]{2,}|[A-Z][a-z]+)(?:\s+(?:[A-Z]{2,}|[A-Z][a-z]+)){0,3}\s+(?:inspection|audit|"
                        r"focused visit|monitoring visit|peer review|peer challenge))\b")
# an inspectorate and its inspection named by their initials ('following Ofsted ILACS, March 2026')
INSPECTORATE = re.compile(r"\b((?:Ofsted|CQC|HMICFRS|HMIP|Estyn|CIW)(?:\s+(?:ILACS|JTAI|SEND|[A-Z]{3,6}))?|"
                          r"ILACS|JTAI)\b")
NAMED_INSPECTION = re.compile(rf"((?:{INSPECTORATE.pattern})(?:\s+[\w'’-]+){{0,5}}?\s+(?:inspection|focused visit|"
                              r"monitoring visit|peer review))\b")
PERSON = re.compile(r"\b(?:Child|Children|Adult|Baby|Babies|Family|Mr|Mrs|Ms|Miss|Master|Young Person|Siblings?|"
                    r"Mother|Father|Person|Infant|Boy|Girl)\s+[A-Z][A-Za-z0-9]{0,12}\b")
STOP = re.compile(r"\s[–—-]\s|[:(,;|]|\s(?:action plans?|tracker|progress|updates?|recommendations?|monitoring|"
                  r"multi[- ]agency|published|report|overview|improvement plans?|learning|actions?|plans?|log|"
                  r"response|appendix|annex|findings|summary|position|briefing|dated|version|draft|final|export|extract|"
                  r"download|list)\b",
                  re.IGNORECASE)
NOT_A_TITLE = re.compile(r"^\s*(last updated|updated|update|version|v\d|date|position (at|as at)|as at|prepared by|"
                         r"owner|author|page|official|draft|status|key|rag|brag|please|note|nb\b|reviewed by|"
                         r"meeting date|report author)\b", re.IGNORECASE)
REVIEWISH = re.compile(r"\b(review|reviews|report|case|death|pseudonym|plan|tracker|learning|inquiry|inspection|"
                       r"audit)\b", re.IGNORECASE)
PARTNERSHIP_NAME = re.compile(
    r"((?:[A-Z][\w’'&.-]*\s+)(?:(?:[A-Z][\w’'&.-]*|and|&|of|the|for)\s+){0,5}"
    r"(?:Safeguarding (?:Children|Adults)(?: Partnership| Board)?|Safeguarding Partnership|Community Safety "
    r"Partnership|Children'?s Partnership|Partnership|Safeguarding Board|Board|LSCP|SCP|SAB|CSP|LSCB|LSAB))\b")
# 'Thematic review of neglect', 'SAR in respect of Adult K': the name follows the linking words
LINKING = re.compile(r"^(?:(?:in respect|in relation|with regard|relating|related)\s+(?:of|to)|into(?: the death of)?|"
                     r"of|on|re|regarding|concerning|about|for)(?:\s*:\s*|\s+)(?:the\s+)?(?=\S)", re.IGNORECASE)
NOISE_NAMES = re.compile(r"^(the|a|an|all|our|this|joint|multi[- ]agency|case|review|reviews|report|plan|tracker|"
                         r"recommendations?|actions?|progress|update|updates|summary|key|legend|overview|appendix|"
                         r"annex|sheet|table|draft|final|copy|data|cover|instructions|notes|contents)$", re.IGNORECASE)


# 'the DHR Standing Panel on 15/12/2026', 'SAR sub-group': the body that meets about reviews, not a review
MEETING = re.compile(r"\b(panel|meeting|committee|sub-?group|subcommittee|board|forum|steering group)s?\b",
                     re.IGNORECASE)


@dataclass(frozen=True)
class Named:
    name: str
    review_type: str  # 'Other' when the line names no type


def _clean(text: str) -> str:
    text = re.sub(r"\s+", " ", text).strip(" -–—:;,.&/'‘’\"“”()")
    return re.sub(r"^(?:\d{1,4}(?:\s*/\s*\d{1,4})?\s*[.:)\-–]?\s+)", "", text).strip(" -–—:;,.")


def _is_name(text: str, most_words: int = 8) -> bool:
    words = text.split()
    return bool(words) and len(words) <= most_words and len(text) <= 10 * most_words \
        and bool(re.search(r"[^\W\d_]", text)) \
        and not NOISE_NAMES.match(text) and not PARTNERSHIP_NAME.fullmatch(text) and not NOT_A_TITLE.match(text)


@lru_cache(maxsize=8192)
def review_from_line(line: str, *, need_type: bool = False) -> Named | None:
    """The review a title, heading or section line names, or None."""
    text = " ".join(str(line).split())
    if not text or len(text) > 200 or (NOT_A_TITLE.match(text) and not TYPE_WORDS.search(text)):
        return None
    review_type = guess_review_type(text)
    typed = TYPE_WORDS.search(text)
    if need_type and not typed and not PERSON.search(text):
        return None
    quoted = next((_clean(m[1]) for m in QUOTED.finditer(text) if _is_name(_clean(m[1]))), "")
    if quoted and (typed or REVIEWISH.search(text) or PERSON.match(quoted)):
        return Named(quoted, review_type)
    if typed:
        tail = LINKING.sub("", text[typed.end():].lstrip(" -–—:'‘\"“")).lstrip(" '‘\"“")
        head = STOP.split(tail, maxsplit=1)[0]
        name = _clean(head)
        if not re.search(r"[^\W\d_]", name):
            person = PERSON.search(tail)
            name = person[0] if person else ""
        # A case is named in a few words ('Adult M'); a thematic review by its theme, which may
        # take a dozen ('cuckooing and the exploitation of adults with care and support needs').
        most = 14 if "thematic" in text[:typed.end()].casefold() else 6
        if name and _is_name(name, most) and len(name.split()) <= most and not MEETING.search(name):
            return Named(name, review_type)
    # 'HMICFRS national child protection inspection': the inspection the title names, not only who inspected
    inspected = INSPECTION.search(text) or NAMED_INSPECTION.search(text) or INSPECTORATE.search(text)
    if inspected and not PARTNERSHIP_NAME.fullmatch(inspected[1]):  # 'the ILACS inspection' names what it follows
        return Named(inspected[1], review_type)
    person = PERSON.search(text)
    partnership = PARTNERSHIP_NAME.search(text)
    if person and partnership and partnership.start() <= person.start() < partnership.end():
        person = None  # 'Safeguarding Children Partnership' names no child
    if person and (typed or len(text.split()) <= 4 or REVIEWISH.search(text)):
        return Named(person[0], review_type)
    return None


# '… reported to the Child Protection Board': a body the plan goes to, not the one that owns it
REPORTED_TO = re.compile(r"\b(?:to|before)\s+(?:the\s+|its\s+|our\s+)?$", re.IGNORECASE)


def partnership_in(line: str) -> str:
    """'Harrowfield Safeguarding Children Partnership – …' -> 'Harrowfield Safeguarding Children Partnership'."""
    text = " ".join(str(line).split())
    for match in PARTNERSHIP_NAME.finditer(text):
        name = match[1].strip()
        if REPORTED_TO.search(text[:match.start(1)]):
            continue
        return name if len(name.split()) >= 2 and not TYPE_WORDS.search(name) else ""
    return ""


def name_from_file(stem: str) -> Named:
    """The last resort, cleaned: '05_Fernley_SAB_SAR_AdultJ_action_log' -> 'Adult J' (SAR)."""
    text = re.sub(r"([a-z])([A-Z])", r"\1 \2", stem.replace("_", " "))
    text = re.sub(r"^\s*\d{1,3}\s+", "", text)
    found = review_from_line(text, need_type=True)
    if found:
        return found
    words = [w for w in text.split() if not NOISE_NAMES.match(w) and not re.fullmatch(
        r"(v\d+|q[1-4]|\d{4}(-\d{2,4})?|\(\d+\)|copy|lscp|scp|sab|csp|lscb|ds|final|draft)", w, re.IGNORECASE)]
    cleaned = " ".join(words) or stem
    return Named(cleaned, guess_review_type(text))
