"""The exports the planner knows, one module each, and how a file's header is recognised.

- ``format.py``: what a format is (``Format``, ``Metric``) and how one finds its totals rows,
  its currency and the dates a report covers;
- ``google_ads.py``: Google Ads' campaign report;
- ``meta.py``: Meta Ads Manager's export (Facebook, Instagram);
- ``mailchimp.py``: Mailchimp's campaign export;
- ``ga4.py``: a Google Analytics 4 report;
- ``hcahps.py``: the CMS HCAHPS patient survey file;
- ``generic.py``: any other spreadsheet, mapped by the user.

The format modules declare where an export keeps each field; the values are read elsewhere:
an amount in ``imports/costs.py`` (``_amount_reader``) and ``imports/cells.py``
(``read_amount``), a figure in ``imports/results.py``, a date in ``imports/cells.py``.

This module holds the fields an import reads and the list of formats; ``detect`` finds the
export a header is. Anything it does not recognise is read as the generic format.
"""

from __future__ import annotations

from planner.imports.formats.format import Format
from planner.imports.formats.ga4 import GA4
from planner.imports.formats.generic import GENERIC
from planner.imports.formats.google_ads import GOOGLE_ADS
from planner.imports.formats.hcahps import HCAHPS
from planner.imports.formats.mailchimp import MAILCHIMP
from planner.imports.formats.meta import META_ADS

COST_FIELDS = ("date", "start", "amount", "currency", "channel", "vendor", "activity", "note")
# What a result belongs to, read only from a column (or text) the user maps: a file's own
# "Campaign" or "Channel" column names the source's campaign, not the plan's items.
BREAKDOWN_FIELDS = ("of", "variant", "activity", "segment", "influencer", "channel")
RESULT_FIELDS = ("date", "start", "measure", "value", *BREAKDOWN_FIELDS, "content")
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
    "of": "what the figure is out of (the invitations sent, for bookings)",
    "variant": "the campaign's message variant a result belongs to (matched by name)",
    "segment": "the campaign's segment a result belongs to (matched by name)",
    "influencer": "the campaign's influencer a result belongs to (matched by name)",
    "content": "the tracking link's utm_content (GA4's Session manual ad content): the "
    "activity whose link carries it; rows of other tags are left out",
}
# Fields that may be given a fixed text instead of a column.
FIXED_FIELDS = frozenset(
    {"channel", "vendor", "activity", "note", "measure", "variant", "segment", "influencer"}
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
