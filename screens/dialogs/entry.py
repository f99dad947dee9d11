"""Record a cost or a result of a campaign, or correct one; and an entry in a sentence, as the
dialog and the tracking screen say what was saved or is about to be deleted."""

from __future__ import annotations

from collections.abc import Callable

from pydantic import ValidationError
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Label, Static

from planner.domain.errors import PlannerError
from planner.domain.inputs import show_number
from planner.domain.models import Campaign, Channel, Cost, Entry, Result
from planner.domain.numbers import format_money, format_number, is_percent_unit, style_of
from planner.plan.typed import options
from planner.tracking import ask_future_cost, refuse_future_result, starts_after
from screens.dialogs.base import problem_and_buttons
from screens.dialogs.confirm import ConfirmDialog
from screens.styles import css
from screens.widgets.forms import FieldSpec, Form, field_errors


def describe_entry(campaign: Campaign, entry: Entry) -> str:
    """``the cost of EUR 1.234,50 on 2027-10``, ``the result 6,5% of 1.000 for Bookings on
    2027-03-10``: an entry in a sentence, its numbers in the campaign's style."""
    style = style_of(campaign)
    if isinstance(entry, Cost):
        amount = format_money(entry.amount_minor, campaign.currency, style, code=True)
        return f"the cost of {amount} on {entry.period}"
    assert isinstance(entry, Result)
    unit = next((m.unit for m in campaign.measures if m.name == entry.measure), "")
    value = show_number(entry.value, style) + ("%" if is_percent_unit(unit) else "")
    of = f" of {show_number(entry.of, style)}" if entry.of is not None else ""
    return f"the result {value}{of} for {entry.measure} on {entry.period}"


def entry_fields(model: type[Entry], campaign: Campaign) -> list[FieldSpec]:
    when = FieldSpec(
        "when",
        "Date",
        "period",
        "YYYY-MM-DD",
        hint="A day, a month (2027-03) or a period (2027-03-01..2027-03-31).",
    )
    if model is Cost:
        return [
            when,
            FieldSpec(
                "amount_minor",
                f"Amount {campaign.currency}",
                "money",
                f"e.g. {format_money(12050, campaign.currency, style_of(campaign))}",
            ),
            FieldSpec(
                "activity",
                "Activity",
                "choice",
                choices=[(a.name, a.name) for a in campaign.activities],
                blank="–",
            ),
            FieldSpec(
                "channel",
                "Channel",
                "choice",
                choices=options(Channel),
                blank="The activity's",
            ),
            FieldSpec("vendor", "Vendor", placeholder="Who was paid"),
            FieldSpec("note", "Note", "long", rows=2),
        ]
    in_percent = {m.name for m in campaign.measures if is_percent_unit(m.unit)}
    return [
        FieldSpec(
            "measure",
            "Measure",
            "choice",
            choices=[(m.name, m.name) for m in campaign.measures],
        ),
        when,
        FieldSpec(
            "value",
            "Value",
            "number",
            f"e.g. 42 or {format_number(12.5, style_of(campaign))}",
            percent_if=lambda values: values.get("measure") in in_percent,
        ),
        FieldSpec(
            "of",
            "Out of",
            "number",
            f"e.g. {format_number(500, style_of(campaign))}",
            hint="What the value is out of: 21 bookings of 500 invitations (optional).",
        ),
        *(
            FieldSpec(name, label, "choice", choices=choices, blank=blank, hint=hint)
            for name, label, choices, blank, hint in (
                (
                    "activity",
                    "Activity",
                    [(a.name, a.name) for a in campaign.activities],
                    "–",
                    "Its variant, segment, influencer and channel are taken when not given.",
                ),
                (
                    "variant",
                    "Message variant",
                    [(_variant_label(m.name, m.ab_label), m.name) for m in campaign.messages],
                    "The activity's",
                    "",
                ),
                (
                    "influencer",
                    "Influencer",
                    [(i.name, i.name) for i in campaign.influencers],
                    "The activity's",
                    "The referring practice or physician, for referrals.",
                ),
            )
        ),
        FieldSpec("source", "Source", placeholder="Where the figure comes from"),
        FieldSpec("note", "Note", "long", rows=2),
    ]


def _variant_label(name: str, label: str) -> str:
    return f"{label}: {name}" if label else name


# What a result's form does not show but the result may hold (given at the command line or in
# a file): kept when it is corrected, unless its activity or variant changed (then they are
# taken from those again).
_KEPT = ("segment", "channel")


