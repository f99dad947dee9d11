"""Export the brief: choose the format (the arrow keys) and the file to save it in."""

from __future__ import annotations

from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, RadioButton, RadioSet, Static

from planner.briefs import format_for_path
from planner.domain.errors import PlannerError
from planner.domain.models import BriefFormat
from planner.store.output import user_path
from screens.styles import css


class FormatChoice(RadioSet):
    """The export formats: an arrow key chooses the next or previous format at once (a
    RadioSet only moves its highlight, and Space then chooses), and Enter exports."""

    BINDINGS = [
        Binding("down,right", "choose(1)", "Next format", show=False),
        Binding("up,left", "choose(-1)", "Previous format", show=False),
        Binding("enter", "screen.export", "Export", show=False),
    ]

    def action_choose(self, step: int) -> None:
        buttons = [b for b in self.query(RadioButton) if not b.disabled]
        if not buttons:
            return
        pressed = self.pressed_button
        at = buttons.index(pressed) if pressed in buttons else -1
        buttons[(at + step) % len(buttons)].value = True


class ExportDialog(ModalScreen[tuple[BriefFormat, Path] | None]):
    """Choose the format and the file of an export. Focus starts on the format, which the
    arrow keys choose; Enter exports from the format or the path, Escape cancels."""

    CSS_PATH = css("dialogs.tcss")
    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel")]

    def __init__(self, fmt: BriefFormat, path: Path, *, pdf: bool) -> None:
        super().__init__()
        self.fmt = fmt
        self.path = path
        self.pdf = pdf

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide"):
            yield Label("Export the brief", classes="title")
            with FormatChoice(id="format"):
                for fmt in BriefFormat:
                    label = {
                        BriefFormat.MD: "Markdown (.md)",
                        BriefFormat.HTML: "HTML, one self-contained file (.html)",
                        BriefFormat.PDF: "PDF (.pdf)" if self.pdf else "PDF (needs WeasyPrint)",
                        BriefFormat.DOCX: "Word, to edit in Word or LibreOffice (.docx)",
                    }[fmt]
                    yield RadioButton(label, value=fmt is self.fmt, name=fmt.value)
            yield Label("Save as")
            # The path keeps its text when focused (the cursor at its end): a key typed there
            # adds to the path instead of replacing all of it.
            yield Input(str(self.path), id="path", select_on_focus=False)
            yield Static("", id="problem", classes="problem", markup=False)
            yield Static("↑ ↓ choose the format · Enter exports · Escape cancels", classes="hint")
            with Horizontal(classes="buttons"):
                yield Button("Export", variant="primary", id="export")
                yield Button("Cancel", id="cancel")

    def on_mount(self) -> None:
        self.query_one("#format", FormatChoice).focus()

    def action_export(self) -> None:
        self._submit()

    @on(RadioSet.Changed, "#format")
    def _format_changed(self, event: RadioSet.Changed) -> None:
        """The path's extension follows the format while it names one (brief.md becomes
        brief.html); a path with another extension is left as typed."""
        self.fmt = BriefFormat(event.pressed.name)
        field = self.query_one("#path", Input)
        path = Path(field.value.strip())
        if format_for_path(path) not in (None, self.fmt):
            field.value = str(path.with_suffix(self.fmt.suffix))
            field.cursor_position = len(field.value)
        self.query_one("#problem", Static).update("")

    @on(Input.Changed, "#path")
    def _path_changed(self, event: Input.Changed) -> None:
        """A file name that says its format (brief.pdf) chooses that format."""
        asked = format_for_path(Path(event.value.strip()))
        if asked is not None and asked is not self.fmt:
            for button in self.query(RadioButton):
                if button.name == asked.value:
                    button.value = True

    @on(Input.Submitted, "#path")
    def _submitted(self) -> None:
        self._submit()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "export":
            self._submit()
        else:
            self.dismiss(None)

    def _submit(self) -> None:
        from planner.briefs import PDF_HELP

        problem = self.query_one("#problem", Static)
        text = self.query_one("#path", Input).value.strip()
        if not text:
            problem.update("Type the path of the file to save the brief in.")
            return
        try:
            path = user_path(text)
        except PlannerError as exc:
            problem.update(str(exc))
            return
        if self.fmt is BriefFormat.PDF and not self.pdf:
            problem.update(PDF_HELP)
            return
        if path.is_dir():
            problem.update(
                f"'{path}' is a folder; add a file name, such as brief{self.fmt.suffix}."
            )
            return
        if not path.parent.is_dir():
            problem.update(f"The folder '{path.parent}' does not exist.")
            return
        self.dismiss((self.fmt, path.resolve()))
