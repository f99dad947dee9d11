"""Identifiers of people within text, anywhere in a cell (a note such as \"Maria Rossi DOB
12/04/1961 MRN 00123\"), weighed as the comment below says; and a person's name in text
(``has_name``)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from itertools import pairwise
from typing import NamedTuple

from planner.imports.patient_data.cells import SEP, is_birth_date
from planner.imports.patient_data.words import (
    BIRTH_LABELS,
    DIAGNOSIS_LABELS,
    GIVEN_NAMES,
    PATIENT_LABELS,
    PHONE_LABELS,
    PLACE_CASED,
    PLACE_WORDS,
    RECORD_LABELS,
    RECORD_MARKED_LABELS,
    ROLE_MAILBOXES,
    SSN_LABELS,
    TAX_LABELS,
    TITLES,
    fold_word,
)

# Identifiers within text -------------------------------------------------------------------
#
# A note such as "Maria Rossi DOB 12/04/1961 MRN 00123" is no identifier as a whole, so
# ``classify`` passes it; these rules find identifiers anywhere in a cell and weigh what they
# find by how surely it is about one person:
#
# - Strong, refusing the file on one occurrence: a Social Security number, an Italian tax code,
#   a Spanish DNI or NIE whose letter is right, an identifier after its label (``DOB``,
#   ``nato il``, ``MRN``, ``NHC``, ``SSN``, ``codice fiscale``, ``patient`` and a name...), and
#   an ICD-10 code with its diagnosis (``E11.9 Type 2 diabetes``, ``dx E11.9``). Also a
#   person's email address, wherever it is: ad, email and analytics exports never carry one,
#   so it was typed into the row, and it names one person (often in its very letters). The
#   one a hand-kept cost sheet plausibly notes is a vendor's desk, an organisation's role
#   address (``info@``, ``billing@``: ``ROLE_MAILBOXES``), which does not count at all; a
#   salesperson's own address refuses too, and the note can name the vendor instead.
# - Medium: a phone number or a street address, which a vendor or the clinic also has (the
#   booking line in a campaign's name). Two rows holding different ones refuse the file; one
#   row, or the same number on every row (an ad account's), passes.
# - Weak: a person's name in text (a common given name next to another capitalised word) and a
#   date from the 1900s without a label. They refuse only with another kind of identifier in
#   the same row.
#
# Every rule starts after a character that is not a letter or a digit, and one regex holding
# them all is entered only there. Its rules are grouped by their first character, each group
# passed over at once where that character does not match, so letters are written as classes
# of both cases (``_ci``), as IGNORECASE would not allow that. Spaces are written " " or [ ],
# never \s, so that a match never runs from one cell into the next when the cells of a column
# are searched joined by SEP.

STRONG, MEDIUM, _WEAK = 3, 2, 1


def _ci(pattern: str) -> str:
    """``pattern`` with each letter matching both cases, written as a class (``dob`` becomes
    ``[dD][oO][bB]``); escapes and the syntax of groups are left as they are."""
    out, i = [], 0
    while i < len(pattern):
        char = pattern[i]
        if char == "\\":
            out.append(pattern[i : i + 2])
            i += 2
        elif char == "[":
            end = pattern.index("]", i + 1)
            body = pattern[i + 1 : end]
            out.append("[" + body + "".join(c.upper() for c in body if c.upper() != c) + "]")
            i = end + 1
        elif pattern.startswith("(?", i):
            end = i + 2
            while pattern[end] not in ":=!<":
                end += 1
            out.append(pattern[i : end + 1])
            i = end + 1
        else:
            out.append(f"[{char}{char.upper()}]" if char.upper() != char else char)
            i += 1
    return "".join(out)


_LABEL_GAP = r"[ ]*[:=#,.-]?[ ]*"  # between a label and its value: "DOB: ", "MRN #"
_DATE_VALUE = (
    r"\d\d?[-/.]\d\d?[-/.](?:19|20)?\d\d(?!\d)"  # 12/04/1961, 12.04.61
    r"|\d\d?[ ]\d\d?[ ](?:19|20)\d\d(?!\d)"  # 12 04 1961
    r"|(?:19|20)\d\d[-/.]\d\d?[-/.]\d\d?(?!\d)"  # 1961-04-12
    r"|\d\d?(?:st|nd|rd|th)?[ -](?:de[ ])?[^\W\d_]{3,10}+\.?,?[ -](?:de[ ])?(?:19|20)\d\d(?!\d)"
    r"|[^\W\d_]{3,10}+\.?[ ]\d\d?(?:st|nd|rd|th)?,?[ ](?:19|20)\d\d(?!\d)"  # April 12, 1961
    r"|19\d\d(?!\d)"  # a year alone: "born 1961"
)
_NUMBER_VALUE = r"(?:[A-Za-z]{1,3}-?)?\d(?:[ -]?\d){2,}(?!\d)"  # 00123, A-00012345, 943 476 5919
_WORD_END = r"(?![^\W\d_])"  # no letter follows
_MARKER = _ci(r"(?:#|no\.?|nr\.?|n\.|n[º°]|number|num\.?|n[uú]mero|id)") + _WORD_END
_CAP = r"[A-ZÀ-ÖØ-Þ]"

_TITLE = _ci(
    r"(?:mr|mrs|ms|miss|sig|sig\.ra|sig\.na|signor|signora|sr|sra|srta|se[ñn]or|se[ñn]ora"
    r"|do[ñn]a|don)\.?"
)
_STREET_WORDS = _ci(
    "(?:street|st|road|rd|avenue|ave|lane|ln|boulevard|blvd|terrace|crescent|parkway"
    "|highway|square)"
)
# After an Italian or Spanish word for a street: its name, then its number ("Via Roma 12",
# "Calle Mayor, 1", "Avenida de la Paz 23").
_PLACE_REST = (
    r"[ ]*(?:(?:de|del|della|dei|degli|di|da|la|las|los|el)[ ]+){0,2}"
    + _CAP
    + r"[\w'’.-]*+(?:[ ]+[\w'’.-]+){0,3}?,?[ ]+(?:n[º°o]?\.?[ ]*)?\d{1,3}[A-Za-z]?(?!\w)"
)


def _labelled(labels: str, value: str, rule: str) -> list[tuple[str, str]]:
    """A rule for each of the labels (separated by "; "), a whole word, followed by ``value``."""
    return [(_ci(label) + _WORD_END + value, rule) for label in labels.split("; ")]


# (pattern, rule): each pattern starts with one character, class or escape (_first_token).
_TEXT_RULES: list[tuple[str, str]] = [
    (r"\d\d\d-\d\d-\d\d\d\d(?!\w)", "ssn"),
    (r"\d\d\d\d\d\d\d\d(?:[A-Za-z]|[ -][A-Z])(?!\w)", "dni"),  # a letter apart: a capital
    (r"[XYZxyz][ -]?\d{7}(?:[A-Za-z]|[ -][A-Z])(?!\w)", "nie"),
    (r"[A-Za-z][A-Za-z]{5}\d\d[A-EHLMPR-Ta-ehlmpr-t]\d\d[A-Za-z]\d{3}[A-Za-z](?!\w)", "cf"),
    (r"[A-TZ]\d\d\.\d{1,4}[A-Z]?\)?[ ]*[-–—:,]?[ ]*[^\W\d_]{3}", "icd"),  # E11.9 Type 2...
    (r"\([A-TZ]\d\d\.\d{1,4}[A-Z]?\)", "icd"),  # Type 2 diabetes (E11.9)
    (r"\d\d?[-/.]\d\d?[-/.]19\d\d(?!\d)", "born"),
    (r"\d\d?[ ]\d\d?[ ]19\d\d(?!\d)", "born"),
    (r"\d\d\d\d[-/.]\d\d?[-/.]\d\d?(?!\d)", "born"),  # 1961-04-12 (its year checked)
    (
        r"\d\d?(?:st|nd|rd|th)?[ -](?:de[ ])?[^\W\d_]{3,10}+\.?,?[ -](?:de[ ])?19\d\d(?!\d)",
        "born",
    ),
    (r"[A-Za-z][A-Za-z]{2,8}+\.?[ ]\d\d?(?:st|nd|rd|th)?,?[ ]19\d\d(?!\d)", "born"),
    (r"\d\d\d[ .-]\d\d\d[ .-]\d\d\d\d(?!\d)", "phone"),  # 555-201-3344
    (r"1[ .-]\d\d\d[ .-]\d\d\d[ .-]\d\d\d\d(?!\d)", "phone"),  # 1 555 201 3344
    (r"\(\d\d\d\)[ .-]?\d\d\d[ .-]\d\d\d\d(?!\d)", "phone"),  # (555) 201-3344
    (r"3\d\d[ .]\d{6,7}+(?!\d)", "phone"),  # 333 1234567
    (r"[6-9]\d\d(?:[ .]\d\d){3}(?!\d)", "phone"),  # 612 34 56 78
    (r"[67]\d\d(?:[ ]\d\d\d){2}(?!\d)", "phone"),  # 612 345 678
    (r"[89]\d[ .]\d\d\d(?:[ .]\d\d){2}(?!\d)", "phone"),  # 91 123 45 67
    (r"0\d{1,4}(?:[ .-]\d{2,8}){1,3}(?!\d)", "landline"),  # 06 1234 5678 (digits counted)
    (r"\+\d{1,3}[ .-]?(?:\(\d{1,4}\)[ .-]?)?\d[\d .-]{5,16}\d(?!\d)", "international"),
    (  # 12 Oak Street
        rf"\d\d{{0,4}}[A-Za-z]?,?[ ]++(?:{_CAP}[\w'’.-]*+[ ]++){{1,3}}{_STREET_WORDS}(?!\w)",
        "address",
    ),
    *[(word + _PLACE_REST, "address") for word in PLACE_CASED],
    *_labelled(PLACE_WORDS, _PLACE_REST, "address"),
    *_labelled(BIRTH_LABELS, _LABEL_GAP + "(?:" + _DATE_VALUE + ")", "labelled birth"),
    *_labelled(RECORD_LABELS, f"(?:[ ]*{_MARKER})?{_LABEL_GAP}{_NUMBER_VALUE}", "record"),
    *_labelled(RECORD_MARKED_LABELS, f"[ ]*{_MARKER}{_LABEL_GAP}{_NUMBER_VALUE}", "record"),
    *_labelled(SSN_LABELS, _LABEL_GAP + r"\d(?:[ -]?\d){6,}(?!\d)", "labelled ssn"),
    *_labelled(
        TAX_LABELS,
        _LABEL_GAP + r"(?:[XYZxyz][ -]?\d{7}[ -]?[A-Za-z]|\d{8}(?:[ -]?[A-Za-z])?"
        r"|[A-Za-z]{6}\d\d[A-Za-z]\d\d[A-Za-z]\d{3}[A-Za-z])(?!\w)",
        "labelled identity",
    ),
    *_labelled(
        PATIENT_LABELS,
        rf"{_LABEL_GAP}(?:{_MARKER}[ ]*[:#.]?[ ]*\d{{2,}}|{_TITLE}[ ]+{_CAP}"
        rf"|{_CAP}[\w'’-]+[ ]+{_CAP}[\w'’-]+)",
        "patient",
    ),
    *_labelled(
        DIAGNOSIS_LABELS,
        _LABEL_GAP + r"[A-TV-Za-tv-z]\d\d(?:\.\d{1,4}[A-Za-z]?)?(?!\w)",
        "labelled diagnosis",
    ),
    *_labelled(
        PHONE_LABELS,
        r"(?:[ ]+(?:al|allo|a|on|at|to|en|el)(?=[ ]))?[ ]*[:.#-]?[ ]*"
        r"\+?(?:\(\d{1,4}\)[ ]?)?\d(?:[ ./-]?\d){6,14}(?!\d)",
        "labelled phone",
    ),
]


def _first_token(pattern: str) -> tuple[str, str]:
    """A rule's first character, class or escape, and the rest of it."""
    if pattern[0] == "\\":
        return pattern[:2], pattern[2:]
    if pattern[0] == "[":
        end = pattern.index("]", 1)
        return pattern[: end + 1], pattern[end + 1 :]
    return pattern[0], pattern[1:]


