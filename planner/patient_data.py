"""Telling a file of aggregate figures from one about patients, which the planner never stores.

A column is patient-level when its name says so (patient name, date of birth, record number,
SSN, email, phone, address, diagnosis code; in English and Italian) or when its values look
like identifiers of people: email addresses, US Social Security numbers, phone numbers, ICD-10
diagnosis codes, Italian tax codes. Columns a known export uses for a facility (the HCAHPS
file's hospital address and telephone) are not about patients and are left out.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from planner.errors import PlannerError
from planner.tabular import normalize

# Column names, matched as whole words of the normalized name.
_NAME_RULES: list[tuple[str, str]] = [
    (
        r"^(patient|paziente|assistito)$|\b(patient|paziente) (name|id|number|no\.?|#|identifier)"
        r"|\bnome paziente\b",
        "names patients",
    ),
    (
        r"\b(first|last|given|family|full|middle|maiden)[ _-]?name\b|^surname$|^cognome$",
        "holds people's names",
    ),
    (r"\b(date of birth|birth ?date|data di nascita)\b|^d\.?o\.?b\.?$", "holds dates of birth"),
    (
        r"\b(mrn|medical record|record (number|no\.?|#)|chart (number|no\.?|#)|nhs number"
        r"|member id|insurance id|subscriber id|codice fiscale|tessera sanitaria)\b",
        "holds patient record or identity numbers",
    ),
    (r"\b(ssn|social security( number)?)\b", "holds Social Security numbers"),
    (r"^e-?mail$|\be-?mail address(es)?\b|^indirizzo e-?mail$", "holds email addresses"),
    (
        r"^(tele)?phone$|\b(tele)?phone (number|no\.?|#)|\b(mobile|cell) (phone|number|no\.?)"
        r"|^telefono$|^cellulare$",
        "holds phone numbers",
    ),
    (
        r"^((home|street|postal|mailing|patient) )?address$|\baddress line\b|^street$|^indirizzo$",
        "holds home addresses",
    ),
    (
        r"\bdiagnos[ie]s\b|^diagnosi$|^(icd(-?10|-?9)?|dx)( codes?)?$",
        "holds diagnoses",
    ),
]
_NAME_PATTERNS = [(re.compile(pattern), why) for pattern, why in _NAME_RULES]

_VALUE_RULES: list[tuple[str, str]] = [
    (r"^[\w.+-]+@[\w-]+(\.[\w-]+)+$", "email addresses"),
    (r"^\d{3}-\d{2}-\d{4}$", "Social Security numbers"),
    (r"^(\+\d{1,3}[ .-]?)?\(?\d{3}\)?[ .-]\d{3}[ .-]\d{4}$", "phone numbers"),
    (r"^[A-TV-Z]\d{2}\.\d{1,4}[A-Z]?$", "diagnosis codes"),
    (r"^[A-Z]{6}\d{2}[A-Z]\d{2}[A-Z]\d{3}[A-Z]$", "Italian tax codes"),
]
_VALUE_PATTERNS = [(re.compile(pattern, re.IGNORECASE), why) for pattern, why in _VALUE_RULES]

SAMPLE_ROWS = 2000
AGGREGATES_ONLY = (
    "The planner holds plans and aggregate figures only, so it does not import this file, and "
    "no option makes it. Export totals instead (per day, per campaign or per measure), "
    "without details of patients."
)


class PatientDataError(PlannerError):
    """The file holds data about individual patients."""


def check_header(columns: Iterable[str], exempt: Iterable[str] = ()) -> None:
    """Refuse a header with a column about patients."""
    skipped = {normalize(name) for name in exempt}
    found = []
    for column in columns:
        name = normalize(column)
        if not name or name in skipped:
            continue
        for pattern, why in _NAME_PATTERNS:
            if pattern.search(name):
                found.append(f"column '{column.strip()}' {why}")
                break
    if found:
        raise PatientDataError(
            f"This file looks like patient-level data: {_join(found)}. {AGGREGATES_ONLY}"
        )


@dataclass
class ValueCheck:
    """Looks at the first rows' values for identifiers of people, column by column."""

    columns: list[str]
    exempt: set[int] = field(default_factory=set)
    rows: int = 0
    seen: dict[int, int] = field(default_factory=dict)  # column -> non-empty cells
    hits: dict[tuple[int, str], list[int]] = field(default_factory=dict)  # -> line numbers

    def add(self, line: int, cells: list[str]) -> None:
        """Look at one row; refuse the file once a column is mostly identifiers."""
        if self.rows >= SAMPLE_ROWS:
            return
        self.rows += 1
        for index, cell in enumerate(cells[: len(self.columns)]):
            if index in self.exempt:
                continue
            text = cell.strip()
            if not text:
                continue
            self.seen[index] = self.seen.get(index, 0) + 1
            for pattern, what in _VALUE_PATTERNS:
                if pattern.match(text):
                    self.hits.setdefault((index, what), []).append(line)
                    break
        if self.rows in (20, SAMPLE_ROWS) or self.rows % 200 == 0:
            self.check()

    def check(self) -> None:
        found = []
        for (index, what), lines in self.hits.items():
            # Mostly identifiers, or a good number of them: one stray email in a note is
            # not a patient list.
            mostly = len(lines) >= 3 and len(lines) * 5 >= self.seen.get(index, 1)
            if mostly or len(lines) >= 20:
                shown = ", ".join(str(n) for n in lines[:3])
                found.append(f"column '{self.columns[index]}' holds {what} (lines {shown})")
        if found:
            raise PatientDataError(
                f"This file looks like patient-level data: {_join(found)}. {AGGREGATES_ONLY}"
            )


def _join(parts: list[str]) -> str:
    if len(parts) == 1:
        return parts[0]
    return ", ".join(parts[:-1]) + " and " + parts[-1]
