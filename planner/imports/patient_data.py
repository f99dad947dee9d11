"""Telling a file of aggregate figures from one about patients, which the planner never stores.

Columns are weighed by their names and by their values, in English, Italian and Spanish. A
strong sign refuses the file on its own: a column named for dates of birth, record or identity
numbers, Social Security numbers, emails, phones, home addresses or diagnoses, or one whose
values are mostly email addresses, phone numbers, Social Security numbers, tax or identity
numbers, diagnosis codes or dates of birth. A weak sign (a column named ``Name``, ``Contact``,
``Record`` or ``Condition``, or one holding what look like people's names) passes alone, since
an ad export has a ``Name`` column for its campaigns, but two columns that identify people
refuse the file together; so does a single row holding two kinds of identifier (a date of
birth and an email, a name and a date of birth), wherever it is in the file.

Identifiers are also looked for within text, anywhere in a cell ("Maria Rossi DOB 12/04/1961
MRN 00123" in a note), and weighed (see "Identifiers within text"): one Social Security number,
tax or identity number, labelled identifier, ICD-10 code with its diagnosis or person's email
address refuses the file; phone numbers and street addresses do from two rows holding
different ones; a person's name in text does beside another kind of identifier in its row.
Columns a known export uses for a facility or an ad account (the HCAHPS file's hospital address
and telephone, Google Ads' Customer ID) are not about patients and are left out.

Every row is looked at, 256 rows at a time and column by column: most columns of an
aggregate export are dates, amounts and names of campaigns, so a column's cells are joined
into one text and passed at once if they are all of a plain kind (``_PLAIN_CELLS``). Else one
compiled pattern (``_GATE``) finds whether any cell might be an identifier as a whole, and
another (``_TEXT``, run on the column's distinct cells not seen before) whether any holds one
within it; only the cells of such columns are looked at one by one. The refusal names columns,
lines and why, never a value.
"""

from __future__ import annotations

import re
import string
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from itertools import pairwise, zip_longest
from typing import NamedTuple

from planner.domain.errors import PlannerError

AGGREGATES_ONLY = (
    "The planner holds plans and aggregate figures only, so it does not import this file, and "
    "no option makes it. Export totals instead (per day, per campaign or per measure), "
    "without details of patients."
)


class PatientDataError(PlannerError):
    """The file holds data about individual patients."""


# Column names ------------------------------------------------------------------------------

_B, _E = r"(?<!\w)", r"(?!\w)"  # word boundaries that also hold next to '#', '.' and '°'

