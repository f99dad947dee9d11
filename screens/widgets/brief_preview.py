"""The brief's preview: Textual's Markdown viewer, with its tables and bullet lists each drawn as
one widget.

Textual's Markdown widget mounts a widget per table cell and four per list item: the standard
brief of a starter is some 800 widgets, which took two to three seconds to lay out and style
each time the preview was opened or the plan changed. Here a table is one rich ``Table`` and a
bullet list one grid of bullets and texts (wrapped lines still hang under their text), so the
same brief is about a quarter of the widgets. Headings, paragraphs, quotes and the table of
contents are Textual's own."""

from __future__ import annotations

from rich import box
from rich.style import Style as RichStyle
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.color import Color
from textual.content import Content
from textual.selection import Selection
from textual.style import Style
from textual.widget import Widget
from textual.widgets import MarkdownViewer, Static
from textual.widgets._markdown import (
    Markdown,
    MarkdownBulletList,
    MarkdownListItem,
    MarkdownParagraph,
    MarkdownTable,
    MarkdownTableOfContents,
)

# The inline styles Textual's Markdown names by class, as rich draws them
_INLINE = {
    ".strong": RichStyle(bold=True),
    ".em": RichStyle(italic=True),
    ".s": RichStyle(strike=True),
    ".code_inline": RichStyle(reverse=True),
}


def rich_text(content: Content) -> Text:
    """``content`` as rich text, its bold, italics, strike and inline code kept (a link keeps its
    look; only the preview's paragraphs follow one)."""
    text = Text(content.plain, end="")
    for span in content.spans:
        style = span.style
        if isinstance(style, str):
            found = _INLINE.get(style)
            if found is None:
                try:
                    found = Style.parse(style).rich_style
                except Exception:  # a style Textual itself could not read is left out
                    continue
        else:
            found = style.rich_style
        text.stylize(found, span.start, span.end)
    return text


def _primary(widget: Widget) -> RichStyle:
    """The theme's primary colour as rich draws it (an ANSI theme gives 'ansi_blue', which
    rich's own parser does not read)."""
    try:
        return RichStyle(color=Color.parse(widget.app.current_theme.primary).rich_color)
    except Exception:  # a colour Textual cannot read either: the text's own colour
        return RichStyle()


class DrawnBlock(Static):
    """A table or list drawn as one rich renderable, whose text can still be selected and
    copied (Textual selects only in its own text): the selection is read from the lines as
    they are drawn at the widget's width."""

    def get_selection(self, selection: Selection) -> tuple[str, str] | None:
        width = self.content_region.width or self.size.width
        if width <= 0:
            return None
        console = self.app.console
        lines = console.render_lines(self.content, console.options.update_width(width), pad=False)
        text = "\n".join("".join(segment.text for segment in line).rstrip() for line in lines)
        return selection.extract(text), "\n"


class BriefTable(MarkdownTable):
    """A table as one widget: a rich table in thin lines, its header bold."""

    DEFAULT_CSS = """
    BriefTable {
        width: 1fr;
        height: auto;
        margin-bottom: 1;
    }
    """

    def compose(self) -> ComposeResult:
        headers, rows = self._get_headers_and_rows()
        self._headers, self._rows = headers, rows
        accent = _primary(self)
        table = Table(
            box=box.SQUARE,
            show_lines=True,
            show_edge=False,
            pad_edge=False,
            header_style=RichStyle(bold=True, color=accent.color),
            border_style="dim",
        )
        for header in headers:
            table.add_column(rich_text(header), overflow="fold")
        for row in rows:
            table.add_row(*(rich_text(cell) for cell in row))
        yield DrawnBlock(table, classes="brief-table")


class BriefBulletList(MarkdownBulletList):
    """A bullet list as one widget: a grid of bullets and texts, each text's lines hanging under
    its first. A list whose items hold more than paragraphs (a nested list) is Textual's own."""

    def compose(self) -> ComposeResult:
        items = [b for b in self._blocks if isinstance(b, MarkdownListItem)]
        if not all(isinstance(p, MarkdownParagraph) for item in items for p in item._blocks):
            yield from super().compose()
            return
        grid = Table.grid(padding=(0, 1), expand=True)
        grid.add_column(no_wrap=True, style=_primary(self))
        grid.add_column(ratio=1, overflow="fold")
        for item in items:
            text = Text("\n", end="").join(rich_text(p._content) for p in item._blocks)
            grid.add_row(item.bullet, text)
        self._blocks.clear()
        yield DrawnBlock(grid, classes="brief-list")


class BriefMarkdown(Markdown):
    """Markdown with the brief's lighter tables and lists."""

    BLOCKS = {**Markdown.BLOCKS, "table_open": BriefTable, "bullet_list_open": BriefBulletList}


class BriefViewer(MarkdownViewer):
    """The Markdown viewer over a :class:`BriefMarkdown` document."""

    def compose(self) -> ComposeResult:
        markdown = BriefMarkdown(parser_factory=self._parser_factory, open_links=self._open_links)
        markdown.can_focus = True
        yield markdown
        yield MarkdownTableOfContents(markdown)
