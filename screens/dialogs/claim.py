"""Write a claim of a message variant and name the evidence behind it."""

from __future__ import annotations

from pydantic import ValidationError
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, Label, Select, TextArea

from planner.domain.models import Claim, EvidenceKind
from planner.plan.typed import options
from screens.dialogs.base import FormDialog, problem_and_buttons, validation_problem
from screens.styles import css
from screens.widgets.forms import FieldInput


class ClaimDialog(FormDialog[Claim | None]):
    """Write a claim and name the evidence behind it."""

    CSS_PATH = css("dialogs.tcss", "forms.tcss")

    def __init__(self, claim: Claim | None = None) -> None:
        super().__init__()
        self.claim = claim

    def compose(self) -> ComposeResult:
        claim = self.claim or Claim.model_construct(
            text="", evidence_kind=None, evidence_reference=""
        )
        with Vertical(classes="dialog wide"):
            yield Label("Edit claim" if self.claim else "New claim", classes="title")
            yield Label("What the message says is true")
            yield TextArea(claim.text, id="claim-text", compact=True, soft_wrap=True)
            yield Label("Evidence")
            yield Select(
                options(EvidenceKind),
                value=claim.evidence_kind or Select.NULL,
                prompt="Not chosen yet",
                id="claim-kind",
                compact=True,
            )
            yield Label("Reference (study, data source, guideline, consent record)")
            yield FieldInput(claim.evidence_reference, id="claim-reference")
            yield from problem_and_buttons()

    def on_mount(self) -> None:
        self.query_one("#claim-text", TextArea).focus()

    def submit(self) -> None:
        kind = self.query_one("#claim-kind", Select).value
        try:
            claim = Claim(
                text=self.query_one("#claim-text", TextArea).text,
                evidence_kind=None if kind == Select.NULL else kind,
                evidence_reference=self.query_one("#claim-reference", Input).value,
            )
        except ValidationError as exc:
            labels = {"text": "The claim", "evidence_reference": "The reference"}
            self.refuse(validation_problem(exc, labels, "The claim"))
            return
        self.dismiss(claim)
