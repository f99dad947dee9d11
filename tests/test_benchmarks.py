"""The benchmark suite runs and writes its figures as JSON (the figures themselves are checked
by running ``python -m benchmarks``, never by a timed test)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


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
