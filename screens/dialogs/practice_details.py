"""The second step of a campaign from a starter: the practice's address, phone and website,
which the starter's texts give; each left empty keeps the starter's sample practice's."""

from __future__ import annotations

from dataclasses import dataclass

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static

from screens.dialogs.base import SubmitsOrLeaves
from screens.styles import css
from screens.widgets.forms import FieldInput

LABELS = {"address": "Address", "phone": "Phone", "website": "Website"}


@dataclass(frozen=True)
class DetailsAnswer:
    """The details typed (each one the starter asks for; "" where left empty), and whether
    the user went back to the name step (Escape, or Back) rather than creating."""

    details: dict[str, str]
    back: bool = False


class PracticeDetailsDialog(SubmitsOrLeaves, ModalScreen[DetailsAnswer]):
    """Ask for the details a starter's texts give, each shown with its sample."""

    CSS_PATH = css("dialogs.tcss")
    BINDINGS = [Binding("escape", "leave", "Back")]
    submit_id = "create"

    def __init__(
        self, samples: dict[str, str], *, practice: str = "", given: dict[str, str] | None = None
    ) -> None:
        super().__init__()
        self.samples = samples
        self.practice = practice
        self.given = given or {}

    def compose(self) -> ComposeResult:
        whose = f"“{self.practice}”" if self.practice else "the practice"
        with Vertical(classes="dialog"):
            yield Label(f"How patients reach {whose}", classes="title", markup=False)
            yield Static(
                "The starter's texts give these. Left empty, a text keeps the example shown.",
                classes="hint",
            )
            for key, sample in self.samples.items():
                yield Label(LABELS.get(key, key.capitalize()))
                yield FieldInput(
                    self.given.get(key, ""),
                    placeholder=f"e.g. {sample}" if sample else "",
                    id=key,
                    compact=False,
                )
            with Horizontal(classes="buttons"):
                yield Button("Create", variant="primary", id="create")
                yield Button("Back", id="back")

    def on_mount(self) -> None:
        self.set_focus(self.query(Input).first())

    def leave(self) -> None:
        self.dismiss(DetailsAnswer(self.typed(), back=True))

    def typed(self) -> dict[str, str]:
        return {key: self.query_one(f"#{key}", Input).value.strip() for key in self.samples}

    def submit(self) -> None:
        self.dismiss(DetailsAnswer(self.typed()))
