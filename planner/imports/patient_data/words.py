"""The words identifiers of people are known by, in English, Italian and Spanish: given
names, titles, months, the labels written before a date of birth or a record number, the words
for a street, and the mailboxes of an organisation (not of a person). Data, with the functions
that fold a text as these words are compared."""

from __future__ import annotations

import re
import unicodedata


def fold(text: str) -> str:
    """A text as matched: its words split (``DateOfBirth``, ``date_of_birth``), without accents
    (``º`` becomes ``o``), case or extra spaces."""
    text = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", text.replace("\ufeff", "")).replace("_", " ")
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    return " ".join(text.split()).casefold()


def fold_word(word: str) -> str:
    return fold(word).rstrip(".")


def word_set(text: str) -> frozenset[str]:
    return frozenset(text.split())


MONTHS = word_set(
    "january february march april may june july august september october november december "
    "jan feb mar apr jun jul aug sep sept oct nov dec "
    "gennaio febbraio marzo aprile maggio giugno luglio agosto settembre ottobre novembre "
    "dicembre gen mag giu lug ago set ott dic "
    "enero febrero abril mayo junio julio septiembre setiembre octubre noviembre diciembre "
    "ene abr"
)


PARTICLES = word_set("de del della delle dei degli di da dal la las le lo los van von der den y")
TITLES = word_set(
    "mr mrs ms miss mx sig sig.ra sig.na sigra signor signora signorina sr sra srta senor "
    "senora senorita dona"
)
# Common given names in English, Italian and Spanish, without those that are also common
# words or places in a campaign's name (April, Grace, Hope, Rosa, Dolores, Soledad, Mark,
# Will, Austin, Virginia...).
GIVEN_NAMES = word_set(
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

# Labels, in lower case (``_ci`` in ``within.py`` makes them match either), separated by "; ",
# written with the few means ``_spellings`` there reads.
BIRTH_LABELS = (
    r"dob; d\.[ ]?o\.[ ]?b\.?; date of birth; birthdate; birth date; birthday; born; born on; "
    r"born in; nato; nata; nat[oa](?:/a)? (?:il|nel); data di nascita; data nascita; "
    r"fecha de nacimiento; fecha nacimiento; fecha nac\.?; f\.[ ]?nac\.?; nacido; nacida; "
    r"nacid[oa](?:/a)? (?:el|en)"
)
RECORD_LABELS = (  # followed by a number, a marker ("#", "no.") or not
    r"mrn; m\.r\.n\.?; med\.?[ ]?rec(?:ord)?s?\.?; medical records?; health records?; nhc; "
    r"n[º°o]\.?[ ]?h\.?[ ]?c\.?; h\.c\.; historia cl[ií]nica; historial cl[ií]nico; "
    r"cartella clinica; tessera sanitaria; tarjeta sanitaria; expediente cl[ií]nico; "
    r"member id; insurance id; nhs (?:number|no\.?)"
)
RECORD_MARKED_LABELS = "record; chart; cartella; tessera; historia"  # "record #", "chart no."
SSN_LABELS = (
    r"ssn; s\.s\.n\.?; social security(?: number| no\.?)?; soc\.?[ ]?sec\.?(?: no\.?)?; nss; "
    r"n\.s\.s\.?; seguridad social"
)
TAX_LABELS = r"codice fiscale; cod\.?[ ]?fisc(?:ale)?\.?; c\.[ ]?f\.; dni; nie; nif"
PATIENT_LABELS = r"patient; paziente; paciente; pt\.; pz\."
DIAGNOSIS_LABELS = (
    r"dx; diagnos[ie]s; diagnosi; diagn[oó]stico; icd(?:-?10)?(?: code)?; cie(?:-?10)?"
)
PHONE_LABELS = (
    r"tel; tel\.; telefono; tel[eé]fono; telephone; phone; ph\.; cell; cellulare; cel\.; "
    r"mobile; movil; m[oó]vil; call; chiamare; richiamare; llamar"
)
PLACE_CASED = ("Via", "Largo", "Plaza", "Camino", "Ronda")  # in lower case, words of English
PLACE_WORDS = (
    r"viale; v\.le; piazza; p\.zza; piazzale; vicolo; calle; c/; avenida; avda\.?; av\.; pza\.?; "
    r"paseo; carretera; traves[ií]a"
)
# Mailboxes of an organisation, not of a person (see ``within.py``).
ROLE_MAILBOXES = word_set(
    "info billing invoice invoices accounts accounting admin office sales support help hello "
    "contact contacts enquiries inquiries orders order marketing press media news newsletter "
    "noreply no-reply donotreply do-not-reply team service reception bookings booking events "
    "payments finance amministrazione fatture fatturazione ordini contabilita segreteria "
    "commerciale ventas facturacion facturas pedidos administracion contabilidad contacto "
    "informacion reservas prensa"
)
