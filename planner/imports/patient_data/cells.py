"""What kind of identifier of a person a cell holds as a whole: an email address, a phone,
Social Security, tax or identity number, a diagnosis code, a date of birth or a person's name
(``classify``); and ``GATE``, one pattern that finds whether any cell of a column might be one.
"""

from __future__ import annotations

import re

from planner.imports.patient_data.words import (
    GIVEN_NAMES,
    MONTHS,
    PARTICLES,
    TITLES,
    fold,
    fold_word,
)

_EMAIL = re.compile(
    r"(?:\"?[^<>@\"]*\"?\s*<)?(?:mailto:)?[\w.+'’-]+@[\w-]+(?:\.[\w-]+)+>?", re.IGNORECASE
)
_SSN = re.compile(r"\d{3}[- ]\d{2}[- ]\d{4}")
_PHONES = [
    re.compile(pattern)
    for pattern in (
        r"(?:\+?1[ .-])?\d{3}[ .-]\d{3}[ .-]\d{4}",  # 555-201-3344, 1 555 201 3344
        r"(?:\+?1[ .-]?)?\(\d{3}\)[ .-]?\d{3}[ .-]\d{4}",  # (555) 201-3344
        r"\d{3}[ -]\d{4}",  # 555-0101
        r"3\d\d[ .-]\d{6,7}",  # Italian mobiles: 333 1234567
        r"[67]\d\d(?: \d{3}){2}|[6-9]\d\d(?:-\d{3}){2}",  # Spanish: 612 345 678
        r"[6-9]\d\d(?:[ .-]\d\d){3}|[89]\d[ .-]\d{3}(?:[ .-]\d\d){2}",  # 612 34 56 78
    )
]
# Numbers whose digits are counted: an international number, or one starting with 0 (Italian,
# Spanish and British landlines), which dates such as 03.09.2027 must not pass for.
_PHONES_COUNTED = [
    (re.compile(r"\+\d[\d ()./-]{6,22}\d"), 8, 15),
    (re.compile(r"00\d{1,3}[ .-]\d[\d .-]{5,18}\d"), 10, 17),
    (re.compile(r"0\d{1,4}(?:[ .-]\d{2,8}){1,3}"), 9, 12),
]
_DIAGNOSIS = re.compile(
    r"\(?[A-TV-Z]\d{2}\.\d{1,4}[A-Z]?\)?(?:\s*[-–—:,]?\s*[^\W\d_].*)?", re.DOTALL
)
_IDENTITY = re.compile(
    r"[A-Z][A-Za-z]{5}\d{2}[A-Za-z]\d{2}[A-Za-z]\d{3}[A-Za-z]"  # Italian codice fiscale
    r"|\d{8}[ -]?[A-Za-z]"  # Spanish DNI
    r"|[XYZ][ -]?\d{7}[ -]?[A-Za-z]"  # Spanish NIE
)
# A capital letter, as names and words start (of Latin-1: every name the planner knows).
CAPITAL = r"[A-Z\u00c0-\u00d6\u00d8-\u00de]"
_UPPER = re.compile(CAPITAL)
_TIME = r"(?:[ T]\d\d?:\d\d(?::\d\d(?:\.\d+)?)?)?"
_BIRTH_NUMBERS = re.compile(
    r"(?:(?P<y1>19\d\d)[-/.](?P<a1>\d\d?)[-/.](?P<b1>\d\d?)"
    r"|(?P<a2>\d\d?)[-/. ](?P<b2>\d\d?)[-/. ](?P<y2>19\d\d))" + _TIME
)
_BIRTH_WORDS = re.compile(
    r"(?P<d1>\d\d?)(?:st|nd|rd|th)?[ -](?:de )?(?P<m1>[^\W\d_]+)\.?[ ,-]*(?:de )?(?P<y1>19\d\d)"
    r"|(?P<m2>[^\W\d_]+)\.? (?P<d2>\d\d?)(?:st|nd|rd|th)?,? (?P<y2>19\d\d)",
    re.IGNORECASE,
)


_NAME_WORD = re.compile(r"[^\W\d_]+(?:['’.-][^\W\d_]+)*\.?")
# How a name starts, as GATE looks for it: a capitalised word, then after a comma or a space
# and at most two particles, another (Ann Lee, Lee, Ann, María de la Cruz).
_NAME_START = re.compile(
    CAPITAL + r"[\w'’.-]*(?:,[^\S\x1f]*|[^\S\x1f]+)(?:[a-z]{1,5}[^\S\x1f]+){0,2}" + CAPITAL
)
_NAME_SPLIT = re.compile(r",[^\S\x1f]*|[^\S\x1f]+")


def _is_name(text: str) -> bool:
    """Two to five capitalised words (but for particles such as ``de``), one of them at either
    end a common given name (``Ann Lee``, ``Rossi Mario``, ``García López, María``), or after
    a title (``Mrs Lee``)."""
    if len(text) > 60 or text.count(",") > 1 or not _NAME_START.match(text):
        return False
    words = _NAME_SPLIT.split(text)
    if not 2 <= len(words) <= 5:
        return False
    folded = []
    for word in words:
        if not _NAME_WORD.fullmatch(word):
            return False
        key = fold_word(word)
        if not word[0].isupper() and key not in PARTICLES:
            return False
        folded.append(key)
    if folded[0] in TITLES:
        return True
    ends = {folded[0], folded[-1]}
    if "," in text:
        ends.add(fold_word(text.split(",")[1].split()[0]) if text.split(",")[1].split() else "")
    return not ends.isdisjoint(GIVEN_NAMES)


