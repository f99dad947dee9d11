"""Issue 8's figures: each a value against a baseline measured in the same run, on the same
machine, and the target their ratio must meet.

Every timing is a median over repeats after a warm-up run that is not counted, taken in child
processes (``benchmarks.children``) so that one figure's imports, caches and memory do not help
or hinder another's. Within a figure the value and its baseline take turns (A, B, A, B), so that
a busy moment of the machine falls on both alike; start-up times a fresh process for every run.
"""

from __future__ import annotations

import json
import os
import platform
import sqlite3
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from importlib.metadata import version
from pathlib import Path
from typing import Any, Literal

from benchmarks import children
from benchmarks.generate import Generated

ROOT = Path(__file__).resolve().parent.parent


Comparison = Literal["<=", ">="]

# Issue 8's targets: what each figure's ratio is held to ("MB": the "ratio" is a difference).
TARGETS: dict[str, tuple[Comparison, float, str]] = {
    "startup": ("<=", 1.3, ""),
    "home": ("<=", 1.5, ""),
    "tracking": ("<=", 1.5, ""),
    "brief": ("<=", 3.0, ""),
    "import": (">=", 0.5, ""),
    "import_memory": ("<=", 80.0, "MB"),  # issue 26 (issue 8 asked for 150)
    "lint": ("<=", 1.2, ""),
    # Issue 26's whole-process figures (``benchmarks.whole``)
    "whole-show": ("<=", 1.5, ""),
    "whole-show-memory": ("<=", 100.0, "MB"),
    "whole-show-json": ("<=", 1.5, ""),
    "whole-show-json-memory": ("<=", 100.0, "MB"),
    "whole-export": ("<=", 1.5, ""),
    "whole-export-memory": ("<=", 100.0, "MB"),
    "whole-import": ("<=", 1.5, ""),
    "whole-import-memory": ("<=", 100.0, "MB"),
    "whole-brief": ("<=", 2.0, ""),
    "whole-lint": ("<=", 2.0, ""),
    "whole-home": ("<=", 1.3, ""),
    "whole-startup": ("<=", 1.3, ""),
}


@dataclass
class Figure:
    """One line of the table: ``ratio`` is compared with ``target`` by ``comparison``."""

    key: str
    name: str
    value: float
    baseline: float
    ratio: float
    unit: str = "s"
    detail: str = ""
    error: str = ""
    comparison: Comparison = field(init=False)
    target: float = field(init=False)
    ratio_unit: str = field(init=False)  # "": a plain ratio; "MB": the "ratio" is a difference

    def __post_init__(self) -> None:
        self.comparison, self.target, self.ratio_unit = TARGETS[self.key]

    @property
    def passed(self) -> bool:
        if self.error:
            return False
        if self.comparison == "<=":
            return self.ratio <= self.target
        return self.ratio >= self.target

    def as_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            k: None if isinstance(v, float) and v != v else v  # NaN: not measured
            for k, v in asdict(self).items()
        }
        data["passed"] = self.passed
        return data


@dataclass(frozen=True)
class Settings:
    """How much to measure: the data's scale, the timed repeats of each measurement (after a
    warm-up), the variants the lint checks and the rows of the imported cost file."""

    scale: float
    repeats: int
    lint_variants: int
    import_rows: int


# ---------------------------------------------------------------------------------------------
# Running children


def child_env() -> dict[str, str]:
    """The children's environment: bytecode is written and reused, as an installed app's is
    (a checkout run with PYTHONDONTWRITEBYTECODE would compile the planner at every start)."""
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    return env


def run_child(what: str, *args: str) -> str:
    """Run ``python ARGS`` in a fresh process and return what it printed; ``what`` names it
    in the error when it fails."""
    done = subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env=child_env(),
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        tail = "\n".join(done.stderr.strip().splitlines()[-6:])
        raise RuntimeError(f"{what} failed (exit {done.returncode}): {tail}")
    return done.stdout


def run_task(task: str, **arguments: Any) -> tuple[list[float], list[float]]:
    """Run one of ``benchmarks.children``'s tasks in a fresh process: the value's timings and
    the baseline's, taken in turns."""
    out = run_child(f"the {task} child", "-m", "benchmarks.children", task, json.dumps(arguments))
    value, baseline = json.loads(out.strip().splitlines()[-1])["seconds"]
    return [float(s) for s in value], [float(s) for s in baseline]


# ``benchmarks.import_costs.measure`` reads each child's peak memory from getrusage(), which on
# Linux starts from the peak of the process that spawned it: it runs in a process of its own,
# which has loaded nothing, so that what this one has loaded does not count in its figures.
_IMPORT_MEASURE = """
import json, sys
from benchmarks.import_costs import measure
print(json.dumps(measure(int(sys.argv[1]))))
"""


def run_import_measure(rows: int) -> dict[str, float]:
    """``benchmarks.import_costs.measure(rows)``, run from a fresh, small process."""
    out = run_child("the import measurement", "-c", _IMPORT_MEASURE, str(rows))
    return json.loads(out.strip().splitlines()[-1])


