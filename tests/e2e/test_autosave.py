"""Autosave survives the planner being killed or its terminal closing.

These run the real ``planner`` in a pseudo-terminal, type into it, and end it the hard way.
"""

from __future__ import annotations

import fcntl
import os
import pty
import signal
import struct
import subprocess
import sys
import termios
import threading
import time
from pathlib import Path

import pytest

from planner.plan.campaigns import new_campaign
from planner.store import Store

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pseudo-terminal"),
]

ENTER, END, ERASE = "\r", "\x05", "\x15"  # Enter, Ctrl+E (end of line), Ctrl+U (erase)


class Terminal:
    """The planner running in a pseudo-terminal of 100x32, its output drained in a thread."""

    def __init__(self, db_path: Path) -> None:
        master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 32, 100, 0, 0))
        env = {**os.environ, "TERM": "xterm-256color", "PLANNER_DB": str(db_path)}
        env.pop("TEXTUAL", None)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "planner"],
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env=env,
            start_new_session=True,
            # The pseudo-terminal becomes the controlling terminal, as a terminal window is.
            preexec_fn=lambda: fcntl.ioctl(0, termios.TIOCSCTTY, 0),
            close_fds=True,
        )
        os.close(slave)
        self.master: int | None = master
        self.output = bytearray()
        threading.Thread(target=self._drain, daemon=True).start()

    def _drain(self) -> None:
        while self.master is not None:
            try:
                chunk = os.read(self.master, 65536)
            except OSError:
                return
            if not chunk:
                return
            self.output.extend(chunk)

    def wait_for(self, text: str, timeout: float = 20) -> None:
        deadline = time.monotonic() + timeout
        while text.encode() not in self.output:
            if time.monotonic() > deadline:
                raise AssertionError(f"{text!r} never appeared on the screen")
            time.sleep(0.05)

    def type(self, text: str) -> None:
        assert self.master is not None
        for char in text:  # at a brisk typist's pace
            os.write(self.master, char.encode())
            time.sleep(0.05)

    def close_terminal(self) -> None:
        """What closing the terminal window does: the pseudo-terminal's master goes away."""
        master, self.master = self.master, None
        if master is not None:
            os.close(master)

    def end(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait(timeout=10)
        self.close_terminal()


def practice_in(db_path: Path, campaign_id: int) -> str:
    with Store.open(db_path) as store:
        return store.get_campaign(campaign_id).practice


def wait_until(check, timeout: float = 15) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.1)
    return False


@pytest.fixture
def campaign_id(db_path):
    with Store.open(db_path) as store:
        return new_campaign(store, name="Flu 2027", starter="flu-vaccination", practice="Verdi")


def open_overview(term: Terminal) -> None:
    term.wait_for("Flu 2027")
    term.type(ENTER)  # open the campaign: the step list has the focus
    term.wait_for("steps done")
    time.sleep(1.0)
    term.type(ENTER)  # into the overview form: the name field
    time.sleep(1.0)
    term.type("\t")  # the practice field
    time.sleep(1.0)


def test_a_saved_edit_survives_a_kill(db_path, campaign_id):
    term = Terminal(db_path)
    try:
        open_overview(term)
        term.type(END + " Group")
        assert wait_until(lambda: practice_in(db_path, campaign_id) == "Verdi Group")
        term.process.send_signal(signal.SIGKILL)
        term.process.wait(timeout=10)
    finally:
        term.end()
    assert practice_in(db_path, campaign_id) == "Verdi Group"


def close_terminal(term: Terminal) -> None:
    term.close_terminal()


def polite_kill(term: Terminal) -> None:
    term.process.send_signal(signal.SIGTERM)


@pytest.mark.parametrize("end", [close_terminal, polite_kill], ids=lambda f: f.__name__)
def test_ending_the_planner_saves_the_edit_still_waiting(db_path, campaign_id, end):
    term = Terminal(db_path)
    try:
        open_overview(term)
        term.type(ERASE + "Studio Medico Verdi")
        # A moment for the planner to read the last key from the terminal, far less than the
        # autosave's pause after typing (0.6 s): the edit is still waiting when the end comes.
        time.sleep(0.2)
        end(term)
        term.process.wait(timeout=15)
    finally:
        term.end()
    assert practice_in(db_path, campaign_id) == "Studio Medico Verdi"
