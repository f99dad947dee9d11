"""The brief as a Word document: its HTML read block by block and written with python-docx.

Word and LibreOffice get what they can edit and navigate: the campaign's name in the Title
style, the sections and their parts as Heading 1 and 2 (so the navigation pane and a table of
contents work), real tables with their header row repeated on each page and their numbers
right-aligned, lists, quotes, and the table of contents as Word's own field (filled in when the
document is opened or updated). The HTML is the one the HTML and PDF briefs are made from,
templates folder and all, so the three formats say the same; what the reader cannot use in Word
(the stylesheet, links within the page, badges' colours) is left out, never its text.
"""

from __future__ import annotations

import base64
import datetime as dt
import io
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

from planner.domain.language import _, current

# The language tag Word gives the text of a brief in each language.
_WORD_LANGUAGES = {"en": "en-US", "it": "it-IT"}

# Elements whose content is never text of the document.
_SKIPPED = {"head", "style", "script", "title", "template"}
# Elements written as a block of their own.
_HEADINGS = {"h1": 0, "h2": 1, "h3": 2, "h4": 3, "h5": 3, "h6": 3}
_BLOCKS = {
    "p", "div", "section", "article", "main", "header", "footer", "nav", "aside", "ul", "ol",
    "table", "blockquote", "pre", "hr", "figure", "body", "html", "dl",
}  # fmt: skip
_VOID = {"br", "img", "meta", "link", "hr", "input", "col", "wbr", "source"}


@dataclass
class Node:
    tag: str
    attrs: dict[str, str] = field(default_factory=dict)
    children: list[Node | str] = field(default_factory=list)

    @property
    def classes(self) -> set[str]:
        return set(self.attrs.get("class", "").split())