def spawn_to_exit(script: str, *args: str) -> float:
    """Wall time of ``python -c script args`` from spawn to exit."""
    start = time.perf_counter()
    run_child("a start-up child", "-c", script, *args)
    return time.perf_counter() - start


def median(values: list[float]) -> float:
    return statistics.median(values)


def spread(values: list[float]) -> str:
    return f"{min(values):.3f}-{max(values):.3f} s over {len(values)}"


# ---------------------------------------------------------------------------------------------
# The figures


STARTUP_REPEATS = 3  # times the usual number of timed repeats


def startup(settings: Settings, startup_db: Path, rows: int) -> Figure:
    """1. Process start to the home screen ready, then exit, against a minimal Textual app
    with one table of the same rows. The two alternate, after one warm-up run of each."""
    planner = (children.STARTUP_PLANNER, str(rows), str(startup_db))
    baseline = (children.STARTUP_BASELINE, str(rows))
    spawn_to_exit(*planner)
    spawn_to_exit(*baseline)
    ours, theirs = [], []
    # A start-up takes half a second and this machine's timings wander by a fifth: three times
    # the usual repeats give a steadier median.
    for _ in range(settings.repeats * STARTUP_REPEATS):
        ours.append(spawn_to_exit(*planner))
        theirs.append(spawn_to_exit(*baseline))
    name = "start-up to home ready (headless)"
    figure = _paired("startup", name, ("planner", "one-table app"), ours, theirs)
    figure.detail = f"{rows} campaigns; {figure.detail}"
    return figure


def _paired(
    key: str, name: str, labels: tuple[str, str], ours: list[float], theirs: list[float]
) -> Figure:
    """A figure from the timings of the value and of its baseline."""
    value, base = median(ours), median(theirs)
    detail = f"{labels[0]} {spread(ours)}; {labels[1]} {spread(theirs)}"
    return Figure(key, name, value, base, value / base, detail=detail)


def home(settings: Settings, data: Generated, empty_db: Path) -> Figure:
    """2. The home screen's portfolio ready on the large database, against an empty list (a
    database whose only campaign is archived, so that no welcome screen comes up)."""
    ours, theirs = run_task("home", dbs=[str(data.path), str(empty_db)], repeats=settings.repeats)
    name = f"home ready, {data.campaigns:,} campaigns"
    return _paired("home", name, ("large", "empty"), ours, theirs)


def _large_and_small(
    task: str, settings: Settings, data: Generated
) -> tuple[list[float], list[float]]:
    ours, theirs = run_task(
        task,
        db=str(data.path),
        campaign_ids=[data.large_id, data.small_id],
        repeats=settings.repeats,
    )
    return ours, theirs


def tracking(settings: Settings, data: Generated) -> Figure:
    """3. The large campaign's tracking screen ready, against the ten-rows campaign's."""
    ours, theirs = _large_and_small("tracking", settings, data)
    name = f"tracking ready, {data.costs:,} costs"
    return _paired("tracking", name, ("large", "ten rows"), ours, theirs)


def brief(settings: Settings, data: Generated) -> Figure:
    """4. Read the large campaign and render its HTML brief, against the ten-rows campaign."""
    ours, theirs = _large_and_small("brief", settings, data)
    name = "HTML brief of the large campaign"
    return _paired("brief", name, ("large", "ten rows"), ours, theirs)


IMPORT_RUNS = 3  # each a whole measure(): its own file, plain insert, import and memory


