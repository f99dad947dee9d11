"""A field's value as a person types it, read the way the planner's forms read it: numbers and
amounts in the campaign's number style (``1.234,50`` in Italy, ``1,234.50`` in the US), dates
as ``2027-03-01``, a choice by its label or its code, a list of choices separated by commas.
The forms and the command line (``planner set``, ``planner segments add``...) read through
here, so that a value means the same wherever it is typed; a value that cannot be read is a
``ValueError`` with the sentence to show.
"""

from __future__ import annotations

import datetime as dt
import types
import typing
from collections.abc import Callable, Sequence
from typing import Any

from planner.domain import registry
from planner.domain.inputs import (
    parse_date,
    parse_int,
    parse_lines,
    parse_money,
    parse_number,
    parse_per_period,
    parse_percent,
    parse_period,
    parse_words,
)
from planner.domain.records import Labeled

Choices = Sequence[tuple[str, Any]]

_YES = {"yes", "y", "true", "1", "on", "sì", "si", "sí"}
_NO = {"no", "n", "false", "0", "off", ""}


def options(enum: type[Labeled]) -> list[tuple[str, Any]]:
    """The members of an enum as the choices of a field, each under its label."""
    return [(member.label, member) for member in enum]


def parser(
    kind: str, currency: str, style: str | None, *, percent: bool = False
) -> Callable[[str], Any] | None:
    """How a one-line field of ``kind`` reads its text (None: as the text it is)."""
    parsers: dict[str, Callable[[str], Any]] = {
        "int": lambda t: parse_int(t, style),
        "number": lambda t: parse_number(t, style, percent=percent),
        "percent": lambda t: parse_percent(t, style),
        "rate": lambda t: parse_per_period(t, style),
        "date": parse_date,
        "period": parse_period,
        "words": parse_words,
        "money": lambda t: parse_money(t, currency, style),
        # an amount that may be left out: blank is none, not zero
        "amount": lambda t: parse_money(t, currency, style) if t.strip() else None,
    }
    return parsers.get(kind)


def read_choice(text: str, choices: Choices, label: str, blank: bool = True) -> Any:
    """One of ``choices`` by its label or its value, in any case; blank is none."""
    wanted = text.strip().casefold()
    if not wanted and blank:
        return None
    for shown, value in choices:
        code = value.value if isinstance(value, Labeled) else value
        if wanted in (str(shown).casefold(), str(code).casefold()):
            return value
    known = ", ".join(str(shown) for shown, _ in choices) or "none yet"
    raise ValueError(f"'{text.strip()}' is not one of the choices for {label}: {known}.")


def read_value(
    text: str,
    kind: str,
    *,
    label: str,
    currency: str,
    style: str | None,
    choices: Choices = (),
    percent: bool = False,
) -> Any:
    """The value of a field of ``kind`` typed as ``text`` (on the command line, where a list
    of lines is written with ``\\n`` between them)."""
    if kind == "choice":
        return read_choice(text, choices, label)
    if kind == "choices":
        return [read_choice(part, choices, label, blank=False) for part in parse_words(text)]
    if kind == "check":
        answer = text.strip().casefold()
        if answer in _YES or answer in _NO:
            return answer in _YES
        raise ValueError(f"{label} takes yes or no, not '{text.strip()}'.")
    if kind == "lines":
        return parse_lines(text.replace("\\n", "\n"))
    read = parser(kind, currency, style, percent=percent)
    return read(text) if read else text.strip()


# The campaign's own fields ---------------------------------------------------------------------

# What ``planner set`` does not change: what the store keeps by itself, the lists of items (their
# own commands), and what has a command of its own (planner status, number-style).
_NOT_SET = {"id", "version", "archived", "message_version", "mix", "status", "number_style"}


def campaign_fields() -> dict[str, str]:
    """Each campaign field ``planner set`` changes, and how it is typed (its form's kind)."""
    from planner.domain.models import Campaign

    fields = {}
    for name, info in Campaign.model_fields.items():
        if name in _NOT_SET:
            continue
        kind = _kind_of(name, info.annotation)
        if kind is not None:
            fields[name] = kind
    return fields


def _kind_of(name: str, annotation: Any) -> str | None:
    """A field's form kind from its type: None for a list of items."""
    args = [a for a in typing.get_args(annotation) if a is not type(None)]
    if typing.get_origin(annotation) in (typing.Union, types.UnionType) and len(args) == 1:
        annotation = args[0]
    if typing.get_origin(annotation) is typing.Annotated:
        annotation = typing.get_args(annotation)[0]
    origin = typing.get_origin(annotation)
    if origin is list:
        (inner,) = typing.get_args(annotation)
        if isinstance(inner, type) and issubclass(inner, Labeled):
            return "choices"
        return "words" if inner is str else None
    if isinstance(annotation, type) and issubclass(annotation, Labeled):
        return "choice"
    if name.endswith("_minor"):
        return "amount"
    if annotation is dt.date:
        return "date"
    if annotation is int:
        return "int"
    if annotation is float:
        return "number"
    if annotation is bool:
        return "check"
    return "text" if annotation is str else None


def campaign_choices(name: str) -> Choices:
    """The choices of a campaign field that takes them (its enumeration's members)."""
    from planner.domain.models import Campaign

    enum = registry._labeled(Campaign.model_fields[name].annotation)
    return options(enum) if enum is not None else ()