class EntryDialog(ModalScreen[str | None]):
    """Record a cost or a result, or correct one. Dismissed with a sentence saying what was
    saved, or None when cancelled."""

    CSS_PATH = css("dialogs.tcss", "forms.tcss", "tracking.tcss")
    BINDINGS = [
        Binding("escape", "dismiss(None)", "Cancel"),
        Binding("ctrl+s", "save", "Save"),
    ]

    def __init__(
        self,
        campaign: Campaign,
        model: type[Entry],
        entry: Entry | None,
        save: Callable[[Entry], None],
    ) -> None:
        super().__init__()
        self.campaign = campaign
        self.model = model
        self.entry = entry
        self.save_entry = save
        self.fields = entry_fields(model, campaign)

    def compose(self) -> ComposeResult:
        noun = "cost" if self.model is Cost else "result"
        title = f"Edit {noun}" if self.entry else f"Record a {noun}"
        if self.entry is not None:
            values = self.entry.model_dump()
            values["when"] = self.entry.period
        else:
            values = {"when": self.app.today().isoformat()}
            if self.model is Result and self.campaign.primary_measure:
                values["measure"] = self.campaign.primary_measure.name
        with Vertical(classes="dialog wide", id="entry-dialog"):
            yield Label(title, classes="title")
            with VerticalScroll(id="entry-fields"):
                yield Form(self.fields, values, self.campaign.currency, style_of(self.campaign))
            yield from problem_and_buttons()

    def on_mount(self) -> None:
        self.call_after_refresh(self._focus_first)

    def _focus_first(self) -> None:
        for widget in self.query("Input, Select, TextArea"):
            if widget.focusable:
                widget.focus()
                return

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "save":
            self.action_save()
        else:
            self.dismiss(None)

    def on_input_submitted(self) -> None:
        self.action_save()

    def action_save(self) -> None:
        form = self.query_one(Form)
        read = form.read()
        problem = self.query_one("#problem", Static)
        if read.errors:
            form.show_errors(read.errors)
            problem.update("Correct the fields marked above; nothing was saved yet.")
            return
        values = dict(read.values)
        start, end = values.pop("when")
        if isinstance(self.entry, Result):
            if values.get("activity") != self.entry.activity:
                # what came from the old activity is taken from the new one
                for f in ("variant", "influencer"):
                    if values.get(f) == getattr(self.entry, f):
                        values[f] = None
            elif values.get("variant") == self.entry.variant:
                values.update({f: getattr(self.entry, f) for f in _KEPT})
        if self.model is Result and values.get("value") is None:
            form.show_errors({"value": "Type the figure the measure came to."})
            problem.update("Correct the fields marked above; nothing was saved yet.")
            return
        if self.model is Result and values.get("measure") is None:
            form.show_errors({"measure": "Choose the measure this result is for."})
            return
        try:
            entry = self.model(date=end, period_start=start, **values)
        except ValidationError as exc:
            errors = field_errors(exc, set(values) | {"date", "period_start"}, "")
            errors["when"] = errors.pop("date", "") or errors.pop("period_start", "")
            form.show_errors(errors)
            problem.update(errors.get("", "Correct the fields marked above."))
            return
        form.show_errors({})
        today = self.app.today()
        if isinstance(entry, Result) and (refused := refuse_future_result(entry, today)):
            form.show_errors({"when": "This day is still to come."})
            problem.update(refused)
            return
        if isinstance(entry, Cost) and (question := ask_future_cost(entry, today)):

            def answered(yes: bool | None) -> None:
                if yes:
                    self._write(entry)
                else:
                    problem.update("Not saved: correct the date, or save again to be asked.")

            self.app.push_screen(
                ConfirmDialog(question, yes="Save it", no="Go back", danger=False), answered
            )
            return
        self._write(entry)

    def _write(self, entry: Entry) -> None:
        """Save the entry and close the dialog with a sentence saying what was saved; a
        problem stays in the dialog with nothing saved."""
        problem = self.query_one("#problem", Static)
        try:
            self.save_entry(entry)
        except PlannerError as exc:
            problem.update(str(exc))
            return
        verb = "Saved" if self.entry else "Recorded"
        c = self.campaign
        said = f"{verb} {describe_entry(c, entry)}."
        if starts_after(entry, self.app.today()):
            said += " It is dated after today: the figures count it from that day on."
        self.dismiss(said)
