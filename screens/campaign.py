"""A campaign's overview: everything in it, read-only, as the brief shows it."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer, Header, MarkdownViewer

from planner.brief import render_markdown
from planner.errors import PlannerError


class CampaignScreen(Screen[None]):
    """Read-only overview of one campaign, with a table of contents."""

    CSS_PATH = "campaign.tcss"
    BINDINGS = [
        Binding("escape", "back", "Back"),
        Binding("t", "toggle_contents", "Contents"),
        Binding("q", "app.quit", "Quit", show=False),
    ]

    def __init__(self, campaign_id: int) -> None:
        super().__init__()
        self.campaign_id = campaign_id

    def compose(self) -> ComposeResult:
        yield Header()
        yield MarkdownViewer("", show_table_of_contents=False, id="overview")
        yield Footer()

    async def on_mount(self) -> None:
        try:
            campaign = self.app.store.get_campaign(self.campaign_id, tracking=False)
            text = render_markdown(campaign, today=self.app.today())
        except PlannerError as exc:
            self.app.report(exc)
            self.dismiss()
            return
        self.sub_title = campaign.name
        await self.query_one(MarkdownViewer).document.update(text)

    def action_back(self) -> None:
        self.dismiss()

    def action_toggle_contents(self) -> None:
        viewer = self.query_one(MarkdownViewer)
        viewer.show_table_of_contents = not viewer.show_table_of_contents