def imports(settings: Settings) -> list[Figure]:
    """5 and 6. The import of a cost file: throughput against a plain csv + sqlite3 insert,
    and peak memory above what loading the app's modules takes. ``measure`` is run up to three
    times; each figure is taken from the run with its median ratio."""
    rows = settings.import_rows
    runs = [run_import_measure(rows) for _ in range(min(settings.repeats, IMPORT_RUNS))]
    speed = sorted(runs, key=lambda m: m["throughput_ratio"])[len(runs) // 2]
    memory = sorted(runs, key=lambda m: m["extra_mb"])[len(runs) // 2]
    ratios = ", ".join(f"{m['throughput_ratio']:.2f}" for m in runs)
    return [
        Figure(
            "import",
            f"import of {rows:,} costs",
            rows / speed["import_seconds"],
            rows / speed["baseline_seconds"],
            speed["throughput_ratio"],
            unit="rows/s",
            detail=f"import {speed['import_seconds']:.2f} s, plain insert "
            f"{speed['baseline_seconds']:.2f} s; ratios of the {len(runs)} runs: {ratios}",
        ),
        Figure(
            "import_memory",
            "import peak memory",
            memory["peak_mb"],
            memory["modules_mb"],
            memory["extra_mb"],
            unit="MB",
            detail="value: the import's peak resident size; baseline: a process that loads the "
            "planner and its screens; ratio: the difference",
        ),
    ]


def lint(settings: Settings) -> Figure:
    """7. One lint of a campaign with 1,000 variants, against 1,000 lints of one variant."""
    n = settings.lint_variants
    ours, theirs = run_task("lint", variants=n, repeats=settings.repeats)
    value, base = median(ours), median(theirs)
    return Figure(
        "lint",
        f"lint of {n:,} message variants",
        value,
        base,
        value / base,
        detail=f"{n:,} variants once {spread(ours)}; one variant x {n:,} {spread(theirs)}",
    )


def guarded(make: Callable[[], Figure | list[Figure]], names: dict[str, str]) -> list[Figure]:
    """The figures ``make`` measures or, if it fails, one failed figure per key of ``names``
    with the reason: one broken measurement must not hide the others."""
    try:
        made = make()
    except Exception as exc:
        nan = float("nan")
        return [Figure(key, name, nan, nan, nan, error=str(exc)) for key, name in names.items()]
    return made if isinstance(made, list) else [made]


# ---------------------------------------------------------------------------------------------
# Showing them


def machine() -> dict[str, Any]:
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        model = platform.processor()
    return {
        "cpus": os.cpu_count(),
        "cpu": model,
        "python": platform.python_version(),
        "implementation": platform.python_implementation(),
        "platform": platform.platform(),
        "sqlite": sqlite3.sqlite_version,
        "textual": version("textual"),
    }


def _number(value: float, unit: str) -> str:
    if value != value:  # NaN: not measured
        return "–"
    if unit == "s":
        return f"{value:.3f} s" if value < 10 else f"{value:.1f} s"
    if unit == "rows/s":
        return f"{value:,.0f}/s"
    return f"{value:.1f} {unit}"


def _ratio(figure: Figure) -> str:
    if figure.ratio != figure.ratio:
        return "–"
    if figure.ratio_unit:
        return f"{figure.ratio:+.1f} {figure.ratio_unit}"
    return f"{figure.ratio:.2f}"


def _target(figure: Figure) -> str:
    unit = f" {figure.ratio_unit}" if figure.ratio_unit else ""
    return f"{figure.comparison} {figure.target:g}{unit}"


COLUMNS = (("figure", 38), ("value", 14), ("baseline", 14), ("ratio", 10), ("target", 12))


def table(figures: list[Figure]) -> str:
    lines = ["".join(f"{h:<{w}}" for h, w in COLUMNS) + "result"]
    for f in figures:
        cells = (
            f.name,
            _number(f.value, f.unit),
            _number(f.baseline, f.unit),
            _ratio(f),
            _target(f),
        )
        row = "".join(f"{c:<{w - 1}} " for c, (_, w) in zip(cells, COLUMNS, strict=True))
        lines.append(row + ("pass" if f.passed else "FAIL"))
    return "\n".join(lines)


def failures(figures: list[Figure]) -> str:
    lines = []
    for f in figures:
        if f.passed:
            continue
        if f.error:
            lines.append(f"- {f.name}: not measured: {f.error}")
        else:
            lines.append(
                f"- {f.name}: ratio {_ratio(f)} misses the target {_target(f)} ({f.detail})"
            )
    return "\n".join(lines)


def summary(runs: list[list[Figure]]) -> list[dict[str, Any]]:
    """Each figure's ratio over several runs of the suite: its median and range, and in how
    many runs it met its target (a figure that fails one run in three is not yet met)."""
    by_key: dict[str, list[Figure]] = {}
    for run in runs:
        for figure in run:
            by_key.setdefault(figure.key, []).append(figure)
    rows = []
    for key, measured in by_key.items():
        ratios = [f.ratio for f in measured if f.ratio == f.ratio]  # NaN: not measured
        last = measured[-1]
        rows.append(
            {
                "key": key,
                "name": last.name,
                "ratios": ratios,
                "median": median(ratios) if ratios else None,
                "low": min(ratios) if ratios else None,
                "high": max(ratios) if ratios else None,
                "target": _target(last),
                "passed_runs": sum(1 for f in measured if f.passed),
                "runs": len(measured),
                "passed": all(f.passed for f in measured) and len(measured) == len(runs),
            }
        )
    return rows


def over_runs(runs: list[list[Figure]]) -> str:
    """The table of ``summary``: figure, median ratio, range, target, runs that passed."""
    columns = (("figure", 38), ("median", 12), ("range", 22), ("target", 12), ("passed", 10))
    lines = ["".join(f"{h:<{w}}" for h, w in columns) + "result"]
    for row in summary(runs):
        unit = " MB" if row["target"].endswith("MB") else ""
        fmt = "+.1f" if unit else ".2f"
        if row["median"] is None:
            middle, spread_text = "–", "–"
        else:
            middle = f"{row['median']:{fmt}}{unit}"
            spread_text = f"{row['low']:{fmt}} to {row['high']:{fmt}}{unit}"
        passed = f"{row['passed_runs']}/{len(runs)}"
        cells = (row["name"], middle, spread_text, row["target"], passed)
        line = "".join(f"{c:<{w - 1}} " for c, (_, w) in zip(cells, columns, strict=True))
        lines.append(line + ("pass" if row["passed"] else "FAIL"))
    return "\n".join(lines)
