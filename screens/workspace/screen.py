"""The campaign workspace screen: the step list in a sidebar, one pane per step (mounted on
its first visit), the help panel and the guided Next and Back."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from rich.text import Text
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.reactive import reactive
from textual.widget import Widget
from textual.widgets import Button, ContentSwitcher, OptionList, Static, TextArea
from textual.widgets.option_list import Option

from planner.compliance.approval import refuse_unready
from planner.domain.errors import PlannerError, StaleWriteError
from planner.plan.editing import CampaignEditor
from planner.plan.guide import Step, StepCheck, check_campaign
from screens.base import PlannerScreen
from screens.dialogs import leave_unsaved, offer_reload
from screens.navigation import OpenBrief, OpenHistory, OpenReview, OpenTracking
from screens.styles import css
from screens.widgets.forms import AutoForm, undo_typing
from screens.widgets.header import Header
from screens.widgets.keybar import KeyBar
from screens.workspace.lists import (
    ActivitiesPane,
    AudiencePane,
    BudgetPane,
    ListPane,
    MeasuresPane,
    MessagePane,
)
from screens.workspace.mix import MixPane
from screens.workspace.step import FormPane, StepPane


def make_pane(step: Step, editor: CampaignEditor) -> StepPane:
    panes: dict[Step, Callable[[Step, CampaignEditor], StepPane]] = {
        Step.OVERVIEW: FormPane,
        Step.AUDIENCE: AudiencePane,
        Step.INFLUENCERS: ListPane,
        Step.MESSAGE: MessagePane,
        Step.MIX: MixPane,
        Step.ACTIVITIES: ActivitiesPane,
        Step.MEASURES: MeasuresPane,
        Step.BUDGET: BudgetPane,
    }
    return panes[step](step, editor)


# What the help panel teaches besides the key bar.
KEYS_HELP = [
    "Tab, Shift+Tab: the next or previous field",
    "Ctrl+N, Ctrl+B: the next or previous step",
    "1 to 8 in the step list: that step",
    "In a list, Enter edits, a adds, d deletes; the field above it adds one by its name",
    "Ctrl+O: the brief · Ctrl+R: the review · Ctrl+T: tracking",
    "Ctrl+Z: undo typing in a field, then the last saved change · Ctrl+Y: redo",
    "Escape: back (from here, to the campaigns)",
]


class CampaignWorkspace(PlannerScreen[None]):
    """Plan one campaign step by step."""

    CSS_PATH = css("forms.tcss", "workspace.tcss")
    BINDINGS = [
        Binding("escape", "close", "Campaigns"),
        Binding("ctrl+n", "next_step", "Next step"),
        Binding("ctrl+b", "previous_step", "Previous"),
        Binding("f1,question_mark", "toggle_help", "Help"),
        Binding("ctrl+o", "preview", "Brief"),
        Binding("ctrl+t", "tracking", "Tracking", show=False),
        Binding("f2", "history", "History", show=False),
        Binding("ctrl+r", "review", "Compliance review", show=False),
        # Before a field's own keys: typing is undone first, then the saved changes.
        Binding("ctrl+z", "undo", "Undo", show=False, priority=True),
        Binding("ctrl+y", "redo", "Redo", show=False, priority=True),
        *[Binding(str(n), f"goto({n})", f"Step {n}", show=False) for n in range(1, len(Step) + 1)],
    ]

    # Below 100 columns the help panel takes the step's place until it is closed: beside it,
    # the step was squeezed to a few words a line and its list hidden.
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide")]

    guided: reactive[bool] = reactive(False)

    def __init__(self, editor: CampaignEditor, *, guided: bool = False) -> None:
        super().__init__()
        self.editor = editor
        self.step = Step.OVERVIEW
        self.shown_reloads = editor.reloads
        self.checks: dict[Step, StepCheck] = {}
        self.set_reactive(CampaignWorkspace.guided, guided)
        self.focus_before_help: Widget | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="workspace"):
            with Vertical(id="sidebar"):
                yield OptionList(*[Option(step.title, id=step.value) for step in Step], id="steps")
                yield Static("", id="progress")
            # Panes are mounted on the first visit to their step and kept: a small screen
            # stays quick to lay out on every keystroke.
            with ContentSwitcher(initial=self.step.value, id="panes"):
                yield make_pane(self.step, self.editor)
            with VerticalScroll(id="help"):
                yield Static("", id="help-text", markup=False)
        with Horizontal(id="guide"):
            yield Button("◀ Back", id="guide-back", compact=True)
            yield Static("", id="guide-progress")
            yield Button("Next ▶", id="guide-next", compact=True)
        yield KeyBar()

    def on_mount(self) -> None:
        self.sub_title = self.editor.campaign.name
        self.query_one("#help").display = False
        self.watch_guided(self.guided)
        self.refresh_all()
        # A new campaign starts typing at once; an existing one starts from the step list,
        # where the number keys move between the steps.
        if self.guided:
            self.call_after_refresh(self.current_pane().focus_first)
        else:
            self.query_one("#steps", OptionList).focus()

    # Showing ------------------------------------------------------------------------------

    def pane(self, step: Step) -> StepPane | None:
        """The step's pane, if it has been shown yet."""
        found = self.query(f"#{step.value}").results(StepPane)
        return next(iter(found), None)

    def current_pane(self) -> StepPane:
        pane = self.pane(self.step)
        assert pane is not None
        return pane

    def refresh_all(self, select: int | None = None) -> None:
        campaign = self.editor.campaign
        if self.editor.changed_elsewhere:
            self.editor.changed_elsewhere = False
            self.app.notify(
                "Another window saved changes to this campaign too; they are shown now.",
                severity="warning",
            )
        if self.editor.reloads != self.shown_reloads:
            # The campaign was read again (here or in an item editor): show it in the forms.
            self.shown_reloads = self.editor.reloads
            self.run_worker(self._reload_forms())
        self.sub_title = campaign.name
        self.checks = check_campaign(campaign)
        steps = self.query_one("#steps", OptionList)
        for step, check in self.checks.items():
            prompt = Text(f"{step.number} {step.title}")
            prompt.pad_right(max(1, 16 - len(prompt)))
            if check.done:
                prompt.append("✓", style="bold green")
            else:
                prompt.append(f"{len(check.problems)}!", style="bold yellow")
            steps.replace_option_prompt(step.value, prompt)
        for pane in self.query(StepPane):
            pane.show_check(self.checks[pane.step])
            if pane.step is self.step and isinstance(pane, ListPane):
                pane.refresh_from(campaign, select)
            else:
                pane.refresh_from(campaign)
        self.show_progress()
        self.show_help()

    def show_progress(self) -> None:
        done = sum(1 for c in self.checks.values() if c.done)
        total = len(Step)
        self.query_one("#progress", Static).update(f"{done} of {total} steps done")
        self.query_one("#guide-progress", Static).update(
            f"Step {self.step.number} of {total}: {self.step.title} · {done} of {total} done"
        )
        self.query_one("#guide-back", Button).disabled = self.step is Step.OVERVIEW
        last = self.step is list(Step)[-1]
        self.query_one("#guide-next", Button).label = "Finish ✓" if last else "Next ▶"

    def show_help(self) -> None:
        step = self.step
        check = self.checks.get(step)
        lines = [f"{step.number}. {step.title}: questions to answer", ""]
        lines += [f"• {q}" for q in step.questions]
        if check is not None and not check.done:
            lines += ["", "Still to do:", ""] + [f"• {p}" for p in check.problems]
        lines += ["", "Keys:", ""] + [f"• {k}" for k in KEYS_HELP]
        lines += ["", "F1, ? or Escape closes this panel."]
        self.query_one("#help-text", Static).update("\n".join(lines))

    def watch_guided(self, guided: bool) -> None:
        self.query_one("#guide").display = guided

    def go(self, step: Step, *, focus: bool = True) -> None:
        """Show a step (after saving what waits on the one left); ``focus`` moves into it."""
        self.call_next(self._show_step, step, focus)

    async def _show_step(self, step: Step, focus: bool) -> None:
        if step is not self.step:
            self.current_pane().flush()
        pane = self.pane(step)
        switcher = self.query_one(ContentSwitcher)
        if pane is None:
            pane = make_pane(step, self.editor)
            await switcher.mount(pane)
            pane.show_check(self.checks[step])
        self.step = step
        switcher.current = step.value
        pane.refresh_from(self.editor.campaign)
        steps = self.query_one("#steps", OptionList)
        index = list(Step).index(step)
        if steps.highlighted != index:
            steps.highlighted = index
        self.show_progress()
        self.show_help()
        self.call_after_refresh(self._rewrap, pane)
        if focus:
            self.call_after_refresh(pane.focus_first)

    @staticmethod
    def _rewrap(pane: StepPane) -> None:
        """A text area laid out before its pane was shown wraps at width 0; wrap it again."""
        for area in pane.query(TextArea):
            if area.soft_wrap:
                area.soft_wrap = False
                area.soft_wrap = True

    # Events -------------------------------------------------------------------------------

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if event.option_list.id == "steps" and event.option.id:
            self.go(Step(event.option.id), focus=False)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option_list.id == "steps" and event.option.id:
            self.go(Step(event.option.id))

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "guide-next":
            self.action_next_step()
        elif event.button.id == "guide-back":
            self.action_previous_step()

    def on_auto_form_saved(self, event: AutoForm.Saved) -> None:
        self.refresh_all()

    def on_auto_form_stale(self, event: AutoForm.Stale) -> None:
        self.offer_reload()

    def on_screen_resume(self) -> None:
        self.refresh_all()

    def write_failed(self, error: PlannerError) -> None:
        if isinstance(error, StaleWriteError):
            self.offer_reload()
        else:
            self.app.report(error)

    def offer_reload(self) -> None:
        offer_reload(self, self.reload)

    async def reload(self) -> None:
        try:
            self.editor.reload()
        except PlannerError as exc:
            self.app.report(exc)
            return
        self.refresh_all()
        self.app.notify("Reloaded the campaign as it is saved now.")

    async def _reload_forms(self) -> None:
        for form in self.query(AutoForm):
            await form.reload()

    def flush(self) -> bool:
        results = [pane.flush() for pane in self.query(StepPane)]  # each one, even after a no
        return all(results)

    # Actions ------------------------------------------------------------------------------

    def action_goto(self, number: int) -> None:
        self.go(list(Step)[number - 1])

    def action_next_step(self) -> None:
        steps = list(Step)
        index = steps.index(self.step)
        if index + 1 < len(steps):
            self.go(steps[index + 1])
            return
        self.flush()
        done = sum(1 for c in self.checks.values() if c.done)
        self.guided = False
        if done == len(steps):
            self.app.notify(
                "Every step is done. Press Ctrl+O for the brief: preview it and export it."
            )
        else:
            self.app.notify(
                f"{done} of {len(steps)} steps are done; the sidebar shows what is left. "
                "Move freely between the steps with the number keys or the sidebar."
            )

    def action_previous_step(self) -> None:
        steps = list(Step)
        index = steps.index(self.step)
        if index > 0:
            self.go(steps[index - 1])

    def action_undo(self) -> None:
        if not undo_typing(self.focused):
            self.undo_saved()

    def action_redo(self) -> None:
        if not undo_typing(self.focused, redo=True):
            self.undo_saved(redo=True)

    def undo_saved(self, *, redo: bool = False) -> None:
        """Undo (or redo) the campaign's last saved change, show the forms as they are now
        and say what changed, with what it was and what it is."""
        self.flush()
        try:
            approval = refuse_unready(self.editor.store)
            text = self.editor.redo(approval) if redo else self.editor.undo(approval)
        except PlannerError as exc:
            if isinstance(exc, StaleWriteError):
                self.offer_reload()
            else:
                self.app.notify(str(exc), severity="warning")
            return
        self.refresh_all()
        self.app.notify(text)

    def action_toggle_help(self) -> None:
        self.show_help_panel(not self.query_one("#help").display)

    def show_help_panel(self, show: bool) -> None:
        """Open or close the help panel. Where it takes the step's place (a narrow screen),
        the focus goes to the panel, so that its keys scroll it and none works on a list out
        of sight, and it comes back to where it was when the panel closes."""
        panel = self.query_one("#help")
        panel.display = show
        self.set_class(show, "-help")
        panes = self.query_one("#panes")
        if show and self.has_class("-narrow") and self.focused in panes.query("*"):
            self.focus_before_help = self.focused
            panel.focus()
        elif not show and self.focus_before_help is not None:
            if self.focus_before_help.is_attached:
                self.focus_before_help.focus()
            self.focus_before_help = None
        # The step narrows or widens: lay its table out again once the new width is known
        # (its own resize event does not always come before the screen is drawn).
        self.call_after_refresh(self._relay_out)

    def _relay_out(self) -> None:
        pane = self.current_pane()
        if isinstance(pane, (ListPane, MixPane)):
            pane.refresh_from(self.editor.campaign)

    def action_toggle_guided(self) -> None:
        self.guided = not self.guided

    def action_preview(self) -> None:
        self.flush()
        self.app.post_message(OpenBrief(self.editor.campaign_id))

    def action_tracking(self) -> None:
        self.flush()
        self.app.post_message(OpenTracking(self.editor.campaign_id))

    def action_history(self) -> None:
        self.flush()
        self.app.post_message(
            OpenHistory(self.editor.campaign_id, self.editor, lambda _: self.refresh_all())
        )

    def action_review(self) -> None:
        self.flush()
        self.app.post_message(OpenReview(self.editor, lambda _: self.refresh_all()))

    def action_close(self) -> None:
        help_panel = self.query_one("#help")
        if help_panel.display:  # Escape closes the help panel first, as it says
            self.show_help_panel(False)
            return
        if self.flush():
            self.dismiss()
            return
        invalid = any(f.has_invalid_change() for f in self.query(AutoForm))
        leave_unsaved(self, self.dismiss, invalid=invalid)

    def commands(self) -> Iterable[SystemCommand]:
        for step in Step:
            yield SystemCommand(
                f"Go to step {step.number}: {step.title}",
                step.intro,
                lambda step=step: self.go(step),
            )
        yield SystemCommand("Next step", "Move on to the next planning step", self.action_next_step)
        yield SystemCommand(
            "Previous step", "Go back to the previous planning step", self.action_previous_step
        )
        pane = self.current_pane()
        if isinstance(pane, ListPane):
            noun = pane.kind.noun
            yield SystemCommand(f"Add {noun}", f"Add a {noun} to this step", pane.add)
        if isinstance(pane, MeasuresPane):
            yield SystemCommand(
                "Add a measure from the KPI library",
                "HCAHPS, Press Ganey, no-show rate, open rate, HbA1c control...",
                pane.action_from_library,
            )
        yield SystemCommand(
            "Undo the last saved change",
            "Ctrl+Z: put back what the campaign's last saved change changed",
            self.undo_saved,
        )
        yield SystemCommand(
            "Redo", "Ctrl+Y: make the change undone last again", lambda: self.undo_saved(redo=True)
        )
        yield SystemCommand(
            "History of changes",
            "F2: every saved change, word by word, and reverting one",
            self.action_history,
        )
        yield SystemCommand(
            "Show or hide the help panel",
            "The questions this step should answer",
            self.action_toggle_help,
        )
        yield SystemCommand(
            "Guided mode on or off", "Next and Back through the steps", self.action_toggle_guided
        )
        yield SystemCommand(
            "Track costs and results",
            "Budget against spending, progress to target, cost per result, ROI, with charts",
            self.action_tracking,
        )
        yield SystemCommand(
            "Compliance review",
            "Every finding of the health-advertising rules, the checklist and the sign-offs",
            self.action_review,
        )
        yield SystemCommand(
            "Open the brief",
            "Preview the campaign brief, export it as Markdown, HTML or PDF, see past exports",
            self.action_preview,
        )
