"""The base of every planning step's pane (its title, what is still to do, its content), and
the overview's pane, one form over the campaign itself."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static

from planner.domain.models import Campaign
from planner.plan.editing import CampaignEditor
from planner.plan.guide import Step, StepCheck
from screens.widgets.forms import AutoForm, flush_forms
from screens.workspace.targets import OverviewTarget, overview_fields

if TYPE_CHECKING:
    from screens.workspace.screen import CampaignWorkspace


class StepPane(Vertical):
    """One planning step: its title, what is still to do, and its content."""

    def __init__(self, step: Step, editor: CampaignEditor) -> None:
        super().__init__(id=step.value, classes="pane")
        self.step = step
        self.editor = editor

    @property
    def workspace(self) -> CampaignWorkspace:
        """The screen the pane is on (a pane lives only on the workspace)."""
        return cast("CampaignWorkspace", self.screen)

    def compose(self) -> ComposeResult:
        yield Static(f"{self.step.number}. {self.step.title}", classes="step-title")
        yield Static(self.step.intro, classes="step-intro", markup=False)
        yield Static("", classes="step-status", markup=False)
        yield from self.body()

    def body(self) -> ComposeResult:
        yield from ()

    def show_check(self, check: StepCheck) -> None:
        status = self.query_one(".step-status", Static)
        status.set_class(check.done, "done")
        if check.done:
            status.update("✓ Done. Everything this step asks for is in the plan.")
            return
        shown = check.problems[:2]
        lines = [f"• {p}" for p in shown]
        if len(check.problems) > 2:
            lines.append(f"  …and {len(check.problems) - 2} more: F1 shows them all.")
        status.update("\n".join(lines))

    def refresh_from(self, campaign: Campaign) -> None:
        """Show the saved campaign (tables, totals); forms keep what the user is typing."""

    def focus_first(self) -> None:
        for widget in self.query("DataTable, Input, TextArea, Select, SelectionList"):
            if widget.focusable:
                widget.focus()
                return

    def flush(self) -> bool:
        return flush_forms(self)


class FormPane(StepPane):
    """A step edited as one form over the campaign itself (the overview)."""

    def body(self) -> ComposeResult:
        yield AutoForm(OverviewTarget(self.editor, overview_fields()))
