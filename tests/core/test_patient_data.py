"""The refusal of patient-level files: every file of the corpus is refused through the library
the import screen uses and through ``planner import``, whatever its disguise and wherever its
patients are; every aggregate export the planner knows still imports."""

from __future__ import annotations

import string
from pathlib import Path

import pytest
from click.testing import CliRunner
from factories import import_campaign
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from patient_corpus import (
    AGGREGATE_FILES,
    PATIENT_FILES,
    aggregate_exports,
    corpus,
    patients_after,
    values_of,
)

from planner.cli.main import main
from planner.domain.errors import PlannerError
from planner.domain.models import Cost, ImportOptions
from planner.imports import ImportRefused, plan_import, preview, run_import
from planner.imports.formats import FORMATS, detect, is_known_header
from planner.imports.patient_data import (
    PatientDataError,
    ValueCheck,
    check_header,
    classify,
    identifiers_in,
)
from planner.imports.patient_data.cells import GATE as _GATE
from planner.imports.patient_data.cells import SEP as _SEP
from planner.imports.patient_data.weighing import PLAIN_CELLS as _PLAIN_CELLS
from planner.imports.patient_data.weighing import PLAIN_COLUMNS as _PLAIN_COLUMNS
from planner.imports.patient_data.within import LONE_LABELS as _LONE_LABELS
from planner.imports.tabular import open_sheet
from planner.store import Store

REFUSED = "This file looks like patient-level data: "


@pytest.fixture
def db(tmp_path: Path) -> Path:
    """A database with the import campaign and one cost already recorded."""
    path = tmp_path / "planner.db"
    with Store.open(path) as store:
        campaign_id = store.create_campaign(import_campaign())
        store.add_entry(campaign_id, Cost(date="2027-03-01", amount_minor=5000, vendor="Print"))
    return path


def costs_and_imports(db: Path) -> tuple[list[Cost], list]:
    with Store.open(db) as store:
        return list(store.iter_entries(1, Cost)), store.list_imports(1)


def refusal(path: Path, db: Path, kind: str = "costs", **options) -> str:
    """What the import screen would show: planning the file, then reading all of it."""
    with Store.open(db) as store:
        campaign = store.get_campaign(1, tracking=False)
    with pytest.raises(PlannerError) as caught:
        preview(plan_import(path, campaign, ImportOptions(kind=kind, **options)))
    return str(caught.value)


def assert_said_well(message: str, path: Path) -> None:
    """One sentence that names columns or lines and why, and says none of the values."""
    assert message.startswith(REFUSED), message
    assert "aggregate figures only" in message
    assert "\n" not in message
    for value in values_of(path):
        assert value not in message, f"{value!r} said back in: {message}"


# The corpus ------------------------------------------------------------------------------


@pytest.mark.parametrize("path", corpus(), ids=lambda p: p.name)
@pytest.mark.parametrize("kind", ["costs", "results"])
def test_each_patient_file_is_refused_by_the_import_library(db, path, kind):
    before = costs_and_imports(db)
    assert_said_well(refusal(path, db, kind), path)
    assert costs_and_imports(db) == before


@pytest.mark.parametrize("path", corpus(), ids=lambda p: p.name)
@pytest.mark.parametrize("kind", ["costs", "results"])
def test_each_patient_file_is_refused_at_the_command_line(db, path, kind):
    before = costs_and_imports(db)
    result = CliRunner().invoke(main, ["--db", str(db), "import", kind, "1", str(path)])
    assert result.exit_code == 2, result.output
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith("Error: " + REFUSED), line
    assert_said_well(line.removeprefix("Error: "), path)
    assert "Traceback" not in result.output
    assert costs_and_imports(db) == before
    assert before[1] == []


def test_the_disguised_header_names_each_column_and_why(db):
    message = refusal(PATIENT_FILES / "disguised_en.csv", db)
    assert (
        "column 'Name' may hold people's names, column 'Born' holds dates of birth, column "
        "'Record' may hold record numbers, column 'Contact' may hold contact details, column "
        "'Tel' holds phone numbers and column 'Condition' may hold medical conditions." in message
    )


def test_values_say_which_column_holds_what_and_on_which_lines(db):
    names = PATIENT_FILES / "names_and_birth_dates.csv"
    assert (
        "column 'Col A' holds what look like people's names (lines 2, 3) and column 'Col B' "
        "holds what look like dates of birth (lines 2, 3)." in refusal(names, db)
    )
    phones = PATIENT_FILES / "seven_digit_phones.csv"
    assert "column 'Ref' holds phone numbers (lines 2, 3, 4)." in refusal(phones, db)


