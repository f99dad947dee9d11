"""Healthcare Campaign Planner: the headless core (no textual, no rich)."""

__version__ = "0.1.0"
