"""Files about patients the planner must refuse, and how to build the one that hides its
patients after the first 2,000 rows.

``tests/fixtures/patient/`` holds small CSVs in English, Italian and Spanish: plain patient
lists, headers disguised (``Name, Born, Record``; ``Pt Name, D O B, Med Rec #``;
``Nominativo, Nato il, N. tessera``; ``Nombre, F. nac., Nº HC``) and files whose headers say
nothing while their values are names, dates of birth, 7-digit phones, ICD-10 codes with their
text, ``Name <email>``, tax codes or DNI numbers. The ``note_*`` and ``nota_*`` files, and a
few others, hide identifiers in otherwise aggregate rows: labelled inside a note ("Maria Rossi
DOB 12/04/1961 MRN 00123"), an SSN, tax code, DNI, ICD-10 code or email in one row, phones or
street addresses in two, a name beside a phone or a date of birth. Each has a date and an
amount on every row: without the refusal it would import as costs.
"""

from __future__ import annotations

from pathlib import Path

PATIENT_FILES = Path(__file__).parent / "fixtures" / "patient"
AGGREGATE_FILES = Path(__file__).parent / "fixtures" / "imports"


def corpus() -> list[Path]:
    return sorted(p for p in PATIENT_FILES.iterdir() if p.suffix in (".csv", ".tsv"))


def aggregate_exports() -> list[Path]:
    return sorted(p for p in AGGREGATE_FILES.iterdir() if p.suffix in (".csv", ".tsv"))


HIDDEN = [
    (f"{name} <{name.lower().replace(' ', '.')}@example.org>", f"19{40 + i}-0{i % 9 + 1}-12")
    for i, name in enumerate(["Ann Lee", "Bob Cole", "Mary Poe", "John Roe", "Jane Doe"] * 8)
]


def patients_after(
    path: Path,
    clean_rows: int = 2500,
    patients: int = 1,
    birth_dates: bool = True,
    emails: bool = True,
) -> Path:
    """A cost file of ``clean_rows`` aggregate rows, then ``patients`` rows whose vendor is a
    person with their email (or their name alone) and whose note is their date of birth (or
    ``ok``)."""
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write("Date,Channel,Vendor,Amount,Note\n")
        for i in range(clean_rows):
            out.write(f"2027-03-{i % 28 + 1:02d},print_mail,Vendor {i % 7},{i % 90 + 10}.50,ok\n")
        for i in range(patients):
            who, born = HIDDEN[i % len(HIDDEN)]
            note = born if birth_dates else "ok"
            who = who if emails else who.split(" <")[0]
            out.write(f'2027-03-05,email,"{who}",{i + 20}.00,{note}\n')
    return path


def values_of(path: Path) -> list[str]:
    """The file's cells below its header that could identify someone (longer than 3
    characters, not a lower-case word such as a channel): none may be said back in a
    refusal."""
    lines = path.read_text(encoding="utf-8").splitlines()[1:]
    cells = [cell.strip('"') for line in lines for cell in line.replace(";", ",").split(",")]
    return [cell for cell in cells if len(cell) > 3 and not (cell.isalpha() and cell.islower())]