@pytest.mark.parametrize(
    ("name", "said"),
    [
        (
            "note_labelled_en.csv",
            "line 2 holds a person's name, a date of birth and a patient record number in "
            "column 'Note'.",
        ),
        (
            "vendor_names_note_births_en.csv",
            "line 9 holds a person's name in column 'Vendor' and a date of birth in column 'Note'.",
        ),
        ("two_ssns_en.csv", "line 6 holds a Social Security number in column 'Reference'."),
        ("two_emails_en.csv", "line 5 holds an email address in column 'Paid to'."),
        ("one_email_en.csv", "line 15 holds an email address in column 'Paid to'."),
        ("note_ssn_en.csv", "line 11 holds a Social Security number in column 'Note'."),
        ("note_email_en.csv", "line 8 holds an email address in column 'Note'."),
        (
            "note_phones_en.csv",
            "line 4 holds a phone number in column 'Note' and line 12 holds a phone number in "
            "column 'Note'.",
        ),
        ("note_icd10_en.csv", "line 7 holds a diagnosis code in column 'Note'."),
        (
            "note_addresses_en.csv",
            "line 3 holds a street address in column 'Note' and line 10 holds a street address "
            "in column 'Note'.",
        ),
        (
            "note_name_and_phone_en.csv",
            "line 14 holds a person's name and a phone number in column 'Note'.",
        ),
        (
            "nota_etichette_it.csv",
            "line 2 holds a person's name, a date of birth and a patient record number in "
            "column 'Nota'.",
        ),
        ("nota_codice_fiscale_it.csv", "line 9 holds a tax or identity number in column 'Nota'."),
        (
            "fornitore_nomi_nascite_it.csv",
            "line 5 holds a person's name in column 'Fornitore' and a date of birth in column "
            "'Nota'.",
        ),
        (
            "nota_telefoni_it.csv",
            "line 4 holds a phone number in column 'Nota' and line 13 holds a phone number in "
            "column 'Nota'.",
        ),
        (
            "nota_indirizzi_it.csv",
            "line 6 holds a street address in column 'Nota' and line 14 holds a street address "
            "in column 'Nota'.",
        ),
        ("nota_paziente_it.csv", "line 8 holds a patient's name or number in column 'Nota'."),
        (
            "nota_etiquetas_es.csv",
            "line 2 holds a person's name, a date of birth and a patient record number in "
            "column 'Nota'.",
        ),
        ("nota_dni_es.csv", "line 7 holds a tax or identity number in column 'Nota'."),
        ("nota_cie10_es.csv", "line 10 holds a diagnosis code in column 'Nota'."),
        ("nota_correos_es.csv", "line 5 holds an email address in column 'Nota'."),
        (
            "nota_direcciones_es.csv",
            "line 3 holds a street address in column 'Nota' and line 11 holds a street address "
            "in column 'Nota'.",
        ),
        (
            "nota_nombre_telefono_es.csv",
            "line 14 holds a person's name and a phone number in column 'Nota'.",
        ),
    ],
)
def test_identifiers_within_text_are_said_by_line_and_column(db, name, said):
    assert said in refusal(PATIENT_FILES / name, db)


# Patients after the first 2,000 rows -----------------------------------------------------------


def test_patients_after_the_first_2000_rows_are_refused_by_the_library(db, tmp_path):
    one = patients_after(tmp_path / "one.csv", clean_rows=2500, patients=1)
    message = refusal(one, db)  # one row with two kinds of identifier
    assert_said_well(message, one)
    assert (
        "line 2502 holds an email address in column 'Vendor' and a date of birth in column "
        "'Note'." in message
    )
    named = patients_after(tmp_path / "named.csv", patients=1, emails=False)
    assert (
        "line 2502 holds a person's name in column 'Vendor' and a date of birth in column "
        "'Note'." in refusal(named, db)
    )
    emails = patients_after(tmp_path / "emails.csv", patients=30, birth_dates=False)
    message = refusal(emails, db)  # one kind a row, but 30 of them
    assert_said_well(message, emails)
    assert "column 'Vendor' holds email addresses (lines 2502, 2503, 2504)." in message


@pytest.mark.parametrize(
    "args", [["costs"], ["results", "--map", "measure=Ad clicks", "--map", "value=Amount"]]
)
def test_patients_after_the_first_2000_rows_are_refused_at_the_command_line(db, tmp_path, args):
    path = patients_after(tmp_path / "costs.csv")
    before = costs_and_imports(db)
    result = CliRunner().invoke(
        main, ["--db", str(db), "import", args[0], "1", str(path), *args[1:]]
    )
    assert result.exit_code == 2, result.output
    errors = [line for line in result.stderr.splitlines() if line.startswith("Error: ")]
    assert len(errors) == 1 and errors[0].startswith("Error: " + REFUSED), result.stderr
    assert_said_well(errors[0].removeprefix("Error: "), path)
    assert costs_and_imports(db) == before


