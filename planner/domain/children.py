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


class Child:
    """A reading process started ahead of what it is to read: it loads ``function``'s module
    (``"module:name"``) while this process works out the arguments, then ``items`` gives it
    them. ``stop`` ends it unused."""

    def __init__(
        self,
        function: str,
        what: str,
        *,
        batch: int = 64,
        on_note: Callable[[Any], None] | None = None,
        refusal: type[PlannerError] = PlannerError,
    ) -> None:
        self.what, self.batch, self.on_note, self.refusal = what, batch, on_note, refusal
        # What the child says on its standard error goes to a file, read only if it fails: a
        # pipe that nobody reads while the rows flow could fill and stop it.
        self.errors = tempfile.TemporaryFile()  # noqa: SIM115 - closed by stop
        self.process = subprocess.Popen(
            [sys.executable, "-c", _SERVE, function],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self.errors,
        )

    def items(self, arguments: tuple[Any, ...]) -> Iterator[Any]:
        """What the function yields when called with ``arguments``, as it comes, sent
        ``batch`` items at a time; a ``Note`` it yields goes to ``on_note``. An error it
        raises (a ``PlannerError``: its sentence) is raised here; a child that dies says how,
        in a ``refusal`` about what it was reading; stopping early stops the child."""
        child = self.process
        assert child.stdin is not None
        try:
            try:
                with child.stdin:
                    pickle.dump((arguments, self.batch), child.stdin)
            except BrokenPipeError:
                pass  # it died at once: what it said is read below
            for item in _received(child, self.errors, self.what, self.refusal):
                if type(item) is Note:
                    if self.on_note is not None:
                        self.on_note(item.value)
                else:
                    yield item
        finally:
            self.stop()

    def stop(self) -> None:
        child = self.process
        if child.poll() is None:
            child.kill()
        child.wait()
        for pipe in (child.stdin, child.stdout):
            if pipe is not None:
                pipe.close()
        self.errors.close()


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
    process started now (see ``Child.items``)."""
    child = Child(function, what, batch=batch, on_note=on_note, refusal=refusal)
    return child.items(arguments)


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
    """The child process of ``Child``: load the function named on the command line, call it
    with the arguments read from standard input and write what it yields to standard output
    in batches (the first one small, so that the parent starts writing soon), then that it is
    done, or the error that stopped it."""
    # An interrupt from the terminal reaches both processes: the parent stops this one,
    # which leaves the decision to it.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    out = sys.stdout.buffer
    module, name = sys.argv[1].split(":")
    function = getattr(importlib.import_module(module), name)  # loaded while the parent works
    try:
        arguments, size = pickle.load(sys.stdin.buffer)
    except EOFError:
        return  # stopped unused

    def send(message: tuple[Any, ...]) -> None:
        pickle.dump(message, out, protocol=pickle.HIGHEST_PROTOCOL)
        out.flush()

    try:
        items = function(*arguments)
        batch: list[Any] = []
        first = min(size, 4)
        for item in items:
            batch.append(item)
            if len(batch) >= first:
                send(("items", batch))
                batch, first = [], size
        send(("items", batch))
        send(("done",))
    except PlannerError as exc:
        send(("error", exc))
    except (BrokenPipeError, ConnectionResetError):
        pass  # the parent stopped (cancelled or killed): nothing to tell it
