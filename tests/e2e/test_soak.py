"""The soak: the TUI, two command-line writers, a ``planner serve`` session, backups and a
reader on one file at once, calm and then with writers killed at random; every write a writer
was told was saved is in the file, nothing refused or undone is, and the file, its running
totals and every backup are whole (see ``benchmarks/soak.py``)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.long
@pytest.mark.parametrize("kill", [False, True], ids=["calm", "kill-9"])
def test_many_hands_on_one_file_lose_nothing(tmp_path, kill):
    figures_file = tmp_path / "figures.json"
    args = [sys.executable, "-m", "benchmarks.soak", "--seconds", "15"]
    args += ["--json", str(figures_file), "--keep", str(tmp_path / "work")]
    done = subprocess.run(
        [*args, *(["--kill"] if kill else [])],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    figures = json.loads(figures_file.read_text())
    assert figures["passed"] is True
    assert figures["lost"] == 0 and figures["appeared unasked"] == 0
    assert figures["integrity"] == "ok" and figures["totals drift"] == 0
    assert figures["backups"] > 0 and figures["backups whole"] == figures["backups"]
    if kill:
        assert figures["kills"] > 0
    else:  # the TUI, the command line and the browser's session were each told of a save
        assert all(figures["by writer"].get(w) for w in ("tui", "cli", "serve"))
