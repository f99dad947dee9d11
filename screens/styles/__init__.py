"""The screens' stylesheets, one .tcss file per screen or widget, kept together here.

``CSS_PATH = css("forms.tcss", "editor.tcss")`` names them wherever the screen's module lives.
"""

from __future__ import annotations

from pathlib import Path

_HERE = Path(__file__).resolve().parent


def css(*names: str) -> list[Path]:
    """The stylesheets called ``names``, in the order given."""
    return [_HERE / name for name in names]
