"""The base of the dialogs that read a few fields: Save submits, Escape cancels, and a problem
is shown under the fields while, and only while, it holds."""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import ValidationError
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Input, Select, Static, TextArea

from planner.domain.errors import field_message

T = TypeVar("T")


def problem_and_buttons(save: str = "Save") -> ComposeResult:
    """The foot of a dialog of fields: the line that says what stops a save, then the button
    that saves (its label ``save``) and Cancel."""
    yield Static("", id="problem", classes="problem", markup=False)
    with Horizontal(classes="buttons"):
        yield Button(save, variant="primary", id="save", compact=True)
        yield Button("Cancel", id="cancel", compact=True)


class SubmitsOrLeaves:
    """Enter in a field, or the button whose id is ``submit_id``, submits (``submit``); the
    other button leaves (``leave``: with None unless a dialog says otherwise)."""

    submit_id = "save"

    def submit(self) -> None:
        raise NotImplementedError

    def leave(self) -> None:
        self.dismiss(None)  # type: ignore[attr-defined]

    def action_leave(self) -> None:
        self.leave()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == self.submit_id:
            self.submit()
        else:
            self.leave()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.submit()


class FormDialog(SubmitsOrLeaves, ModalScreen[T]):
    """A dialog of a few fields: Save (or Enter in a field) submits, Escape or Cancel leaves
    with None. A subclass reads its fields in ``submit`` and dismisses with the result, or
    shows why it cannot in its ``#problem`` line."""

    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel")]

    shown_problem = ""
    checking = False  # submit() runs only to see whether a shown problem still holds

    def refuse(self, problem: str) -> None:
        self.shown_problem = problem
        if not self.checking:
            self.query_one("#problem", Static).update(problem)

    def dismiss(self, result: Any = None) -> Any:
        if self.checking:
            return None
        return super().dismiss(result)

    def recheck(self) -> None:
        """A problem is shown while, and only while, it still holds: after each change the
        values are checked again (without submitting them) and the line follows."""
        if not self.shown_problem:
            return
        self.shown_problem = ""
        self.checking = True
        try:
            self.submit()
        finally:
            self.checking = False
        self.query_one("#problem", Static).update(self.shown_problem)

    def on_input_changed(self, event: Input.Changed) -> None:
        self.recheck()

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        self.recheck()

    def on_select_changed(self, event: Select.Changed) -> None:
        self.recheck()

    def on_checkbox_changed(self, event: Checkbox.Changed) -> None:
        self.recheck()


def validation_problem(exc: ValidationError, labels: dict[str, str], default: str) -> str:
    """The first problem pydantic found, as a sentence under the field's label."""
    first = exc.errors(include_url=False)[0]
    label = labels.get(str(first["loc"][0]) if first["loc"] else "", default)
    problem = field_message(first)
    return f"{label}: {problem[0].lower()}{problem[1:]}."
