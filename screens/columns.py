"""Table columns that fit the terminal: fixed ones keep their width, the others share what is
left, and optional ones go first when the table is narrow."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

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


MIN_NAME_WIDTH = 20


def lay_out(columns: list[Column], width: int, cell_padding: int = 1) -> list[tuple[Column, int]]:
    """Lay out the columns in ``width`` cells: fixed ones as they are, the rest sharing what is
    left by their weights; optional columns go, last first, while the first flexible column
    (the name) would be narrower than ``MIN_NAME_WIDTH``. Returns the columns shown, each with
    its width."""
    shown = list(columns)

    def spare(cols: list[Column]) -> int:
        fixed = sum(c.width for c in cols if c.width)
        padding = 2 * cell_padding * len(cols) + 2
        return width - fixed - padding

    def weights(cols: list[Column]) -> int:
        return max(1, sum(c.weight for c in cols if not c.width))

    def first_share(cols: list[Column]) -> int:
        first = next((c for c in cols if not c.width), None)
        weight = first.weight if first else 1
        return spare(cols) * weight // weights(cols)

    while first_share(shown) < MIN_NAME_WIDTH and any(c.optional for c in shown):
        shown.remove(next(c for c in reversed(shown) if c.optional))
    room = max(12 * sum(1 for c in shown if not c.width), spare(shown))
    return [(c, c.width or room * c.weight // weights(shown)) for c in shown]


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
