"""The benchmark suite runs and writes its figures as JSON (the figures themselves are checked
by running ``python -m benchmarks``, never by a timed test)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

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


@pytest.mark.long
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


WHOLE = (
    "whole-show",
    "whole-show-json",
    "whole-export",
    "whole-import",
    "whole-brief",
    "whole-lint",
    "whole-home",
    "whole-startup",
)


@pytest.mark.long
def test_the_whole_process_figures_run_fresh_planner_commands_and_print_a_ratio_each(tmp_path):
    out = tmp_path / "figures.json"
    done = run("--scale", "0.002", "--only", ",".join(WHOLE), "--json", str(out))
    assert done.returncode == 0, done.stderr
    figures = json.loads(out.read_text())["figures"]
    memory = ("whole-show", "whole-show-json", "whole-export", "whole-import")
    expected = [k for key in WHOLE for k in (key, f"{key}-memory" if key in memory else None)]
    assert [f["key"] for f in figures] == [k for k in expected if k]
    for figure in figures:
        assert figure["error"] == "", figure  # every command did its work
        assert figure["value"] > 0 and figure["baseline"] > 0, figure
        line = next(row for row in done.stdout.splitlines() if row.startswith(figure["name"]))
        assert ("pass" in line or "FAIL" in line) and ("MB" in line or "s " in line), line
    by_key = {f["key"]: f for f in figures}
    show = by_key["whole-show"]
    assert show["ratio"] == show["value"] / show["baseline"] and show["target"] == 1.5
    # memory figures: the large campaign's peak above the small one's, in MB
    show_memory = by_key["whole-show-memory"]
    assert show_memory["ratio"] == show_memory["value"] - show_memory["baseline"]
    assert show_memory["target"] == 100 and show_memory["ratio_unit"] == "MB"
    # the home figure names how many campaigns its database holds (fewer at a tiny scale)
    assert by_key["whole-home"]["name"] == "planner home, 400 campaigns"


def test_several_runs_end_with_each_figures_median_and_range(tmp_path):
    out = tmp_path / "figures.json"
    done = run("--scale", "0.002", "--runs", "2", "--only", "whole-show", "--json", str(out))
    assert done.returncode == 0, done.stderr
    assert "run 2 of 2:" in done.stdout
    assert "over the 2 runs" in done.stdout
    summary = json.loads(out.read_text())["summary"]
    assert [row["key"] for row in summary] == ["whole-show", "whole-show-memory"]
    for row in summary:
        assert len(row["ratios"]) == 2 and row["low"] <= row["median"] <= row["high"]
        assert row["name"] in done.stdout.split("over the 2 runs")[1]


def test_the_generated_campaigns_keep_their_reading_counts_as_the_planner_does(
    tmp_path, monkeypatch
):
    """The benchmarks time what a user meets: campaigns made in the planner have their
    messages' reading counts stored, so that showing, exporting or importing the large one
    loads no pronouncing dictionary (about a second that the figures would otherwise time)."""
    monkeypatch.syspath_prepend(str(ROOT))  # for this test only
    from benchmarks.generate import large_database
    from planner.plan.readings import carried, english_counts
    from planner.store import Store

    data = large_database(0.002, folder=tmp_path)
    with Store.open(data.path) as store:
        large = store.get_campaign(data.large_id)
        stored = carried(store, large)
        assert len(large.messages) == 80 and stored  # the same text twice is counted once
        assert english_counts(large, known=stored) == {}  # nothing left to count
    out = tmp_path / "large.json"
    for args in (("show", str(data.large_id)), ("export", str(data.large_id), "-o", str(out))):
        done = subprocess.run(
            [sys.executable, "-X", "importtime", "-m", "planner", "--db", str(data.path), *args],
            capture_output=True,
            text=True,
            timeout=120,
            check=True,
        )
        assert not any(line.endswith(" textstat") for line in done.stderr.splitlines()), args
    assert json.loads(out.read_text())["text_readings"] == stored  # carried to another planner