def _by_first(patterns: Iterable[str]) -> str:
    """Alternatives grouped by their first character, class or escape (``a(?:b|c)|d(?:e)``):
    a group whose first character does not match is passed over at once."""
    groups: dict[str, list[str]] = {}
    for pattern in patterns:
        first, rest = _first_token(pattern)
        groups.setdefault(first, []).append(rest)
    return "|".join(f"{first}(?:{'|'.join(rests)})" for first, rests in groups.items())


def _compile_text_rules() -> tuple[re.Pattern[str], dict[str, str]]:
    """One regex of all the rules; an empty group closing each (``r0``, ``r1``...) tells which
    one matched."""
    rule_of = {f"r{number}": rule for number, (_, rule) in enumerate(_TEXT_RULES)}
    body = _by_first(f"{pattern}(?P<r{n}>)" for n, (pattern, _) in enumerate(_TEXT_RULES))
    # not within a number: "0,00 2000-01-01" holds no phone number "00 2000-01-01", nor does
    # "2038-11-05 2038-11-05" hold "05 2038-11-05"
    return re.compile(r"[^0-9A-Za-z_\u00c0-\u024f](?<!\d[.,/-])(?:" + body + ")"), rule_of


TEXT, _RULE_OF = _compile_text_rules()


def _spellings(pattern: str) -> list[str]:
    """Every text a label's pattern matches: labels are written with characters, escapes,
    classes of single characters, ``(?:...|...)`` and ``?`` only."""
    texts = [""]
    i = 0
    while i < len(pattern):
        if pattern[i] == "\\":
            options, i = [pattern[i + 1]], i + 2
        elif pattern[i] == "[":
            end = pattern.index("]", i)
            options, i = list(pattern[i + 1 : end]), end + 1
        elif pattern.startswith("(?:", i):
            depth, end, cuts = 0, i, [i + 2]
            while True:
                depth += {"(": 1, ")": -1}.get(pattern[end], 0)
                if pattern[end] == "|" and depth == 1:
                    cuts.append(end)
                if depth == 0:
                    break
                end += 1
            cuts.append(end)
            options = [t for a, b in pairwise(cuts) for t in _spellings(pattern[a + 1 : b])]
            i = end + 1
        else:
            options, i = [pattern[i]], i + 1
        if pattern[i : i + 1] == "?":
            options, i = [*options, ""], i + 1
        texts = [text + option for text in texts for option in options]
    return texts