def test_patients_after_the_first_2000_rows_are_refused_by_the_second_reader(
    db, tmp_path, monkeypatch
):
    import planner.imports.run as importing

    monkeypatch.setattr(importing, "PARALLEL_ROWS", 0)  # read in a second process
    path = patients_after(tmp_path / "costs.csv", clean_rows=30_000)
    before = costs_and_imports(db)
    with Store.open(db) as store:
        campaign = store.get_campaign(1, tracking=False)
        plan = plan_import(path, campaign, ImportOptions(kind="costs"))  # the first rows pass
        with pytest.raises(ImportRefused, match="line 30002 holds an email address"):
            run_import(store, plan, 1)
    assert costs_and_imports(db) == before


def test_a_record_number_in_a_note_after_30000_rows_is_refused_by_the_second_reader(
    db, tmp_path, monkeypatch
):
    import planner.imports.run as importing

    monkeypatch.setattr(importing, "PARALLEL_ROWS", 0)  # read in a second process
    path = patients_after(tmp_path / "costs.csv", clean_rows=30_000, patients=0)
    with path.open("a", encoding="utf-8") as out:
        out.write("2027-03-05,print_mail,QuickPrint,20.00,reprint for MRN 00123\n")
    before = costs_and_imports(db)
    with Store.open(db) as store:
        campaign = store.get_campaign(1, tracking=False)
        plan = plan_import(path, campaign, ImportOptions(kind="costs"))
        with pytest.raises(
            ImportRefused, match="line 30002 holds a patient record number in column 'Note'"
        ):
            run_import(store, plan, 1)
    assert costs_and_imports(db) == before


# What must still import -------------------------------------------------------------------


def read_all(path: Path) -> None:
    """The check of an import over every row of ``path``: its header, then its values."""
    sheet = open_sheet(path, is_known_header)
    fmt = detect(list(sheet.header)) or FORMATS["generic"]
    check_header(sheet.columns, fmt.facility_columns)
    exempt = {i for name in fmt.facility_columns if (i := sheet.column(name)) is not None}
    check = ValueCheck(list(sheet.columns), exempt)
    for line, cells in sheet.rows():
        check.add(line, cells)
    check.check()


@pytest.mark.parametrize("path", aggregate_exports(), ids=lambda p: p.name)
def test_every_aggregate_export_passes_the_check(db, path):
    read_all(path)
    with Store.open(db) as store:
        campaign = store.get_campaign(1, tracking=False)
    for kind in ("costs", "results"):
        try:
            preview(plan_import(path, campaign, ImportOptions(kind=kind)))
        except PlannerError as exc:  # another reason (no costs in a Mailchimp export...)
            assert "patient-level" not in str(exc), exc


def test_the_hcahps_facility_address_and_phone_are_not_about_patients(db):
    hcahps = AGGREGATE_FILES / "hcahps_hospitals.csv"
    read_all(hcahps)
    with pytest.raises(PatientDataError, match="column 'Telephone Number' holds phone numbers"):
        check_header(open_sheet(hcahps, is_known_header).columns)  # not as the HCAHPS file


@pytest.mark.parametrize(
    "header",
    [
        ["Name", "Date", "Cost"],  # an ad export's campaigns
        ["Campaign", "Name", "Impr.", "Clicks", "Cost"],
        ["Title", "Subject", "List", "Send Date", "Open Rate"],
        ["Page path", "Sessions", "Views"],
        ["Date", "Patients", "New-patient appointments", "Patient Survey Star Rating"],
        ["Nome", "Data", "Importo"],
        ["Nombre", "Fecha", "Importe"],
        ["Condition", "Sessions"],
        ["Contact", "Date", "Amount"],
        ["Record", "Value"],
        ["Customer ID", "Account name", "Phone calls", "Phone impressions", "Address clicks"],
        ["Date", "ZIP code", "Age", "Gender", "Device", "Mobile"],
    ],
)
def test_one_weak_column_or_none_passes(header):
    check_header(header)


