"""What an import would write (or wrote), counted while the file is read: the ``Preview`` the
screen and the command line show, with every row that cannot be read (``Problem``)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from planner.domain.models import Entry, ImportKind, Result
from planner.domain.numbers import format_money
from planner.domain.words import plural
from planner.imports.channels import channel_key

PREVIEW_ENTRIES = 100
MAX_PROBLEMS = 1000


@dataclass(frozen=True)
class Problem:
    """A row that cannot be read: its line in the file, the column, the value and why."""

    line: int
    column: str
    value: str
    reason: str
    unknown_channel: bool = False  # a channel named in words the planner does not know

    def __str__(self) -> str:
        value = f" '{self.value}'" if self.value else ""
        return f"line {self.line}, {self.column}{value}: {self.reason}"


@dataclass(frozen=True)
class LeftOut:
    """A row of a channel the user chose to leave out of the import (``{"Radio": ""}``)."""

    key: str
    text: str


@dataclass
class Preview:
    """What an import would write (or wrote), counted while reading the file."""

    kind: ImportKind
    currency: str
    style: str | None = None  # the campaign's number style, which money is shown in
    rows_read: int = 0  # data rows, without totals rows and rows the filter left out
    totals_skipped: int = 0
    filtered: int = 0
    empty: int = 0  # rows with no amount (or zero), or none of the mapped figures
    unmapped: int = 0  # rows of a figure no measure is mapped to (one row per figure)
    other_tags: int = 0  # rows whose link tag (utm_content) is none of this campaign's
    problem_rows: int = 0
    future: int = 0  # rows dated after today, left out
    future_minor: int = 0  # the money on them
    problems: list[Problem] = field(default_factory=list)
    entries: int = 0
    sample: list[Entry] = field(default_factory=list)
    total_minor: int = 0
    by_measure: dict[str, list[float]] = field(default_factory=dict)  # name -> [count, sum]
    first_day: str | None = None  # ISO dates of the first and last day the entries cover
    last_day: str | None = None
    # Rows that cannot be read although their amount can: how many, and their money.
    money_rows: int = 0
    money_minor: int = 0
    # Channels named in words the planner does not know, and those the user chose to leave
    # out: key -> [the name as written, rows, money].
    unknown_channels: dict[str, list[Any]] = field(default_factory=dict)
    left_out: dict[str, list[Any]] = field(default_factory=dict)

    @property
    def first_date(self) -> dt.date | None:
        return dt.date.fromisoformat(self.first_day) if self.first_day else None

    @property
    def last_date(self) -> dt.date | None:
        return dt.date.fromisoformat(self.last_day) if self.last_day else None

    def add_problem(self, problem: Problem) -> None:
        self.problem_rows += 1
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(problem)

    def skip_money(self, minor: int, unknown: str | None = None) -> None:
        """Count a row that cannot be read but holds ``minor``; ``unknown``: the name of a
        channel the planner does not know, which the row was skipped for."""
        if minor <= 0:
            return
        self.money_rows += 1
        self.money_minor += minor
        if unknown is not None:
            add_to(self.unknown_channels, unknown, minor)

    def unreadable_money(self) -> str:
        """The rows that hold money but cannot be read, and why, as a sentence (no stop)."""
        all_money = self.total_minor + self.money_minor + _money(self.left_out)
        share = ""
        if all_money:
            share = f" ({self.money_minor / all_money:.0%} of the money in the file)"
        said = (
            f"{plural(self.money_rows, 'row')} holding "
            f"{self.money(self.money_minor)}{share} cannot be read"
        )
        if self.unknown_channels:
            many = "s" if len(self.unknown_channels) > 1 else ""
            said += (
                f"; the planner does not know the channel{many} "
                f"{self.describe_values(self.unknown_channels)}"
            )
        others = self.money_rows - sum(rows for _, rows, _ in self.unknown_channels.values())
        if others and self.unknown_channels:
            money = self.money(self.money_minor - _money(self.unknown_channels))
            said += f"; {plural(others, 'other row')} holding {money} for the reasons listed"
        return said

    def money(self, minor: int) -> str:
        """An amount as the campaign writes it: ``EUR 1.234,50`` in an Italian campaign."""
        return format_money(minor, self.currency, self.style, code=True)

    def describe_values(self, values: dict[str, list[Any]]) -> str:
        """``'Stampa' (2 rows, EUR 7,200.00) and 'Radio' (1 row, EUR 300.00)``."""
        said = [
            f"'{text}' ({plural(rows, 'row')}, {self.money(minor)})"
            for text, rows, minor in values.values()
        ]
        return said[0] if len(said) == 1 else ", ".join(said[:-1]) + " and " + said[-1]

    def _span(self, first: str, day: str) -> None:
        if self.first_day is None or first < self.first_day:
            self.first_day = first
        if self.last_day is None or day > self.last_day:
            self.last_day = day

    def count_result(self, result: Result) -> None:
        self.entries += 1
        if len(self.sample) < PREVIEW_ENTRIES:
            self.sample.append(result)
        self._span((result.period_start or result.date).isoformat(), result.date.isoformat())
        figures = self.by_measure.setdefault(result.measure, [0, 0.0])
        figures[0] += 1
        figures[1] += result.value

    def summary(self) -> str:
        """One line: what would be written and what not."""
        noun = "cost" if self.kind is ImportKind.COSTS else "result"
        parts = [plural(self.entries, noun)]
        if self.kind is ImportKind.COSTS:
            parts[0] += f" totalling {self.money(self.total_minor)}"
        parts[0] += f" from {plural(self.rows_read, 'row')}"
        if self.first_date and self.last_date:
            parts.append(
                f"dated {self.first_date}"
                + (f" to {self.last_date}" if self.last_date != self.first_date else "")
            )
        if self.problem_rows:
            parts.append(f"{plural(self.problem_rows, 'row')} cannot be read")
        if self.future:
            money = f" (holding {self.money(self.future_minor)})" if self.future_minor else ""
            parts.append(
                f"{plural(self.future, 'row')} dated after today left out{money}: "
                + (
                    "record it once it has happened"
                    if self.future == 1
                    else "record them once they have happened"
                )
            )
        if self.empty:
            what = "nothing spent" if self.kind is ImportKind.COSTS else "no figure"
            parts.append(f"{plural(self.empty, 'row')} with {what}")
        if self.unmapped:
            parts.append(f"{plural(self.unmapped, 'row')} of figures no measure is mapped to")
        if self.other_tags:
            parts.append(
                f"{plural(self.other_tags, 'row')} of other campaigns' links or untagged visits "
                "left out"
            )
        if self.totals_skipped:
            parts.append(f"{plural(self.totals_skipped, 'totals row')} left out")
        if self.filtered:
            parts.append(f"{plural(self.filtered, 'row')} left out by the filter")
        if self.left_out:
            rows = sum(rows for _, rows, _ in self.left_out.values())
            names = ", ".join(f"'{text}'" for text, _, _ in self.left_out.values())
            parts.append(f"{plural(rows, 'row')} of {names} left out as you chose")
        return "; ".join(parts)


def add_to(values: dict[str, list[Any]], text: str, minor: int) -> None:
    """Count a row of money ``minor`` under the channel named ``text``."""
    counted = values.setdefault(channel_key(text), [text, 0, 0])
    counted[1] += 1
    counted[2] += minor


def _money(values: dict[str, list[Any]]) -> int:
    return sum(minor for _, _, minor in values.values())