# (pattern on the folded name, why, strong): the first rule that matches a column counts.
_NAME_RULES: list[tuple[str, str, bool]] = [
    (
        r"^(the )?(patient|paziente|assistit[oa]|paciente)$"
        rf"|{_B}(patient|paziente|paciente|assistito|pt)\.?[ -]?(full name|name|nome|nombre"
        rf"|id|number|no|nr|n|#|identifier|code|codice|codigo|num|numero|dob){_E}"
        rf"|{_B}(nome|cognome|nominativo) (del |dell')?(paziente|assistito){_E}"
        rf"|{_B}nombre (del )?paciente{_E}",
        "names patients",
        True,
    ),
    (
        rf"{_B}(first|last|given|family|full|middle|maiden|sur|fore|christian)[ -]?names?{_E}"
        r"|^[fl]name$|^(surname|cognomi?|nominativ[oi]|apellidos?|primer apellido"
        r"|segundo apellido|nome e cognome|cognome e nome|nome cognome|cognome nome"
        r"|nome completo|nombre completo|nombre y apellidos|apellidos y nombre"
        r"|apellidos, nombre|person name|persons name)$",
        "holds people's names",
        True,
    ),
    (
        rf"{_B}(date|day|year|place|country) of birth{_E}|{_B}birth ?(date|day|year|place){_E}"
        r"|^(birth|birthday|born|born on|born in)$|^d\.? ?o\.? ?b\.?$"
        rf"|{_B}(nascita|nacimiento){_E}|^nat[oa](/a)? (il|a)$|^nacid[oa](/a)? (el|en)$"
        r"|^f(ec|ech|echa)?\.? ?(de )?nac\.?$|^fecha nac",
        "holds dates of birth",
        True,
    ),
    (
        rf"{_B}(mrn|mr number|medical record|health record|med\.? ?rec(ord)?|chart (number|no"
        r"|nr|#|id)|record (number|no|nr|#)|nhs (number|no)|member id|insurance id"
        r"|subscriber id|policy (number|no)|cartella( clinica)?|codice fiscale"
        r"|cod\.? ?fisc(ale)?|tessera( sanitaria)?|historia( clinica)?|historial( clinico)?"
        rf"|expediente clinico|tarjeta sanitaria|seguridad social|dni|nie|nif){_E}"
        r"|^(c\.? ?f\.?|cf|nhc|hc|n[o°]?\.? ?h\.? ?c\.?|nss|n\.? ?s\.? ?s\.?)$",
        "holds patient record or identity numbers",
        True,
    ),
    (
        rf"{_B}(ssn|social security( (number|no|nr|#))?|soc\.? ?sec\.?( (number|no|#))?){_E}",
        "holds Social Security numbers",
        True,
    ),
    (
        r"^(e-?mail|mail|pec|correo|correo-?e|posta elettronica)( address(es)?| addr\.?)?$"
        r"|^(indirizzo|direccion( de)?) (e-?mail|mail|di posta( elettronica)?|correo)"
        rf"|{_B}(e-?mail address(es)?|correo electronico|posta elettronica){_E}",
        "holds email addresses",
        True,
    ),
    (
        r"^((tele)?phone|tel|tel\.|telefono|telefoni|cellulare|celular|fax|movil"
        r"|(home|work|mobile|cell|contact) (phone|number|no|tel)|cell(ular)? phone"
        r"|n\.? ?tel\.?|(num(ero)?|n[o°]) (di |de )?tel(efono)?\.?|tel(efono)? (movil|fijo))$"
        rf"|{_B}(tele)?phone (number|no|nr|#){_E}|{_B}(numero|num) (di |de )?telefono{_E}",
        "holds phone numbers",
        True,
    ),
    (
        r"^((home|street|postal|mailing|patient|residential) )?address( line ?\d?)?$"
        rf"|{_B}(home|street|postal|mailing|patient) address{_E}"
        r"|^(street|indirizzo|indirizzo di residenza|residenza|domicilio|direccion"
        r"|direccion postal|calle)$",
        "holds home addresses",
        True,
    ),
    (
        rf"{_B}(diagnos[ie]s|diagnosi|diagnostico|diagnosticos){_E}"
        r"|^(icd|icd-?10|icd-?9|cie|cie-?10|cie-?9|dx)( codes?| codice| codigo)?$"
        r"|^(codice|codigo|code) (icd|cie)",
        "holds diagnoses",
        True,
    ),
    # Weak: names any export may use, about people only together with another such column.
    (r"^(names?|nomi?|nombres?|person|persona|member|who)$", "may hold people's names", False),
    (r"^pt\.?$", "may name patients", False),
    (
        r"^(contact|contatto|contacto|recapiti?|contact (info|details)|mobile|cell|cellphone)$",
        "may hold contact details",
        False,
    ),
    (
        r"^(record|records|record id|registro|expediente|chart|file number)$",
        "may hold record numbers",
        False,
    ),
    (
        r"^(conditions?|condizion[ei]|condicion|condiciones|patologi[ae]|enfermedad(es)?"
        r"|malattia|malattie|disease|illness|complaint)$",
        "may hold medical conditions",
        False,
    ),
]
_NAME_PATTERNS = [(re.compile(pattern), why, strong) for pattern, why, strong in _NAME_RULES]


def _fold(text: str) -> str:
    """A text as matched: its words split (``DateOfBirth``, ``date_of_birth``), without accents
    (``º`` becomes ``o``), case or extra spaces."""
    text = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", text.replace("\ufeff", "")).replace("_", " ")
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    return " ".join(text.split()).casefold()


def _header_signals(columns: list[str], skipped: set[int]) -> dict[int, tuple[str, bool]]:
    """Each column whose name says it is about people: its index -> (why, strong)."""
    found: dict[int, tuple[str, bool]] = {}
    for index, column in enumerate(columns):
        name = _fold(column).strip(" :")
        if not name or index in skipped:
            continue
        for pattern, why, strong in _NAME_PATTERNS:
            if pattern.search(name):
                found[index] = (why, strong)
                break
    return found


def check_header(columns: Iterable[str], exempt: Iterable[str] = ()) -> None:
    """Refuse a header with a column that says it is about patients, or two that may be."""
    columns = list(columns)
    skipped_names = {_fold(name) for name in exempt}
    skipped = {i for i, name in enumerate(columns) if _fold(name) in skipped_names}
    signals = _header_signals(columns, skipped)
    if any(strong for _, strong in signals.values()) or len(signals) >= 2:
        _refuse([f"column '{columns[i].strip()}' {why}" for i, (why, _) in signals.items()])


# Values ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Kind:
    plural: str  # as a column holds them
    one: str  # as a row holds one
    strong: bool


# In the order a row's identifiers are named. The last three are only found within text.
_KINDS = {
    "name": _Kind("what look like people's names", "a person's name", False),
    "birth": _Kind("what look like dates of birth", "a date of birth", True),
    "email": _Kind("email addresses", "an email address", True),
    "phone": _Kind("phone numbers", "a phone number", True),
    "ssn": _Kind("Social Security numbers", "a Social Security number", True),
    "identity": _Kind("tax or identity numbers", "a tax or identity number", True),
    "diagnosis": _Kind("diagnosis codes", "a diagnosis code", True),
    "record": _Kind("patient record numbers", "a patient record number", True),
    "patient": _Kind("patients' names or numbers", "a patient's name or number", True),
    "address": _Kind("street addresses", "a street address", False),
}

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
_CAPITAL = r"[A-Z\u00c0-\u00d6\u00d8-\u00de]"
_UPPER = re.compile(_CAPITAL)
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


