"""A campaign's revisions in words: what changed, what it was and what it is now.

The store records each saved change of a plan as a ``Revision`` (see ``planner.store``); the
command line's history, and the notices of undo and redo, describe them with these functions.
"""

from __future__ import annotations

import difflib
import re
import typing
from typing import Any, NamedTuple

from planner.domain import models, registry
from planner.domain.money import format_minor
from planner.domain.numbers import format_money, format_number
from planner.domain.records import Labeled
from planner.store import Revision, field_label

# How much of a long value a one-line description shows.
SHORT = 40

_MARKS = {"undo": "undo of", "redo": "redo of", "revert": "revert of"}


def _models_by_table() -> dict[str, type[models.Model]]:
    """The model of each kind of item the history records, by its table (the registry's)."""
    return {kind.table: kind.model for kind in registry.plan_kinds()}


def choice_of(target: str, field: str) -> type[Labeled] | None:
    """The enumeration a field of a revision's ``target`` takes its values from (``Channel``
    for a budget line's ``channel``, ``Jurisdiction`` for the campaign's ``jurisdictions``),
    or None when its values are not a choice among labelled ones."""
    if target == "campaign":
        model: type[models.Model] | None = models.Campaign
    elif target.startswith("mix:"):
        model = models.MixElement
    else:
        model = _models_by_table().get(target.split(":", 1)[0])
    info = model.model_fields.get(field) if model is not None else None
    return _labeled_in(info.annotation) if info is not None else None


def _labeled_in(annotation: Any) -> type[Labeled] | None:
    """The labelled enumeration inside a type: ``Channel | None``, ``list[Jurisdiction]``."""
    if isinstance(annotation, type) and issubclass(annotation, Labeled):
        return annotation
    for arg in typing.get_args(annotation):
        found = _labeled_in(arg)
        if found is not None:
            return found
    return None


def _label(value: Any, choice: type[Labeled]) -> str:
    """A stored code by its label (``print_mail`` -> ``Print and direct mail``); a code the
    enumeration no longer has is shown as it was stored."""
    try:
        return choice(value).label
    except ValueError:
        return str(value)


def show_value(
    value: Any,
    field: str,
    currency: str,
    style: str | None = None,
    choice: type[Labeled] | None = None,
    *,
    whole: bool = False,
) -> str:
    """A stored value as a short phrase: ``'Flu season 2027'``, ``1200``, ``(empty)``; with
    the campaign's number ``style``, numbers and money as it writes them (``EUR 1.234,50``);
    a value of a ``choice`` (see ``choice_of``) by its label, as the screens show it
    (``'Print and direct mail'``, ``'Italy, European Union'``)."""
    if value is None or value == "" or value == []:
        return "(empty)"
    if choice is not None and isinstance(value, (str, list)):
        values = value if isinstance(value, list) else [value]
        value = ", ".join(_label(v, choice) for v in values)
    if isinstance(value, bool):
        return "yes" if value else "no"
    if field.endswith("_minor") and isinstance(value, int):
        if style is not None:
            return format_money(value, currency, style, code=True)
        return format_minor(value, currency)
    if isinstance(value, (int, float)):
        if style is not None:
            return format_number(value, style)
        return f"{value:g}" if isinstance(value, float) else str(value)
    if isinstance(value, list):
        text = ", ".join(_item_text(v) for v in value)
    elif isinstance(value, dict):
        text = _item_text(value)
    else:
        text = str(value)
    if whole:
        return text
    text = " / ".join(line.strip() for line in text.splitlines() if line.strip())
    if len(text) > SHORT:
        text = text[: SHORT - 1].rstrip() + "…"
    return f"'{text}'"


def _item_text(value: Any) -> str:
    """A claim, testimonial or other part of an item, by its words."""
    if isinstance(value, dict):
        return str(value.get("text") or value.get("name") or value.get("description") or "")
    return str(value)


def _parts(rev: Revision, currency: str, style: str | None) -> list[tuple[str, str]]:
    """(field, ``before → after``) for each field a ``set`` revision changed."""
    parts = []
    for name in rev.changed_fields():
        old, new = rev.before.get(name), rev.after.get(name)
        if _parts_of_an_item(old) and _parts_of_an_item(new):
            parts.append((field_label(name), _list_change(old or [], new or [], name)))
            continue
        choice = choice_of(rev.target, name)
        before = show_value(old, name, currency, style, choice)
        after = show_value(new, name, currency, style, choice)
        parts.append((field_label(name), f"{before} → {after}"))
    return parts


def _parts_of_an_item(value: Any) -> bool:
    """A list of an item's own parts (a variant's claims or testimonials), or none yet."""
    return value is None or (isinstance(value, list) and all(isinstance(v, dict) for v in value))


