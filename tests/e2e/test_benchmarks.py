"""The benchmark suite runs and writes its figures as JSON (the figures themselves are checked
by running ``python -m benchmarks``, never by a timed test)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "benchmarks", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_a_tiny_run_prints_the_table_and_writes_every_figure_as_json(tmp_path):
    out = tmp_path / "figures.json"
    done = run("--scale", "0.002", "--only", "brief,lint,import", "--json", str(out))
    assert done.returncode == 0, done.stderr
    figures = json.loads(out.read_text())["figures"]
    assert [f["key"] for f in figures] == ["brief", "import", "import_memory", "lint"]
    for figure in figures:
        assert {"name", "value", "baseline", "ratio", "target", "passed"} <= set(figure)
        assert figure["value"] > 0 and figure["baseline"] > 0, figure
        assert isinstance(figure["passed"], bool)
        assert figure["name"] in done.stdout  # a line of the table
    brief = figures[0]
    assert brief["ratio"] == brief["value"] / brief["baseline"] and brief["target"] == 3
    assert "pass" in done.stdout or "FAIL" in done.stdout


def test_bad_usage_is_a_sentence_and_exit_2():
    done = run("--only", "nothing")
    assert done.returncode == 2
    assert "--only takes some of startup, home, tracking, brief, import, lint" in done.stderr


# What the planner does before its campaign list shows: open the store, count, read the list
# with its figures, and build the home screen. None of it needs the models (pydantic) or the
# migrations (sqlite-utils), which load when a campaign is opened.
_LIST_ONLY = """
import datetime as dt, sys
from planner.store import Store
from planner.tracking import portfolio
from screens.app import PlannerApp

store = Store.open(sys.argv[1])
lines = portfolio(store.portfolio(), dt.date(2027, 4, 1))
print(len(lines), store.count_campaigns(), lines[0].primary.standing.value)
PlannerApp(store)
print(",".join(m for m in ("pydantic", "sqlite_utils") if m in sys.modules) or "neither")
store.get_campaign(1)
print("pydantic" in sys.modules)
"""


def test_the_campaign_list_is_read_without_loading_pydantic_or_sqlite_utils(tmp_path):
    from planner.plan.starters import get_starter
    from planner.store import Store

    db = tmp_path / "planner.db"
    with Store.open(db) as store:
        store.create_campaign(get_starter("flu-vaccination").load())
    done = subprocess.run(
        [sys.executable, "-c", _LIST_ONLY, str(db)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    counted, loaded, opened = done.stdout.split("\n")[:3]
    assert counted.startswith("1 1 ")
    assert loaded == "neither"
    assert opened == "True"  # opening a campaign loads the models


def test_start_up_is_timed_through_the_planner_command():
    """The start-up figure starts the planner as a user does: through the entry point that
    ``pyproject.toml`` installs as the ``planner`` command."""
    import tomllib

    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["scripts"]
    module, function = scripts["planner"].split(":")
    # Read as text: the suite runs against the installed planner, without benchmarks/.
    children = (ROOT / "benchmarks" / "children.py").read_text()
    start = children[children.index("STARTUP_PLANNER = (") : children.index("STARTUP_BASELINE")]
    assert f"from {module} import {function}" in start
    assert 'sys.argv = ["planner", "--db", sys.argv[2]]' in start
