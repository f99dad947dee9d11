"""Name a new campaign, blank or from a starter, with its practice and currency."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static

from planner.domain.money import is_currency
from planner.plan.starters import Starter
from screens.dialogs.base import SubmitsOrLeaves
from screens.styles import css
from screens.widgets.forms import FieldInput


@dataclass(frozen=True)
class NewCampaignRequest:
    name: str
    practice: str
    currency: str
    starter: str | None
    start: dt.date | None = None  # a starter's plan moves to start here
    details: dict[str, str] | None = None  # the practice's address, phone, website (step 2)


class NewCampaignDialog(SubmitsOrLeaves, ModalScreen[NewCampaignRequest | None]):
    """Name a new campaign (blank, or from the chosen starter)."""

    CSS_PATH = css("dialogs.tcss")
    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel")]

    submit_id = "create"
    shown_problem = ""

    def __init__(
        self,
        *,
        starter: Starter | None = None,
        name: str = "",
        practice: str = "",
        currency: str = "USD",
        start: dt.date | None = None,
        end: dt.date | None = None,
        then_details: bool = False,
    ) -> None:
        super().__init__()
        self.then_details = then_details  # a second step asks for the practice's details
        self.starter = starter
        self.start, self.end = start, end
        self.default_name = name
        self.default_practice = practice
        self.default_currency = currency

    def compose(self) -> ComposeResult:
        title = (
            f"New campaign from “{self.starter.title}”" if self.starter else "New blank campaign"
        )
        with Vertical(classes="dialog"):
            yield Label(title, classes="title", markup=False)
            yield Label("Name")
            yield FieldInput(
                self.default_name,
                placeholder="e.g. Spring flu clinic 2027",
                id="name",
                compact=False,
            )
            yield Label("Practice")
            yield FieldInput(
                self.default_practice,
                placeholder="e.g. Riverside Family Medicine",
                id="practice",
                compact=False,
            )
            yield Label("Currency (ISO 4217)")
            yield FieldInput(
                self.default_currency, max_length=3, id="currency", compact=False, whole=True
            )
            if self.starter and self.start and self.end:
                yield Static(
                    f"Runs {self.start.day} {self.start:%b %Y} to {self.end.day} "
                    f"{self.end:%b %Y}; the years and dates in its texts match.",
                    id="span",
                    classes="hint",
                )
            yield Static("", id="problem", classes="problem")
            with Horizontal(classes="buttons"):
                yield Button(
                    "Next" if self.then_details else "Create", variant="primary", id="create"
                )
                yield Button("Cancel", id="cancel")

    def on_mount(self) -> None:
        # At once, not later as Widget.focus() does: the keys typed right after the key that
        # opened the dialog wait for its mount (see flows.create_campaign) and go to the name.
        self.set_focus(self.query_one("#name", Input))

    def _problem(self) -> tuple[str, str]:
        """What stops the campaign being created, and the field to fix; ('', '') if nothing."""
        if not self.query_one("#name", Input).value.strip():
            return "Give the campaign a name.", "#name"
        currency = self.query_one("#currency", Input).value.strip().upper()
        if not is_currency(currency):
            return f"'{currency}' is not a currency code; use e.g. USD, EUR or GBP.", "#currency"
        return "", ""

    def on_input_changed(self, event: Input.Changed) -> None:
        """A problem shown stays only while it holds."""
        if self.shown_problem:
            self.shown_problem = self._problem()[0]
            self.query_one("#problem", Static).update(self.shown_problem)

    def submit(self) -> None:
        name = self.query_one("#name", Input).value.strip()
        currency = self.query_one("#currency", Input).value.strip().upper()
        message, field = self._problem()
        self.shown_problem = message
        if message:
            self.query_one("#problem", Static).update(message)
            self.query_one(field, Input).focus()
            return
        self.dismiss(
            NewCampaignRequest(
                name=name,
                practice=self.query_one("#practice", Input).value.strip(),
                currency=currency,
                starter=self.starter.id if self.starter else None,
                start=self.start if self.starter else None,
            )
        )