@pytest.mark.parametrize(
    ("header", "said"),
    [
        (["Name", "Born"], "column 'Born' holds dates of birth"),
        (["Name", "Condition"], "column 'Condition' may hold medical conditions"),
        (["Record", "Contact"], "column 'Contact' may hold contact details"),
        (["Pt", "Nombre"], "column 'Pt' may name patients and column 'Nombre' may hold"),
        (["Pt Name"], "names patients"),
        (["DOB"], "dates of birth"),
        (["D.O.B."], "dates of birth"),
        (["D O B"], "dates of birth"),
        (["date_of_birth"], "dates of birth"),
        (["DateOfBirth"], "dates of birth"),
        (["MRN"], "record or identity numbers"),
        (["Med Rec #"], "record or identity numbers"),
        (["Medical record no."], "record or identity numbers"),
        (["Patient ID"], "names patients"),
        (["SSN"], "Social Security numbers"),
        (["E-mail"], "email addresses"),
        (["Phone #"], "phone numbers"),
        (["Home address"], "home addresses"),
        (["ICD-10 code"], "diagnoses"),
        (["Nominativo"], "people's names"),
        (["Cognome e nome"], "people's names"),
        (["Nato il"], "dates of birth"),
        (["Data nascita"], "dates of birth"),
        (["Data di nascita"], "dates of birth"),
        (["N. tessera"], "record or identity numbers"),
        (["Tessera sanitaria"], "record or identity numbers"),
        (["C.F."], "record or identity numbers"),
        (["Cod. fiscale"], "record or identity numbers"),
        (["Codice fiscale"], "record or identity numbers"),
        (["Cellulare"], "phone numbers"),
        (["Indirizzo"], "home addresses"),
        (["Diagnosi"], "diagnoses"),
        (["Apellidos"], "people's names"),
        (["Fecha de nacimiento"], "dates of birth"),
        (["F. nac."], "dates of birth"),
        (["Historia clínica"], "record or identity numbers"),
        (["Nº HC"], "record or identity numbers"),
        (["NHC"], "record or identity numbers"),
        (["DNI"], "record or identity numbers"),
        (["NIE"], "record or identity numbers"),
        (["Teléfono"], "phone numbers"),
        (["Correo electrónico"], "email addresses"),
        (["Dirección"], "home addresses"),
        (["Diagnóstico"], "diagnoses"),
    ],
)
def test_headers_in_english_italian_and_spanish_are_recognised(header, said):
    with pytest.raises(PatientDataError, match=said):
        check_header(["Date", *header, "Amount"])


def check_rows(columns: list[str], rows: list[list[str]]) -> None:
    check = ValueCheck(columns)
    for line, cells in enumerate(rows, start=2):
        check.add(line, cells)
    check.check()


def test_a_column_of_names_alone_passes_and_with_another_refuses():
    payees = [["2027-03-02", "Ann Lee", "120.00"], ["2027-03-03", "John Roe", "95.00"]]
    check_rows(["Date", "Payee", "Amount"], payees)  # an influencer paid, say
    with pytest.raises(PatientDataError, match="column 'Payee' holds what look like people's"):
        check_rows(["Date", "Payee", "Condition", "Amount"], [[*r, "Asthma"] for r in payees])


def test_an_ad_account_number_on_every_row_is_not_a_list_of_phones():
    rows = [["123-456-7890", f"Campaign {i}", "2027-03-02", "12.00"] for i in range(50)]
    rows[7][1] = "Maria Fitness"  # a campaign named after someone, beside the account
    check_rows(["Customer ID", "Campaign", "Day", "Cost"], rows)


def cost_rows(notes: list[str], vendor: str = "QuickPrint") -> list[list[str]]:
    """A cost file's rows, one a note, the rest aggregate."""
    return [
        [f"2027-03-{i % 28 + 1:02d}", vendor, f"{i + 10}.50", note] for i, note in enumerate(notes)
    ]


COST_COLUMNS = ["Date", "Vendor", "Amount", "Note"]
PLAIN_NOTES = ["500 flyers", "", "Flu 2027 - Over 65s", "waiting for invoice", "line 12"] * 6


@pytest.mark.parametrize(
    "note",
    [
        # English
        "DOB 12/04/1961",
        "D.O.B.: 1961-04-12",
        "born 3 May 1950",
        "Born on April 12, 1958",
        "date of birth 12.04.61",
        "MRN 00123",
        "Med Rec # A-00012345",
        "medical record no. 4455",
        "record # 4455",
        "NHS number 943 476 5919",
        "SSN 123456789",
        "refund 123-45-6789",
        "patient John Smith",
        "Patient #12345",
        "patient Mrs Lee",
        "dx E11.9",
        "diagnosis: J45",
        "E11.9 Type 2 diabetes follow-up",
        "leaflet, Type 2 diabetes (E11.9)",
        "proof to maria.rossi@example.com",
        # Italian
        "Mario Bianchi nato il 12/04/1961",
        "nata il 2 novembre 1949",
        "data di nascita 02/11/1949",
        "codice fiscale RSSMRA58D12H501X",
        "rimborso RSSMRA58D12H501X",
        "tessera sanitaria 80380001234567890123",
        "paziente Giulia Bianchi",
        "diagnosi E11.9",
        # Spanish
        "fecha de nacimiento 12/04/1958",
        "nacida el 12 de abril de 1958",
        "historia clínica 100234",
        "NHC 100234",
        "Nº HC 1001",
        "DNI 12345678",
        "reembolso 12345678Z",
        "titular X1234567L",
        "paciente María García",
        "diagnóstico: E11.9",
    ],
)
def test_one_strong_identifier_in_one_note_refuses_the_file(note):
    rows = cost_rows([*PLAIN_NOTES, f"reprint, {note}, ok", *PLAIN_NOTES])
    with pytest.raises(PatientDataError, match=f"line {len(PLAIN_NOTES) + 2} holds .*'Note'"):
        check_rows(COST_COLUMNS, rows)


