"""The exports the planner knows: where each keeps its dates, money and figures.

A format names, for each field of a cost or a result, the columns that usually hold it; the
metrics (columns of figures) a result can come from, with the words that make a campaign's
measure the obvious one for each; and the quirks of the tool: Google Ads' date-range line and
``Total:`` rows, Meta's currency in the header, GA4's dates in ``#`` comments, the HCAHPS file's
one row per measure. Anything else is the generic format, mapped by the user.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field

from planner.domain.models import Channel
from planner.imports.cells import read_date, read_date_range
from planner.imports.tabular import Sheet, normalize

COST_FIELDS = ("date", "start", "amount", "currency", "channel", "vendor", "activity", "note")
RESULT_FIELDS = ("date", "start", "measure", "value")
FIELD_HELP = {
    "date": "the day, or the last day of the period a row covers",
    "start": "the first day of the period a row covers",
    "amount": "the amount spent",
    "currency": "the currency code of the amount",
    "channel": "the channel (a column, or one channel for every row)",
    "vendor": "who was paid (a column, or one name for every row)",
    "activity": "the campaign's activity (matched by name)",
    "note": "a note (a column, or one text for every row)",
    "measure": "the name of the measure, for files with one row per figure",
    "value": "the figure, for files with one row per figure",
}
# Fields that may be given a fixed text instead of a column.
FIXED_FIELDS = frozenset({"channel", "vendor", "activity", "note", "measure"})


_TOTAL = re.compile(r"(?i)\s*((grand )?totals?|totale|summe|gesamt)\b")
_TOTAL_FIRST = frozenset("GgTtSs")


@dataclass(frozen=True)
class Metric:
    """A column (or, in a file with one row per figure, an id) that holds a figure."""

    name: str
    phrases: tuple[str, ...] = ()  # a measure whose name says one of these is the obvious one
    fraction: bool = False  # a rate written as a fraction (0.0118 for 1.18%)


@dataclass(frozen=True)
class Format:
    key: str
    title: str
    vendor: str = ""
    channel: Channel | None = None
    has_costs: bool = True
    # The header is this format's when it has a column of each group.
    signature: tuple[tuple[str, ...], ...] = ()
    defaults: dict[str, tuple[str, ...]] = field(default_factory=dict)
    metrics: tuple[Metric, ...] = ()
    day_first: bool | None = None  # a fixed order of day and month, or None: from the file
    facility_columns: tuple[str, ...] = ()  # about a facility or an ad account, not a patient
    # One row per figure: the column naming the figure, and how to find its value.
    metric_column: str | None = None
    value_column: Callable[[str], tuple[str, ...]] | None = None
    source_column: str | None = None  # the name of what a row is about (a campaign, a page)
    currency_in_header: str | None = None  # a pattern whose group 1 is the currency code
    channel_of: Callable[[str], Channel | None] | None = None  # from the source_column's type
    type_column: str | None = None
    # Columns naming what a row is about: a row with all of them blank is a summary row.
    name_columns: tuple[str, ...] = ()

    def matches(self, header: list[str]) -> bool:
        names = {normalize(cell) for cell in header}
        if self.currency_in_header and not any(
            re.match(self.currency_in_header, name) for name in names
        ):
            return False
        return bool(self.signature) and all(
            any(normalize(option) in names for option in group) for group in self.signature
        )

    def total_test(self, sheet: Sheet) -> Callable[[list[str]], bool]:
        """Whether a row of ``sheet`` is one of totals (``Total: Campaigns``, a summary row
        with no name), not data."""
        names = [i for name in self.name_columns if (i := sheet.column(name)) is not None]

        def says_total(cell: str) -> bool:
            # Only a cell starting with a space or a letter of "total", "grand total",
            # "totale", "summe" or "gesamt" can match: most cells are passed at a glance.
            first = cell[:1]
            return (first in _TOTAL_FIRST or first.isspace()) and _TOTAL.match(cell) is not None

        def is_total(cells: list[str]) -> bool:
            if says_total(cells[0]) or (len(cells) > 1 and says_total(cells[1])):
                return True
            return bool(names) and not any(cells[i].strip() for i in names)

        return is_total

    def currency(self, sheet: Sheet) -> str | None:
        """The currency the header names (``Amount spent (USD)``), if the format puts it there."""
        if not self.currency_in_header:
            return None
        for name in sheet.header:
            match = re.match(self.currency_in_header, normalize(name))
            if match:
                return match.group(1).upper()
        return None

    def amount_column(self, sheet: Sheet) -> str | None:
        if self.currency_in_header:
            for name in sheet.columns:
                if re.match(self.currency_in_header, normalize(name)):
                    return name
        return None

    def period(self, sheet: Sheet) -> tuple[dt.date, dt.date] | None:
        """The dates a whole report covers, from its title lines (Google Ads) or its comments
        (GA4), for files without a date on each row."""
        for line in sheet.preamble:
            found = read_date_range(line)
            if found:
                return found
        starts = [
            c.split(":", 1)[1] for c in sheet.comments if c.casefold().startswith("start date:")
        ]
        ends = [c.split(":", 1)[1] for c in sheet.comments if c.casefold().startswith("end date:")]
        if starts and ends:
            try:
                first, last = read_date(starts[0]), read_date(ends[0])
            except ValueError:
                return None
            if first and last and first <= last:
                return first, last
        return None


def _google_channel(kind: str) -> Channel | None:
    kind = kind.strip().casefold()
    if kind in ("display", "video", "demand gen", "discovery", "app"):
        return Channel.DISPLAY_ADS
    return Channel.SEARCH_ADS if kind else None


def _hcahps_value(measure_id: str) -> tuple[str, ...]:
    measure_id = measure_id.strip().upper()
    if measure_id.endswith("STAR_RATING"):
        return ("Patient Survey Star Rating",)
    if measure_id.endswith("LINEAR_SCORE"):
        return ("HCAHPS Linear Mean Value",)
    return ("HCAHPS Answer Percent", "HCAHPS Linear Mean Value", "Patient Survey Star Rating")


GOOGLE_ADS = Format(
    key="google-ads",
    title="Google Ads campaign report",
    vendor="Google Ads",
    channel=Channel.SEARCH_ADS,
    signature=(
        ("Campaign",),
        ("Cost",),
        ("Impr.", "Impressions", "Clicks"),
        ("Currency code", "Campaign status", "Campaign type", "Avg. CPC", "Budget"),
    ),
    defaults={
        "date": ("Day", "Date"),
        "amount": ("Cost",),
        "currency": ("Currency code",),
        "activity": ("Campaign",),
    },
    metrics=(
        Metric("Clicks", ("ad clicks", "clicks on ads", "search ad clicks")),
        Metric("Impr.", ("ad impressions", "impressions")),
        Metric("Conversions", ("ad conversions", "conversions")),
        Metric("CTR", ("click-through rate", "ctr")),
        Metric("Conv. rate", ("conversion rate",)),
        Metric("Interactions"),
        Metric("Avg. CPC"),
        Metric("Cost / conv."),
        Metric("Optimization score"),
        Metric("Optimisation score"),
    ),
    source_column="Campaign",
    type_column="Campaign type",
    channel_of=_google_channel,
    facility_columns=("Customer ID",),  # an account's number, written like a phone number
)

META_ADS = Format(
    key="meta-ads",
    title="Meta Ads Manager export",
    vendor="Meta",
    channel=Channel.SOCIAL_MEDIA,
    signature=(("Campaign name", "Reporting starts", "Ad set name", "Ad name"),),
    currency_in_header=r"^amount spent \(([a-z]{3})\)$",
    defaults={
        "date": ("Day", "Reporting ends"),
        "start": ("Reporting starts",),
        "activity": ("Campaign name",),
    },
    metrics=(
        Metric("Results", ("meta results", "facebook results")),
        Metric("Link clicks", ("link clicks", "social clicks", "facebook clicks")),
        Metric("Impressions", ("social impressions", "facebook impressions")),
        Metric("Reach", ("reach", "people reached")),
        Metric("Cost per results"),
        Metric("Cost per result"),
        Metric("Frequency"),
    ),
    source_column="Campaign name",
    name_columns=("Campaign name", "Ad set name", "Ad name"),
)

MAILCHIMP = Format(
    key="mailchimp",
    title="Mailchimp campaign export",
    vendor="Mailchimp",
    channel=Channel.EMAIL,
    has_costs=False,
    signature=(("Send Date",), ("Open Rate", "Unique Opens"), ("Title", "Subject")),
    defaults={"date": ("Send Date",)},
    metrics=(
        Metric("Open Rate", ("open rate",)),
        Metric("Click Rate", ("click rate", "email click-through rate")),
        Metric("Unique Opens", ("unique opens", "email opens")),
        Metric("Unique Clicks", ("unique clicks", "email clicks")),
        Metric("Total Recipients", ("recipients", "emails sent")),
        Metric("Successful Deliveries", ("deliveries", "emails delivered")),
        Metric("Total Opens"),
        Metric("Total Clicks"),
        Metric("Unsubscribes", ("unsubscribes",)),
        Metric("Total Bounces", ("bounces",)),
        Metric("Hard Bounces"),
        Metric("Soft Bounces"),
        Metric("Abuse Complaints"),
        Metric("Times Forwarded"),
    ),
    source_column="Title",
)

GA4 = Format(
    key="ga4",
    title="Google Analytics 4 report",
    vendor="Google Analytics",
    channel=Channel.WEBSITE,
    has_costs=False,
    signature=(
        ("Sessions", "Active users", "New users", "Total users", "Views"),
        (
            "Key events",
            "Conversions",
            "Engagement rate",
            "Average engagement time per session",
            "Average engagement time",
            "Event count",
            "Total revenue",
            "Engaged sessions",
            "Bounce rate",
        ),
    ),
    defaults={"date": ("Date",)},
    metrics=(
        Metric("Sessions", ("sessions", "website visits", "site visits")),
        Metric("Active users", ("active users", "website visitors", "website users")),
        Metric("New users", ("new users", "new visitors")),
        Metric("Total users"),
        Metric("Views", ("page views", "pageviews")),
        Metric("Key events", ("key events", "website conversions")),
        Metric("Conversions", ("website conversions",)),
        Metric("Engaged sessions", ("engaged sessions",)),
        Metric("Session key event rate", ("key event rate",), fraction=True),
        Metric("Session conversion rate", (), fraction=True),
        Metric("Engagement rate", ("engagement rate",), fraction=True),
        Metric("Bounce rate", ("bounce rate",), fraction=True),
        Metric("Average engagement time per session", ("engagement time",)),
        Metric("Event count"),
        Metric("Total revenue"),
    ),
)

HCAHPS = Format(
    key="hcahps",
    title="CMS HCAHPS patient survey file",
    vendor="CMS Hospital Compare",
    has_costs=False,
    signature=(("HCAHPS Measure ID",),),
    defaults={"date": ("End Date",), "start": ("Start Date",)},
    day_first=False,
    metric_column="HCAHPS Measure ID",
    value_column=_hcahps_value,
    facility_columns=(
        "Facility ID",
        "Facility Name",
        "Address",
        "City/Town",
        "City",
        "State",
        "ZIP Code",
        "County/Parish",
        "County Name",
        "Telephone Number",
    ),
    metrics=(
        Metric(
            "H_STAR_RATING", ("hcahps star rating", "summary star rating", "hospital star rating")
        ),
        Metric(
            "H_HSP_RATING_9_10",
            ("overall hospital rating", "rating 9 or 10", "rate the hospital 9 or 10"),
        ),
        Metric("H_RECMND_DY", ("definitely recommend", "recommend the hospital")),
        Metric("H_HSP_RATING_STAR_RATING", ("overall rating stars",)),
        Metric("H_RECMND_STAR_RATING"),
        Metric("H_COMP_1_STAR_RATING", ("nurse communication",)),
        Metric("H_COMP_2_STAR_RATING", ("doctor communication",)),
        Metric("H_CLEAN_STAR_RATING", ("cleanliness",)),
        Metric("H_QUIET_STAR_RATING", ("quietness",)),
    ),
)

GENERIC = Format(
    key="generic",
    title="Spreadsheet (columns mapped by you)",
    # English names first, then Italian, Spanish and German ones.
    defaults={
        "date": ("Date", "Day", "End date", "Period end", "To", "Data", "Datum", "Fecha"),
        "start": ("Start date", "Period start", "From", "Data inizio", "Fecha inicio"),
        "amount": (
            "Amount",
            "Cost",
            "Costs",
            "Spend",
            "Spent",
            "Amount spent",
            "Importo",
            "Costo",
            "Spesa",
            "Importe",
            "Coste",
            "Gasto",
            "Betrag",
        ),
        "currency": ("Currency", "Currency code", "Valuta", "Moneda"),
        "channel": ("Channel", "Canale", "Canal", "Medium"),
        "vendor": ("Vendor", "Supplier", "Payee", "Fornitore", "Proveedor"),
        "activity": ("Activity", "Attività", "Actividad", "Campaign"),
        "note": (
            "Note",
            "Notes",
            "Description",
            "Descrizione",
            "Descripción",
            "Concepto",
            "Notas",
            "Memo",
            "Details",
        ),
        "measure": ("Measure", "Metric", "KPI", "Indicator", "Indicatore", "Indicador"),
        "value": ("Value", "Valore", "Valor", "Result", "Figure"),
    },
)

FORMATS: dict[str, Format] = {
    f.key: f for f in (GOOGLE_ADS, META_ADS, MAILCHIMP, GA4, HCAHPS, GENERIC)
}
FORMAT_KEYS = tuple(FORMATS)


def detect(header: list[str]) -> Format | None:
    """The known export whose header this is, or None."""
    for fmt in FORMATS.values():
        if fmt is not GENERIC and fmt.matches(header):
            return fmt
    return None


def is_known_header(cells: list[str]) -> bool:
    return detect(cells) is not None


# Channels as spreadsheets name them, besides the planner's own names: in English, Italian and
# Spanish, looked up without case or accents (see ``channel_key``). Radio, television and
# billboards have no channel of their own in the planner, so they are left to the user to map.
CHANNEL_WORDS: dict[str, Channel] = {
    "e-mail": Channel.EMAIL,
    "newsletter": Channel.EMAIL,
    "mailchimp": Channel.EMAIL,
    "text": Channel.SMS,
    "text message": Channel.SMS,
    "facebook": Channel.SOCIAL_MEDIA,
    "instagram": Channel.SOCIAL_MEDIA,
    "meta": Channel.SOCIAL_MEDIA,
    "social": Channel.SOCIAL_MEDIA,
    "linkedin": Channel.SOCIAL_MEDIA,
    "tiktok": Channel.SOCIAL_MEDIA,
    "google ads": Channel.SEARCH_ADS,
    "google": Channel.SEARCH_ADS,
    "search": Channel.SEARCH_ADS,
    "ppc": Channel.SEARCH_ADS,
    "display": Channel.DISPLAY_ADS,
    "banner": Channel.DISPLAY_ADS,
    "portal": Channel.PATIENT_PORTAL,
    "web": Channel.WEBSITE,
    "seo": Channel.WEBSITE,
    "blog": Channel.WEBSITE,
    "print": Channel.PRINT_MAIL,
    "mail": Channel.PRINT_MAIL,
    "print & mail": Channel.PRINT_MAIL,
    "print and mail": Channel.PRINT_MAIL,
    "direct mail": Channel.PRINT_MAIL,
    "flyer": Channel.PRINT_MAIL,
    "flyers": Channel.PRINT_MAIL,
    "posters": Channel.PRINT_MAIL,
    "event": Channel.EVENTS,
    "seminar": Channel.EVENTS,
    "press": Channel.PR,
    "public relations": Channel.PR,
    # Italian
    "posta elettronica": Channel.EMAIL,
    "messaggi": Channel.SMS,
    "messaggio": Channel.SMS,
    "messaggi sms": Channel.SMS,
    "social network": Channel.SOCIAL_MEDIA,
    "ricerca a pagamento": Channel.SEARCH_ADS,
    "annunci di ricerca": Channel.SEARCH_ADS,
    "annunci google": Channel.SEARCH_ADS,
    "pubblicita display": Channel.DISPLAY_ADS,
    "annunci display": Channel.DISPLAY_ADS,
    "portale": Channel.PATIENT_PORTAL,
    "portale pazienti": Channel.PATIENT_PORTAL,
    "portale del paziente": Channel.PATIENT_PORTAL,
    "sito": Channel.WEBSITE,
    "sito web": Channel.WEBSITE,
    "sito internet": Channel.WEBSITE,
    "pagina web": Channel.WEBSITE,
    "stampa": Channel.PRINT_MAIL,
    "stampati": Channel.PRINT_MAIL,
    "posta": Channel.PRINT_MAIL,
    "posta cartacea": Channel.PRINT_MAIL,
    "lettere": Channel.PRINT_MAIL,
    "volantini": Channel.PRINT_MAIL,
    "volantino": Channel.PRINT_MAIL,
    "volantinaggio": Channel.PRINT_MAIL,
    "locandine": Channel.PRINT_MAIL,
    "manifesti": Channel.PRINT_MAIL,
    "opuscoli": Channel.PRINT_MAIL,
    "depliant": Channel.PRINT_MAIL,
    "eventi": Channel.EVENTS,
    "evento": Channel.EVENTS,
    "convegno": Channel.EVENTS,
    "convegni": Channel.EVENTS,
    "seminario": Channel.EVENTS,
    "seminari": Channel.EVENTS,
    "telemedicina": Channel.TELEHEALTH,
    "televisita": Channel.TELEHEALTH,
    "ufficio stampa": Channel.PR,
    "comunicato stampa": Channel.PR,
    "comunicati stampa": Channel.PR,
    "relazioni pubbliche": Channel.PR,
    "altro": Channel.OTHER,
    "altri": Channel.OTHER,
    # Spanish
    "correo": Channel.EMAIL,
    "correo electronico": Channel.EMAIL,
    "boletin": Channel.EMAIL,
    "mensajes": Channel.SMS,
    "mensaje de texto": Channel.SMS,
    "mensajes de texto": Channel.SMS,
    "redes sociales": Channel.SOCIAL_MEDIA,
    "redes": Channel.SOCIAL_MEDIA,
    "anuncios de busqueda": Channel.SEARCH_ADS,
    "busqueda de pago": Channel.SEARCH_ADS,
    "publicidad en buscadores": Channel.SEARCH_ADS,
    "anuncios display": Channel.DISPLAY_ADS,
    "publicidad display": Channel.DISPLAY_ADS,
    "portal del paciente": Channel.PATIENT_PORTAL,
    "portal de pacientes": Channel.PATIENT_PORTAL,
    "sitio web": Channel.WEBSITE,
    "impresos": Channel.PRINT_MAIL,
    "imprenta": Channel.PRINT_MAIL,
    "folletos": Channel.PRINT_MAIL,
    "folleto": Channel.PRINT_MAIL,
    "carteles": Channel.PRINT_MAIL,
    "correo postal": Channel.PRINT_MAIL,
    "buzoneo": Channel.PRINT_MAIL,
    "eventos": Channel.EVENTS,
    "jornadas": Channel.EVENTS,
    "congreso": Channel.EVENTS,
    "teleconsulta": Channel.TELEHEALTH,
    "prensa": Channel.PR,
    "relaciones publicas": Channel.PR,
    "otro": Channel.OTHER,
    "otros": Channel.OTHER,
}


def channel_key(text: str) -> str:
    """A channel's name as it is looked up: without case, accents, ``_``, ``-`` or extra
    spaces (``Anuncios de búsqueda`` = ``anuncios de busqueda``)."""
    decomposed = unicodedata.normalize("NFKD", text.strip().casefold())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(plain.replace("_", " ").replace("-", " ").split())


_CHANNEL_KEYS: dict[str, Channel] = {channel_key(word): c for word, c in CHANNEL_WORDS.items()}
for _channel in Channel:
    _CHANNEL_KEYS[channel_key(_channel.value)] = _channel
    _CHANNEL_KEYS[channel_key(_channel.label)] = _channel


@functools.lru_cache(maxsize=1024)
def read_channel(text: str) -> Channel | None:
    """A channel as a spreadsheet names it (``Facebook``, ``Newsletter``, ``search_ads``,
    ``Stampa``, ``Redes sociales``)."""
    key = channel_key(text)
    if not key:
        return None
    if key in _CHANNEL_KEYS:
        return _CHANNEL_KEYS[key]
    known = ", ".join(channel.value for channel in Channel)
    raise ValueError(f"'{text.strip()}' is not a channel; the channels are: {known}.")
