"""Modules imported when one of their names is first used, so that the planner starts without
loading what a session may never need."""

from __future__ import annotations

import importlib
from typing import Any


class Later:
    """Stands for the module ``name`` until one of its names is first used, then imports it.
    Bind it under ``if not TYPE_CHECKING`` with a plain import for type checkers beside it."""

    def __init__(self, name: str) -> None:
        self._name = name

    def __getattr__(self, attr: str) -> Any:
        value = getattr(importlib.import_module(self._name), attr)
        setattr(self, attr, value)
        return value
