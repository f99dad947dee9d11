"""Small modal dialogs: confirm, pick a starter, name a new campaign."""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from pydantic import ValidationError
from rich.markup import escape
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import Button, Checkbox, Input, Label, OptionList, Select, Static, TextArea
from textual.widgets.option_list import Option

from planner.domain.errors import field_message
from planner.domain.models import MeasureCategory
from planner.domain.money import is_currency
from planner.plan.kpis import Kpi
from planner.plan.starters import Starter
from screens.styles import css
from screens.widgets.forms import FieldInput

T = TypeVar("T")


class FormDialog(ModalScreen[T]):
    """A dialog of a few fields: Save (or Enter in a field) submits, Escape or Cancel leaves
    with None. A subclass reads its fields in ``submit`` and dismisses with the result, or
    shows why it cannot in its ``#problem`` line."""

    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel")]

    shown_problem = ""
    checking = False  # submit() runs only to see whether a shown problem still holds

    def submit(self) -> None:
        raise NotImplementedError

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

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "save":
            self.submit()
        else:
            self.dismiss(None)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.submit()


def validation_problem(exc: ValidationError, labels: dict[str, str], default: str) -> str:
    """The first problem pydantic found, as a sentence under the field's label."""
    first = exc.errors(include_url=False)[0]
    label = labels.get(str(first["loc"][0]) if first["loc"] else "", default)
    problem = field_message(first)
    return f"{label}: {problem[0].lower()}{problem[1:]}."


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


@dataclass(frozen=True)
class NewCampaignRequest:
    name: str
    practice: str
    currency: str
    starter: str | None
    start: dt.date | None = None  # a starter's plan moves to start here


class NewCampaignDialog(ModalScreen[NewCampaignRequest | None]):
    """Name a new campaign (blank, or from the chosen starter)."""

    CSS_PATH = css("dialogs.tcss")
    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel")]

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
    ) -> None:
        super().__init__()
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
                yield Button("Create", variant="primary", id="create")
                yield Button("Cancel", id="cancel")

    def on_mount(self) -> None:
        # At once, not later as Widget.focus() does: the keys typed right after the key that
        # opened the dialog wait for its mount (see flows.create_campaign) and go to the name.
        self.set_focus(self.query_one("#name", Input))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self._submit()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "create":
            self._submit()
        else:
            self.dismiss(None)

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

    def _submit(self) -> None:
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


class KpiDialog(ModalScreen[Kpi | None]):
    """Pick a measure from the KPI library shipped with the planner."""

    CSS_PATH = css("dialogs.tcss")
    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel")]

    def __init__(self, kpis: Sequence[Kpi]) -> None:
        super().__init__()
        self.kpis = list(kpis)

    def compose(self) -> ComposeResult:
        entries: list[Option | None] = []
        for category in MeasureCategory:
            group = [(n, k) for n, k in enumerate(self.kpis) if k.category is category]
            if not group:
                continue
            if entries:
                entries.append(None)
            entries.append(Option(Text(category.label.upper(), style="bold"), disabled=True))
            for n, kpi in group:
                entries.append(
                    Option(Text.assemble(kpi.name, "\n", (f"  {kpi.unit}", "dim")), id=str(n))
                )
        with Vertical(classes="dialog wide"):
            yield Label("Add a measure from the KPI library", classes="title")
            yield OptionList(*entries, id="kpis")
            yield Static(
                "Enter adds it; you then fill in the baseline and the target. Escape cancels.",
                classes="hint",
            )

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option.id is not None:
            self.dismiss(self.kpis[int(event.option.id)])
