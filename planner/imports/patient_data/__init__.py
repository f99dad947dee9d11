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
into one text and passed at once if they are all of a plain kind (``weighing.PLAIN_CELLS``).
Else one compiled pattern (``cells.GATE``) finds whether any cell might be an identifier as a
whole, and another (``within.TEXT``, run on the column's distinct cells not seen before)
whether any holds one within it; only the cells of such columns are looked at one by one. The
refusal names columns, lines and why, never a value.

The modules: ``header.py`` (column names, and the refusal), ``cells.py`` (a cell that is an
identifier), ``within.py`` (identifiers within text), ``weighing.py`` (``ValueCheck``, which
weighs every row) and ``words.py`` (the words of each language they look for).
"""

from __future__ import annotations

from planner.imports.patient_data.cells import classify
from planner.imports.patient_data.header import PatientDataError, check_header
from planner.imports.patient_data.weighing import ValueCheck
from planner.imports.patient_data.within import identifiers_in

__all__ = ["PatientDataError", "ValueCheck", "check_header", "classify", "identifiers_in"]
