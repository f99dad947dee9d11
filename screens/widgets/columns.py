"""Table columns that fit the terminal: fixed ones keep their width, the others share what is
left, and optional ones go first when the table is narrow. Cells too long for their column are
cut so that rows which differ still look different."""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from rich.text import Text

if TYPE_CHECKING:
    from textual.widgets import DataTable


@dataclass(frozen=True)
class Column:
    label: str
    cell: Callable[[Any], str | Text]
    width: int = 0  # 0: shares the room left by the fixed columns
    right: bool = False
    optional: bool = False  # left out when the table is too narrow for it
    weight: int = 1  # a flexible column's share of the room left
    least: int = 0  # as the first flexible column: its least width before optional ones go


MIN_NAME_WIDTH = 20


def lay_out(
    columns: list[Column],
    width: int,
    cell_padding: int = 1,
    widest: Mapping[str, int] | None = None,
) -> list[tuple[Column, int]]:
    """Lay out the columns in ``width`` cells: fixed ones as they are, the rest sharing what is
    left by their weights; optional columns go, last first, while the first flexible column
    (the name) would be narrower than ``MIN_NAME_WIDTH`` (or its own ``least``). ``widest``,
    where given, is the widest cell (or label) of a flexible column by its label: such a
    column takes no more than that, and the first flexible column has the room it leaves.
    Returns the columns shown, each with its width."""
    shown = list(columns)
    widest = widest or {}

    def spare(cols: list[Column]) -> int:
        fixed = sum(c.width for c in cols if c.width)
        padding = 2 * cell_padding * len(cols) + 2
        return width - fixed - padding

    def weights(cols: list[Column]) -> int:
        return max(1, sum(c.weight for c in cols if not c.width))

    first = next((c for c in columns if not c.width), None)
    least = max(MIN_NAME_WIDTH, first.least if first else 0)

    def share(c: Column, cols: list[Column], room: int) -> int:
        fair = room * c.weight // weights(cols)
        if c is first or c.label not in widest:
            return fair
        return min(fair, max(widest[c.label], len(c.label)))

    def first_share(cols: list[Column]) -> int:
        room = spare(cols)
        if first is None:
            return room
        if not widest:
            return share(first, cols, room)
        return room - sum(share(c, cols, room) for c in cols if not c.width and c is not first)

    while first_share(shown) < least and any(c.optional for c in shown):
        shown.remove(next(c for c in reversed(shown) if c.optional))
    room = max(12 * sum(1 for c in shown if not c.width), spare(shown))
    laid_out = [(c, c.width or share(c, shown, room)) for c in shown]
    if widest and first in shown:  # the room the others leave goes to the first
        others = sum(w for c, w in laid_out if not c.width and c is not first)
        laid_out = [(c, room - others if c is first else w) for c, w in laid_out]
    return laid_out


def fit_columns(table: DataTable[Any], columns: list[Column], width: int) -> list[Column]:
    """The columns that fit ``width`` (see ``lay_out``), set as the table's columns."""
    laid_out = lay_out(columns, width, table.cell_padding)
    table.clear(columns=True)
    for column, column_width in laid_out:
        table.add_column(column.label, width=column_width)
    return [column for column, _ in laid_out]


def row_cells(columns: list[Column], item: Any) -> list[Text]:
    """One row of a table: each column's cell for ``item``, on one line, cut with an ellipsis
    when too long. A cell may be styled text (a sparkline, a warning in red)."""
    cells = []
    for column in columns:
        value = column.cell(item)
        text = Text(no_wrap=True, overflow="ellipsis", justify="right" if column.right else None)
        text.append_text(value) if isinstance(value, Text) else text.append(value)
        cells.append(text)
    return cells


def cut(text: str, width: int) -> str:
    """``text`` in at most ``width`` characters, ending with an ellipsis when cut."""
    return text if len(text) <= width else text[: max(width - 1, 0)] + "…"


