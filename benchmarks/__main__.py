"""Issue 8's benchmark suite: every figure a ratio against a baseline measured in the same run.

    python -m benchmarks [--quick] [--runs N] [--json FILE]

The full run uses the full data (2,000 campaigns; a campaign with 1,000,000 costs and 500,000
results) and five timed repeats of each measurement; --quick uses a tenth of the rows (200
campaigns, 100,000 costs, 50,000 results, a 100,000-row import; the large campaign's plan keeps
its size) and three repeats, and takes under two minutes on a two-core machine. The generated
databases are cached in benchmarks/.cache/. A figure that misses its target is listed after the
table; the exit code is 0 all the same (2 for bad usage).

Two options are for tests and for chasing one figure: --scale FLOAT sizes the data (quick is
0.1, full 1.0; below 0.05 each measurement is timed once after its warm-up and the lint uses
fewer variants), and --only KEY[,KEY] measures some figures only.

Issue 26's whole-process figures (``benchmarks.whole``, keys whole-show, whole-export, ...) run
each command as a fresh ``planner`` process; they take a few minutes more at --quick.
--runs N runs the whole suite N times and ends with each figure's median and range over the
runs; a figure passes only if it met its target in every run.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path

from benchmarks import figures, whole
from benchmarks.figures import Figure, Settings
from benchmarks.generate import (
    LINT_VARIANTS,
    STARTUP_CAMPAIGNS,
    Generated,
    empty_list_database,
    large_database,
    startup_database,
)

KEYS = ("startup", "home", "tracking", "brief", "import", "lint", *whole.PLAN)
IMPORT_ROWS = 1_000_000


def settings_for(args: argparse.Namespace) -> Settings:
    scale = args.scale if args.scale is not None else (0.1 if args.quick else 1.0)
    tiny = scale < 0.05
    return Settings(
        scale=scale,
        repeats=args.repeats or (1 if tiny else 3 if scale < 1 else 5),
        lint_variants=max(10, round(LINT_VARIANTS * scale * 10)) if tiny else LINT_VARIANTS,
        import_rows=max(1_000, round(IMPORT_ROWS * scale)),
    )


def parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks",
        description="Measure issue 8's figures, each as a ratio against a baseline measured "
        "in the same run.",
    )
    parser.add_argument(
        "--quick", action="store_true", help="a tenth of the data and 3 repeats (< 2 minutes)"
    )
    parser.add_argument("--json", type=Path, metavar="FILE", help="also write the figures here")
    parser.add_argument(
        "--runs",
        type=int,
        default=1,
        metavar="N",
        help="run the suite N times; end with each figure's median and range",
    )
    parser.add_argument("--scale", type=float, help=argparse.SUPPRESS)
    parser.add_argument("--repeats", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--only", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.scale is not None and not 0 < args.scale <= 10:
        parser.error("--scale must be above 0 and at most 10")
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    if args.repeats is not None and args.repeats < 1:
        parser.error("--repeats must be at least 1")
    if args.only is not None:
        wanted = [k.strip() for k in args.only.split(",") if k.strip()]
        unknown = sorted(set(wanted) - set(KEYS))
        if unknown or not wanted:
            parser.error(f"--only takes some of {', '.join(KEYS)}")
        args.only = wanted
    else:
        args.only = list(KEYS)
    if args.json is not None and not args.json.parent.is_dir():
        parser.error(f"the folder of {args.json} does not exist")
    return args


def say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def measure_all(settings: Settings, only: list[str], data: Generated, work: Path) -> list[Figure]:
    startup_db, empty_db = work / "startup.db", work / "empty.db"
    startup_database(startup_db)
    empty_list_database(empty_db)
    plan: list[tuple[dict[str, str], Callable[[], Figure | list[Figure]]]] = [
        (
            {"startup": "start-up to home ready (headless)"},
            lambda: figures.startup(settings, startup_db, STARTUP_CAMPAIGNS),
        ),
        (
            {"home": "home ready on the large database"},
            lambda: figures.home(settings, data, empty_db),
        ),
        (
            {"tracking": "tracking ready, large campaign"},
            lambda: figures.tracking(settings, data),
        ),
        ({"brief": "HTML brief of the large campaign"}, lambda: figures.brief(settings, data)),
        (
            {"import": "import of the cost file", "import_memory": "import peak memory"},
            lambda: figures.imports(settings),
        ),
        ({"lint": "lint of the message variants"}, lambda: figures.lint(settings)),
    ]
    context = whole.Whole(settings, data, work)
    for names, measure in whole.PLAN.values():
        plan.append((names, lambda measure=measure: measure(context)))
    measured: list[Figure] = []
    for names, make in plan:
        if not set(names) & set(only):
            continue
        say(f"measuring {' and '.join(names.values())}...")
        start = time.perf_counter()
        measured.extend(figures.guarded(make, names))
        say(f"  done in {time.perf_counter() - start:.1f} s")
    return measured


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    settings = settings_for(args)
    started = time.perf_counter()
    machine = figures.machine()
    print(
        f"machine: {machine['cpus']} CPUs ({machine['cpu'] or 'unknown model'}), "
        f"Python {machine['python']}, {machine['platform']}, SQLite {machine['sqlite']}, "
        f"Textual {machine['textual']}"
    )
    mode = "quick" if args.quick and args.scale is None else "full" if args.scale is None else ""
    print(
        f"run: {mode + ' ' if mode else ''}scale {settings.scale:g}, {settings.repeats} timed "
        "repeat(s) after a warm-up, medians"
    )
    say("preparing the data...")
    data = large_database(settings.scale)
    how = f"generated in {data.seconds:.1f} s" if data.seconds else "cached"
    print(
        f"data: {data.campaigns:,} campaigns; the large one has {data.costs:,} costs and "
        f"{data.results:,} results ({how}: {data.path})"
    )
    runs: list[list[Figure]] = []
    for run in range(args.runs):
        if args.runs > 1:
            say(f"run {run + 1} of {args.runs}")
        with tempfile.TemporaryDirectory(prefix="planner-benchmarks-") as folder:
            measured = measure_all(settings, args.only, data, Path(folder))
        runs.append(measured)
        print()
        if args.runs > 1:
            print(f"run {run + 1} of {args.runs}:")
        print(figures.table(measured))
        failing = figures.failures(measured)
        print()
        if failing:
            print(f"{sum(1 for f in measured if not f.passed)} figure(s) FAIL:\n{failing}")
        else:
            print("every figure meets its target")
    if args.runs > 1:
        print(f"\nover the {args.runs} runs (a figure passes only if it passed in every run):")
        print(figures.over_runs(runs))
    seconds = time.perf_counter() - started
    print(f"\ntook {seconds:.0f} s")
    if args.json is not None:
        args.json.write_text(
            json.dumps(
                {
                    "figures": [f.as_json() for f in measured],  # the last run's
                    "runs": [[f.as_json() for f in run] for run in runs],
                    "summary": figures.summary(runs),
                    "machine": machine,
                    "settings": asdict(settings),
                    "data": {
                        "campaigns": data.campaigns,
                        "costs": data.costs,
                        "results": data.results,
                        "generated_seconds": data.seconds,
                    },
                    "seconds": seconds,
                },
                indent=2,
                allow_nan=False,
            )
            + "\n"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
