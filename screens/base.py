"""What every full screen of the planner shares: it is styled once as it opens, not three times.

Textual styles a screen's widgets as they mount, then again, all of them, when the screen is
first shown (its first ``ScreenResume``), and again when the first ``Resize`` gives it its
width classes (``-narrow``, ``-wide``). On the workspace that was a third of the time it took to
open (about 0.35 of 0.85 s at 100x32). Here the width classes are set before the widgets mount,
so that the ``Resize`` finds nothing to change, and the first resume does not restyle a screen
styled a moment before. Later resumes (after a screen pushed on top is gone) are Textual's
own; a change of theme restyles every screen of the stack, as Textual does."""

from __future__ import annotations

from typing import TypeVar

from textual import events
from textual._context import NoActiveAppError
from textual.message import Message
from textual.screen import Screen

ScreenResult = TypeVar("ScreenResult")


class PlannerScreen(Screen[ScreenResult]):
    """A full screen of the planner, styled once as it opens."""

    def __init__(self, name: str | None = None, id: str | None = None, classes: str | None = None):
        self._shown = False
        super().__init__(name=name, id=id, classes=classes)
        try:
            width, height = self.app.size
        except NoActiveAppError:  # made outside a running app: Textual sets them on resize
            return
        self.update_classes(self._width_classes(width, height), update=False)

    def _width_classes(self, width: int, height: int) -> dict[str, bool]:
        """The breakpoint classes Textual gives a screen of this size (``Screen._on_resize``)."""
        across = (
            self.app.HORIZONTAL_BREAKPOINTS
            if self.HORIZONTAL_BREAKPOINTS is None
            else self.HORIZONTAL_BREAKPOINTS
        ) or []
        down = (
            self.app.VERTICAL_BREAKPOINTS
            if self.VERTICAL_BREAKPOINTS is None
            else self.VERTICAL_BREAKPOINTS
        ) or []
        classes = {name: False for _, name in (across + down)}
        for name in self._get_breakpoint_classes(width, across):
            classes[name] = True
        for name in self._get_breakpoint_classes(height, down):
            classes[name] = True
        return classes

    def post_message(self, message: Message) -> bool:
        if isinstance(message, events.ScreenResume) and not self._shown:
            self._shown = True  # its widgets are styled as they mount
            message.refresh_styles = False
        return super().post_message(message)
