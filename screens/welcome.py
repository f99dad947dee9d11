"""The first screen a new user sees: what the planner does, and two ways to begin."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Center, Vertical
from textual.widgets import Button, Static

from screens.base import PlannerScreen
from screens.flows import create_campaign
from screens.styles import css
from screens.widgets.header import Header
from screens.widgets.keybar import KeyBar

INTRO = (
    "Plan a patient-relationship campaign step by step: who to reach, who influences them, "
    "what to say, the 7Ps, activities across the patient journey and how success is "
    "measured. Then render a brief and track what it cost and achieved. Everything stays "
    "in one file on this computer."
)


class WelcomeScreen(PlannerScreen[None]):
    """Shown when the database holds no campaign yet."""

    CSS_PATH = css("welcome.tcss")
    BINDINGS = [
        # Taken as they arrive (priority), as on the campaign list.
        Binding("s", "new_from_starter", "From a starter", priority=True),
        Binding("n", "new_blank", "Blank campaign", priority=True),
        Binding("escape", "skip", "Campaign list"),
        Binding("q", "app.quit", "Quit"),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        with Center(), Vertical(id="welcome"):
            yield Static("Welcome to the Healthcare Campaign Planner", id="heading")
            yield Static(INTRO, id="intro")
            yield Button("Start from a starter campaign", variant="primary", id="starter")
            yield Static(
                "Complete plans: diabetes education, prenatal care, flu vaccination, breast "
                "screening, specialist referrals.",
                classes="hint",
            )
            yield Button("Start a blank campaign", id="blank")
            yield Static("An empty plan you fill in step by step.", classes="hint")
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#starter", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        create_campaign(self, from_starter=event.button.id == "starter")

    async def action_new_blank(self) -> None:
        await create_campaign(self, from_starter=False)

    async def action_new_from_starter(self) -> None:
        await create_campaign(self, from_starter=True)

    def action_skip(self) -> None:
        self.dismiss()