class _Tree(HTMLParser):
    """The HTML as a tree of nodes (the parser of the standard library, forgiving as browsers
    are: an element left open is closed by its parent's end)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("root")
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.close_implied(tag)
        node = Node(tag, {k: v or "" for k, v in attrs})
        self.stack[-1].children.append(node)
        if tag not in _VOID:
            self.stack.append(node)

    def close_implied(self, tag: str) -> None:
        """The end tags HTML lets a writer leave out, as browsers read them: a block closes an
        open paragraph (and a heading another heading), an item the item before it, a cell
        the cell before it, a row the row before it."""
        closes = {
            "li": ("li",),
            "td": ("td", "th"),
            "th": ("td", "th"),
            "tr": ("tr", "td", "th"),
            "thead": ("tr", "td", "th", "thead", "tbody"),
            "tbody": ("tr", "td", "th", "thead", "tbody"),
            "tfoot": ("tr", "td", "th", "thead", "tbody"),
        }.get(tag, ())
        if tag in _BLOCKS:
            closes = (*closes, "p")
        if tag in _HEADINGS:
            closes = (*closes, *_HEADINGS)
        walls = {"li": ("ul", "ol"), "td": ("tr", "table"), "th": ("tr", "table")}.get(
            tag, ("table",) if tag in ("tr", "thead", "tbody", "tfoot") else ()
        )
        for depth in range(len(self.stack) - 1, 0, -1):
            here = self.stack[depth].tag
            if here in walls:
                return
            if here in closes:
                del self.stack[depth:]
                return

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.stack[-1].children.append(Node(tag, {k: v or "" for k, v in attrs}))

    def handle_endtag(self, tag: str) -> None:
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth].tag == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)


def _tree(html: str) -> Node:
    parser = _Tree()
    parser.feed(html)
    parser.close()
    return parser.root


def _text(node: Node | str) -> str:
    if isinstance(node, str):
        return node
    if node.tag in _SKIPPED:
        return ""
    if node.tag == "br":
        return "\n"
    return "".join(_text(child) for child in node.children)


def _squeeze(text: str) -> str:
    """Text as HTML shows it: runs of spaces and line ends as one space."""
    return re.sub(r"[ \t\r\n\f]+", " ", text)


class _Writer:
    def __init__(self) -> None:
        import docx
        from docx.enum.text import WD_ALIGN_PARAGRAPH
        from docx.shared import Inches, Pt

        self.docx = docx
        self.align_right = WD_ALIGN_PARAGRAPH.RIGHT
        self.Inches, self.Pt = Inches, Pt
        self.document = docx.Document()
        self.title = ""
        self.width = 0  # the text's width on the page, in EMU

    def page(self, html: str) -> None:
        """The paper the HTML brief prints on (its stylesheet's @page size: US Letter for a
        US-only campaign, else A4) and its margins."""
        from docx.shared import Mm

        section = self.document.sections[0]
        if re.search(r"@page\s*\{[^}]*size:\s*A4", html, re.I):
            section.page_width, section.page_height = Mm(210), Mm(297)
        else:
            section.page_width, section.page_height = self.Inches(8.5), self.Inches(11)
        section.top_margin, section.bottom_margin = Mm(18), Mm(20)
        section.left_margin = section.right_margin = Mm(16)
        self.width = section.page_width - section.left_margin - section.right_margin
        self.colour(html)

    def colour(self, html: str) -> None:
        """The headings in the brief's accent colour (a client's, when it has one): the last
        ``--accent`` its stylesheet sets."""
        from docx.shared import RGBColor

        found = re.findall(r"--accent:\s*#([0-9a-fA-F]{6})\b", html)
        if not found:
            return
        colour = RGBColor.from_string(found[-1].upper())
        for name in ("Title", "Heading 1", "Heading 2", "Heading 3"):
            self.document.styles[name].font.color.rgb = colour

    def footer(self) -> None:
        """The brief's name and 'Page N of M' at the foot of every page but the first."""
        section = self.document.sections[0]
        section.different_first_page_header_footer = True
        paragraph = section.footer.paragraphs[0]
        page = _("Page")
        paragraph.add_run(f"{self.title}    {page} " if self.title else f"{page} ")
        _field(paragraph, "PAGE")
        paragraph.add_run(f" {_('of')} ")
        _field(paragraph, "NUMPAGES")
        if "Footer" in [s.name for s in self.document.styles]:
            self.document.styles["Footer"].font.size = self.Pt(8.5)
        for run in paragraph.runs:
            run.font.size = self.Pt(8.5)

    # Inline content: runs of text, bold, italic, line breaks ----------------------------------

    def inline(self, paragraph: Any, node: Node | str, bold: bool = False, italic: bool = False):
        if isinstance(node, str):
            text = _squeeze(node)
            if text:
                run = paragraph.add_run(text)
                run.bold = bold or None
                run.italic = italic or None
            return
        if node.tag in _SKIPPED:
            return
        if node.tag == "br":
            paragraph.add_run().add_break()
            return
        if node.tag == "img":
            self.picture(node, paragraph)
            return
        bold = bold or node.tag in ("strong", "b", "th")
        italic = italic or node.tag in ("em", "i")
        for child in node.children:
            self.inline(paragraph, child, bold, italic)

    def paragraph(self, node: Node, style: str | None = None) -> Any:
        paragraph = self.document.add_paragraph(style=style)
        for child in node.children:
            self.inline(paragraph, child)
        _strip(paragraph)
        return paragraph

    # Blocks ------------------------------------------------------------------------------------

    def blocks(self, node: Node) -> None:
        """Write the children of ``node``: block elements as blocks, loose text as paragraphs."""
        loose: list[Node | str] = []

        def flush() -> None:
            pictures = any(
                isinstance(n, Node) and _all(Node("", children=[n]), "img") for n in loose
            )
            if loose and (pictures or _squeeze("".join(_text(n) for n in loose)).strip()):
                self.paragraph(Node("p", children=list(loose)))
            loose.clear()

        for child in node.children:
            if isinstance(child, str) or not self.is_block(child):
                loose.append(child)
                continue
            flush()
            self.block(child)
        flush()

    def is_block(self, node: Node) -> bool:
        return node.tag in _HEADINGS or node.tag in _BLOCKS or node.tag in _SKIPPED

    def block(self, node: Node) -> None:
        tag = node.tag
        if tag in _SKIPPED:
            return
        if tag in _HEADINGS:
            level = _HEADINGS[tag]
            text = _squeeze(_text(node)).strip()
            if level == 0 and not self.title:
                self.title = text
            self.document.add_heading(text, level)
        elif tag == "nav" and "toc" in node.classes:
            self.contents(node)
        elif tag == "div" and "page-break" in node.classes:
            self.document.add_page_break()
        elif tag == "p":
            style = "Subtitle" if "kicker" in node.classes else None
            self.paragraph(node, style)
        elif tag in ("ul", "ol"):
            self.items(node, numbered=tag == "ol", depth=1)
        elif tag == "blockquote":
            self.paragraph(node, "Quote")
        elif tag == "pre":
            paragraph = self.document.add_paragraph(_text(node).strip("\n"))
            for run in paragraph.runs:
                run.font.name = "Courier New"
        elif tag == "table":
            self.table(node)
        elif tag == "hr":
            self.document.add_paragraph("")
        else:
            self.blocks(node)

    def items(self, node: Node, *, numbered: bool, depth: int) -> None:
        base = "List Number" if numbered else "List Bullet"
        style = base if depth == 1 else f"{base} {min(depth, 3)}"
        for item in node.children:
            if isinstance(item, str) or item.tag != "li":
                continue
            inner = [c for c in item.children if isinstance(c, str) or c.tag not in ("ul", "ol")]
            self.paragraph(Node("li", children=inner), style)
            for child in item.children:
                if isinstance(child, Node) and child.tag in ("ul", "ol"):
                    self.items(child, numbered=child.tag == "ol", depth=depth + 1)

    def contents(self, node: Node) -> None:
        """The table of contents as Word's own field, which lists the headings (Word fills it
        in on opening, or on 'Update field'); its title stays a heading of the document."""
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn

        heading = next((c for c in node.children if isinstance(c, Node) and c.tag == "h2"), None)
        if heading is not None:
            self.document.add_heading(_squeeze(_text(heading)).strip(), 1)
        paragraph = self.document.add_paragraph()
        run = paragraph.add_run()
        parts = [("begin", None), (None, ' TOC \\o "1-2" \\h \\z \\u '), ("separate", None)]
        for kind, instruction in parts:
            if kind:
                element = OxmlElement("w:fldChar")
                element.set(qn("w:fldCharType"), kind)
            else:
                element = OxmlElement("w:instrText")
                element.set(qn("xml:space"), "preserve")
                element.text = instruction
            run._r.append(element)
        # What shows until the field is updated: the sections, as the HTML lists them.
        listed = [_squeeze(_text(li)).strip() for li in _all(node, "li")]
        paragraph.add_run("\n".join(listed) if listed else _("Contents"))
        end = OxmlElement("w:fldChar")
        end.set(qn("w:fldCharType"), "end")
        paragraph.add_run()._r.append(end)

    def table(self, node: Node) -> None:
        rows: list[tuple[str, Node]] = []  # (part, row): head, body or foot
        for part in node.children:
            if not isinstance(part, Node):
                continue
            if part.tag in ("thead", "tbody", "tfoot"):
                name = {"thead": "head", "tbody": "body", "tfoot": "foot"}[part.tag]
                rows += [(name, r) for r in part.children if isinstance(r, Node) and r.tag == "tr"]
            elif part.tag == "tr":
                rows.append(("body", part))
        # The foot ends the table, wherever the HTML put it.
        rows = [r for r in rows if r[0] != "foot"] + [r for r in rows if r[0] == "foot"]
        if not rows:
            return
        width = max(sum(_span(c) for c in _cells(r)) for _, r in rows)
        if width == 0:
            return
        table = self.document.add_table(rows=len(rows), cols=width)
        table.style = "Table Grid"
        table.autofit = False
        self.column_widths(table, rows, width)
        numeric = {int(c[4:]) for c in node.classes if re.fullmatch(r"num-\d+", c)}
        for i, (part, row) in enumerate(rows):
            column = 0
            for cell_node in _cells(row):
                span = _span(cell_node)
                if column >= width:
                    break
                cell = table.cell(i, column)
                if span > 1 and column + span - 1 < width:
                    cell = cell.merge(table.cell(i, column + span - 1))
                paragraph = cell.paragraphs[0]
                bold = part in ("head", "foot") or cell_node.tag == "th"
                for child in cell_node.children:
                    self.inline(paragraph, child, bold=bold)
                _strip(paragraph)
                for run in paragraph.runs:
                    run.font.size = self.Pt(9)
                if column + 1 in numeric and part != "head":
                    paragraph.alignment = self.align_right
                column += span
            if part == "head":
                _repeat_as_header(table.rows[i])
        self.document.add_paragraph()

    def column_widths(self, table: Any, rows: list[tuple[str, Node]], width: int) -> None:
        """Each column at least as wide as its longest word, the rest of the page's width
        shared by how much each column holds (a long text counting as 40 letters)."""
        from docx.shared import Mm

        longest = [0] * width
        holds = [1] * width
        for _head, row in rows:
            column = 0
            for cell_node in _cells(row):
                if _span(cell_node) == 1 and column < width:
                    text = _text(cell_node).strip()
                    words = [len(w) for w in text.split()] or [0]
                    longest[column] = max(longest[column], *words)
                    holds[column] = max(holds[column], min(len(text), 40))
                column += _span(cell_node)
        least = [int(Mm(3 + 1.9 * n)) for n in longest]  # 9-point letters, and the padding
        scale = min(1.0, self.width / max(sum(least), 1))
        least = [int(w * scale) for w in least]
        spare = max(self.width - sum(least), 0)
        for index in range(width):
            share = least[index] + int(spare * holds[index] / sum(holds))
            table.columns[index].width = share
            for cell in table.columns[index].cells:
                cell.width = share

    def picture(self, node: Node, paragraph: Any) -> None:
        """An image given in the document itself (a data: address, as a logo is); an image
        elsewhere is left out, as the HTML brief fetches nothing either."""
        from docx.image.exceptions import UnrecognizedImageError

        source = node.attrs.get("src", "")
        match = re.match(r"data:image/(png|jpeg|jpg|gif|bmp);base64,(.*)$", source, re.S)
        if not match:
            return
        try:
            data = base64.b64decode(match.group(2), validate=False)
            paragraph.add_run().add_picture(io.BytesIO(data), width=self.Inches(1.5))
        except (UnrecognizedImageError, ValueError, OSError, KeyError):  # not one Word can use
            return

    def _text_language(self, language: str) -> None:
        """Every run's language (the document defaults' w:lang), for spelling and grammar."""
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn

        styles = self.document.styles.element
        defaults = styles.find(qn("w:docDefaults"))
        if defaults is None:
            return
        run = defaults.find(qn("w:rPrDefault"))
        properties = run.find(qn("w:rPr")) if run is not None else None
        if properties is None:
            return
        lang = properties.find(qn("w:lang"))
        if lang is None:
            lang = OxmlElement("w:lang")
            properties.append(lang)
        lang.set(qn("w:val"), language)

    def save(self, title: str) -> bytes:
        properties = self.document.core_properties
        properties.title = title
        properties.author = ""
        properties.comments = _("Campaign brief written by the Healthcare Campaign Planner")
        # when it was written (python-docx's own template otherwise says 2013), and in which
        # language its text is, for Word's spelling and grammar
        properties.created = properties.modified = dt.datetime.now(dt.UTC).replace(
            microsecond=0, tzinfo=None
        )
        properties.last_modified_by = ""
        language = _WORD_LANGUAGES.get(current(), "en-US")
        properties.language = language
        self._text_language(language)
        out = io.BytesIO()
        self.document.save(out)
        return out.getvalue()


