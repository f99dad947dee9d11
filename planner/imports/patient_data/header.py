"""Column names that say a file is about patients, and the refusal of such a file.

A strong sign refuses the file on its own: a column named for dates of birth, record or
identity numbers, Social Security numbers, emails, phones, home addresses or diagnoses. A weak
sign (a column named ``Name``, ``Contact``, ``Record`` or ``Condition``) passes alone, since an
ad export has a ``Name`` column for its campaigns, but two refuse the file together.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from planner.domain.errors import PlannerError
from planner.imports.patient_data.words import fold

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


def header_signals(columns: list[str], skipped: set[int]) -> dict[int, tuple[str, bool]]:
    """Each column whose name says it is about people: its index -> (why, strong)."""
    found: dict[int, tuple[str, bool]] = {}
    for index, column in enumerate(columns):
        name = fold(column).strip(" :")
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
    skipped_names = {fold(name) for name in exempt}
    skipped = {i for i, name in enumerate(columns) if fold(name) in skipped_names}
    signals = header_signals(columns, skipped)
    if any(strong for _, strong in signals.values()) or len(signals) >= 2:
        refuse([f"column '{columns[i].strip()}' {why}" for i, (why, _) in signals.items()])


# Values ------------------------------------------------------------------------------------


def refuse(parts: list[str]) -> None:
    raise PatientDataError(
        f"This file looks like patient-level data: {join(parts)}. {AGGREGATES_ONLY}"
    )


def join(parts: list[str]) -> str:
    if len(parts) == 1:
        return parts[0]
    return ", ".join(parts[:-1]) + " and " + parts[-1]
