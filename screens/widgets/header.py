"""The title line at the top of every screen.

Textual's header shows "app name — screen title" and cuts what does not fit at the end, so at
80 columns "Healthcare Campaign Planner — Vaccinazione antinfluenzale 2027: tracking" lost the
words that say which screen this is. Where both do not fit, this header leaves out the app's
name: the screen's own title ("Tracking: Vaccinazione antinfluenzale 2027") is what the user
needs to know where they are.
"""

from __future__ import annotations

from textual import events
from textual.content import Content
from textual.widgets import Header as TextualHeader
from textual.widgets._header import HeaderTitle

READ_ONLY = " (read-only)"  # the app's title says so on a database opened read-only
BESIDE_TITLE = 18  # the icon on the left (8 columns) and the space on the right (10)


class Header(TextualHeader):
    """Textual's header that, when narrow, shows the screen's title without the app's name."""

    def format_title(self) -> Content:
        title, sub_title = self.screen_title, self.screen_sub_title
        room = self.size.width - BESIDE_TITLE
        if not sub_title or len(title) + 3 + len(sub_title) <= room:
            return super().format_title()
        if title.endswith(READ_ONLY):  # the one word of the app's title that must stay
            return Content.assemble(("Read-only", "bold"), (" — ", "dim"), sub_title)
        return Content(sub_title)

    def on_resize(self, event: events.Resize) -> None:
        # What fits depends on the width: shown again for the new one.
        self.query_one(HeaderTitle).update(self.format_title())
