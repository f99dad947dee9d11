"""A yes/no question, and the two questions the forms ask with it: reload after another
window saved first, and leave a form whose last changes were not saved."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import Button, Static

from screens.styles import css


class ConfirmDialog(ModalScreen[bool]):
    """Ask a yes/no question; dismisses with True for yes."""

    CSS_PATH = css("dialogs.tcss")
    BINDINGS = [
        Binding("escape", "dismiss(False)", "Cancel"),
        Binding("y", "dismiss(True)", "Yes", show=False),
    ]

    def __init__(
        self, question: str, yes: str = "Yes", no: str = "Cancel", *, danger: bool = True
    ) -> None:
        super().__init__()
        self.question = question
        self.yes = yes
        self.no = no
        self.danger = danger

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(self.question, classes="question", markup=False)
            with Horizontal(classes="buttons"):
                yield Button(self.yes, variant="error" if self.danger else "primary", id="yes")
                yield Button(self.no, id="no")

    def on_mount(self) -> None:
        self.query_one("#no", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")


def offer_reload(screen: Screen[Any], reload: Callable[[], Awaitable[None]]) -> None:
    """Tell the user a save was refused because another window saved first; offer a reload."""

    def answered(yes: bool | None) -> None:
        if yes:
            screen.run_worker(reload())

    screen.app.push_screen(
        ConfirmDialog(
            "This campaign was changed in another window since you opened it, so your last "
            "change was not saved.\n\nReload to see the other window's changes (your unsaved "
            "change is dropped), or keep it on screen to copy it first.",
            yes="Reload",
            no="Keep on screen",
            danger=False,
        ),
        answered,
    )


def leave_unsaved(screen: Screen[Any], leave: Callable[[], None], *, invalid: bool = True) -> None:
    """Ask before leaving a form that holds changes which could not be saved: values that
    are not valid, or a save the database refused (the form's state line says why)."""

    def answered(yes: bool | None) -> None:
        if yes:
            leave()

    reason = (
        "Some values are not valid, so they were not saved."
        if invalid
        else "Your last change could not be saved (the line above the form says why)."
    )
    screen.app.push_screen(
        ConfirmDialog(
            f"{reason}\n\nLeave anyway? The last saved values are kept.",
            yes="Leave",
            no="Stay",
        ),
        answered,
    )