@pytest.mark.parametrize(
    "contact",
    ["call back on 555-201-3344", "richiamare al 333 1234567", "Calle Mayor 1, Madrid"],
)
def test_one_phone_or_address_in_a_note_passes_and_two_different_refuse(contact):
    check_rows(COST_COLUMNS, cost_rows([*PLAIN_NOTES, contact]))  # a vendor's, it may be
    check_rows(COST_COLUMNS, cost_rows([contact, *PLAIN_NOTES, contact]))  # the same one again
    other = "left a message at (555) 201-9876 and 4 Elm Road"
    with pytest.raises(PatientDataError, match=r"line 2 holds .* and line 33 holds"):
        check_rows(COST_COLUMNS, cost_rows([contact, *PLAIN_NOTES, other]))


def test_a_clinics_booking_line_in_every_campaign_name_passes():
    rows = [[f"Flu shots - call 555-201-3344 ({i})", "2027-03-02", "12.00"] for i in range(300)]
    check_rows(["Campaign", "Day", "Cost"], rows)


def test_an_organisations_mailbox_passes_and_a_persons_refuses():
    check_rows(COST_COLUMNS, cost_rows([*PLAIN_NOTES, "invoice from billing@quickprint.com"]))
    check_rows(COST_COLUMNS, cost_rows(["info@studionine.it", *PLAIN_NOTES, "sales@lamar.com"]))
    rows = cost_rows([*PLAIN_NOTES, "tel 020 7946 0958, 12 High Street"])
    rows[-1][1] = "Accounts <accounts@quickprint.com>"  # a vendor's desk, in one row
    check_rows(COST_COLUMNS, rows)
    with pytest.raises(PatientDataError, match="line 32 holds an email address in column"):
        check_rows(COST_COLUMNS, cost_rows([*PLAIN_NOTES, "proof sent to jane.doe@gmail.com"]))


@pytest.mark.parametrize(
    ("vendor", "note", "said"),
    [
        ("QuickPrint", "Robert Cole asked for a callback on 555 201 3344", "a phone number"),
        ("Maria Rossi", "check-up 12/04/1961", "a date of birth"),
        ("QuickPrint", "Jane Doe, 4 Elm Road", "a street address"),
        ("Lucía Fernández", "llamar al 612 345 678", "a phone number"),
    ],
)
def test_a_name_in_text_refuses_with_another_identifier_in_its_row(vendor, note, said):
    rows = cost_rows([*PLAIN_NOTES, note])
    rows[-1][1] = vendor
    with pytest.raises(PatientDataError, match=f"line 32 holds .*person's name.*{said}"):
        check_rows(COST_COLUMNS, rows)


@pytest.mark.parametrize(
    "note",
    [
        "thanks to Maria Rossi for the photos",
        "Founded 12 May 1998",
        "Dr John Smith webinar",
        "Patient Survey Star Rating",
        "Patients who opted in",
        "Born to run 5k 2027",
        "born in 2027 - newborn welcome pack",
        "Record spend in March 2027",
        "NHS 111 awareness",
        "B12 shots, H1N1 and COVID-19 boosters",
        "Q1 2027 budget 1,250.00",
        "Invoice 2027-0315 paid",
        "Order 20270301A",
        "Campaign 11223344556",
        "Meta ID 120208765432100",
        "01/03/2027-31/03/2027",
        "Mar 02, 2027 09:30 am",
        "March 1, 2027 - March 31, 2027",
        "7-day click or 1-day view",
        "Boosted via Facebook 3 days",
        "Corso BLSD 12 partecipanti",
        "Tessera fedeltà 2027",
        "Serata informativa 28/03/2027",
        "€ 1.250,50",
        "dx campaign 2027",
        "Tel Aviv office",
        "It’s time for your check-up, José",
    ],
)
def test_aggregate_text_passes(note):
    check_rows(COST_COLUMNS, cost_rows([*PLAIN_NOTES, note]))


