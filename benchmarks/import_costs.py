"""Import of a generated cost file: throughput against plain ``sqlite3`` ``executemany`` of the
same rows into the same table, and peak memory against loading the application's modules.

    python -m benchmarks.import_costs [--rows 1000000] [--json FILE]

Each figure is measured in a child process of its own, so that one's memory does not count in
another's. The throughput ratio is the baseline's time over the import's (1.0: as fast as the
plain insert; issue 8's target is at least 0.5); memory is the import's peak resident size
minus that of a process that only loads the planner and its screens.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

CHANNELS = ["search_ads", "social_media", "email", "print_mail", "display_ads"]


def generate(path: Path, rows: int) -> None:
    """A deterministic cost file: a day, a channel, a vendor, an amount with cents, a note."""
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write("Date,Channel,Vendor,Amount,Note\n")
        for i in range(rows):
            day = f"2027-{i % 12 + 1:02d}-{i % 28 + 1:02d}"
            out.write(
                f"{day},{CHANNELS[i % 5]},Vendor {i % 97},{(i * 37) % 100_000}.{i % 100:02d},"
                f"line {i}\n"
            )


# The least an import can do: read the file with the csv module, turn amounts into cents and
# insert the rows with one executemany, in one transaction, into the same table of a planner
# database (its indexes and foreign keys included, its running-total triggers set aside as the
# import sets them aside; the baseline does not keep the totals at all).
BASELINE = """
import csv, resource, sqlite3, sys, time
from planner.domain.models import Campaign
from planner.store import Store
path, db = sys.argv[1], sys.argv[2]
with Store.open(db) as store:
    campaign_id = store.create_campaign(Campaign(name="Benchmark", currency="USD"))
start = time.perf_counter()
conn = sqlite3.connect(db)
conn.execute("PRAGMA foreign_keys = ON")
with conn, open(path, newline="") as f:
    triggers = conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'costs'"
    ).fetchall()
    for (name,) in triggers:
        conn.execute(f"DROP TRIGGER {name}")
    reader = csv.reader(f)
    next(reader)
    conn.executemany(
        "INSERT INTO costs (campaign_id, date, amount_minor, channel, vendor, note) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        ((campaign_id, d, round(float(a) * 100), c, v, n) for d, c, v, a, n in reader),
    )
seconds = time.perf_counter() - start
print(seconds, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""

IMPORT = """
import os, resource, sys, threading, time
from planner.imports import plan_import, run_import
from planner.domain.models import Campaign, ImportOptions
from planner.store import Store
path, db = sys.argv[1], sys.argv[2]
store = Store.open(db)
campaign_id = store.create_campaign(Campaign(name="Benchmark", currency="USD"))
campaign = store.get_campaign(campaign_id, tracking=False)

# A large file is read by a second process: the peak counts the memory of both, sampled
# together every 20 ms (each one's own peak would count the other's at the moment it began).
def rss_kb(pid):
    try:
        with open(f"/proc/{pid}/status") as status:
            return next(int(l.split()[1]) for l in status if l.startswith("VmRSS:"))
    except (OSError, StopIteration):
        return 0

def children(pid):
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as found:
            return [int(c) for c in found.read().split()]
    except OSError:
        return []

peak, stop = [0], threading.Event()

def sample():
    me = os.getpid()
    while not stop.wait(0.02):
        peak[0] = max(peak[0], rss_kb(me) + sum(rss_kb(c) for c in children(me)))

sampler = threading.Thread(target=sample, daemon=True)
sampler.start()
start = time.perf_counter()
plan = plan_import(path, campaign, ImportOptions(kind="costs"))
plan.today = plan.today.max  # the generated file's dates run past today: every row is imported
record, seen = run_import(store, plan, campaign_id)
seconds = time.perf_counter() - start
stop.set()
sampler.join()
assert record.entries == seen.entries, (record, seen.summary())
own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(seconds, max(own, peak[0]), record.entries)
"""

MODULES = """
import resource
import planner.imports, planner.cli, screens.app
print(0, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def child(code: str, *args: str) -> list[float]:
    done = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code), *args],
        check=True,
        capture_output=True,
        text=True,
    )
    return [float(x) for x in done.stdout.split()]


def measure(rows: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        path = work / "costs.csv"
        generate(path, rows)
        baseline_seconds, _ = child(BASELINE, str(path), str(work / "baseline.db"))
        import_seconds, import_kb, entries = child(IMPORT, str(path), str(work / "planner.db"))
        _, modules_kb = child(MODULES)
    return {
        "rows": rows,
        "entries": entries,
        "baseline_seconds": baseline_seconds,
        "import_seconds": import_seconds,
        "throughput_ratio": baseline_seconds / import_seconds,
        "rows_per_second": entries / import_seconds,
        "peak_mb": import_kb / 1024,
        "modules_mb": modules_kb / 1024,
        "extra_mb": (import_kb - modules_kb) / 1024,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--json", type=Path, help="Also write the figures to this file.")
    args = parser.parse_args(argv)
    figures = measure(args.rows)
    print(f"Import of a {figures['rows']:,.0f}-row cost file")
    print(
        f"  csv + sqlite3 executemany  {figures['baseline_seconds']:8.2f} s\n"
        f"  planner import             {figures['import_seconds']:8.2f} s"
        f"  ({figures['rows_per_second']:,.0f} rows/s, parsed, checked and written)\n"
        f"  throughput ratio           {figures['throughput_ratio']:8.2f}  (baseline time / "
        "import time; 1.0 = as fast as the plain insert)\n"
        f"  peak memory                {figures['peak_mb']:8.1f} MB"
        f"  ({figures['extra_mb']:+.1f} MB over loading the app's modules, "
        f"{figures['modules_mb']:.1f} MB)"
    )
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