# Labels that may be one word before a bare number ("born 1961", "medrec 100"): a cell such as
# "line 12" is plain (PLAIN_CELLS), but not one of these.
LONE_LABELS = sorted(
    {
        text
        for labels in (BIRTH_LABELS, RECORD_LABELS, SSN_LABELS, TAX_LABELS, PHONE_LABELS)
        for label in labels.split("; ")
        for text in _spellings(label)
        if re.fullmatch("[a-z]+", text)
    }
)

# What each rule finds: a kind of identifier and its weight.
_FOUND_AS = {
    "ssn": ("ssn", STRONG),
    "dni": ("identity", STRONG),
    "nie": ("identity", STRONG),
    "cf": ("identity", STRONG),
    "icd": ("diagnosis", STRONG),
    "born": ("birth", _WEAK),
    "phone": ("phone", MEDIUM),
    "landline": ("phone", MEDIUM),
    "international": ("phone", MEDIUM),
    "address": ("address", MEDIUM),
    "labelled birth": ("birth", STRONG),
    "record": ("record", STRONG),
    "labelled ssn": ("ssn", STRONG),
    "labelled identity": ("identity", STRONG),
    "patient": ("patient", STRONG),
    "labelled diagnosis": ("diagnosis", STRONG),
    "labelled phone": ("phone", MEDIUM),
}
_DNI_LETTERS = "TRWAGMYFPDXBNJZSQVHLCKE"


