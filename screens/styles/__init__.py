"""The screens' stylesheets, one .tcss file per screen or widget, kept together here.

``CSS_PATH = css("forms.tcss", "editor.tcss")`` names them wherever the screen's module lives.
"""

from __future__ import annotations

from pathlib import Path

_HERE = Path(__file__).resolve().parent

# All of them, in the order the app reads them as it starts: where two rules weigh the same,
# the later wins, so a screen's file comes after the forms it styles, and the dialogs, which open
# over the screens, come last.
STYLESHEETS = (
    "forms.tcss",
    "workspace.tcss",
    "editor.tcss",
    "importing.tcss",
    "review.tcss",
    "tracking.tcss",
    "brief.tcss",
    "welcome.tcss",
    "dialogs.tcss",
)


def css(*names: str) -> list[Path]:
    """The stylesheets called ``names``, in the order given."""
    return [_HERE / name for name in names]