@pytest.mark.parametrize(
    "note", ["born 1961", "Nata 1961", "MRN 00123", "nhc 100234", "ssn 123456789", "Dni 12345678"]
)
def test_a_label_and_its_number_is_not_passed_for_a_plain_line_number(note):
    rows = cost_rows([f"line {i}" for i in range(300)])
    rows[250][3] = note
    with pytest.raises(PatientDataError, match="line 252 holds"):
        check_rows(COST_COLUMNS, rows)


# Properties ------------------------------------------------------------------------------

given_names = st.sampled_from(["Ann", "Jane", "John", "Mario", "Giulia", "María", "José"])
surnames = st.sampled_from(["Lee", "Doe", "Rossi", "Bianchi", "García López", "O'Brien"])
digits = st.integers(0, 9).map(str)
identifiers = st.one_of(
    st.tuples(given_names, surnames).map(" ".join),
    st.tuples(surnames, given_names).map(", ".join),
    st.tuples(given_names, surnames).map(lambda n: f"{n[0]} {n[1]} <x{len(n[1])}@example.org>"),
    st.builds("{}{}{}-{}{}{}{}".format, *[digits] * 7),
    st.builds("({}{}{}) {}{}{}-{}{}{}{}".format, *[digits] * 10),
    st.builds("+39 3{}{} {}{}{}{}{}{}{}".format, *[digits] * 9),
    st.builds("{}{}{}-{}{}-{}{}{}{}".format, *[digits] * 9),
    st.builds(
        "{:04d}-{:02d}-{:02d}".format,
        st.integers(1901, 1999),
        st.integers(1, 12),
        st.integers(1, 28),
    ),
    st.builds(
        "{:02d}/{:02d}/{:04d}".format,
        st.integers(1, 28),
        st.integers(1, 12),
        st.integers(1901, 1999),
    ),
    st.builds(
        "{} {} {}".format,
        st.integers(1, 28),
        st.sampled_from(["Apr", "April", "aprile", "abril", "Dec."]),
        st.integers(1901, 1999),
    ),
    st.builds(
        "{}{}.{} {}".format,
        st.sampled_from("EIJ"),
        st.integers(10, 99),
        digits,
        st.sampled_from(["Type 2 diabetes", "Asthma", "- Hypertension"]),
    ),
    st.builds("0{:03d}.{:05d}".format, st.integers(0, 999), st.integers(0, 99999)),
    st.builds("0{:02d} {:04d} {:04d}".format, st.integers(0, 99), *[st.integers(0, 9999)] * 2),
    st.builds("3{:02d} {:07d}".format, st.integers(0, 99), st.integers(0, 10**7 - 1)),
    st.builds("6{:02d} {:03d} {:03d}".format, st.integers(0, 99), *[st.integers(0, 999)] * 2),
    st.builds("91 {:03d} {:02d} {:02d}".format, st.integers(0, 999), *[st.integers(0, 99)] * 2),
    st.builds("{:08d}{}".format, st.integers(0, 10**8 - 1), st.sampled_from("TRWAGMYZ")),
    st.builds("X{:07d}L".format, st.integers(0, 10**7 - 1)),
    st.just("RSSMRA58D12H501X"),
)
aggregate_cells = st.one_of(
    st.builds(
        "{:04d}-{:02d}-{:02d}".format,
        st.integers(2000, 2099),
        st.integers(1, 12),
        st.integers(1, 28),
    ),
    st.builds(
        "{:02d}/{:02d}/{:04d}".format,
        st.integers(1, 28),
        st.integers(1, 12),
        st.integers(2000, 2099),
    ),
    st.builds(
        "{:04d}{:02d}{:02d}".format, st.integers(2000, 2099), st.integers(1, 12), st.integers(1, 28)
    ),
    st.builds("{:.2f}".format, st.floats(0, 10**7, allow_nan=False)),
    st.builds("{:,.2f}".format, st.floats(0, 10**7, allow_nan=False)),
    st.builds("€ {:,.2f}".format, st.floats(0, 10**6, allow_nan=False)).map(
        lambda s: s.replace(",", "_").replace(".", ",").replace("_", ".")
    ),
    st.builds("{:.2%}".format, st.floats(0, 1, allow_nan=False)),
    st.builds("{:.8f}".format, st.floats(0, 1, allow_nan=False)),
    st.integers(0, 10**9).map(str),
    st.integers(0, 10**7).map("{:,}".format),
    st.sampled_from(
        [
            "Flu shots search",
            "Spring recall – week 1",
            "Patients who opted in",
            "search_ads",
            "Vendor 12",
            "Tipografia Rossi",
            "Over 65s",
            " --",
            "n/a",
            "(not set)",
            "/flu-shots",
            "Open day Instagram",
            "B12 shots",
            "Brand terms",
            "Newsletter March",
            "Mar 09, 2027 09:30 pm",
            "March 1, 2027",
            "7-day click or 1-day view",
            "Maximize clicks",
        ]
    ),
)


