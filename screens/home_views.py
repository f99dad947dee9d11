"""The rows and the caption of the campaign list (the home screen), drawn from the lines of
the portfolio: the columns and their cells, the page laid out to the screen's width, and the
count of campaigns with those needing attention."""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
from collections.abc import Callable

from rich.cells import cell_len
from rich.text import Text

from planner.domain.styles import format_money
from planner.tracking import PortfolioLine, Standing
from screens.widgets.columns import Column, lay_out, row_cells
from screens.widgets.rowtable import RowTable, TableColumn


def date_span(start: dt.date | None, end: dt.date | None) -> str:
    """``Mar–Aug 2027``, ``Nov 2026–Feb 2027``, ``from Mar 2027`` or ``no dates``."""
    if start is None and end is None:
        return "no dates"
    if end is None:
        return f"from {start:%b %Y}"
    if start is None:
        return f"until {end:%b %Y}"
    if start.year == end.year:
        return f"{start:%b}–{end:%b %Y}"
    return f"{start:%b %Y}–{end:%b %Y}"


def _status(line: PortfolioLine) -> str:
    return "Archived" if line.summary.archived else line.summary.status.label


def _progress(line: PortfolioLine) -> Text | str:
    p = line.primary
    if p is None or p.progress_pct is None:
        return "–"
    style = "bold red" if p.standing is Standing.BEHIND else ""
    return Text(f"{p.progress_pct:.0f}%", style=style)


def _spent(line: PortfolioLine) -> Text | str:
    if not line.spent_minor:
        return "–"
    s = line.summary
    if line.spent_pct is None:
        return Text(format_money(line.spent_minor, s.currency, s.style), style="bold red")
    return Text(f"{line.spent_pct:.0f}%", style="bold red" if line.spent_pct > 100 else "")


_SHORT_FLAGS = {
    "over budget": "over budget",
    "spending without a budget": "no budget",
    "projected over budget": "heading over budget",
    "behind target": "behind",
    "ending soon": "ends soon",
}


def _flags(line: PortfolioLine) -> Text:
    words = [_SHORT_FLAGS.get(flag, flag) for flag in line.flags]
    return Text(", ".join(words).capitalize(), style="yellow")


PORTFOLIO_COLUMNS = [
    Column("Name", lambda line: line.summary.name, weight=3),
    Column("Practice", lambda line: line.summary.practice or "–", optional=True, weight=2),
    Column("Status", _status, 9),
    Column(
        "Dates",
        lambda line: date_span(line.summary.start_date, line.summary.end_date),
        17,
        optional=True,
    ),
    Column(
        "Budget",
        lambda line: format_money(
            line.summary.budget_minor, line.summary.currency, line.summary.style, code=True
        ),
        14,
        right=True,
    ),
    Column("Spent", _spent, 6, right=True),
    Column("Target", _progress, 6, right=True),
    Column("Flags", _flags, weight=3),
]


def _widest(lines: list[PortfolioLine]) -> dict[str, int]:
    """The widest cell of each flexible column but the name on this page: the name has the
    room they leave (a list with no flags gives it the flags' share)."""
    columns = [c for c in PORTFOLIO_COLUMNS if not c.width][1:]
    return {c.label: max((_cell_width(c, line) for line in lines), default=0) for c in columns}


def _cell_width(column: Column, line: PortfolioLine) -> int:
    value = column.cell(line)
    return value.cell_len if isinstance(value, Text) else cell_len(value)


def _cells_of(columns: list[Column], lines: list[PortfolioLine], index: int) -> list[Text]:
    return row_cells(columns, lines[index])


def page_table(
    lines: list[PortfolioLine], width: int, *, practice: bool = False
) -> tuple[list[TableColumn], Callable[[int], list[Text]]]:
    """The columns that fit ``width`` for this page's lines, and the cells of its n-th row;
    with ``practice`` (the list grouped by practice) the Practice column is always shown."""
    wanted = [
        dataclasses.replace(c, optional=False) if practice and c.label == "Practice" else c
        for c in PORTFOLIO_COLUMNS
    ]
    laid_out = lay_out(wanted, width, RowTable.CELL_PADDING, _widest(lines))
    shown = [column for column, _ in laid_out]
    columns = [TableColumn(c.label, cells, c.right) for c, cells in laid_out]
    return columns, functools.partial(_cells_of, shown, lines)


def caption_of(
    active: int,
    total: int,
    show_archived: bool,
    page: int,
    flagged: int | None,
    page_size: int,
) -> str:
    """How many campaigns, how many need attention (``flagged``, once counted), and which
    are shown (``page_size`` to a page)."""
    caption = f"{active} campaign{'s' if active != 1 else ''}"
    if show_archived:
        caption += f", {total - active} archived (shown)"
    if flagged:  # None until counted
        caption += f" · {flagged} need{'s' if flagged == 1 else ''} attention"
    if total > page_size:
        first = page * page_size
        last = min(first + page_size, total)
        caption += f" · {first + 1}–{last} shown (] next page, [ previous)"
    return caption


def flags_note(line: PortfolioLine | None) -> str:
    """The warnings of the campaign under the cursor in full, after the count."""
    if line is None or not line.flags:
        return ""
    return f" · “{line.summary.name}”: {', '.join(line.flags)}"
