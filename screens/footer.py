"""The key bar at the foot of every screen: Textual's Footer, drawn without wasted work.

Textual's footer builds its keys again each time the screen's bindings change: three times as
a screen opens, though the keys are the same each time. This one builds them again only when
the keys it would show have changed, once for any number of changes in one refresh. Each new
key of Textual's starts compact and is then bound to the footer's (not compact), so each key
is styled twice for nothing; keys made here start as the footer is, and are styled once.
"""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer as TextualFooter
from textual.widgets._footer import FooterKey


class Footer(TextualFooter):
    _shown: list[tuple[Any, ...]] | None = None
    """The keys as last built (``None`` before the bindings are ready)."""
    _rebuild_pending = False

    def _keys(self) -> list[tuple[Any, ...]]:
        return [
            (binding, enabled, tooltip)
            for _, binding, enabled, tooltip in self.screen.active_bindings.values()
        ]

    def bindings_changed(self, screen: Screen) -> None:
        self._bindings_ready = True
        if not screen.app.app_focus:
            return
        if self.is_attached and screen is self.screen and not self._rebuild_pending:
            self._rebuild_pending = True
            self.call_after_refresh(self._rebuild_if_changed)

    async def _rebuild_if_changed(self) -> None:
        self._rebuild_pending = False
        if self.is_attached and self._keys() != self._shown:
            await self.recompose()

    def compose(self) -> ComposeResult:
        self._shown = self._keys() if self._bindings_ready else None
        for widget in super().compose():
            # Only the keys bound to the footer's style (the palette key keeps its own).
            bound = getattr(widget, "_reactive_connect", None) or {}
            if isinstance(widget, FooterKey) and "compact" in bound:
                widget.set_reactive(FooterKey.compact, self.compact)
            yield widget
