"""Record a reviewer's sign-off of the campaign's messages: kind, decision, who and when."""

from __future__ import annotations

import datetime as dt

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Input, Label, Select, Static

from planner.compliance import SIGN_OFFS, sign_off_date_problem
from planner.domain.inputs import parse_date
from planner.domain.models import Review, ReviewDecision, ReviewKind
from screens.dialogs.base import FormDialog, problem_and_buttons
from screens.styles import css


class SignOffDialog(FormDialog[Review | None]):
    """Record a reviewer's decision on the campaign's messages as they are now: the kind of
    sign-off (the next one pending unless chosen), the decision, who and when."""

    CSS_PATH = css("dialogs.tcss", "review.tcss")

    def __init__(self, kind: ReviewKind, today: dt.date) -> None:
        super().__init__()
        self.kind = kind
        self.today = today

    def compose(self) -> ComposeResult:
        kinds = [(k.label, k) for k in SIGN_OFFS]
        decisions = [(d.label, d) for d in ReviewDecision if d is not ReviewDecision.PENDING]
        with Vertical(classes="dialog wide"):
            yield Label("Record a sign-off", classes="title")
            with Horizontal(classes="row choice"):
                yield Label("Sign-off", classes="row-label")
                yield Select(kinds, value=self.kind, allow_blank=False, id="kind", compact=True)
            with Horizontal(classes="row choice"):
                yield Label("Decision", classes="row-label")
                yield Select(
                    decisions,
                    value=ReviewDecision.APPROVED,
                    allow_blank=False,
                    id="decision",
                    compact=True,
                )
            with Horizontal(classes="row"):
                yield Label("Reviewer's name", classes="row-label")
                yield Input(id="reviewer", select_on_focus=False)
            with Horizontal(classes="row"):
                yield Label("Date", classes="row-label")
                yield Input(
                    self.today.isoformat(),
                    placeholder="YYYY-MM-DD",
                    id="date",
                    select_on_focus=False,
                )
            with Horizontal(classes="row"):
                yield Label("Comments", classes="row-label")
                yield Input(id="comments", select_on_focus=False)
            yield Static(
                "Dated today or earlier. A later change to any message withdraws this sign-off.",
                classes="hint",
            )
            yield from problem_and_buttons("Record")

    def on_mount(self) -> None:
        self.query_one("#reviewer", Input).focus()

    def submit(self) -> None:
        name = self.query_one("#reviewer", Input).value.strip()
        if not name:
            self.refuse("Write the reviewer's name.")
            return
        try:
            date = parse_date(self.query_one("#date", Input).value)
        except ValueError as exc:
            self.refuse(str(exc))
            return
        problem = sign_off_date_problem(date, self.today)
        if problem:
            self.refuse(problem)
            return
        try:
            review = Review(
                kind=self.query_one("#kind", Select).value,
                decision=self.query_one("#decision", Select).value,
                reviewer=name,
                date=date,
                comments=self.query_one("#comments", Input).value,
            )
        except ValueError as exc:
            self.refuse(f"This sign-off cannot be recorded: {exc}")
            return
        self.dismiss(review)
