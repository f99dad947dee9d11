"""A table of one-line rows drawn line by line from cells laid out once: the home screen's list
of campaigns.

Textual's DataTable lays out every cell through Rich on each draw, measures every cell again
once the screen is idle and then draws the table a second time. For a page of a hundred
campaigns that was most of what the home screen took to show (``python -m benchmarks``, "home
ready"). This table knows its column widths before it draws, so a row is one line of text cut
to those widths, drawn only when it is on screen."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip


@dataclass(frozen=True)
class TableColumn:
    label: str
    width: int  # the cells' width, without the padding either side
    right: bool = False


class RowTable(ScrollView, can_focus=True):
    """Rows of cells under a header that stays in place, with a row cursor. ``Enter`` or a
    click on the highlighted row selects it."""

    CELL_PADDING = 1  # blank cells either side of each cell, as in a DataTable

    COMPONENT_CLASSES = {
        "rowtable--header",
        "rowtable--odd-row",
        "rowtable--even-row",
        "rowtable--cursor",
    }

    # The look of Textual's DataTable with zebra stripes and a row cursor.
    DEFAULT_CSS = """
    RowTable {
        background: $surface;
        color: $foreground;
        height: auto;
        max-height: 100%;
        &:focus {
            background-tint: $foreground 5%;
            & > .rowtable--cursor {
                background: $block-cursor-background;
                color: $block-cursor-foreground;
                text-style: $block-cursor-text-style;
            }
            & > .rowtable--header {
                background-tint: $foreground 5%;
            }
        }
        &:dark > .rowtable--even-row {
            background: $surface-darken-1 40%;
        }
        & > .rowtable--header {
            text-style: bold;
            background: $panel;
            color: $foreground;
        }
        &:ansi > .rowtable--header {
            background: ansi_bright_blue;
            color: ansi_default;
        }
        & > .rowtable--even-row {
            background: $surface-lighten-1 50%;
        }
        & > .rowtable--cursor {
            background: $block-cursor-blurred-background;
            color: $block-cursor-blurred-foreground;
            text-style: $block-cursor-blurred-text-style;
        }
    }
    """

    BINDINGS = [
        Binding("enter", "select_cursor", "Select", show=False),
        Binding("up", "cursor_up", "Cursor up", show=False),
        Binding("down", "cursor_down", "Cursor down", show=False),
        Binding("pageup", "page_up", "Page up", show=False),
        Binding("pagedown", "page_down", "Page down", show=False),
        Binding("home", "scroll_top", "Top", show=False),
        Binding("end", "scroll_bottom", "Bottom", show=False),
    ]

    cursor_row: reactive[int] = reactive(0, always_update=True, init=False)

    class _RowMessage(Message):
        def __init__(self, table: RowTable, key: str) -> None:
            super().__init__()
            self.table = table
            self.key = key

        @property
        def control(self) -> RowTable:
            return self.table

    class RowHighlighted(_RowMessage):
        """The cursor moved to the row with this key."""

    class RowSelected(_RowMessage):
        """The row with this key was chosen (``Enter``, or a click on the highlighted row)."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.columns: list[TableColumn] = []
        self.keys: list[str] = []
        self._cells_of: Callable[[int], list[Text]] = lambda index: []
        self._cells: dict[int, list[Text]] = {}  # the rows' cells made so far
        self._strips: dict[tuple[int, Style, int], Strip] = {}  # the lines drawn so far

    # The rows ----------------------------------------------------------------------------

    def set_rows(
        self,
        columns: list[TableColumn],
        keys: list[str],
        cells_of: Callable[[int], list[Text]],
        cursor: int = 0,
    ) -> None:
        """Show a row for each key in these columns, the cursor on the row at ``cursor``.
        ``cells_of(index)`` makes a row's cells when the row is first drawn: a page of a
        hundred rows shows forty at a time."""
        self.columns = columns
        self.keys = keys
        self._cells_of = cells_of
        self._cells.clear()
        self._strips.clear()
        width = sum(column.width + 2 * self.CELL_PADDING for column in columns)
        self.virtual_size = Size(width, len(keys) + 1)
        self.set_reactive(RowTable.cursor_row, 0)
        self.scroll_to(y=0, animate=False, immediate=True)
        self.move_cursor(cursor)
        self.refresh()

    @property
    def row_count(self) -> int:
        return len(self.keys)

    def get_row_at(self, index: int) -> list[Text]:
        """The cells of the row at this index."""
        cells = self._cells.get(index)
        if cells is None:
            if not 0 <= index < len(self.keys):
                raise IndexError(index)
            cells = self._cells[index] = self._cells_of(index)
        return cells

    @property
    def cursor_key(self) -> str | None:
        """The key of the highlighted row, or None when there are no rows."""
        return self.keys[self.cursor_row] if self.keys else None

    def move_cursor(self, row: int) -> None:
        """Highlight the row at this index (kept within the rows) and scroll it into view."""
        self.cursor_row = row

    def validate_cursor_row(self, row: int) -> int:
        return min(max(row, 0), max(len(self.keys) - 1, 0))

    def watch_cursor_row(self, old: int, new: int) -> None:
        self._refresh_row(old)
        self._refresh_row(new)
        body = self._body_height()
        if new < self.scroll_y:
            self.scroll_to(y=new, animate=False, immediate=True)
        elif new >= self.scroll_y + body:
            self.scroll_to(y=new - body + 1, animate=False, immediate=True)
        if self.keys:
            self.post_message(self.RowHighlighted(self, self.keys[new]))

    def _refresh_row(self, row: int) -> None:
        self.refresh_line(row + 1)  # the header is the first line

    # Drawing -----------------------------------------------------------------------------

    def _cells_line(self, cells: list[Text], base: Style) -> list[Segment]:
        """One row as segments in the row's style: each cell cut to its column and padded.
        A plain cell is one segment; only a styled one (a warning in colour) goes through
        Rich."""
        console = self.app.console
        pad = " " * self.CELL_PADDING
        segments = []
        for column, cell in zip(self.columns, cells, strict=False):
            if cell.cell_len > column.width:
                cell = cell.copy()
                cell.truncate(column.width, overflow="ellipsis")
            room = " " * (column.width - cell.cell_len)
            segments.append(Segment(pad + room if column.right else pad, base))
            if cell.spans or cell.style:
                for text, style, _ in cell.render(console, end=""):
                    segments.append(Segment(text, base + style if style else base))
            else:
                segments.append(Segment(cell.plain, base))
            segments.append(Segment(pad if column.right else room + pad, base))
        return segments

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        if y == 0:
            row = -1
            style = self.get_component_rich_style("rowtable--header")
        else:
            row = y - 1 + round(self.scroll_y)
            if row >= len(self.keys):
                return Strip.blank(width, self.rich_style)
            if row == self.cursor_row:
                style = self.get_component_rich_style("rowtable--cursor")
            else:
                kind = "rowtable--odd-row" if row % 2 else "rowtable--even-row"
                style = self.get_component_rich_style(kind)
        base = self.rich_style + style
        # A row is drawn again whenever the screen is (a caption changing, the cursor moving):
        # each row's line is kept for the styles it was drawn in.
        key = (row, base, width)
        strip = self._strips.get(key)
        if strip is None:
            if row < 0:
                cells = [Text(column.label) for column in self.columns]
            else:
                cells = self.get_row_at(row)
                base += Style.from_meta({"row": row})
            strip = Strip(self._cells_line(cells, base), self.virtual_size.width)
            if width != strip.cell_length:
                strip = strip.crop_extend(0, width, base)
            self._strips[key] = strip
        return strip

    # Keys and the mouse ------------------------------------------------------------------

    def action_cursor_up(self) -> None:
        self.move_cursor(self.cursor_row - 1)

    def action_cursor_down(self) -> None:
        self.move_cursor(self.cursor_row + 1)

    def _body_height(self) -> int:
        return max(self.scrollable_content_region.height - 1, 1)

    def action_page_up(self) -> None:
        self.move_cursor(self.cursor_row - self._body_height())

    def action_page_down(self) -> None:
        self.move_cursor(self.cursor_row + self._body_height())

    def action_scroll_top(self) -> None:
        self.move_cursor(0)

    def action_scroll_bottom(self) -> None:
        self.move_cursor(len(self.keys) - 1)

    def action_select_cursor(self) -> None:
        if self.keys:
            self.post_message(self.RowSelected(self, self.keys[self.cursor_row]))

    def on_click(self, event: events.Click) -> None:
        row = event.style.meta.get("row")
        if row is None or row >= len(self.keys):
            return
        if row == self.cursor_row:
            self.action_select_cursor()
        else:
            self.move_cursor(row)
