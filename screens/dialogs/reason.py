"""Ask for the reason behind a review decision; it is kept on record."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, Label, Static

from screens.dialogs.base import FormDialog, problem_and_buttons
from screens.styles import css
from screens.widgets.forms import FieldInput


class ReasonDialog(FormDialog[str | None]):
    """Ask for the reason behind a decision."""

    CSS_PATH = css("dialogs.tcss", "review.tcss")

    def __init__(self, title: str, question: str, action: str) -> None:
        super().__init__()
        self.heading = title
        self.question = question
        self.action = action

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide"):
            yield Label(self.heading, classes="title")
            yield Static(self.question, classes="question", markup=False)
            yield FieldInput(placeholder="The reason, in a sentence", id="reason", compact=False)
            yield from problem_and_buttons(self.action)

    def on_mount(self) -> None:
        self.query_one("#reason", Input).focus()

    def submit(self) -> None:
        reason = self.query_one("#reason", Input).value.strip()
        if not reason:
            self.refuse("Write the reason; it is kept on record.")
            return
        self.dismiss(reason)