@given(
    value=identifiers,
    before=st.lists(aggregate_cells, max_size=4),
    after=st.lists(aggregate_cells, max_size=4),
)
def test_the_quick_look_at_a_row_never_misses_an_identifier(value, before, after):
    assert classify(value) is not None, value
    row = _SEP + _SEP.join([*before, value, *after])
    assert "@" in row or _GATE.search(row), row


@given(
    value=st.text(string.printable + "àéíñóº€’", max_size=30),
    before=st.lists(aggregate_cells, max_size=3),
)
def test_whatever_is_classified_passes_the_quick_look(value, before):
    if classify(value) is not None:
        row = _SEP + _SEP.join([*before, value])
        assert "@" in row or _GATE.search(row), row


name_words = st.sampled_from(
    [
        "Ann",
        "Lee",
        "María",
        "de",
        "la",
        "della",
        "y",
        "Rossi",
        "Mario",
        "O'Brien",
        "Jean-Luc",
        "B.",
        "Mrs",
        "Sig.ra",
        "shots",
        "Flu",
        "ANN",
        "LEE",
        "van",
        "Ángel",
        "García",
        "x",
    ]
)
name_gaps = st.sampled_from([" ", ", ", "  ", "\t", ",", " ,", "\xa0"])


@settings(max_examples=1500)
@given(st.lists(st.tuples(name_words, name_gaps), min_size=1, max_size=6))
def test_every_name_passes_the_quick_look(words):
    text = "".join(word + gap for word, gap in words).rstrip(" ,\t\xa0")
    if classify(text) is not None:
        assert _GATE.search(_SEP + text) or "@" in text, text


@pytest.mark.parametrize("plain", _PLAIN_CELLS)
def test_a_plain_cell_is_never_an_identifier(plain):
    """A column of plain cells is passed without a look at each: none may be an identifier
    (an "@" keeps a column from being passed so)."""

    @settings(max_examples=300)
    @given(st.from_regex(plain, fullmatch=True).filter(lambda v: "@" not in v))
    def plain_cells(value):
        assert classify(value) is None, value
        assert identifiers_in(value) == (), value

    plain_cells()


label_words = st.sampled_from(
    [*_LONE_LABELS, "record", "chart", "patient", "paziente", "dx", "via", "calle", "nhs", "cf"]
)


@settings(max_examples=500)
@given(
    word=label_words,
    cut=st.integers(0, 3),
    extra=st.text("abcdilmnorst", max_size=3),
    capital=st.booleans(),
    number=st.integers(0, 10**12),
)
def test_a_word_and_a_number_passed_as_plain_hold_no_identifier(word, cut, extra, capital, number):
    """Labels and words like them ("born", "borne", "Medrecs") before a number: "born 1961"
    must not pass for a plain "line 12"."""
    word = (word[: len(word) - cut] if cut else word) + extra
    cell = f"{word.capitalize() if capital else word} {number}"
    if word and _PLAIN_COLUMNS[-1](_SEP + cell):
        assert identifiers_in(cell) == (), cell


@given(value=identifiers, before=st.lists(aggregate_cells, max_size=3))
def test_no_identifier_passes_for_a_plain_cell(value, before):
    column = _SEP + _SEP.join([*before, value])
    assert "@" in column or not any(plain(column) for plain in _PLAIN_COLUMNS), value


@given(aggregate_cells)
def test_aggregate_figures_are_never_taken_for_identifiers(value):
    assert classify(value) is None, value
    assert identifiers_in(value) == (), value


@settings(max_examples=40, suppress_health_check=[HealthCheck.too_slow])
@given(
    rows=st.lists(st.lists(aggregate_cells, min_size=4, max_size=4), max_size=3000),
    where=st.integers(0, 3000),
    first=identifiers.filter(lambda v: classify(v) != "birth"),
    born=st.builds(
        "{:04d}-{:02d}-{:02d}".format,
        st.integers(1901, 1999),
        st.integers(1, 12),
        st.integers(1, 28),
    ),
)
def test_one_patient_row_anywhere_refuses_the_file(rows, where, first, born):
    columns = ["A", "B", "C", "D"]
    check_rows(columns, rows)  # aggregate rows alone pass
    patient = [first, "12.00", born, "2027-03-02"]
    with pytest.raises(PatientDataError, match=r"line \d+ holds"):
        check_rows(columns, [*rows[:where], patient, *rows[where:]])


