"""Choose one of the starter campaigns shipped with the planner."""

from __future__ import annotations

from rich.markup import escape
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList, Static
from textual.widgets.option_list import Option

from planner.plan.starters import Starter
from screens.styles import css


class StarterDialog(ModalScreen[Starter | None]):
    """Choose one of the starter campaigns shipped with the planner."""

    CSS_PATH = css("dialogs.tcss")
    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel")]

    def __init__(self, starters: list[Starter]) -> None:
        super().__init__()
        self.starters = starters

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide"):
            yield Label("Start from a complete example plan", classes="title")
            yield OptionList(
                *[
                    Option(f"[b]{escape(s.title)}[/b]\n[dim]{escape(s.summary)}[/dim]", id=s.id)
                    for s in self.starters
                ],
                id="starters",
            )
            yield Static("Enter chooses, Escape cancels.", classes="hint")

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        chosen = next(s for s in self.starters if s.id == event.option.id)
        self.dismiss(chosen)