def _word_set(text: str) -> frozenset[str]:
    return frozenset(text.split())


_MONTHS = _word_set(
    "january february march april may june july august september october november december "
    "jan feb mar apr jun jul aug sep sept oct nov dec "
    "gennaio febbraio marzo aprile maggio giugno luglio agosto settembre ottobre novembre "
    "dicembre gen mag giu lug ago set ott dic "
    "enero febrero abril mayo junio julio septiembre setiembre octubre noviembre diciembre "
    "ene abr"
)
_NAME_WORD = re.compile(r"[^\W\d_]+(?:['’.-][^\W\d_]+)*\.?")
# How a name starts, as _GATE looks for it: a capitalised word, then after a comma or a space
# and at most two particles, another (Ann Lee, Lee, Ann, María de la Cruz).
_NAME_START = re.compile(
    _CAPITAL + r"[\w'’.-]*(?:,[^\S\x1f]*|[^\S\x1f]+)(?:[a-z]{1,5}[^\S\x1f]+){0,2}" + _CAPITAL
)
_NAME_SPLIT = re.compile(r",[^\S\x1f]*|[^\S\x1f]+")
_PARTICLES = _word_set("de del della delle dei degli di da dal la las le lo los van von der den y")
_TITLES = _word_set(
    "mr mrs ms miss mx sig sig.ra sig.na sigra signor signora signorina sr sra srta senor "
    "senora senorita dona"
)
# Common given names in English, Italian and Spanish, without those that are also common
# words or places in a campaign's name (April, Grace, Hope, Rosa, Dolores, Soledad, Mark,
# Will, Austin, Virginia...).
_GIVEN = _word_set(
    """
    james john robert michael william david richard joseph thomas charles christopher daniel
    matthew anthony donald steven paul andrew joshua kenneth kevin brian george timothy ronald
    edward jason jeffrey ryan jacob gary nicholas eric jonathan stephen larry justin scott
    brandon benjamin samuel gregory alexander patrick raymond jerry dennis tyler aaron adam
    nathan henry douglas zachary peter kyle walter ethan jeremy harold keith roger
    noah gerald carl terry sean arthur lawrence jesse dylan bryan joe albert
    logan randy ralph roy eugene wayne louis philip bobby johnny bradley liam oliver elijah
    lucas mason jim tom mike dave steve chris dan matt tony ann anne mary patricia jennifer
    linda elizabeth barbara susan jessica sarah karen lisa nancy betty margaret sandra ashley
    kimberly emily donna michelle amanda dorothy melissa deborah stephanie rebecca sharon laura
    cynthia kathleen amy angela shirley anna brenda pamela emma nicole helen samantha katherine
    christine debra rachel carolyn janet catherine maria heather diane ruth julie olivia joyce
    kelly lauren christina joan evelyn judith megan andrea cheryl hannah jacqueline
    martha teresa sara frances kathryn janice abigail alice judy sophia julia denise
    marilyn beverly charlotte natalie theresa diana brittany doris kayla alexis lori jane ava
    mia isabella amelia harper ella chloe zoe susanna
    marco giuseppe giovanni antonio mario luigi francesco alessandro luca giorgio paolo
    roberto stefano davide matteo lorenzo simone riccardo fabio massimo claudio sergio vincenzo
    salvatore pietro carlo enrico nicola gianluca emanuele domenico michele raffaele gabriele
    alberto daniele filippo tommaso nicolo leonardo edoardo federico giulia francesca chiara
    valentina alessandra elena silvia paola federica martina giorgia roberta monica cristina
    simona daniela lucia rita giovanna carla patrizia sofia ilaria elisa marta irene camilla
    greta gianni giacomo angelo luisa franca graziella rosanna
    jose juan manuel francisco javier carlos jesus alejandro miguel rafael pedro pablo
    fernando jorge luis alvaro adrian diego raul ivan ruben enrique oscar ramon andres vicente
    joaquin santiago victor eduardo marcos ignacio hugo gonzalo carmen ana isabel paula raquel
    beatriz nuria sonia rocio susana yolanda natalia eva inmaculada montserrat noelia veronica
    lorena esther ines alicia valeria claudia jimena ximena guadalupe fernanda gabriela camila
    juana josefa francisca antonia lourdes maite begona ainhoa iker jon unai aitor
    """
)


def _fold_word(word: str) -> str:
    return _fold(word).rstrip(".")


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
        key = _fold_word(word)
        if not word[0].isupper() and key not in _PARTICLES:
            return False
        folded.append(key)
    if folded[0] in _TITLES:
        return True
    ends = {folded[0], folded[-1]}
    if "," in text:
        ends.add(_fold_word(text.split(",")[1].split()[0]) if text.split(",")[1].split() else "")
    return not ends.isdisjoint(_GIVEN)


