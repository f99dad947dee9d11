"""An export is one moment of the campaign, however long it takes to write and whatever
another process saves meanwhile: export, show --json and costs list --json read the costs a
thousand at a time, and another process's import must be in the file whole or not at all."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

import pytest
from factories import tracked_campaign

from planner.store import Store

COMMANDS = (["export", "1"], ["show", "1", "--json"], ["costs", "list", "1", "--json"])
ROWS = 1500  # an import's rows, spread over March: they fall on both sides of a batch's end

WRITER = """
import contextlib, io, sys, time
from pathlib import Path
from planner.cli.main import main
db, work = sys.argv[1], Path(sys.argv[2])
n = 0
while not (work / "stop").exists():
    n += 1
    path = work / f"costs-{n}.csv"
    rows = [f"2027-03-{1 + (i * 7 + n) % 28:02d},1.00,import {n}" for i in range({rows})]
    path.write_text("Date,Amount,Note\\n" + "\\n".join(rows) + "\\n", encoding="utf-8")
    args = ["--db", db, "import", "costs", "1", str(path)]
    args += ["--map", "date=Date", "--map", "amount=Amount", "--map", "note=Note"]
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        main(args, standalone_mode=False)
    print(n, flush=True)
    time.sleep(0.1)  # a few imports a second: the exports stay a second or two long
"""


@pytest.mark.long
def test_exports_taken_while_another_process_imports_hold_whole_imports(db_path, tmp_path):
    with Store.open(db_path) as store:
        cid = store.create_campaign(tracked_campaign())
    assert cid == 1
    env = {**os.environ, "PLANNER_TODAY": "2027-12-31"}
    writer = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(WRITER.replace("{rows}", str(ROWS))),
         str(db_path), str(tmp_path)],
        stdout=subprocess.PIPE, text=True, env=env,
    )  # fmt: skip
    seen: list[int] = []
    try:
        assert writer.stdout.readline().strip() == "1"  # the first import is in
        while len(seen) < 8:
            for command in COMMANDS:
                done = subprocess.run(
                    [sys.executable, "-m", "planner", "--db", str(db_path), *command],
                    capture_output=True, text=True, env=env,
                )  # fmt: skip
                assert done.returncode == 0, done.stderr
                data = json.loads(done.stdout)
                costs = data if command[0] == "costs" else (data.get("campaign") or data)["costs"]
                imports = {c["note"] for c in costs}
                # every import in the file is there whole: no import is cut at a batch's end
                assert len(costs) == ROWS * len(imports), (len(costs), len(imports))
                seen.append(len(imports))
        assert writer.poll() is None, "the writer went on while the exports were taken"
    finally:
        (tmp_path / "stop").touch()
        writer.wait(timeout=60)
    assert seen == sorted(seen) and seen[-1] > seen[0]  # the imports went on meanwhile