def _common_prefix(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n


def _cut_to_difference(text: str, differs_at: int, width: int) -> str:
    """``text`` in ``width`` characters as its start, an ellipsis and its end from the word
    where it differs from others: "Flu vacc…65 and over" for "Flu vaccination coverage,
    patients aged 65 and over" next to "…aged 60 to 64"."""
    least_head = max(width // 3, 1)
    room = width - least_head - 1
    word = text.rfind(" ", 0, differs_at) + 1
    start = word if differs_at - word <= room // 2 else differs_at - room // 2
    from_end = len(text) - room
    if from_end < start:  # the end fits from an earlier word: show it from there
        space = text.find(" ", from_end - 1)
        start = space + 1 if 0 <= space < word else from_end
    start = max(start, least_head)
    tail = cut(text[start:].lstrip(" -–,;:"), room)
    head = text[: min(width - 1 - len(tail), start)].rstrip()
    return head + "…" + tail


def _lead(text: str) -> int:
    """How many marks (a ★, a bullet, spaces) come before a text's first word."""
    return len(text) - len(_LEAD.sub("", text, count=1))


_LEAD = re.compile(r"^[^\w'\"(]+")


def distinct_cuts(texts: Sequence[str], width: int) -> list[str]:
    """Each text cut to ``width`` (see ``cut``), except where that would hide all that tells
    it from another text of the column (marks such as a leading ★ aside): then it shows its
    start, an ellipsis and the part from where it differs."""
    cuts = [cut(text, width) for text in texts]
    if width < 8 or all(len(text) <= width for text in texts):
        return cuts
    # A text shares most of its start with its neighbours in alphabetical order.
    words = sorted({text[_lead(text) :] for text in texts})
    shared: dict[str, int] = {}
    for before, after in itertools.pairwise(words):
        n = _common_prefix(before, after)
        shared[before] = max(shared.get(before, 0), n)
        shared[after] = max(shared.get(after, 0), n)
    result = []
    for text, shown in zip(texts, cuts, strict=True):
        lead = _lead(text)
        differs_at = lead + shared.get(text[lead:], 0)
        if len(text) > width and differs_at >= width - 1:  # the difference is cut off
            shown = _cut_to_difference(text, differs_at, width)
        result.append(shown)
    return result


def distinct_rows(
    widths: Sequence[int], columns: list[Column], items: Sequence[Any]
) -> list[list[Text]]:
    """The rows of ``items`` (see ``row_cells``) for columns of these widths, where a text
    column's cells that would be cut to the same words for rows that differ are cut to show
    what differs ("Flu vac…65 and over", "Flu vac…60 to 64")."""
    rows = [row_cells(columns, item) for item in items]
    for n, (column, width) in enumerate(zip(columns, widths, strict=False)):
        if column.right:
            continue
        cells = [row[n] for row in rows]
        shown = distinct_cuts([cell.plain for cell in cells], width)
        for row, cell, text in zip(rows, cells, shown, strict=True):
            if text != cut(cell.plain, width):
                shown_cell = cell.copy()
                shown_cell.plain = text  # its styles kept, over the shorter text
                row[n] = shown_cell
    return rows


def fill_rows(
    table: DataTable[Any], columns: list[Column], items: Sequence[Any], keys: Sequence[str]
) -> None:
    """Add a row for each item (with its key) to a table laid out by ``fit_columns``, rows
    that differ looking different however narrow their columns."""
    widths = [column.width for column in table.ordered_columns]
    for key, cells in zip(keys, distinct_rows(widths, columns, items), strict=True):
        table.add_row(*cells, key=key)


T = TypeVar("T")


def under_cursor(table: DataTable, items: Sequence[T]) -> T | None:
    """The item of ``items`` (one a row of ``table``, in order) under the table's cursor."""
    if not items or table.cursor_row is None:
        return None
    return items[min(table.cursor_row, len(items) - 1)]
