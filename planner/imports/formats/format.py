"""What a format is: the columns an export keeps its dates, money and figures in, and its quirks.

A ``Format`` names, for each field of a cost or a result, the columns that usually hold it; the
metrics (columns of figures) a result can come from, with the words that make a campaign's
measure the obvious one for each; and how the export marks its totals rows, its currency and
the dates a whole report covers. Each export the planner knows is one module beside this one.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from planner.domain.models import Channel
from planner.imports.cells import read_date, read_date_range
from planner.imports.tabular import Sheet, normalize

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
    """An export the planner knows (each in its own module beside this one), or the generic
    spreadsheet: its columns and quirks."""

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
