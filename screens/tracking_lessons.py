"""The Lessons tab of the tracking screen: the end-of-campaign review (what worked, what did not,
decisions for next time) written beside the campaign's figures, and where the campaign stands
on the maturity model, dimension by dimension."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.timer import Timer
from textual.widgets import Button, Label, Static, TextArea

from planner.domain.errors import PlannerError
from planner.domain.models import Campaign
from planner.store import TrackingData
from planner.tracking.figures import TrackingReport
from planner.tracking.lessons import REVIEW_FIELDS, figures_beside
from planner.tracking.maturity import LEVELS, assess, overall

_LEVEL_STYLE = {1: "red", 2: "yellow", 3: "cyan", 4: "bold green"}


class LessonsPane(VerticalScroll):
    """The review, the figures beside it, and the maturity assessment."""

    BINDINGS = [Binding("ctrl+s", "save", "Save review")]
    # The pane scrolls, but Tab goes straight to the review's fields (a focused pane would
    # take the keys typed next as the screen's shortcuts).
    can_focus = False
    SAVE_AFTER = 1.0  # seconds without typing before the review is saved

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.campaign: Campaign | None = None
        self.pending: Timer | None = None

    def compose(self) -> ComposeResult:
        yield Static("", id="earlier-lessons", markup=False)
        with Horizontal(id="lessons-top"):
            with Vertical(id="lessons-review"):
                for field, title in REVIEW_FIELDS:
                    yield Label(title, classes="field-label")
                    yield TextArea(id=f"lesson-{field}", soft_wrap=True, tab_behavior="focus")
                with Horizontal(classes="buttons"):
                    yield Button("Save review", id="save-lessons", variant="primary")
                    yield Static("", id="lessons-said", markup=False)
            yield Static("", id="lessons-figures", markup=False)
        yield Static("", id="maturity-heading", classes="section", markup=False)
        yield Static("", id="maturity")

    def show(
        self, campaign: Campaign, data: TrackingData, tracked: TrackingReport, width: int
    ) -> None:
        """Fill the tab; a review being typed is kept unless the saved one changed."""
        changed = self.campaign is None or any(
            getattr(self.campaign, f) != getattr(campaign, f) for f, _ in REVIEW_FIELDS
        )
        self.campaign = campaign
        if changed:
            for field, _ in REVIEW_FIELDS:
                area = self.query_one(f"#lesson-{field}", TextArea)
                if area.text.strip() != getattr(campaign, field):  # (not what is being typed)
                    area.text = getattr(campaign, field)
        earlier = self.query_one("#earlier-lessons", Static)
        earlier.display = bool(campaign.earlier_lessons.strip())
        said = Text("Lessons from before\n", style="bold")
        said.append(campaign.earlier_lessons.strip())
        earlier.update(said)
        figures = Text("The figures\n", style="bold")
        for line in figures_beside(campaign, tracked):
            figures.append(f"• {line}\n")
        self.query_one("#lessons-figures", Static).update(figures)
        dimensions = assess(campaign, data, tracked)
        level = overall(dimensions)
        self.query_one("#maturity-heading", Static).update(
            f"Maturity: {LEVELS[level].lower()} (level {level} of 4)"
        )
        said = Text()
        for d in dimensions:
            said.append(f"{d.name}: ", style="bold")
            said.append(f"{d.level} {d.level_name}\n", style=_LEVEL_STYLE[d.level])
            said.append(f"  {d.evidence}\n")
            if d.next_step:
                said.append(f"  Next: {d.next_step}\n", style="italic")
        self.query_one("#maturity", Static).update(said)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "save-lessons":
            event.stop()
            self.action_save()

    def _typed(self) -> dict[str, str]:
        """What the review's fields hold now."""
        return {
            field: self.query_one(f"#lesson-{field}", TextArea).text.strip()
            for field, _ in REVIEW_FIELDS
        }

    def unsaved(self) -> bool:
        c = self.campaign
        return c is not None and any(getattr(c, f) != t for f, t in self._typed().items())

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        """The review is saved as it is typed, a moment after the typing stops."""
        if not self.unsaved():
            return
        self.query_one("#lessons-said", Static).update("Not saved yet (Ctrl+S saves now).")
        if self.pending is not None:
            self.pending.stop()
        self.pending = self.set_timer(self.SAVE_AFTER, lambda: self.save(quietly=True))

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        if isinstance(event.widget, TextArea):  # typing goes on after what is written
            event.widget.move_cursor(event.widget.document.end)

    def action_save(self) -> None:
        self.save()

    def save(self, *, quietly: bool = False) -> bool:
        """Save the review if it changed; False when it could not be saved (said beside the
        button)."""
        if self.pending is not None:
            self.pending.stop()
            self.pending = None
        if self.campaign is None or self.campaign.id is None:
            return True
        said = self.query_one("#lessons-said", Static)
        if not self.unsaved():
            if not quietly:
                said.update("Saved.")
            return True
        try:
            self.app.store.update_campaign(
                self.campaign.id, self._typed(), expected_version=self.campaign.version
            )
        except PlannerError as exc:
            said.update(str(exc))
            return False
        said.update("Saved.")
        if not quietly:
            self.app.notify("Saved the end-of-campaign review.")
        self.screen.load()  # type: ignore[attr-defined]
        return True
