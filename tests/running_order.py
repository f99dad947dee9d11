"""The order the suite's tests are handed to its processes (pytest-xdist's ``loadgroup``: each
process takes the next test in this order as it finishes one).

On two cores the suite is bound by what the processor can do, and its tests are of two
sorts: the screen tests and those that start processes spend half their time waiting (on
the planner's timers, on Textual's idle checks, on other processes), the others compute all
the time. Run in the order they are collected, the screen tests came last, all processes
waited together and the cores stood a quarter idle for the last two minutes. So:

- the tests marked ``long`` (ten seconds or more) start first, where they cannot end the run
  alone;
- then the waiting sort and the computing sort are dealt out side by side, in proportion to
  the time each is expected to take, so that while some processes wait the others compute;
- a module of many small cases (one a corpus sentence) goes in batches of ``BATCH``, each
  batch to one process: handed out one by one, their reports kept the controlling process
  busier than the tests;
- the last tenth of the computing tests (most take a fraction of a second) end the run, so
  that the processes finish together.

The order changes no test: each still runs alone, with its own fixtures; a module whose
fixtures are shared by its tests (``scope="module"``) is kept to one process
(``KEPT_TOGETHER``) so that they are made once.
"""

from __future__ import annotations

import pytest

BATCH = 50  # small cases handed to a process at a time
MANY = 100  # a module with this many cases or more is one of many small cases
# Modules whose tests share a fixture made once a module (scope="module").
KEPT_TOGETHER = ("tests/core/test_compliance_reading.py", "tests/e2e/test_serve.py")
WAITING = ("tests/screens/", "tests/e2e/")
# What a test of each sort takes, in seconds with four processes on two cores (measured):
# only the proportions matter.
EXPECTED = {"tests/screens/": 2.4, "tests/e2e/": 0.7, "tests/cli/": 0.5}
EXPECTED_OTHERWISE = 0.2
SMALL_CASE = 0.02  # one of a module's many small cases
TAIL = 0.1  # of the computing tests' expected time


def _path(item: pytest.Item) -> str:
    return item.nodeid.split("::", 1)[0]


def _stem(path: str) -> str:
    """A group's name, as pytest-xdist shows it after a test's name: test_x.py -> test_x."""
    return path.rsplit("/", 1)[-1].removesuffix(".py")


def _expected(item: pytest.Item) -> float:
    path = _path(item)
    return next((s for p, s in EXPECTED.items() if path.startswith(p)), EXPECTED_OTHERWISE)


def _dealt(*piles: list[tuple[float, list[pytest.Item]]]) -> list[pytest.Item]:
    """The piles (each a list of units with their expected time) dealt side by side: the
    next unit comes from the pile least far through its own time."""
    totals = [sum(t for t, _ in pile) or 1.0 for pile in piles]
    done = [0.0] * len(piles)
    at = [0] * len(piles)
    out: list[pytest.Item] = []
    while any(at[i] < len(pile) for i, pile in enumerate(piles)):
        i = min(
            (i for i, pile in enumerate(piles) if at[i] < len(pile)),
            key=lambda i: done[i] / totals[i],
        )
        seconds, unit = piles[i][at[i]]
        out.extend(unit)
        done[i] += seconds
        at[i] += 1
    return out


def running_order(items: list[pytest.Item]) -> list[pytest.Item]:
    """The items in the order described above; marks each batch and each module kept
    together with an ``xdist_group``."""
    by_module: dict[str, list[pytest.Item]] = {}
    for item in items:
        by_module.setdefault(_path(item), []).append(item)

    long: list[pytest.Item] = []
    waiting: list[tuple[float, list[pytest.Item]]] = []
    computing: list[tuple[float, list[pytest.Item]]] = []
    batches: list[tuple[float, list[pytest.Item]]] = []
    for path, module in by_module.items():
        if path in KEPT_TOGETHER:
            for item in module:
                item.add_marker(pytest.mark.xdist_group(_stem(path)))
        rest = [item for item in module if item.get_closest_marker("long") is None]
        long += [item for item in module if item.get_closest_marker("long") is not None]
        if len(rest) >= MANY and path not in KEPT_TOGETHER:
            for n in range(0, len(rest), BATCH):
                batch = rest[n : n + BATCH]
                for item in batch:
                    item.add_marker(pytest.mark.xdist_group(f"{_stem(path)}-{n // BATCH}"))
                batches.append((SMALL_CASE * len(batch), batch))
            continue
        pile = waiting if path.startswith(WAITING) else computing
        pile += [(_expected(item), [item]) for item in rest]

    left = sum(t for t, _ in computing) * TAIL
    tail: list[pytest.Item] = []
    while computing and left > 0:
        seconds, unit = computing.pop()
        tail[:0] = unit
        left -= seconds
    ordered = long + _dealt(waiting, computing, batches) + tail
    assert len(ordered) == len(items)
    return ordered
