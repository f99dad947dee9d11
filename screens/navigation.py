"""How one screen opens another: it posts one of these messages to the app, and the app
(``screens.app``) pushes the screen asked for. Screens thus never import each other, and the
screen behind a message loads only when it is first opened.

A ``callback`` is called with what the opened screen returns when it closes, as with
``App.push_screen``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from textual.message import Message

if TYPE_CHECKING:
    from planner.domain.models import ImportKind
    from planner.plan.editing import CampaignEditor

Callback = Callable[[Any], None]


class OpenCampaign(Message):
    """Open a campaign's workspace; ``guided`` for a new campaign. ``on_gone`` says so, in the
    asking screen's words, when the campaign is no longer in the database."""

    def __init__(
        self,
        campaign_id: int,
        *,
        guided: bool = False,
        on_gone: Callable[[], None] | None = None,
    ) -> None:
        super().__init__()
        self.campaign_id = campaign_id
        self.guided = guided
        self.on_gone = on_gone


class CampaignCreated(Message):
    """A campaign was just created: show it in the list and open it, guided."""

    def __init__(self, campaign_id: int, name: str) -> None:
        super().__init__()
        self.campaign_id = campaign_id
        self.name = name


class OpenBrief(Message):
    """Preview and export a campaign's brief."""

    def __init__(self, campaign_id: int) -> None:
        super().__init__()
        self.campaign_id = campaign_id


class OpenTracking(Message):
    """A campaign's spending and results."""

    def __init__(self, campaign_id: int) -> None:
        super().__init__()
        self.campaign_id = campaign_id


class OpenTrash(Message):
    """The campaigns in the trash."""


class OpenCalendar(Message):
    """The activities of every campaign, by month."""


class OpenHistory(Message):
    """The saved changes of a campaign's plan; ``editor``, the workspace's editing session
    (a revert goes through it, so that its forms show the change), else one of its own."""

    def __init__(
        self,
        campaign_id: int,
        editor: CampaignEditor | None = None,
        callback: Callback | None = None,
    ) -> None:
        super().__init__()
        self.campaign_id = campaign_id
        self.editor = editor
        self.callback = callback


class OpenReview(Message):
    """The compliance review of the campaign an editing session holds."""

    def __init__(self, editor: CampaignEditor, callback: Callback | None = None) -> None:
        super().__init__()
        self.editor = editor
        self.callback = callback


class OpenImport(Message):
    """Import costs or results into a campaign from an exported file."""

    def __init__(
        self, campaign_id: int, kind: ImportKind, callback: Callback | None = None
    ) -> None:
        super().__init__()
        self.campaign_id = campaign_id
        self.kind = kind
        self.callback = callback
