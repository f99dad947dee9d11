"""Helpers shared by the Pilot tests."""

from __future__ import annotations

import contextlib
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest


def in_another_terminal(db_path, *args: str) -> str:
    """A planner command run to its end in a process of its own, as in another terminal;
    what it printed."""
    done = subprocess.run(
        [sys.executable, "-m", "planner", "--db", str(db_path), *args],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


async def until(pilot, check, seconds: float = 8.0) -> None:
    """Wait for something the screen does on its own (it polls for changes every second)."""
    for _ in range(int(seconds / 0.1)):
        if check():
            return
        await pilot.pause(0.1)
    assert check()


async def list_shown(pilot, seconds: float = 8.0) -> None:
    """Wait for the home screen's list, read as soon as the planner's first frame is out (a
    key typed before has it read first): what a test looks at on the list before any key."""
    for _ in range(int(seconds / 0.01)):
        if getattr(pilot.app.screen, "loaded", False):
            return
        await pilot.pause(0.01)
    assert pilot.app.screen.loaded


# 'planner WORD...' in a sentence: each word bare or quoted, the closing quote before a space
# or a mark (a quoted path's own quotes are part of its word)
_COMMAND = re.compile(r"'(planner(?: (?:[^\s']|'[^']*')+?)+?)'(?=[\s.,;:)]|$)")


def printed_commands(text: str) -> list[list[str]]:
    """The planner commands a message advises ('planner ...', a path in it quoted for the
    shell when it needs to be), each as the words a shell would pass it."""
    return [shlex.split(found) for found in _COMMAND.findall(text)]


def type_fast(pilot, *keys: str) -> None:
    """Send ``keys`` to the app in one burst, as a terminal passes on keys typed faster than
    the app handles them (or sent by ``tmux send-keys``): the app takes each key as it comes,
    without waiting for the one before to be handled. (``pilot.press`` waits for the app to be
    idle after each key, which hides what a burst does.) Pause the pilot afterwards."""
    from textual import events
    from textual.keys import _character_to_key

    app = pilot.app
    for key in keys:
        if len(key) == 1 and not key.isalnum():
            event = events.Key(_character_to_key(key), key)
        else:
            event = events.Key(key, key if len(key) == 1 else None)
        event.set_sender(app)
        app._driver.send_message(event)


@contextlib.contextmanager
def read_only(path: Path):
    """The file or folder made read-only, even for root (who ignores permissions): with the
    immutable attribute where the file system has it."""
    if os.geteuid() != 0:
        mode = path.stat().st_mode
        path.chmod(0o555 if path.is_dir() else 0o444)
        try:
            yield
        finally:
            path.chmod(mode)
        return
    made = subprocess.run(["chattr", "+i", str(path)], capture_output=True)
    if made.returncode != 0:
        pytest.skip(f"cannot make a file read-only for root here: {made.stderr.strip()}")
    try:
        yield
    finally:
        subprocess.run(["chattr", "-i", str(path)], check=True)


def highlight_starter(app, starter_id: str) -> None:
    """In the starter dialog (s), put the cursor on the starter ``starter_id``."""
    from textual.widgets import OptionList

    options = app.screen.query_one(OptionList)
    ids = [options.get_option_at_index(i).id for i in range(options.option_count)]
    options.highlighted = ids.index(starter_id)
