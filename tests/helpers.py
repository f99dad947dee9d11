"""Helpers shared by the Pilot tests."""

from __future__ import annotations


async def until(pilot, check, seconds: float = 8.0) -> None:
    """Wait for something the screen does on its own (it polls for changes every second)."""
    for _ in range(int(seconds / 0.1)):
        if check():
            return
        await pilot.pause(0.1)
    assert check()
