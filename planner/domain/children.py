"""Reading in a second process while this one writes.

A large file's reading (parsing and checking a million lines) and its writing (SQLite) each
take a core's worth of work; ``from_child`` runs a reader in a child ``python`` process that
sends what it reads back in batches, so that the two go on at once on a machine with two
cores. The child is a plain ``python -c`` process talking through its standard input and
output, so that nothing of this one (a full-screen terminal, threads, an open database) is
copied into it.
"""

from __future__ import annotations

import importlib
import pickle
import signal
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from typing import IO, Any, NamedTuple

from planner.domain.errors import PlannerError

_SERVE = "from planner.domain.children import serve; serve()"


class Note(NamedTuple):
    """Something the child's function yields that is news, not an item (how far it has
    read, what it counted): given to the parent's ``on_note`` in its place among the items."""

    value: Any


def from_child(
    function: str,
    arguments: tuple[Any, ...],
    what: str,
    *,
    batch: int = 64,
    on_note: Callable[[Any], None] | None = None,
    refusal: type[PlannerError] = PlannerError,
) -> Iterator[Any]:
    """What ``function`` (``"module:name"``) yields when called with ``arguments`` in a child
    process, as it comes, sent ``batch`` items at a time; a ``Note`` it yields goes to
    ``on_note``. An error it raises (a ``PlannerError``: its sentence) is raised here; a child
    that dies says how, in a ``refusal`` about ``what`` it was reading; stopping early stops
    the child."""
    # What the child says on its standard error goes to a file, read only if it fails: a pipe
    # that nobody reads while the rows flow could fill and stop it.
    with tempfile.TemporaryFile() as errors:
        child = subprocess.Popen(
            [sys.executable, "-c", _SERVE],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=errors,
        )
        assert child.stdin is not None and child.stdout is not None
        try:
            try:
                with child.stdin:
                    pickle.dump((function, arguments, batch), child.stdin)
            except BrokenPipeError:
                pass  # it died at once: what it said is read below
            for item in _received(child, errors, what, refusal):
                if type(item) is Note:
                    if on_note is not None:
                        on_note(item.value)
                else:
                    yield item
        finally:
            if child.poll() is None:
                child.kill()
            child.wait()
            child.stdout.close()


def _received(
    child: subprocess.Popen[bytes], errors: IO[bytes], what: str, refusal: type[PlannerError]
) -> Iterator[Any]:
    assert child.stdout is not None
    while True:
        try:
            message = pickle.load(child.stdout)  # one message a pickle, each on its own
        except (EOFError, pickle.UnpicklingError):  # it ended, maybe half-way through one
            child.wait()
            errors.seek(0)
            lines = errors.read().decode(errors="replace").strip().splitlines()
            why = lines[-1] if lines else ended(child.returncode)
            raise refusal(
                f"Reading {what} stopped unexpectedly ({why}); nothing was written."
            ) from None
        if message[0] == "items":
            yield from message[1]
        elif message[0] == "done":
            return
        else:
            raise message[1]


def ended(returncode: int) -> str:
    """How a reading process that said nothing ended, in words."""
    if returncode < 0:
        try:
            name = signal.Signals(-returncode).name
        except ValueError:
            name = f"signal {-returncode}"
        return f"the reading process was stopped by {name}"
    return f"the reading process ended with exit status {returncode}"


def serve() -> None:
    """The child process of ``from_child``: call the function named on standard input and
    write what it yields to standard output in batches, then that it is done, or the error
    that stopped it."""
    # An interrupt from the terminal reaches both processes: the parent stops this one,
    # which leaves the decision to it.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    out = sys.stdout.buffer
    function, arguments, size = pickle.load(sys.stdin.buffer)

    def send(message: tuple[Any, ...]) -> None:
        pickle.dump(message, out, protocol=pickle.HIGHEST_PROTOCOL)
        out.flush()

    try:
        module, name = function.split(":")
        items = getattr(importlib.import_module(module), name)(*arguments)
        batch: list[Any] = []
        for item in items:
            batch.append(item)
            if len(batch) >= size:
                send(("items", batch))
                batch = []
        send(("items", batch))
        send(("done",))
    except PlannerError as exc:
        send(("error", exc))
    except (BrokenPipeError, ConnectionResetError):
        pass  # the parent stopped (cancelled or killed): nothing to tell it