def _digits(text: str) -> int:
    return sum(c.isdigit() for c in text)


def _right_letter(text: str) -> bool:
    """Whether a DNI or NIE's letter is the one its number calls for (that of a reference
    such as ``20270301A`` seldom is)."""
    text = text.replace(" ", "").replace("-", "").upper()
    number = text[:-1]
    if number[0] in "XYZ":
        number = str("XYZ".index(number[0])) + number[1:]
    return _DNI_LETTERS[int(number) % 23] == text[-1]


def _holds(rule: str, text: str) -> bool:
    """Whether a rule's match is what the rule looks for, where its pattern cannot tell."""
    if rule in ("dni", "nie"):
        return _right_letter(text)
    if rule == "born":
        return is_birth_date(text)
    if rule == "landline":
        return 9 <= _digits(text) <= 12
    if rule == "international":
        return 8 <= _digits(text) <= 15
    if rule == "labelled phone":
        return 7 <= _digits(text) <= 15
    if rule == "patient" and len(text.split()[-1]) > 1 and not text[-1].isdigit():
        # "patient" and two capitalised words: one of them a given name
        return any(fold_word(word) in GIVEN_NAMES for word in text.split()[-2:])
    return True


_EMAIL_IN_TEXT = re.compile(r"[\w.+'’-]+@[\w-]+(?:\.[\w-]+)+")