def _is_birth_date(text: str) -> bool:
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
        return int(year) > 1900 and 1 <= int(day) <= 31 and _fold(month) in _MONTHS
    return False


def _is_phone(text: str) -> bool:
    if any(pattern.fullmatch(text) for pattern in _PHONES):
        return True
    for pattern, fewest, most in _PHONES_COUNTED:
        if pattern.fullmatch(text):
            return fewest <= sum(c.isdigit() for c in text) <= most
    return False


def classify(cell: str) -> str | None:
    """What kind of identifier of a person a cell holds (a key of ``_KINDS``), or None."""
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
    if _is_birth_date(text):
        return "birth"
    if _is_name(text):
        return "name"
    return None


# Matches a column's text (its cells joined by _SEP, with one before the first) wherever a
# cell could be one that ``classify`` recognises, apart from emails (``"@" in text`` is
# quicker). It is loose (many a cell it matches is no identifier) but never misses one, as a
# test shows. It is a tree of branches chosen by the cell's first characters, so that a date
# or an amount is passed in a few steps. Spaces are [^\S\x1f] (the separator is one of the
# characters Python counts as space), and the letters of "de" and of ordinals are spelled in
# both cases (IGNORECASE makes every step slower).
_SEP = "\x1f"
_S = r"[^\S\x1f]"
_CELL_END = _S + r"*(?=\x1f|$)"
_AFTER_DAY = (  # what follows one or two digits and a separator
    r"(?:\(?\d{3}\)?[ .-]\d"  # 1 555 201 3344, 91 123 45 67
    r"|\d\d?[-/. ]19\d\d"  # 12/04/1958
    r"|(?:[dD][eE] )?[^\W\d_]++\.?[ ,-]*(?:[dD][eE] )?19\d\d)"  # 12 Apr 1958, 12 de abril de 1958
)
_ORDINAL = r"[sSnNrRtT][tTdDhH][ -]"  # 12th April 1958
_GATE = re.compile(
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
    r"|" + _CAPITAL + r"(?:"  # a capital letter, then:
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
    + _CAPITAL  # a capital: Ann Lee, María de la Cruz
    + r"|\d\d?(?:[sSnNrRtT][tTdDhH])?,? 19\d\d)"  # or a day and a year: April 12, 1958
    r"))"
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
#   address (``info@``, ``billing@``: ``_ROLE_MAILBOXES``), which does not count at all; a
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
# are searched joined by _SEP.

_STRONG, _MEDIUM, _WEAK = 3, 2, 1


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
# Labels, in lower case (``_ci`` makes them match either), separated by "; ", written with
# the few means _spellings reads.
_BIRTH_LABELS = (
    r"dob; d\.[ ]?o\.[ ]?b\.?; date of birth; birthdate; birth date; birthday; born; born on; "
    r"born in; nato; nata; nat[oa](?:/a)? (?:il|nel); data di nascita; data nascita; "
    r"fecha de nacimiento; fecha nacimiento; fecha nac\.?; f\.[ ]?nac\.?; nacido; nacida; "
    r"nacid[oa](?:/a)? (?:el|en)"
)
_RECORD_LABELS = (  # followed by a number, a marker ("#", "no.") or not
    r"mrn; m\.r\.n\.?; med\.?[ ]?rec(?:ord)?s?\.?; medical records?; health records?; nhc; "
    r"n[º°o]\.?[ ]?h\.?[ ]?c\.?; h\.c\.; historia cl[ií]nica; historial cl[ií]nico; "
    r"cartella clinica; tessera sanitaria; tarjeta sanitaria; expediente cl[ií]nico; "
    r"member id; insurance id; nhs (?:number|no\.?)"
)
_RECORD_MARKED_LABELS = "record; chart; cartella; tessera; historia"  # "record #", "chart no."
_SSN_LABELS = (
    r"ssn; s\.s\.n\.?; social security(?: number| no\.?)?; soc\.?[ ]?sec\.?(?: no\.?)?; nss; "
    r"n\.s\.s\.?; seguridad social"
)
_TAX_LABELS = r"codice fiscale; cod\.?[ ]?fisc(?:ale)?\.?; c\.[ ]?f\.; dni; nie; nif"
_PATIENT_LABELS = r"patient; paziente; paciente; pt\.; pz\."
_DIAGNOSIS_LABELS = (
    r"dx; diagnos[ie]s; diagnosi; diagn[oó]stico; icd(?:-?10)?(?: code)?; cie(?:-?10)?"
)
_PHONE_LABELS = (
    r"tel; tel\.; telefono; tel[eé]fono; telephone; phone; ph\.; cell; cellulare; cel\.; "
    r"mobile; movil; m[oó]vil; call; chiamare; richiamare; llamar"
)
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
_PLACE_CASED = ("Via", "Largo", "Plaza", "Camino", "Ronda")  # in lower case, words of English
_PLACE_WORDS = (
    r"viale; v\.le; piazza; p\.zza; piazzale; vicolo; calle; c/; avenida; avda\.?; av\.; pza\.?; "
    r"paseo; carretera; traves[ií]a"
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
    *[(word + _PLACE_REST, "address") for word in _PLACE_CASED],
    *_labelled(_PLACE_WORDS, _PLACE_REST, "address"),
    *_labelled(_BIRTH_LABELS, _LABEL_GAP + "(?:" + _DATE_VALUE + ")", "labelled birth"),
    *_labelled(_RECORD_LABELS, f"(?:[ ]*{_MARKER})?{_LABEL_GAP}{_NUMBER_VALUE}", "record"),
    *_labelled(_RECORD_MARKED_LABELS, f"[ ]*{_MARKER}{_LABEL_GAP}{_NUMBER_VALUE}", "record"),
    *_labelled(_SSN_LABELS, _LABEL_GAP + r"\d(?:[ -]?\d){6,}(?!\d)", "labelled ssn"),
    *_labelled(
        _TAX_LABELS,
        _LABEL_GAP + r"(?:[XYZxyz][ -]?\d{7}[ -]?[A-Za-z]|\d{8}(?:[ -]?[A-Za-z])?"
        r"|[A-Za-z]{6}\d\d[A-Za-z]\d\d[A-Za-z]\d{3}[A-Za-z])(?!\w)",
        "labelled identity",
    ),
    *_labelled(
        _PATIENT_LABELS,
        rf"{_LABEL_GAP}(?:{_MARKER}[ ]*[:#.]?[ ]*\d{{2,}}|{_TITLE}[ ]+{_CAP}"
        rf"|{_CAP}[\w'’-]+[ ]+{_CAP}[\w'’-]+)",
        "patient",
    ),
    *_labelled(
        _DIAGNOSIS_LABELS,
        _LABEL_GAP + r"[A-TV-Za-tv-z]\d\d(?:\.\d{1,4}[A-Za-z]?)?(?!\w)",
        "labelled diagnosis",
    ),
    *_labelled(
        _PHONE_LABELS,
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


_TEXT, _RULE_OF = _compile_text_rules()


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
# "line 12" is plain (_PLAIN_CELLS), but not one of these.
_LONE_LABELS = sorted(
    {
        text
        for labels in (_BIRTH_LABELS, _RECORD_LABELS, _SSN_LABELS, _TAX_LABELS, _PHONE_LABELS)
        for label in labels.split("; ")
        for text in _spellings(label)
        if re.fullmatch("[a-z]+", text)
    }
)

# What each rule finds: a kind of identifier and its weight.
_FOUND_AS = {
    "ssn": ("ssn", _STRONG),
    "dni": ("identity", _STRONG),
    "nie": ("identity", _STRONG),
    "cf": ("identity", _STRONG),
    "icd": ("diagnosis", _STRONG),
    "born": ("birth", _WEAK),
    "phone": ("phone", _MEDIUM),
    "landline": ("phone", _MEDIUM),
    "international": ("phone", _MEDIUM),
    "address": ("address", _MEDIUM),
    "labelled birth": ("birth", _STRONG),
    "record": ("record", _STRONG),
    "labelled ssn": ("ssn", _STRONG),
    "labelled identity": ("identity", _STRONG),
    "patient": ("patient", _STRONG),
    "labelled diagnosis": ("diagnosis", _STRONG),
    "labelled phone": ("phone", _MEDIUM),
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
        return _is_birth_date(text)
    if rule == "landline":
        return 9 <= _digits(text) <= 12
    if rule == "international":
        return 8 <= _digits(text) <= 15
    if rule == "labelled phone":
        return 7 <= _digits(text) <= 15
    if rule == "patient" and len(text.split()[-1]) > 1 and not text[-1].isdigit():
        # "patient" and two capitalised words: one of them a given name
        return any(_fold_word(word) in _GIVEN for word in text.split()[-2:])
    return True


_EMAIL_IN_TEXT = re.compile(r"[\w.+'’-]+@[\w-]+(?:\.[\w-]+)+")
# Mailboxes of an organisation, not of a person (see above).
_ROLE_MAILBOXES = _word_set(
    "info billing invoice invoices accounts accounting admin office sales support help hello "
    "contact contacts enquiries inquiries orders order marketing press media news newsletter "
    "noreply no-reply donotreply do-not-reply team service reception bookings booking events "
    "payments finance amministrazione fatture fatturazione ordini contabilita segreteria "
    "commerciale ventas facturacion facturas pedidos administracion contabilidad contacto "
    "informacion reservas prensa"
)


class Found(NamedTuple):
    """An identifier found in a cell: its kind (a key of ``_KINDS``), its weight, whether it
    fills the cell, and its letters and digits folded (to tell one number repeated on every
    row from several)."""

    kind: str
    weight: int
    whole: bool
    key: str


def _is_role_mailbox(address: str) -> bool:
    mailbox = address.split("@")[0].casefold()
    return mailbox in _ROLE_MAILBOXES or re.split(r"[.+_-]", mailbox)[0] in _ROLE_MAILBOXES


def _role_mailboxes_only(cell: str) -> bool:
    """Whether every email address in a cell is an organisation's (``Billing <billing@x.org>``)."""
    return all(_is_role_mailbox(address) for address in _EMAIL_IN_TEXT.findall(cell))


def _folded_key(text: str) -> str:
    return "".join(c for c in text if c.isalnum()).casefold()


def identifiers_in(cell: str) -> tuple[Found, ...]:
    """The identifiers of people anywhere in a cell, found and weighed as above."""
    found = []
    whole = cell.strip()
    text, match = _SEP + cell, _TEXT.search(_SEP + cell)
    while match is not None:
        rule = _RULE_OF[match.lastgroup or ""]
        value = match.group()[1:]
        if _holds(rule, value):
            kind, weight = _FOUND_AS[rule]
            filled = value == whole and not rule.startswith("labelled")
            found.append(Found(kind, weight, filled, _folded_key(value)))
        # on from the next character, not the match's end: "1,250.00 00000000T" holds a
        # landline-shaped "00 00000000" and, overlapping it, a DNI
        match = _TEXT.search(text, match.start() + 1)
    if "@" in cell:
        for match in _EMAIL_IN_TEXT.finditer(cell):
            text = match.group()
            if not _is_role_mailbox(text):
                found.append(Found("email", _STRONG, text == whole, _folded_key(text)))
    return tuple(found)


# A person's name in text: a common given name next to another capitalised word, either first
# ("Maria Rossi", "Rossi Mario"), particles between.
_NAME_IN_TEXT = re.compile(
    rf"(?<![\w'’])({_CAP}[\w'’-]+)[ ]+(?:(?:de|del|della|di|da|la|le|van|von|y)[ ]+){{0,2}}"
    rf"({_CAP}[\w'’-]+)"
)


def _has_name(text: str) -> bool:
    """Whether a text holds what looks like a person's name (``Maria Rossi``, ``Mrs Lee``)."""
    return any(
        _fold_word(first) in _GIVEN or _fold_word(first) in _TITLES or _fold_word(second) in _GIVEN
        for first, second in _NAME_IN_TEXT.findall(text)
    )


_SEEN_CAP = 2048  # distinct values remembered per column and kind
_BATCH_ROWS = 256  # rows looked at in one glance

# Cells of aggregate exports that no identifier can be, within them either, each proven so by
# a test: a column of 256 such cells (one text, cells joined by _SEP) is passed with one match,
# quicker than _GATE and _TEXT. A column holding an "@" is never passed so.


def _none_of(words: Iterable[str]) -> str:
    """A word of lower-case letters, its first one of either case, that is none of ``words``
    (lower case): a regex made from their trie, quicker than a look-ahead for each word."""
    trie: dict[str, dict] = {}
    for word in words:
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def rest(node: dict[str, dict], first: bool = False) -> str:
        letters = sorted(char for char in node if char)
        other = "".join(c for c in string.ascii_lowercase if c not in letters)
        alternatives = [f"[{other}{other.upper() if first else ''}][a-z]*+"] if other else []
        alternatives += [
            (f"[{char}{char.upper()}]" if first else char) + rest(node[char]) for char in letters
        ]
        if "" not in node and not first:
            alternatives.append("")  # a word that is only the start of one
        return "(?:" + "|".join(alternatives) + ")"

    return rest(trie, first=True)


_PLAIN_CELLS = (  # digits written [0-9]: \d would take in other scripts' digits too
    r"20[0-9][0-9]-[0-9][0-9]-[0-9][0-9]",  # 2027-03-01
    r"[0-9][0-9]?[/.-][0-9][0-9]?[/.-]20[0-9][0-9]",  # 03/01/2027, 01.03.2027
    r"(?!0[0-9])[0-9]*+[.,]?[0-9]{0,4}+%?",  # 1250.50, 6.36%, 20270301, 0.0411, or empty
    r"(?:[a-z][a-z_]*+(?:[ -][a-z_]++)*+)?",  # search_ads, waiting for invoice (or empty)
    _none_of(_LONE_LABELS) + r" [0-9]++",  # Vendor 12, line 12 (but not born 1961)
)
_PLAIN_COLUMNS: list[Callable[[str], object]] = [
    re.compile(r"(?:\x1f(?:" + cell + "))*").fullmatch for cell in _PLAIN_CELLS
]


@dataclass
class _Hits:
    """The cells of one column that hold one kind of identifier."""

    count: int = 0
    lines: list[int] = field(default_factory=list)  # the first three
    seen: set[int] = field(default_factory=set)  # hashes of distinct values, up to _SEEN_CAP


class ValueCheck:
    """Looks at every row's values, with what the header says, for identifiers of people.

    ``add`` each row as it is read; rows are looked at 256 at a time, column by column (see
    ``_flush``). The columns are weighed every 200 rows from the 20th on, and a row that
    refuses the file (see ``_judge``) does so at the end of its batch; ``check`` at the end.
    Columns at the ``exempt`` indices (a facility's) are not looked at."""

    def __init__(self, columns: list[str], exempt: Iterable[int] = ()) -> None:
        self.columns = list(columns)
        self.exempt = set(exempt)
        self.named = _header_signals(self.columns, self.exempt)
        self.rows = 0
        self.hits: dict[tuple[int, str], _Hits] = {}
        self.row: str | None = None  # what the first row refusing the file holds, said
        self._contact: tuple[str, frozenset[str]] | None = None  # the first phone or address
        self._batch: list[tuple[int, list[str]]] = []
        self._plains: dict[int, Callable[[str], object]] = {}
        self._kinds: dict[str, str | None] = {}
        self._clean: set[str] = set()  # cells holding no identifier within them
        self._within: dict[str, tuple[Found, ...]] = {}  # cells holding some, with what
        self._next_check = 20

    def add(self, line: int, cells: list[str]) -> None:
        """Look at one row (in a batch of rows: a glance at a column of many is quicker)."""
        self._batch.append((line, cells))
        if len(self._batch) >= _BATCH_ROWS:
            self._flush()

    def _flush(self) -> None:
        """Look at the rows added since, column by column: a column of plain cells is passed
        at a glance; the cells of a column where ``_GATE`` finds one that might be an
        identifier are classified one by one, and those holding one within them (``_found``)
        are weighed with the rest of their row."""
        batch, self._batch = self._batch, []
        if not batch:
            return
        columns = zip_longest(*(cells for _, cells in batch), fillvalue="")
        suspects = []
        within = []
        for index, column in enumerate(columns):
            if index >= len(self.columns):
                break  # cells past the header's are not read
            if index in self.exempt:
                continue
            text = _SEP + _SEP.join(column)
            email = "@" in text
            if not email and self._plain(index, text):
                continue
            if email or _GATE.search(text):
                suspects.append(index)
            found = self._found(column)
            if found:
                within.append((index, found))
        if not suspects and not within:
            self.rows += len(batch)
            return
        for line, cells in batch:
            self.rows += 1
            self._look(line, cells, suspects, within)
        if self.row is not None:
            self.check()

    def _plain(self, index: int, text: str) -> bool:
        """Whether a column's cells are all of one of the plain kinds (the kind it had last
        time tried first)."""
        known = self._plains.get(index)
        if known is not None and known(text):
            return True
        for plain in _PLAIN_COLUMNS:
            if plain(text):
                self._plains[index] = plain
                return True
        return False

    def _found(self, column: tuple[str, ...]) -> dict[str, tuple[Found, ...]]:
        """The cells of a column holding identifiers within them, with what they hold. The
        column's distinct cells not seen before are searched at once with ``_TEXT`` (files
        repeat their campaigns and notes), and one by one only if that finds something."""
        cells = set(column)
        cells -= self._clean
        if not cells:
            return {}
        new = cells.difference(self._within)
        found = {cell: self._within[cell] for cell in cells - new}
        if new:
            text = _SEP + _SEP.join(new)
            if "@" in text or _TEXT.search(text):
                for cell in new:
                    held = identifiers_in(cell)
                    self._remember(cell, held)
                    if held:
                        found[cell] = held
            else:
                for cell in new:
                    self._remember(cell, ())
        return found

    def _remember(self, cell: str, held: tuple[Found, ...]) -> None:
        """Remember what a short cell holds within it, up to 50,000 cells."""
        if len(cell) > 200:
            return
        known: dict[str, tuple[Found, ...]] | set[str] = self._within if held else self._clean
        if len(known) >= 50_000:
            known.clear()
        if held:
            self._within[cell] = held
        else:
            self._clean.add(cell)

    def _kind(self, cell: str) -> str | None:
        """``classify(cell)``, remembered for short cells: files repeat their values."""
        try:
            return self._kinds[cell]
        except KeyError:
            kind = classify(cell)
            if len(cell) <= 100:
                if len(self._kinds) >= 50_000:
                    self._kinds.clear()
                self._kinds[cell] = kind
            return kind

    def _look(
        self,
        line: int,
        cells: list[str],
        indices: list[int],
        within: list[tuple[int, dict[str, tuple[Found, ...]]]],
    ) -> None:
        """Classify a row's cells in the columns at ``indices``, gather what its cells in the
        columns of ``within`` hold, and judge the row if it holds anything."""
        found: list[tuple[int, str]] = []
        for index in indices:
            cell = cells[index] if index < len(cells) else ""
            kind = self._kind(cell)
            if kind is None or (kind == "email" and _role_mailboxes_only(cell)):
                continue
            hits = self.hits.setdefault((index, kind), _Hits())
            hits.count += 1
            if len(hits.lines) < 3:
                hits.lines.append(line)
            if len(hits.seen) < _SEEN_CAP:
                hits.seen.add(hash(cell.strip().casefold()))
            found.append((index, kind))
        held = [
            (index, each)
            for index, cells_found in within
            for each in cells_found.get(cells[index] if index < len(cells) else "", ())
        ]
        if self.row is None and (held or len(found) >= 2 or any(k == "phone" for _, k in found)):
            self._judge(line, cells, found, held)
        if self.rows >= self._next_check:
            self._next_check = self.rows + 200
            self._weigh()

    def _judge(
        self,
        line: int,
        cells: list[str],
        found: list[tuple[int, str]],
        held: list[tuple[int, Found]],
    ) -> None:
        """Whether a row refuses the file: it holds a strong identifier, or two kinds of
        identifier (but a phone number and a street address alone, which any vendor has), or
        a person's name beside another kind (but beside a phone-shaped cell alone: Google
        Ads writes an account's Customer ID as 123-456-7890, next to campaigns that may be
        named after people). Else its phone numbers and street addresses are compared with
        the first row's: another row with different ones refuses the file."""
        kinds: dict[int, set[str]] = {}
        for index, kind in found:
            kinds.setdefault(index, set()).add(kind)
        for index, each in held:
            kinds.setdefault(index, set()).add(each.kind)
        others = set().union(*kinds.values()) - {"name"}
        phones_in_text = any(each.kind == "phone" and not each.whole for _, each in held)
        beside_name = others if phones_in_text else others - {"phone"}
        if beside_name:  # then a name in text counts
            whole = {index for index, _ in found}  # a cell that is an identifier is one
            for index, cell in enumerate(cells[: len(self.columns)]):
                if index not in self.exempt and index not in whole and _has_name(cell):
                    kinds.setdefault(index, set()).add("name")
        named = any("name" in held_kinds for held_kinds in kinds.values())
        if (
            any(each.weight == _STRONG for _, each in held)
            or (len(others) >= 2 and others != {"phone", "address"})
            or (named and beside_name)
        ):
            self.row = self._said(line, kinds)
            return
        contacts = {each.key for _, each in held if each.weight == _MEDIUM}
        contacts |= {_folded_key(cells[index]) for index, kind in found if kind == "phone"}
        if not contacts:
            return
        said = self._said(
            line,
            {i: k & {"phone", "address"} for i, k in kinds.items() if k & {"phone", "address"}},
        )
        if self._contact is None:
            self._contact = said, frozenset(contacts)
        elif not contacts <= self._contact[1]:
            self.row = f"{self._contact[0]} and {said}"

    def _said(self, line: int, kinds: dict[int, set[str]]) -> str:
        """``line 12 holds a person's name and a date of birth in column 'Note'``."""
        parts = [
            _join([_KINDS[kind].one for kind in _KINDS if kind in _named(kinds[index])])
            + f" in column '{self.columns[index].strip()}'"
            for index in sorted(kinds)
        ]
        return f"line {line} holds {_join(parts)}"

    def _counts(self, kind: str, hits: _Hits) -> bool:
        """Whether a column's identifiers of one kind make it a column of them: mostly
        identifiers (a fifth for a strong kind, half for names), or 20 of them, and more than
        one value (an ad account's number on every row is not a list of phones). Names must
        also be mostly different: a vendor paid every month is not a patient list."""
        distinct, count = len(hits.seen), hits.count
        if distinct < 2:
            return False
        least = min(3, self.rows)
        if _KINDS[kind].strong:
            return count >= 20 or (count >= least and count * 5 >= self.rows)
        return distinct * 2 >= min(count, _SEEN_CAP) and (
            count >= 20 or (count >= least and count * 2 >= self.rows)
        )

    def check(self) -> None:
        """Refuse the file if a column is strongly about people, or two columns may be, or a
        row refused it (see ``_judge``)."""
        self._flush()
        self._weigh()
        if self.row is not None:
            _refuse([self.row])

    def _weigh(self) -> None:
        """Refuse the file if a column is strongly about people, or two columns may be."""
        by_values: dict[int, list[str]] = {}
        strong = False
        for (index, kind), hits in sorted(self.hits.items()):
            if self._counts(kind, hits):
                shown = ", ".join(str(n) for n in hits.lines)
                by_values.setdefault(index, []).append(f"{_KINDS[kind].plural} (lines {shown})")
                strong = strong or _KINDS[kind].strong
        found: dict[int, str] = {}
        for index in sorted(set(by_values) | set(self.named)):
            why, named_strong = self.named.get(index, ("", False))
            strong = strong or named_strong
            if index in by_values and not named_strong:
                found[index] = "holds " + _join(by_values[index])
            else:
                found[index] = why
        if strong or len(found) >= 2:
            _refuse([f"column '{self.columns[i].strip()}' {why}" for i, why in found.items()])


def _named(kinds: set[str]) -> set[str]:
    """The kinds a cell is said to hold: a patient's name is not said to be a person's too."""
    return kinds - {"name"} if "patient" in kinds else kinds


def _refuse(parts: list[str]) -> None:
    raise PatientDataError(
        f"This file looks like patient-level data: {_join(parts)}. {AGGREGATES_ONLY}"
    )


def _join(parts: list[str]) -> str:
    if len(parts) == 1:
        return parts[0]
    return ", ".join(parts[:-1]) + " and " + parts[-1]
