"""The key bar at the foot of every screen: the keys that work here, drawn by one widget.

It looks and behaves as Textual's Footer does (each key and what it does, the command palette's
key on the right, a key under the mouse highlighted, a click pressing it), but draws one line
instead of keeping a widget per key. Textual's footer mounted a fresh set of key widgets each
time the screen's bindings changed, three times as a screen opened; that was about a tenth of
the planner's start-up. Here a change of bindings only redraws the line, and only when the
keys shown have changed.
"""

from __future__ import annotations

from typing import NamedTuple

from rich.style import Style
from rich.text import Text
from textual import events
from textual.screen import Screen
from textual.widget import Widget


class Key(NamedTuple):
    """One key in the bar."""

    key: str  # as Textual names it, to press it on a click
    display: str  # as the bar shows it
    description: str
    enabled: bool
    tooltip: str


class KeyBar(Widget):
    """The bindings in effect on the screen that are meant to be shown, one key per action."""

    ALLOW_SELECT = False
    COMPONENT_CLASSES = {
        "footer--key",
        "footer--description",
        "footer--hover",
        "footer--separator",
    }
    DEFAULT_CSS = """
    KeyBar {
        dock: bottom;
        height: 1;
        width: 1fr;
        color: $footer-foreground;
        background: $footer-background;
        .footer--key {
            color: $footer-key-foreground;
            background: $footer-key-background;
            text-style: bold;
        }
        .footer--description {
            color: $footer-description-foreground;
            background: $footer-description-background;
        }
        .footer--hover {
            background: $block-hover-background;
        }
        .footer--separator {
            color: $foreground 20%;
        }
    }
    """

    def __init__(self) -> None:
        super().__init__()
        self._keys: list[Key] | None = None  # worked out when first drawn
        self._palette: Key | None = None
        self._spans: list[tuple[int, int, Key]] = []  # where each key was drawn
        self._hover: Key | None = None

    # -----------------------------------------------------------------------------------------
    # Which keys

    def _shown_screen(self) -> Screen:
        """The screen whose keys the bar shows: its own, or a dialog's open over it. A dialog
        has no bar of its own and the keys of the screen behind do nothing while it is open,
        so the bar behind it shows the dialog's keys (Textual's footer kept the screen's)."""
        top = self.app.screen
        if top is not self.screen and top.is_modal and self.screen in self.app.screen_stack:
            return top
        return self.screen

    def _read_keys(self) -> tuple[list[Key], Key | None]:
        """The keys to show, as Textual's footer picks them, and the command palette's."""
        app = self.app
        seen: set[str] = set()
        keys = []
        palette = None
        for key, (_, binding, enabled, tooltip) in self._shown_screen().active_bindings.items():
            shown = Key(key, app.get_key_display(binding), binding.description, enabled, tooltip)
            if key == app.COMMAND_PALETTE_BINDING and app.ENABLE_COMMAND_PALETTE:
                palette = shown._replace(tooltip=binding.tooltip or binding.description)
            elif binding.show and binding.action not in seen:
                seen.add(binding.action)
                keys.append(shown)
        return keys, palette

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)
        self.app.screen_change_signal.subscribe(self, self._screen_changed)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)
        self.app.screen_change_signal.unsubscribe(self)

    def _screen_changed(self, screen: Screen) -> None:
        """A dialog opened over this screen (its keys are followed) or one closed."""
        if not self.is_attached:
            return
        shown = self._shown_screen()
        if shown is not self.screen:
            shown.bindings_updated_signal.subscribe(self, self._bindings_changed)
        self._bindings_changed(shown)

    def _bindings_changed(self, screen: Screen) -> None:
        if not self.is_attached or screen is not self._shown_screen():
            return
        keys, palette = self._read_keys()
        if (keys, palette) != (self._keys, self._palette):
            self._keys, self._palette = keys, palette
            self.refresh()

    @property
    def keys(self) -> list[Key]:
        """The keys the bar shows, left to right (the palette's key is apart, on the right)."""
        if self._keys is None:
            self._keys, self._palette = self._read_keys()
        return self._keys

    # -----------------------------------------------------------------------------------------
    # Drawing

    def render(self) -> Text:
        keys, palette = self.keys, self._palette
        key_style = self.get_component_rich_style("footer--key")
        description_style = self.get_component_rich_style("footer--description")
        hover = self.get_component_rich_style("footer--hover", partial=True)
        width = self.size.width

        def item(key: Key, compact: bool = False) -> Text:
            # " key description " as Textual's footer keys; its palette key is compact.
            pad = "" if compact else " "
            part = Text.assemble(
                (f"{pad}{key.display}{pad}", key_style),
                (f"{' ' if compact else ''}{key.description}{pad}", description_style),
            )
            if not key.enabled:
                part.stylize(Style(dim=True))
            if key == self._hover:
                part.stylize(hover)
            return part

        spans: list[tuple[int, int, Key]] = []
        right = Text()
        if palette is not None:
            right.append("▏", self.get_component_rich_style("footer--separator"))
            right.append_text(item(palette, compact=True))
            right.append(" ")
        room = max(0, width - right.cell_len)
        line = Text(no_wrap=True, overflow="crop", end="")
        for key in keys:
            part = item(key)
            if line.cell_len + part.cell_len > room:
                break
            spans.append((line.cell_len, line.cell_len + part.cell_len, key))
            line.append_text(part)
        line.append(" " * (room - line.cell_len))
        if palette is not None:
            spans.append((room + 1, width - 1, palette))  # between the separator and the pad
            line.append_text(right)
        self._spans = spans
        return line

    # -----------------------------------------------------------------------------------------
    # The mouse

    def _key_at(self, x: int) -> Key | None:
        return next((key for start, end, key in self._spans if start <= x < end), None)

    def _set_hover(self, key: Key | None) -> None:
        if key != self._hover:
            self._hover = key
            self.tooltip = (key.tooltip or None) if key else None
            self.refresh()

    def on_mouse_move(self, event: events.MouseMove) -> None:
        self._set_hover(self._key_at(event.x))

    def on_leave(self) -> None:
        self._set_hover(None)

    def on_mouse_down(self, event: events.MouseDown) -> None:
        key = self._key_at(event.x)
        if key is None:
            return
        if key.enabled:
            self.app.simulate_key(key.key)
        else:
            self.app.bell()