class Found(NamedTuple):
    """An identifier found in a cell: its kind (a key of ``weighing.KINDS``), its weight, whether it
    fills the cell, and its letters and digits folded (to tell one number repeated on every
    row from several)."""

    kind: str
    weight: int
    whole: bool
    key: str


def _is_role_mailbox(address: str) -> bool:
    mailbox = address.split("@")[0].casefold()
    return mailbox in ROLE_MAILBOXES or re.split(r"[.+_-]", mailbox)[0] in ROLE_MAILBOXES


def role_mailboxes_only(cell: str) -> bool:
    """Whether every email address in a cell is an organisation's (``Billing <billing@x.org>``)."""
    return all(_is_role_mailbox(address) for address in _EMAIL_IN_TEXT.findall(cell))


def folded_key(text: str) -> str:
    return "".join(c for c in text if c.isalnum()).casefold()


def identifiers_in(cell: str) -> tuple[Found, ...]:
    """The identifiers of people anywhere in a cell, found and weighed as above."""
    found = []
    whole = cell.strip()
    text, match = SEP + cell, TEXT.search(SEP + cell)
    while match is not None:
        rule = _RULE_OF[match.lastgroup or ""]
        value = match.group()[1:]
        if _holds(rule, value):
            kind, weight = _FOUND_AS[rule]
            filled = value == whole and not rule.startswith("labelled")
            found.append(Found(kind, weight, filled, folded_key(value)))
        # on from the next character, not the match's end: "1,250.00 00000000T" holds a
        # landline-shaped "00 00000000" and, overlapping it, a DNI
        match = TEXT.search(text, match.start() + 1)
    if "@" in cell:
        for match in _EMAIL_IN_TEXT.finditer(cell):
            text = match.group()
            if not _is_role_mailbox(text):
                found.append(Found("email", STRONG, text == whole, folded_key(text)))
    return tuple(found)


# A person's name in text: a common given name next to another capitalised word, either first
# ("Maria Rossi", "Rossi Mario"), particles between.
_NAME_IN_TEXT = re.compile(
    rf"(?<![\w'’])({_CAP}[\w'’-]+)[ ]+(?:(?:de|del|della|di|da|la|le|van|von|y)[ ]+){{0,2}}"
    rf"({_CAP}[\w'’-]+)"
)


def has_name(text: str) -> bool:
    """Whether a text holds what looks like a person's name (``Maria Rossi``, ``Mrs Lee``)."""
    return any(
        fold_word(first) in GIVEN_NAMES
        or fold_word(first) in TITLES
        or fold_word(second) in GIVEN_NAMES
        for first, second in _NAME_IN_TEXT.findall(text)
    )