def is_birth_date(text: str) -> bool:
    """A date from 1901 to 1999: a patient's birth, not a campaign's day."""
    match = _BIRTH_NUMBERS.fullmatch(text)
    if match:
        year, first, second = (
            (match["y1"], match["a1"], match["b1"])
            if match["y1"]
            else (match["y2"], match["a2"], match["b2"])
        )
        a, b = int(first), int(second)
        return int(year) > 1900 and 1 <= a <= 31 and 1 <= b <= 31 and min(a, b) <= 12
    match = _BIRTH_WORDS.fullmatch(text)
    if match:
        if match["d1"]:
            day, month, year = match["d1"], match["m1"], match["y1"]
        elif _UPPER.match(text):  # April 12, 1958
            day, month, year = match["d2"], match["m2"], match["y2"]
        else:
            return False
        return int(year) > 1900 and 1 <= int(day) <= 31 and fold(month) in MONTHS
    return False


def _is_phone(text: str) -> bool:
    if any(pattern.fullmatch(text) for pattern in _PHONES):
        return True
    for pattern, fewest, most in _PHONES_COUNTED:
        if pattern.fullmatch(text):
            return fewest <= sum(c.isdigit() for c in text) <= most
    return False


def classify(cell: str) -> str | None:
    """What kind of identifier of a person a cell holds (a key of ``weighing.KINDS``), or None."""
    text = cell.strip()
    if len(text) < 5:
        return None
    if "@" in text:
        return "email" if _EMAIL.fullmatch(text) else None
    if _SSN.fullmatch(text):
        return "ssn"
    if _is_phone(text):
        return "phone"
    if _IDENTITY.fullmatch(text):
        return "identity"
    if _DIAGNOSIS.fullmatch(text):
        return "diagnosis"
    if is_birth_date(text):
        return "birth"
    if _is_name(text):
        return "name"
    return None


# Matches a column's text (its cells joined by SEP, with one before the first) wherever a
# cell could be one that ``classify`` recognises, apart from emails (``"@" in text`` is
# quicker). It is loose (many a cell it matches is no identifier) but never misses one, as a
# test shows. It is a tree of branches chosen by the cell's first characters, so that a date
# or an amount is passed in a few steps. Spaces are [^\S\x1f] (the separator is one of the
# characters Python counts as space), and the letters of "de" and of ordinals are spelled in
# both cases (IGNORECASE makes every step slower).
SEP = "\x1f"
_S = r"[^\S\x1f]"
_CELL_END = _S + r"*(?=\x1f|$)"
_AFTER_DAY = (  # what follows one or two digits and a separator
    r"(?:\(?\d{3}\)?[ .-]\d"  # 1 555 201 3344, 91 123 45 67
    r"|\d\d?[-/. ]19\d\d"  # 12/04/1958
    r"|(?:[dD][eE] )?[^\W\d_]++\.?[ ,-]*(?:[dD][eE] )?19\d\d)"  # 12 Apr 1958, 12 de abril de 1958
)
_ORDINAL = r"[sSnNrRtT][tTdDhH][ -]"  # 12th April 1958
GATE = re.compile(
    r"\x1f" + _S + r"*(?:"
    r"[+(]"  # +39 333..., (555) 201-3344, (E11.9)
    r"|0\d{1,4}[ .-]\d"  # 06 1234 5678, 0039 333...
    r"|\d(?:[-/. ]"
    + _AFTER_DAY
    + "|"
    + _ORDINAL
    + _AFTER_DAY  # one digit
    + r"|\d(?:[-/. ]"
    + _AFTER_DAY
    + "|"
    + _ORDINAL
    + _AFTER_DAY  # two digits
    + r"|\d(?:[ .-](?:"  # three digits and a separator:
    r"\d{3}[ .-]\d{3}"  # 555-201-3344, 612 345 678
    r"|\d\d[ .-]\d\d"  # 123-45-6789, 612 34 56 78
    r"|\d{4}"
    + _CELL_END  # 555-0101
    + r"|\d{6,7}"
    + _CELL_END  # 333 1234567
    + r")"
    r"|\d(?:(?<=19\d\d)[-/.]\d\d?[-/.]\d"  # 1958-04-12
    r"|\d{4}[ -]?[A-Za-z]"
    + _CELL_END  # 12345678Z
    + r"))))"
    r"|" + CAPITAL + r"(?:"  # a capital letter, then:
    r"[ -]\d{7}[ -]?[A-Za-z]"
    + _CELL_END  # X-1234567-L
    + r"|\d(?:\d\.\d"  # E11.9
    r"|\d{6}[ -]?[A-Za-z]"
    + _CELL_END  # X1234567L
    + r")"
    r"|[A-Za-z]{5}\d\d"  # RSSMRA80A01H501U
    r"|[\w'’.-]*+(?:," + _S + r"*|" + _S + r"+)"  # a word and a space, then
    r"(?:(?:[a-z]{1,5}"
    + _S
    + r"+){0,2}"
    + CAPITAL  # a capital: Ann Lee, María de la Cruz
    + r"|\d\d?(?:[sSnNrRtT][tTdDhH])?,? 19\d\d)"  # or a day and a year: April 12, 1958
    r"))"
)
