"""Choose the practice (client) whose campaigns the list shows, each with its campaigns rolled
up: how many, their budget and what they spent."""

from __future__ import annotations

from rich.markup import escape
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList, Static
from textual.widgets.option_list import Option

from planner.domain.records import ClientSummary
from screens.styles import css

ALL = ""  # what the dialog gives for "every practice"


def rollup(client: ClientSummary, *, count: bool = True) -> str:
    """``2 campaigns (1 archived) · budget EUR 5.970,00 · spent EUR 1.200,00``; without
    ``count``, the money only (the list's caption counts the campaigns itself)."""
    from planner.domain.numbers import format_amounts as amounts

    money = f"budget {amounts(client.budget)} · spent {amounts(client.spent)}"
    if not count:
        return money
    said = f"{client.campaigns} campaign{'s' if client.campaigns != 1 else ''}"
    if client.archived:
        said += f" ({client.archived} archived)"
    return f"{said} · {money}"


class PracticeDialog(ModalScreen[str | None]):
    """The practices, each with its roll-up; Enter shows that practice's campaigns only, the
    first line every practice's; Escape changes nothing."""

    CSS_PATH = css("dialogs.tcss")
    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel")]

    def __init__(self, clients: list[ClientSummary], current: str | None = None) -> None:
        super().__init__()
        self.clients = [c for c in clients if c.campaigns]
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide"):
            yield Label("Show the campaigns of one practice", classes="title")
            yield OptionList(
                Option("[b]Every practice[/b]", id="all"),
                *[
                    Option(f"[b]{escape(c.name)}[/b]\n[dim]{escape(rollup(c))}[/dim]", id=str(i))
                    for i, c in enumerate(self.clients)
                ],
                id="practices",
            )
            yield Static("Enter chooses, Escape cancels.", classes="hint")

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        names = [c.name.casefold() for c in self.clients]
        if self.current and self.current.casefold() in names:
            options.highlighted = names.index(self.current.casefold()) + 1

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option.id == "all":
            self.dismiss(ALL)
        else:
            self.dismiss(self.clients[int(event.option.id or 0)].name)
