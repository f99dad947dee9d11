"""The key bar at the foot of every screen: Textual's Footer, drawn without wasted work.

Textual's footer builds its keys again each time the screen's bindings change (three times as
a screen opens). Each new key starts compact and is then bound to the footer's (not compact),
so each key is styled twice for nothing: on the campaign list that was about a tenth of a
second of start-up. Keys made here start as the footer is, and are styled once.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Footer as TextualFooter
from textual.widgets._footer import FooterKey


class Footer(TextualFooter):
    def compose(self) -> ComposeResult:
        for widget in super().compose():
            # Only the keys bound to the footer's style (the palette key keeps its own).
            bound = getattr(widget, "_reactive_connect", None) or {}
            if isinstance(widget, FooterKey) and "compact" in bound:
                widget.set_reactive(FooterKey.compact, self.compact)
            yield widget
