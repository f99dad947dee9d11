"""Costs and results read from a campaign file without building their models.

A campaign file of a million costs spent most of its import building a ``Cost`` for each.
``PlainEntries`` takes a cost or a result as ``json.loads`` gives it and returns its row
(``cost_row``/``result_row`` of its model) when it holds exactly what this planner writes
and passes every check its model makes: ISO dates that exist, in order; a whole amount in
range; a channel the planner knows; text with no surrounding spaces or control characters,
within its length; names the campaign has. Anything else (another spelling of a date, an
amount as text, a name the plan lacks...) gives None, and the caller checks it with its model,
which either reads it the same or says what is wrong in the same sentence as always. So this
is only ever a shortcut: never more lenient than the model, never a different reading.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from typing import Any

from planner.domain.records import CONTROL_CHARS, MAX_MINOR, Channel, CostRow, ResultRow

_CHANNELS = frozenset(c.value for c in Channel)
_SHORT, _LONG, _NAME = 200, 20_000, 200  # ShortText, LongText and Name in the models
_COST_KEYS = frozenset(
    ("date", "period_start", "amount_minor", "channel", "vendor", "activity", "note")
)
_RESULT_KEYS = frozenset(
    (
        "date",
        "period_start",
        "measure",
        "value",
        "source",
        "note",
        "of",
        "variant",
        "activity",
        "segment",
        "influencer",
        "channel",
    )
)
_LARGEST = 1e15  # a result's value and what it is out of, as the model bounds them


class _Refused(Exception):
    """Not for the shortcut: its model reads it."""


def _text(value: Any, longest: int) -> str:
    if type(value) is not str or len(value) > longest:
        raise _Refused
    if value and (value[0].isspace() or value[-1].isspace() or CONTROL_CHARS.search(value)):
        raise _Refused  # its model strips it, or refuses it
    return value


def _name(value: Any, known: set[str]) -> str | None:
    if value is None:
        return None
    if type(value) is not str or not value or len(value) > _NAME:
        raise _Refused
    if value[0].isspace() or value[-1].isspace() or "\n" in value or "\t" in value:
        raise _Refused
    if CONTROL_CHARS.search(value) or value.casefold() not in known:
        raise _Refused  # a name the campaign lacks is told by its model's reading
    return value


def _channel(value: Any) -> str | None:
    if value is None:
        return None
    if type(value) is not str or value not in _CHANNELS:
        raise _Refused
    return value


def _number(value: Any) -> float:
    if type(value) is int:
        value = float(value)
    elif type(value) is not float:
        raise _Refused
    if not math.isfinite(value) or not -_LARGEST <= value <= _LARGEST:
        raise _Refused
    return value


# A cost's and a result's line as this planner writes it (``exchange.dump_chunks``), its
# fields in their order: matched whole, it needs no JSON reader. A text is matched only with no
# escape, control character or space at either end in it (the model would strip, unescape or
# refuse it): anything else is read as JSON.
_DAY = r'"(\d{4}-\d\d-\d\d)"'
_TEXT = r'"((?:[^"\\\s\x00-\x1f](?:[^"\\\x00-\x1f]*[^"\\\s\x00-\x1f])?)?)"'
_NAMED = rf"(?:null|{_TEXT})"
_NUMBER = r"(-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][-+]?\d+)?)"
_CHANNEL = '(?:null|"(' + "|".join(sorted(_CHANNELS)) + ')")'
_COST_LINE = re.compile(
    rf'{{"date": {_DAY}, "period_start": (?:null|{_DAY}), "amount_minor": (0|[1-9]\d{{0,12}}), '
    rf'"channel": {_CHANNEL}, "vendor": {_TEXT}, "activity": {_NAMED}, "note": {_TEXT}}}'
)
_RESULT_LINE = re.compile(
    rf'{{"date": {_DAY}, "period_start": (?:null|{_DAY}), "measure": {_TEXT}, '
    rf'"value": {_NUMBER}, "source": {_TEXT}, "note": {_TEXT}, "of": (?:null|{_NUMBER}), '
    rf'"variant": {_NAMED}, "activity": {_NAMED}, "segment": {_NAMED}, '
    rf'"influencer": {_NAMED}, "channel": {_CHANNEL}}}'
)


class PlainEntries:
    """The shortcut for one campaign: the names its costs and results may refer to
    (``reference_names``) and the dates seen so far."""

    def __init__(self, names: dict[str, set[str]]) -> None:
        self.names = names
        self.days: dict[str, dt.date] = {}
        # a name as matched on a line (no escape, control character or space at an end): is it
        # one the campaign has, by the field that names it
        self.named: dict[tuple[str, str], bool] = {}

    def _line_name(self, value: str, field: str) -> None:
        known = self.named.get((value, field))
        if known is None:
            try:
                _name(value, self.names[field])
                known = True
            except _Refused:
                known = False
            self.named[(value, field)] = known
        if not known:
            raise _Refused

    def _day(self, value: Any) -> str:
        if type(value) is not str:
            raise _Refused
        if value not in self.days:
            if len(value) != 10 or value[4] != "-" or value[7] != "-":
                raise _Refused  # another spelling its model may read
            try:
                self.days[value] = dt.date.fromisoformat(value)
            except ValueError:
                raise _Refused from None
        return value

    def _period(self, data: dict[str, Any]) -> tuple[str, str | None]:
        day = self._day(data["date"])
        start = data.get("period_start")
        if start is None:
            return day, None
        start = self._day(start)
        if self.days[start] > self.days[day]:
            raise _Refused
        return day, start

    def _checked_day(self, day: str) -> None:
        if day not in self.days:
            try:
                self.days[day] = dt.date.fromisoformat(day)
            except ValueError:
                raise _Refused from None

    def _line_period(self, day: str, start: str | None) -> None:
        self._checked_day(day)
        if start is not None:
            self._checked_day(start)
            if self.days[start] > self.days[day]:
                raise _Refused

    def cost_line(self, line: str) -> CostRow | None:
        """The row of a cost's line as this planner writes it, or None: read it as JSON."""
        m = _COST_LINE.fullmatch(line)
        if m is None:
            return None
        day, start, minor, channel, vendor, activity, note = m.groups()
        try:
            self._line_period(day, start)
            amount = int(minor)
            if amount > MAX_MINOR or len(vendor) > _SHORT or len(note) > _LONG:
                return None
            if activity is not None:
                self._line_name(activity, "activity")
        except _Refused:
            return None
        return day, start, amount, channel, vendor, activity, note

    def result_line(self, line: str) -> ResultRow | None:
        """The row of a result's line as this planner writes it, or None: read it as JSON."""
        m = _RESULT_LINE.fullmatch(line)
        if m is None:
            return None
        day, start, measure, value, source, note, of, variant, activity, segment, influencer = (
            m.groups()[:11]
        )
        try:
            self._line_period(day, start)
            number = _number(float(value))
            out_of = None if of is None else _number(float(of))
            if out_of is not None and (out_of <= 0 or not out_of.is_integer() or number < 0):
                return None
            if len(source) > _SHORT or len(note) > _LONG:
                return None
            check = self._line_name
            check(measure, "measure")
            if variant is not None:
                check(variant, "variant")
            if activity is not None:
                check(activity, "activity")
            if segment is not None:
                check(segment, "segment")
            if influencer is not None:
                check(influencer, "influencer")
        except _Refused:
            return None
        channel = m.group(12)
        return (
            measure,
            day,
            start,
            number,
            source,
            note,
            out_of,
            variant,
            activity,
            segment,
            influencer,
            channel,
        )

    def cost(self, data: Any) -> CostRow | None:
        """The cost's row, or None: its model reads it."""
        try:
            if type(data) is not dict or "amount_minor" not in data or "date" not in data:
                return None
            if not data.keys() <= _COST_KEYS:
                return None
            day, start = self._period(data)
            minor = data["amount_minor"]
            if type(minor) is not int or not 0 <= minor <= MAX_MINOR:
                return None
            return (
                day,
                start,
                minor,
                _channel(data.get("channel")),
                _text(data.get("vendor", ""), _SHORT),
                _name(data.get("activity"), self.names["activity"]),
                _text(data.get("note", ""), _LONG),
            )
        except _Refused:
            return None

    def result(self, data: Any) -> ResultRow | None:
        """The result's row, or None: its model reads it."""
        try:
            if type(data) is not dict or not data.keys() <= _RESULT_KEYS:
                return None
            if "date" not in data or "measure" not in data or "value" not in data:
                return None
            day, start = self._period(data)
            value = _number(data["value"])
            of = data.get("of")
            if of is not None:
                of = _number(of)
                if of <= 0 or not of.is_integer() or value < 0:
                    return None
            names = self.names
            return (
                _name(data["measure"], names["measure"]),  # type: ignore[return-value]
                day,
                start,
                value,
                _text(data.get("source", ""), _SHORT),
                _text(data.get("note", ""), _LONG),
                of,
                _name(data.get("variant"), names["variant"]),
                _name(data.get("activity"), names["activity"]),
                _name(data.get("segment"), names["segment"]),
                _name(data.get("influencer"), names["influencer"]),
                _channel(data.get("channel")),
            )
        except _Refused:
            return None
