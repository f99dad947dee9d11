"""What the benchmarks run in child processes: each figure's value and baseline in a fresh one.

    python -m benchmarks.children TASK JSON_ARGUMENTS

prints one line of JSON: ``{"seconds": [[...], [...]]}``, the timings of each case (the value,
then its baseline) after a warm-up run of each that is not counted; the cases take turns. The
start-up scripts are separate: the parent times them from spawn to exit, so they only start an
app and quit once its table is ready.
"""

from __future__ import annotations

import asyncio
import gc
import json
import sys
import time
from collections.abc import Callable
from typing import Any

SIZE = (120, 40)

# Start-up: the planner and, as the baseline, the least Textual app with a table. Both fill
# their table on mount, run headless at the same size, and quit from the same auto-pilot once
# the table holds its rows and a frame has been drawn. argv: the number of rows, then (planner
# only) the database.
_STARTUP_COMMON = f"""
import sys

SIZE = {SIZE!r}
ROWS = int(sys.argv[1])

async def quit_when_ready(pilot):
    while not ready(pilot.app):
        await pilot.pause()
    await pilot.pause()
    pilot.app.exit()
"""

# The planner starts as the ``planner`` command does (its entry point, ``planner --db DB``),
# the app only told to run headless at the benchmark's size and to quit when ready.
STARTUP_PLANNER = (
    _STARTUP_COMMON
    + """
import functools
from screens.app import PlannerApp
from screens.home import HomeScreen
from screens.widgets.rowtable import RowTable

def ready(app):
    home = app.screen
    return isinstance(home, HomeScreen) and any(
        table.row_count == ROWS for table in home.query(RowTable)
    )

PlannerApp.run = functools.partialmethod(
    PlannerApp.run, headless=True, size=SIZE, auto_pilot=quit_when_ready
)
from planner.cli.launch import main

sys.argv = ["planner", "--db", sys.argv[2]]
main()
"""
)

STARTUP_BASELINE = (
    _STARTUP_COMMON
    + """
from textual.app import App
from textual.widgets import DataTable

class TableApp(App[None]):
    def compose(self):
        yield DataTable()

    def on_mount(self):
        table = self.query_one(DataTable)
        table.add_columns("Name", "Practice", "Status", "Dates", "Budget", "Spent", "Target")
        for n in range(ROWS):
            table.add_row(
                f"Campaign {n}", "Practice", "Draft", "Mar–Aug 2027", "USD 1,000.00", "10%", "20%"
            )

def ready(app):
    return any(table.row_count == ROWS for table in app.query(DataTable))

TableApp().run(headless=True, size=SIZE, auto_pilot=quit_when_ready)
"""
)


def alternate(repeats: int, cases: list[Callable[[], float]]) -> list[list[float]]:
    """Warm each case up once, then time them in turn ``repeats`` times (A, B, A, B, ...), so
    that a busy moment of the machine falls on the value and its baseline alike. Garbage left
    by one run is collected before the next starts."""
    for case in cases:
        case()
    timings: list[list[float]] = [[] for _ in cases]
    for _ in range(repeats):
        for case, seconds in zip(cases, timings, strict=True):
            gc.collect()
            seconds.append(case())
    return timings


# ---------------------------------------------------------------------------------------------
# The home screen


async def _home_ready(db: str) -> float:
    """Seconds from opening the database to the home screen's first frame with its list."""
    from benchmarks.generate import TODAY
    from planner.store import Store
    from screens.app import PlannerApp
    from screens.home import HomeScreen

    start = time.perf_counter()
    store = Store.open(db)
    app = PlannerApp(store, today=TODAY)
    try:
        async with app.run_test(headless=True, size=SIZE) as pilot:
            while not isinstance(app.screen, HomeScreen) or not app.screen.caption:
                await pilot.pause()
            await pilot.pause()
            seconds = time.perf_counter() - start
            app.exit()
    finally:
        store.close()
    return seconds


def home(dbs: list[str], repeats: int) -> list[list[float]]:
    """A fresh app on each database in turn: seconds to the home screen ready."""
    return alternate(repeats, [lambda db=db: asyncio.run(_home_ready(db)) for db in dbs])


# ---------------------------------------------------------------------------------------------
# The tracking screen


