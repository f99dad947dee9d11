"""``planner serve``: the planner in a web browser through textual-serve, each browser tab
running its own planner process on the same database."""

from __future__ import annotations

from pathlib import Path

from textual_serve.server import Server

PAGE = Path(__file__).resolve().parent / "web"  # textual-serve's page, without web fonts


def serve(command: str, host: str, port: int) -> None:
    """Serve ``command`` (a planner on one database) at ``host``:``port`` until Ctrl+C."""
    Server(
        command,
        host=host,
        port=port,
        title="Healthcare Campaign Planner",
        templates_path=PAGE,
    ).serve()