def _all(node: Node, tag: str) -> list[Node]:
    found = []
    for child in node.children:
        if isinstance(child, Node):
            if child.tag == tag:
                found.append(child)
            found += _all(child, tag)
    return found


def _cells(row: Node) -> list[Node]:
    return [c for c in row.children if isinstance(c, Node) and c.tag in ("td", "th")]


def _span(cell: Node) -> int:
    try:
        return max(1, min(int(cell.attrs.get("colspan", "1")), 50))
    except ValueError:
        return 1


def _strip(paragraph: Any) -> None:
    """No space at the start or end of a paragraph (left by the HTML's line ends)."""
    runs = [r for r in paragraph.runs if r.text]
    if runs:
        runs[0].text = runs[0].text.lstrip(" ")
        runs[-1].text = runs[-1].text.rstrip(" ")


def _repeat_as_header(row: Any) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    properties = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    properties.append(header)


def _field(paragraph: Any, instruction: str) -> None:
    """A field Word computes (a page number, the number of pages) at the end of ``paragraph``."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    run = paragraph.add_run()
    for kind in ("begin", None, "end"):
        if kind is None:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = f" {instruction} "
        else:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        run._r.append(element)


def html_to_docx(html: str) -> bytes:
    """The brief's HTML as the bytes of a .docx file."""
    writer = _Writer()
    writer.page(html)
    root = _tree(html)
    body = next(iter(_all(root, "body")), root)
    writer.blocks(body)
    writer.footer()
    titles = _all(root, "title")  # the document's own title, as the PDF's is
    named = _squeeze("".join(_text(c) for c in titles[0].children) if titles else "").strip()
    return writer.save(named or writer.title)