async def _tracking(db: str, campaign_ids: list[int], repeats: int) -> list[list[float]]:
    """Seconds from opening a campaign's tracking screen to its first frame with its figures,
    charts and first pages of costs and results, in one app; the screen is closed (and the
    home screen it uncovers refreshed) between runs."""
    from textual.widgets import Static

    from benchmarks.generate import TODAY
    from planner.store import Store
    from screens.app import PlannerApp
    from screens.home import HomeScreen
    from screens.tracking import TrackingScreen

    store = Store.open(db)
    app = PlannerApp(store, today=TODAY)
    try:
        async with app.run_test(headless=True, size=SIZE) as pilot:

            async def settle() -> None:
                await app.workers.wait_for_complete()
                await pilot.pause()
                await pilot.wait_for_scheduled_animations()
                await pilot.pause()

            while not isinstance(app.screen, HomeScreen) or not app.screen.caption:
                await pilot.pause()
            await settle()

            async def track(campaign_id: int) -> float:
                start = time.perf_counter()
                screen = TrackingScreen(campaign_id)
                await app.push_screen(screen)
                figures = screen.query_one("#figures", Static)
                while screen.report is None or not str(figures.render()):
                    await pilot.pause()
                await app.workers.wait_for_complete()
                await pilot.pause()
                seconds = time.perf_counter() - start
                await app.pop_screen()
                await settle()
                return seconds

            for campaign_id in campaign_ids:
                await track(campaign_id)
            timings: list[list[float]] = [[] for _ in campaign_ids]
            for _ in range(repeats):
                for campaign_id, seconds in zip(campaign_ids, timings, strict=True):
                    gc.collect()
                    seconds.append(await track(campaign_id))
            app.exit()
    finally:
        store.close()
    return timings


def tracking(db: str, campaign_ids: list[int], repeats: int) -> list[list[float]]:
    return asyncio.run(_tracking(db, campaign_ids, repeats))


# ---------------------------------------------------------------------------------------------
# The HTML brief


def brief(db: str, campaign_ids: list[int], repeats: int) -> list[list[float]]:
    """Seconds to read a campaign from the store and render its HTML brief."""
    from benchmarks.generate import TODAY
    from planner.briefs import load_brief
    from planner.compliance import forget_reviews
    from planner.domain.models import BriefFormat
    from planner.store import Store

    store = Store.open(db)

    def render(campaign_id: int) -> float:
        forget_reviews()  # each render reviews the campaign, as a first render does
        start = time.perf_counter()
        rendered = load_brief(store, campaign_id, today=TODAY).render(BriefFormat.HTML, today=TODAY)
        seconds = time.perf_counter() - start
        assert b"<html" in rendered.content
        return seconds

    try:
        return alternate(repeats, [lambda c=c: render(c) for c in campaign_ids])
    finally:
        store.close()


# ---------------------------------------------------------------------------------------------
# The compliance lint


def lint(variants: int, repeats: int) -> list[list[float]]:
    """Seconds for one lint of a campaign with ``variants`` message variants, and for
    ``variants`` lints of the same campaign holding only the first of them."""
    from benchmarks.generate import lint_campaign_data, lint_single_data
    from planner.compliance import forget_reviews, lint_campaign, load_rules

    rules = load_rules()
    whole = lint_campaign_data(variants)
    single = lint_single_data(whole)

    # each lint is made anew: the review kept of an unchanged campaign is not what is measured
    def many() -> float:
        forget_reviews()
        start = time.perf_counter()
        lint_campaign(whole, rules)
        return time.perf_counter() - start

    def one_by_one() -> float:
        start = time.perf_counter()
        for _ in range(variants):
            forget_reviews()
            lint_campaign(single, rules)
        return time.perf_counter() - start

    return alternate(repeats, [many, one_by_one])


TASKS: dict[str, Callable[..., list[list[float]]]] = {
    "home": home,
    "tracking": tracking,
    "brief": brief,
    "lint": lint,
}


def main(argv: list[str]) -> int:
    if len(argv) != 2 or argv[0] not in TASKS:
        print(f"usage: python -m benchmarks.children {{{','.join(TASKS)}}} JSON", file=sys.stderr)
        return 2
    arguments: dict[str, Any] = json.loads(argv[1])
    seconds = TASKS[argv[0]](**arguments)
    print(json.dumps({"seconds": seconds}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
