"""Telling a file of aggregate figures from one about patients, which the planner never stores.

Columns are weighed by their names and by their values, in English, Italian and Spanish. A
strong sign refuses the file on its own: a column named for dates of birth, record or identity
numbers, Social Security numbers, emails, phones, home addresses or diagnoses, or one whose
values are mostly email addresses, phone numbers, Social Security numbers, tax or identity
numbers, diagnosis codes or dates of birth. A weak sign (a column named ``Name``, ``Contact``,
``Record`` or ``Condition``, or one holding what look like people's names) passes alone, since
an ad export has a ``Name`` column for its campaigns, but two columns that identify people
refuse the file together; so does a single row holding two kinds of identifier (a date of
birth and an email, a name and a date of birth), wherever it is in the file. Columns a known
export uses for a facility (the HCAHPS file's hospital address and telephone) are not about
patients and are left out.

Every row is looked at, 256 rows at a time and column by column: most columns of an
aggregate export are dates, amounts and names of campaigns, so a column's cells are joined
into one text, passed at once if they are all of a plain kind (``_PLAIN_CELLS``) or if one
compiled pattern (``_GATE``) finds nowhere a cell that might be an identifier; only the cells
of the other columns are classified one by one. The refusal names columns, lines and why,
never a value.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from itertools import zip_longest

from planner.errors import PlannerError

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


_KINDS = {
    "email": _Kind("email addresses", "an email address", True),
    "ssn": _Kind("Social Security numbers", "a Social Security number", True),
    "phone": _Kind("phone numbers", "a phone number", True),
    "diagnosis": _Kind("diagnosis codes", "a diagnosis code", True),
    "identity": _Kind("tax or identity numbers", "a tax or identity number", True),
    "birth": _Kind("what look like dates of birth", "a date of birth", True),
    "name": _Kind("what look like people's names", "a person's name", False),
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
_SEEN_CAP = 2048  # distinct values remembered per column and kind
_BATCH_ROWS = 256  # rows looked at in one glance

# Cells of aggregate exports that no identifier can be, each proven so by a test: a column of
# 256 such cells (one text, cells joined by _SEP) is passed with one match, quicker than
# _GATE. A column holding an "@" is never passed so.
_PLAIN_CELLS = (
    r"20\d\d-\d\d-\d\d",  # 2027-03-01
    r"\d\d?[/.-]\d\d?[/.-]20\d\d",  # 03/01/2027, 01.03.2027
    r"(?!0\d)\d*+[.,]?\d{0,4}+%?",  # 1250.50, 6.36%, 20270301, 0.0411, or empty
    r"(?![^a-z\x1f])[^\x1f]*+",  # search_ads, line 12: lower-case first (or empty)
    r"[A-Z][a-z]++ \d++",  # Vendor 12
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
    ``_flush``). The columns are weighed every 200 rows from the 20th on, and a row holding two
    kinds of identifier refuses the file then (or at once past the 20th row); ``check`` at the
    end. Columns at the ``exempt`` indices (a facility's) are not looked at."""

    def __init__(self, columns: list[str], exempt: Iterable[int] = ()) -> None:
        self.columns = list(columns)
        self.exempt = set(exempt)
        self.named = _header_signals(self.columns, self.exempt)
        self.rows = 0
        self.hits: dict[tuple[int, str], _Hits] = {}
        self.row: str | None = None  # the first row holding two kinds of identifier
        self._batch: list[tuple[int, list[str]]] = []
        self._plains: dict[int, Callable[[str], object]] = {}
        self._kinds: dict[str, str | None] = {}
        self._next_check = 20

    def add(self, line: int, cells: list[str]) -> None:
        """Look at one row (in a batch of rows: a glance at a column of many is quicker)."""
        self._batch.append((line, cells))
        if len(self._batch) >= _BATCH_ROWS:
            self._flush()

    def _flush(self) -> None:
        """Look at the rows added since, column by column: a column of plain cells, or one
        that nowhere looks like identifiers, is passed at a glance; the cells of the others
        are classified one by one."""
        batch, self._batch = self._batch, []
        if not batch:
            return
        columns = zip_longest(*(cells for _, cells in batch), fillvalue="")
        suspects = []
        for index, column in enumerate(columns):
            if index >= len(self.columns):
                break  # cells past the header's are not read
            if index in self.exempt:
                continue
            text = _SEP + _SEP.join(column)
            if "@" not in text and (self._plain(index, text) or _GATE.search(text) is None):
                continue
            suspects.append(index)
        if not suspects:
            self.rows += len(batch)
            return
        for line, cells in batch:
            self.rows += 1
            self._look(line, cells, suspects)

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

    def _look(self, line: int, cells: list[str], indices: list[int]) -> None:
        """Classify a row's cells in the columns at ``indices``."""
        found: list[tuple[int, str]] = []
        for index in indices:
            cell = cells[index] if index < len(cells) else ""
            kind = self._kind(cell)
            if kind is None:
                continue
            hits = self.hits.setdefault((index, kind), _Hits())
            hits.count += 1
            if len(hits.lines) < 3:
                hits.lines.append(line)
            if len(hits.seen) < _SEEN_CAP:
                hits.seen.add(hash(cell.strip().casefold()))
            found.append((index, kind))
        if self.row is None and len(found) >= 2:
            self.row = self._two_kinds(line, found)
        if self.rows >= self._next_check or (self.row is not None and self.rows >= 20):
            self._next_check = self.rows + 200
            self.check()

    def _two_kinds(self, line: int, found: list[tuple[int, str]]) -> str | None:
        """What a row says of one person, if it holds two kinds of identifier: two strong
        ones, or a person's name with one (but a phone number: Google Ads writes an account's
        Customer ID as 123-456-7890, next to campaigns that may be named after people)."""
        strong = [(index, kind) for index, kind in found if _KINDS[kind].strong]
        names = [(index, kind) for index, kind in found if kind == "name"]
        pair = None
        if len({kind for _, kind in strong}) >= 2:
            pair = strong[0], next(other for other in strong if other[1] != strong[0][1])
        elif names and any(kind != "phone" for _, kind in strong):
            pair = names[0], next(other for other in strong if other[1] != "phone")
        if pair is None:
            return None
        (first, one), (second, other) = pair
        return (
            f"line {line} holds {_KINDS[one].one} in column '{self.columns[first]}' "
            f"and {_KINDS[other].one} in column '{self.columns[second]}'"
        )

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
        row held two kinds of identifier."""
        self._flush()
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
        if self.row is not None:
            _refuse([self.row])


def _refuse(parts: list[str]) -> None:
    raise PatientDataError(
        f"This file looks like patient-level data: {_join(parts)}. {AGGREGATES_ONLY}"
    )


def _join(parts: list[str]) -> str:
    if len(parts) == 1:
        return parts[0]
    return ", ".join(parts[:-1]) + " and " + parts[-1]