def _list_change(before: list[Any], after: list[Any], field: str) -> str:
    """What changed in a list of parts, by their words: ``added 'Screening finds…'``,
    ``removed '…'``, ``'…' changed`` (the same words, another evidence, say)."""
    old = [_item_text(v) for v in before]
    new = [_item_text(v) for v in after]
    added = [t for t in new if t not in old]
    removed = [t for t in old if t not in new]
    if len(added) == len(removed) == 1:  # one part's words changed
        said = [f"{show_value(removed[0], field, '')} → {show_value(added[0], field, '')}"]
    else:
        said = [f"added {show_value(t, field, '')}" for t in added]
        said += [f"removed {show_value(t, field, '')}" for t in removed]
    kept = dict(zip(old, before, strict=True))
    said += [
        f"{show_value(t, field, '')} changed"
        for t, v in zip(new, after, strict=True)
        if t in kept and kept[t] != v
    ]
    return "; ".join(said) or "reordered"


def describe(rev: Revision, currency: str, style: str | None = None) -> str:
    """The change in one line: ``Name 'Q' → 'Flu season 2027'``, ``Measure 'Flu coverage':
    target 70 → 75``, ``Segment 'Parents' added``, ``Activity 'SMS' moved: place 3 → 1``."""
    if rev.action == "move":
        return f"{rev.label}: place {rev.before['position'] + 1} → {rev.after['position'] + 1}"
    if rev.action != "set":
        return rev.label
    parts = [f"{field} {change}" for field, change in _parts(rev, currency, style)]
    if rev.target == "campaign":
        return "; ".join(part[:1].upper() + part[1:] for part in parts)
    subject = rev.label.rsplit(": ", 1)[0]
    return f"{subject}: {'; '.join(parts)}"


def change_text(rev: Revision, currency: str, style: str | None = None) -> str:
    """What a revision did, without its label: ``'Q' → 'Flu season 2027'`` (for the history's
    Change column)."""
    if rev.action == "move":
        return f"place {rev.before['position'] + 1} → {rev.after['position'] + 1}"
    if rev.action == "add":
        return "added"
    if rev.action == "delete":
        return "deleted"
    parts = _parts(rev, currency, style)
    if len(parts) == 1:
        return parts[0][1]
    return "; ".join(f"{field} {change}" for field, change in parts)


# The fields of an added or deleted item that the history's details leave out: how the store
# keeps it, not what the user wrote.
_BOOKKEEPING = {"id", "campaign_id", "position", "version"}


class Detail(NamedTuple):
    """One field a revision changed, whole: its label, what it was and what it became (""
    where it did not exist: an item added has no before, one deleted no after)."""

    field: str
    before: str
    after: str


def details(rev: Revision, currency: str, style: str | None = None) -> list[Detail]:
    """Each field the revision changed, with its whole value before and after (for the
    History view's diff): an edit's changed fields; an added or deleted item's every field
    that holds something; a move's place."""
    if rev.action == "move":
        return [Detail("place", str(rev.before["position"] + 1), str(rev.after["position"] + 1))]
    before, after = rev.before, rev.after
    if rev.action == "set":
        names = rev.changed_fields()
    else:  # the item as it was kept: its fields under "item", beside its place and links
        before = (before or {}).get("item") if isinstance(before, dict) else None
        after = (after or {}).get("item") if isinstance(after, dict) else None
        item = (after if rev.action == "add" else before) or {}
        names = [k for k, v in item.items() if k not in _BOOKKEEPING and v not in (None, "", [])]
    shown = []
    for name in names:
        choice = choice_of(rev.target, name)

        def value(side: Any, name: str = name, choice: Any = choice) -> str:
            if not isinstance(side, dict) or name not in side:
                return ""
            got = side.get(name)
            if got is None or got == "" or got == []:
                return ""
            return show_value(got, name, currency, style, choice, whole=True)

        shown.append(Detail(field_label(name, first=True), value(before), value(after)))
    return shown


def word_diff(before: str, after: str) -> list[tuple[str, str]]:
    """``after`` against ``before`` word by word: pieces of text, each ``=`` (in both), ``-``
    (only before) or ``+`` (only after), in reading order."""
    a, b = re.findall(r"\s*\S+\s*|\s+", before), re.findall(r"\s*\S+\s*|\s+", after)
    pieces: list[tuple[str, str]] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            pieces.append(("=", "".join(a[i1:i2])))
            continue
        if i2 > i1:
            pieces.append(("-", "".join(a[i1:i2])))
        if j2 > j1:
            pieces.append(("+", "".join(b[j1:j2])))
    return [p for p in pieces if p[1]]


def what(rev: Revision) -> str:
    """The history's What column: the label, and which revision an undo or revert reversed."""
    mark = _MARKS.get(rev.kind)
    if mark is None:
        return rev.label
    return f"{rev.label} ({mark} #{rev.reverses})" if rev.reverses else rev.label


def notice(
    word: str, change: str, applied: Revision, currency: str, style: str | None = None
) -> str:
    """What an undo or redo did, for a notice: ``Undone: Name 'Q' → 'Flu season 2027'`` (was,
    then is now); ``Undone: Segment 'Parents' added (it is gone now)``. ``change`` is the label
    of the change undone or redone, ``applied`` the revision that did it; numbers are written
    in the campaign's number ``style``."""
    if applied.action in ("set", "move"):
        return f"{word}: {describe(applied, currency, style)}"
    state = "it is back" if applied.action == "add" else "it is gone now"
    return f"{word}: {change} ({state})"
