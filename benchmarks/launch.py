"""The whole-process figures' launcher: it starts each command as a fresh process, as a user
types it, and times it from spawn to exit (or, in a terminal, to the moment a text is drawn).

    python -m benchmarks.launch JSON

JSON is ``{"cases": [CASE, ...], "repeats": N}``; each case is run once as a warm-up that is not
counted, then the cases take turns (A, B, A, B, ...) ``repeats`` times. It prints one line of
JSON: ``{"seconds": [[...], ...], "peak_mb": [[...], ...]}``, a list per case.

A CASE is ``{"argv": [...], "stdout": PATH or null, "codes": [0], "fresh": [PATH, ...],
"terminal": null or {"until": TEXT, "keys": TEXT, "size": [COLUMNS, ROWS]}, "timeout": S}``:
``stdout`` is where the command's output goes (the null device when null); ``codes`` the exit
codes that mean it did its work (``planner lint`` says 1 when it found a block finding);
``fresh`` lists files removed before each run (an export's output, an import's new database);
``terminal`` runs the command in a pseudo-terminal of that size, timed until ``until`` appears
on its screen, then sends it ``keys`` (to quit) and waits for it to end.

The peak memory is the command's peak resident size, from ``os.wait4`` (the largest of the
command's and of any helper process it waited for; the commands timed here start none). On
Linux a child's peak starts from the size of the process that started it, so this launcher
imports nothing but the few standard modules it needs and is started as a small process of
its own (about 10 MB, less than any command it runs).
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import re
import select
import signal
import struct
import subprocess
import sys
import termios
import time

TIMEOUT = 600.0  # seconds a command may take before it is stopped and the figure fails
# What a terminal program writes besides its text: control sequences (colours, cursor moves),
# operating-system commands (the window's title) and the other escapes.
ESCAPES = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[P^_][^\x1b]*\x1b\\"
    r"|\x1b[@-Z\\-_]|\x1b[ -/][0-~]|[\x00-\x08\x0b-\x1f\x7f]"
)


class Failed(Exception):
    """A command did not do what it was run for: the figure is not measured."""


def _remove(paths: list[str]) -> None:
    for path in paths:
        for suffix in ("", "-wal", "-shm", "-journal"):
            with contextlib.suppress(FileNotFoundError):
                os.unlink(path + suffix)


def _reaped(pid: int) -> tuple[int, float]:
    """Wait for the child: its exit code and its own peak resident size in MB."""
    _, status, usage = os.wait4(pid, 0)
    return os.waitstatus_to_exitcode(status), usage.ru_maxrss / 1024  # Linux: kilobytes


def _plain(case: dict) -> tuple[float, float]:
    """Run a command with its output to a file (or nowhere): seconds from spawn to exit."""
    target = case.get("stdout") or os.devnull
    with open(target, "wb") as out:
        start = time.perf_counter()
        child = subprocess.Popen(
            case["argv"], stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.PIPE
        )
        errors = child.stderr.read() if child.stderr else b""
        code, peak = _reaped(child.pid)
        seconds = time.perf_counter() - start
    child.returncode = code  # reaped here: Popen must not wait for it again
    if code not in case.get("codes", [0]):
        tail = "\n".join(errors.decode(errors="replace").strip().splitlines()[-6:])
        raise Failed(f"{' '.join(case['argv'][-3:])} failed (exit {code}): {tail}")
    return seconds, peak


def _drain(fd: int, until: float) -> bytes | None:
    """What the terminal shows next, waiting at most until ``until`` (None: nothing came);
    b"" once it closed."""
    ready, _, _ = select.select([fd], [], [], max(0.0, until - time.perf_counter()))
    if not ready:
        return None
    try:
        return os.read(fd, 65536) or b""
    except OSError:  # EIO: every process holding the terminal has closed it
        return b""


def _in_terminal(case: dict) -> tuple[float, float]:
    """Run a command in a pseudo-terminal: seconds from spawn until its text shows."""
    terminal = case["terminal"]
    columns, rows = terminal["size"]
    main_fd, child_fd = os.openpty()
    fcntl.ioctl(child_fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
    env = dict(os.environ, TERM="xterm-256color", COLUMNS=str(columns), LINES=str(rows))
    env.pop("NO_COLOR", None)
    start = time.perf_counter()
    child = subprocess.Popen(
        case["argv"],
        stdin=child_fd,
        stdout=child_fd,
        stderr=child_fd,
        env=env,
        start_new_session=True,
        close_fds=True,
    )
    os.close(child_fd)
    deadline, drawn, shown, seen = start + case.get("timeout", TIMEOUT), b"", "", None
    try:
        while seen is None:
            chunk = _drain(main_fd, deadline)
            if chunk == b"" or time.perf_counter() > deadline:
                break
            if chunk is None:
                continue
            drawn += chunk  # a sequence may be cut between two reads: the text is taken whole
            shown = ESCAPES.sub("", drawn.decode(errors="replace"))
            if terminal["until"] in shown:
                seen = time.perf_counter() - start
        if seen is None:
            child.kill()
            tail = shown.strip()[-300:]
            raise Failed(f"{terminal['until']!r} never showed; the screen ended with: {tail}")
        os.write(main_fd, terminal["keys"].encode())
        quit_by = time.perf_counter() + 60
        while _drain(main_fd, quit_by) != b"" and time.perf_counter() < quit_by:
            pass  # read what it draws as it closes, or it would wait for the reader
        if time.perf_counter() >= quit_by:
            os.killpg(child.pid, signal.SIGKILL)
    finally:
        code, peak = _reaped(child.pid)
        child.returncode = code
        os.close(main_fd)
    if code != 0:
        raise Failed(f"{' '.join(case['argv'][-3:])} ended with exit {code} after its quit key")
    return seen, peak


def run(case: dict) -> tuple[float, float]:
    """One run of a case: seconds, and its peak memory in MB."""
    _remove(case.get("fresh", []))
    return _in_terminal(case) if case.get("terminal") else _plain(case)


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: python -m benchmarks.launch JSON", file=sys.stderr)
        return 2
    plan = json.loads(argv[0])
    cases = plan["cases"]
    try:
        for case in cases:
            run(case)
        seconds: list[list[float]] = [[] for _ in cases]
        peaks: list[list[float]] = [[] for _ in cases]
        for _ in range(plan["repeats"]):
            for case, timed, peak in zip(cases, seconds, peaks, strict=True):
                took, mb = run(case)
                timed.append(took)
                peak.append(mb)
    except Failed as exc:
        print(str(exc), file=sys.stderr)
        return 1
    print(json.dumps({"seconds": seconds, "peak_mb": peaks}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