DNI_LETTERS = "TRWAGMYFPDXBNJZSQVHLCKE"  # the Spanish interior ministry's table
upper = st.sampled_from(string.ascii_uppercase)
birth_dates = st.one_of(
    st.builds(
        "{:02d}/{:02d}/{}".format, st.integers(1, 28), st.integers(1, 12), st.integers(1920, 2026)
    ),
    st.builds(
        "{}-{:02d}-{:02d}".format, st.integers(1920, 1999), st.integers(1, 12), st.integers(1, 28)
    ),
    st.builds(
        "{} {} {}".format,
        st.integers(1, 28),
        st.sampled_from(["May", "aprile", "abril"]),
        st.integers(1920, 1999),
    ),
    st.integers(1901, 1999).map(str),
)
strong_identifiers = st.one_of(
    st.builds(
        "{:03d}-{:02d}-{:04d}".format, st.integers(1, 999), st.integers(1, 99), st.integers(1, 9999)
    ),
    st.integers(0, 10**8 - 1).map(lambda n: f"{n:08d}{DNI_LETTERS[n % 23]}"),
    st.tuples(st.integers(0, 2), st.integers(0, 10**7 - 1)).map(
        lambda t: f"{'XYZ'[t[0]]}{t[1]:07d}{DNI_LETTERS[(t[0] * 10**7 + t[1]) % 23]}"
    ),
    st.builds(
        "{}{}{}{}{}{}{:02d}{}{:02d}{}{:03d}{}".format,
        *[upper] * 6,
        st.integers(0, 99),
        st.sampled_from("ABCDEHLMPRST"),
        st.integers(1, 71),
        upper,
        st.integers(0, 999),
        upper,
    ),
    st.builds(
        "{} {}".format,
        st.sampled_from(
            [
                "DOB",
                "D.O.B.",
                "born",
                "nato il",
                "nata il",
                "data di nascita",
                "fecha de nacimiento",
            ]
        ),
        birth_dates,
    ),
    st.builds(
        "{} {}".format,
        st.sampled_from(
            [
                "MRN",
                "MRN:",
                "Med Rec #",
                "record #",
                "NHS number",
                "NHC",
                "Nº HC",
                "historia clínica",
                "tessera sanitaria",
                "cartella clinica n.",
            ]
        ),
        st.integers(100, 10**10).map(str),
    ),
    st.builds(
        "{} {}".format,
        st.sampled_from(["SSN", "social security no.", "NSS"]),
        st.integers(10**6, 10**9).map(str),
    ),
    st.builds(
        "{} {} {}".format,
        st.sampled_from(["patient", "Patient:", "paziente", "paciente"]),
        given_names,
        surnames,
    ),
    st.builds(
        "{}{:02d}.{} {}".format,
        st.sampled_from("EIJKMN"),
        st.integers(0, 99),
        st.integers(0, 9),
        st.sampled_from(["Type 2 diabetes", "asthma", "- Hypertension", "diabetes tipo 2"]),
    ),
    st.builds(
        "{} {}{:02d}".format,
        st.sampled_from(["dx", "Dx:", "diagnosi", "diagnóstico"]),
        st.sampled_from("EIJ"),
        st.integers(0, 99),
    ),
    st.builds(
        "{}.{}@example.org".format,
        st.sampled_from(["ann", "mario", "maria"]),
        st.sampled_from(["lee", "rossi"]),
    ),
)
note_words = st.sampled_from(
    [
        "Flu",
        "shots",
        "2027",
        "-",
        "Over",
        "65s",
        "paid",
        "500",
        "flyers",
        "invoice",
        "1,250.00",
        "ok",
        "Spring",
        "recall",
        "week",
        "1",
        "(reprint)",
    ]
)


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(
    notes=st.lists(st.lists(note_words, max_size=6).map(" ".join), max_size=300),
    where=st.integers(0, 300),
    identifier=strong_identifiers,
    before=st.lists(note_words, max_size=4),
    after=st.lists(note_words, max_size=4),
)
def test_one_strong_identifier_in_any_note_of_an_aggregate_file_refuses_it(
    notes, where, identifier, before, after
):
    rows = cost_rows(notes)
    check_rows(COST_COLUMNS, rows)  # the aggregate rows alone pass
    where = min(where, len(rows))
    note = " ".join([*before, identifier, *after])
    rows.insert(where, cost_rows([note])[0])
    with pytest.raises(PatientDataError) as refused:
        check_rows(COST_COLUMNS, rows)
    assert f"line {where + 2} holds" in str(refused.value) or "column 'Note' holds" in str(
        refused.value
    )
    assert identifier not in str(refused.value)
