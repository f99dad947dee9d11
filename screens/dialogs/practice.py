"""Choose the practice (client) whose campaigns the list shows, each with its campaigns rolled
up: how many, their budget, what they spent, and how many need attention (counted once the
dialog is open: it takes every campaign's figures)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from rich.markup import escape
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList, Static
from textual.widgets.option_list import Option

from planner.domain.errors import PlannerError
from planner.domain.records import ClientSummary
from planner.domain.words import practice_key
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
    first line every practice's; Escape changes nothing. ``count`` gives how many campaigns of
    each practice (by ``practice_key``) need attention: shown once it is known."""

    CSS_PATH = css("dialogs.tcss")
    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel")]

    def __init__(
        self,
        clients: list[ClientSummary],
        current: str | None = None,
        count: Callable[[], Awaitable[dict[str, int]]] | None = None,
    ) -> None:
        super().__init__()
        self.clients = [c for c in clients if c.campaigns]
        self.current = current
        self.count = count

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide"):
            yield Label("Show the campaigns of one practice", classes="title")
            yield OptionList(
                Option("[b]Every practice[/b]", id="all"),
                *[Option(self.prompt(c), id=str(i)) for i, c in enumerate(self.clients)],
                id="practices",
            )
            counting = "Counting the campaigns needing attention… " if self.count else ""
            yield Static(f"{counting}Enter chooses, Escape cancels.", classes="hint", id="hint")

    @staticmethod
    def prompt(client: ClientSummary, flagged: int | None = None) -> str:
        """The practice's name (with how many of its campaigns need attention, once counted)
        over its roll-up."""
        name = f"[b]{escape(client.name)}[/b]"
        if flagged is not None:
            name += " · " + (
                "none needs attention"
                if not flagged
                else f"[yellow]{flagged} need{'s' if flagged == 1 else ''} attention[/]"
            )
        return f"{name}\n[dim]{escape(rollup(client))}[/dim]"

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        names = [c.name.casefold() for c in self.clients]
        if self.current and self.current.casefold() in names:
            options.highlighted = names.index(self.current.casefold()) + 1
        if self.count is not None:
            self.run_worker(self._count(), exclusive=True, exit_on_error=False)

    async def _count(self) -> None:
        assert self.count is not None
        hint = self.query_one("#hint", Static)
        try:
            flagged = await self.count()
        except PlannerError as exc:
            hint.update(f"{exc} Enter chooses, Escape cancels.")
            return
        options = self.query_one(OptionList)
        for i, client in enumerate(self.clients):
            prompt = self.prompt(client, flagged.get(practice_key(client.name), 0))
            options.replace_option_prompt(str(i), prompt)
        hint.update("Enter chooses, Escape cancels.")

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option.id == "all":
            self.dismiss(ALL)
        else:
            self.dismiss(self.clients[int(event.option.id or 0)].name)
