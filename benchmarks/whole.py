"""Issue 26's whole-process figures: each run a fresh ``planner`` command, as a user types it.

The in-process figures (``benchmarks.figures``) time work inside a warm process; these time the
whole command from spawn to exit, start-up, imports and all, and take the command's own peak
resident size from ``os.wait4``. ``benchmarks.launch`` runs the commands (a small process of its
own, so that its size does not count in theirs): one warm-up run of each, then the command and
its baseline in turns, and each figure is the median of the repeats.

- ``whole-show``: ``planner show ID`` of the large campaign (1,000,000 costs at full scale,
  100,000 at --quick) against the same command on the campaign with ten rows of each kind:
  time within 1.5x, and peak memory within 100 MB of the small one's.
- ``whole-show-json``, ``whole-export``, ``whole-import``: ``show --json``, ``export -o FILE``
  and ``import-campaign FILE`` of the large campaign. The issue asks for "large/small within
  1.5x", which cannot mean a million rows written or read as fast as ten: its time is held
  instead to within 1.5x of a plain reading of the same rows outside the planner, in a fresh
  Python process too (``sqlite3`` reading the campaign's costs and results and writing each as
  JSON; for the import, ``json.load`` of the same file and ``executemany`` into a new database).
  Its peak memory is held, as the issue says, to within 100 MB of the same command on the small
  campaign. Each import writes a new database, so nothing in the benchmark database changes.
- ``whole-brief``, ``whole-lint``: ``planner brief ID --format html -o FILE`` and ``planner lint
  ID`` of the small campaign, against ``planner report ID``: within 2x.
- ``whole-home``, ``whole-startup``: ``planner`` in a pseudo-terminal (120 x 40) on a database
  of 20,000 campaigns, timed until the first page of the list is drawn (the name of the first
  campaign on it shows) against an empty list (its caption "0 campaigns" shows), and until its
  title shows against a Textual app with one label of the same title: within 1.3x. Ctrl+Q then
  quits it. (At a tiny --scale, for tests, the database holds fewer campaigns.)
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from benchmarks.figures import Figure, Settings, median, run_child
from benchmarks.generate import (
    HOME_CAMPAIGNS,
    Generated,
    empty_list_database,
    many_campaigns_database,
    scaled,
)

HEAVY_REPEATS = 3  # at most, for the commands that read or write the large campaign
TERMINAL = (120, 40)  # columns and rows of the pseudo-terminal
QUIT = "\x11"  # Ctrl+Q: the planner's quit key on every screen, and Textual's
TITLE = "Healthcare Campaign Planner"
TERMINAL_TIMEOUT = 120  # seconds for the screen to show what is awaited before the figure fails

# The baselines, each a fresh process as the planner is.
PLAIN_READ = """
import json, sqlite3, sys
db, campaign, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
connection = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
connection.row_factory = sqlite3.Row
with open(out, "w", encoding="utf-8") as file:
    for n, table in enumerate(("costs", "results")):
        file.write(("{" if n == 0 else "],\\n") + json.dumps(table) + ": [\\n")
        rows = connection.execute(
            f"SELECT * FROM {table} WHERE campaign_id = ? ORDER BY date, id", (campaign,)
        )
        for i, row in enumerate(rows):
            file.write(("" if i == 0 else ",\\n") + json.dumps(dict(row)))
    file.write("]}\\n")
"""

PLAIN_IMPORT = """
import json, sqlite3, sys
source, db = sys.argv[1], sys.argv[2]
with open(source, encoding="utf-8") as file:
    campaign = json.load(file)["campaign"]
connection = sqlite3.connect(db)
with connection:
    for table in ("costs", "results"):
        rows = campaign[table]
        columns = list(rows[0]) if rows else ["date"]
        connection.execute(f"CREATE TABLE {table} ({', '.join(columns)})")
        connection.executemany(
            f"INSERT INTO {table} VALUES ({', '.join('?' * len(columns))})",
            ([row.get(c) for c in columns] for row in rows),
        )
connection.close()
"""

ONE_LABEL = f"""
from textual.app import App
from textual.widgets import Label

class OneLabel(App[None]):
    def compose(self):
        yield Label({TITLE!r})

OneLabel().run()
"""


def planner(db: Path, *args: str) -> list[str]:
    """The command line of ``planner --db DB ARGS`` (the ``planner`` command is this module)."""
    return [sys.executable, "-m", "planner", "--db", str(db), *args]


def case(
    argv: list[str],
    *,
    stdout: Path | None = None,
    fresh: tuple[Path, ...] = (),
    codes: tuple[int, ...] = (0,),
) -> dict:
    """A command run to its end, its output to ``stdout`` (else the null device)."""
    return {
        "argv": argv,
        "stdout": str(stdout) if stdout else None,
        "fresh": list(map(str, fresh)),
        "codes": list(codes),
    }


def in_terminal(argv: list[str], until: str) -> dict:
    """A command run in a pseudo-terminal until ``until`` shows, then quit."""
    terminal = {"until": until, "keys": QUIT, "size": list(TERMINAL)}
    return {"argv": argv, "terminal": terminal, "timeout": TERMINAL_TIMEOUT}


@dataclass
class Runs:
    """Each case's timings and peak memory (MB), in the order they were given."""

    seconds: list[list[float]]
    peak_mb: list[list[float]]


def launch(cases: list[dict], repeats: int) -> Runs:
    out = run_child(
        "the whole-process launcher",
        "-m",
        "benchmarks.launch",
        json.dumps({"cases": cases, "repeats": repeats}),
    )
    measured = json.loads(out.strip().splitlines()[-1])
    return Runs(measured["seconds"], measured["peak_mb"])


def spread(values: list[float], unit: str) -> str:
    fmt = ".0f" if unit == "MB" else ".2f"
    return f"{min(values):{fmt}}-{max(values):{fmt}} {unit}"


@dataclass
class Whole:
    """The databases and files the whole-process figures use, made as they are first needed
    in a work folder that the run removes."""

    settings: Settings
    data: Generated
    work: Path
    made: dict[str, Path] = field(default_factory=dict)

    @property
    def repeats(self) -> int:
        return self.settings.repeats

    @property
    def heavy_repeats(self) -> int:
        return min(self.settings.repeats, HEAVY_REPEATS)

    @property
    def large(self) -> str:
        return str(self.data.large_id)

    @property
    def small(self) -> str:
        return str(self.data.small_id)

    def exported(self, which: str) -> Path:
        """The export file of the large or the small campaign, written by the planner once."""
        key = f"export-{which}"
        if key not in self.made:
            path = self.work / f"{which}.json"
            campaign = self.large if which == "large" else self.small
            run_child(
                f"the {which} export",
                *planner(self.data.path, "export", campaign, "-o", str(path), "--force")[1:],
            )
            self.made[key] = path
        return self.made[key]

    def home_campaigns(self) -> int:
        """20,000, or fewer at a tiny scale (tests): ten times the scale's share of them."""
        return min(HOME_CAMPAIGNS, scaled(HOME_CAMPAIGNS, self.settings.scale * 10))

    def many(self) -> Path:
        if "many" not in self.made:
            self.made["many"] = many_campaigns_database(self.home_campaigns())
        return self.made["many"]

    def empty(self) -> Path:
        if "empty" not in self.made:
            path = self.work / "whole-empty.db"
            empty_list_database(path)
            self.made["empty"] = path
        return self.made["empty"]


def _time(key: str, name: str, labels: tuple[str, str], runs: Runs, a: int, b: int) -> Figure:
    """A time figure: case ``a`` against case ``b``."""
    ours, theirs = runs.seconds[a], runs.seconds[b]
    value, base = median(ours), median(theirs)
    detail = f"{labels[0]} {spread(ours, 's')}; {labels[1]} {spread(theirs, 's')}"
    return Figure(key, name, value, base, value / base, detail=detail)


def _memory(key: str, name: str, runs: Runs, large: int, small: int, others: str = "") -> Figure:
    """A peak-memory figure: case ``large``'s peak above case ``small``'s."""
    ours, theirs = runs.peak_mb[large], runs.peak_mb[small]
    value, base = median(ours), median(theirs)
    detail = f"large {spread(ours, 'MB')}; ten rows {spread(theirs, 'MB')}{others}"
    return Figure(key, name, value, base, value - base, unit="MB", detail=detail)


def show(whole: Whole) -> list[Figure]:
    """``planner show`` of the large campaign against the small one's."""
    db = whole.data.path
    runs = launch(
        [case(planner(db, "show", whole.large)), case(planner(db, "show", whole.small))],
        whole.heavy_repeats,
    )
    costs = f"{whole.data.costs:,} costs"
    return [
        _time("whole-show", f"planner show, {costs}", ("large", "ten rows"), runs, 0, 1),
        _memory("whole-show-memory", "planner show, peak memory", runs, 0, 1),
    ]


def _against_plain(
    whole: Whole, key: str, name: str, cases: list[dict], plain_label: str
) -> list[Figure]:
    """Cases: the command on the large campaign, the plain baseline, the command on the small
    campaign. Time against the baseline; memory against the small campaign's."""
    runs = launch(cases, whole.heavy_repeats)
    plain_mb = f"; {plain_label} {spread(runs.peak_mb[1], 'MB')}"
    return [
        _time(key, f"{name} vs plain", ("planner", plain_label), runs, 0, 1),
        _memory(f"{key}-memory", f"{name}, peak memory", runs, 0, 2, plain_mb),
    ]


def _plain_read(whole: Whole, out: Path) -> list[str]:
    return [sys.executable, "-c", PLAIN_READ, str(whole.data.path), whole.large, str(out)]


def show_json(whole: Whole) -> list[Figure]:
    """``planner show --json`` of the large campaign, its output to the null device."""
    db = whole.data.path
    cases = [
        case(planner(db, "show", whole.large, "--json")),
        case(_plain_read(whole, Path("/dev/null"))),
        case(planner(db, "show", whole.small, "--json")),
    ]
    return _against_plain(whole, "whole-show-json", "planner show --json", cases, "sqlite3 read")


def export(whole: Whole) -> list[Figure]:
    """``planner export ID -o FILE`` of the large campaign, to a file it must create."""
    db, work = whole.data.path, whole.work
    large, small, plain = (work / f"{n}.json" for n in ("export-large", "export-small", "plain"))
    cases = [
        case(planner(db, "export", whole.large, "-o", str(large)), fresh=(large,)),
        case(_plain_read(whole, plain), fresh=(plain,)),
        case(planner(db, "export", whole.small, "-o", str(small)), fresh=(small,)),
    ]
    return _against_plain(whole, "whole-export", "planner export", cases, "sqlite3 read")


def import_campaign(whole: Whole) -> list[Figure]:
    """``planner import-campaign FILE`` of the large campaign's export, each run into a new
    database (the benchmark database is never written)."""
    large_file, small_file = whole.exported("large"), whole.exported("small")
    work = whole.work
    large_db, plain_db, small_db = work / "in-large.db", work / "in-plain.db", work / "in-small.db"
    cases = [
        case(planner(large_db, "import-campaign", str(large_file)), fresh=(large_db,)),
        case(
            [sys.executable, "-c", PLAIN_IMPORT, str(large_file), str(plain_db)], fresh=(plain_db,)
        ),
        case(planner(small_db, "import-campaign", str(small_file)), fresh=(small_db,)),
    ]
    name = "planner import-campaign"
    return _against_plain(whole, "whole-import", name, cases, "json + sqlite3")


def brief(whole: Whole) -> Figure:
    """``planner brief ID --format html -o FILE`` of the small campaign against its report."""
    db, out = whole.data.path, whole.work / "brief.html"
    runs = launch(
        [
            case(
                planner(db, "brief", whole.small, "--format", "html", "-o", str(out)), fresh=(out,)
            ),
            case(planner(db, "report", whole.small)),
        ],
        whole.repeats,
    )
    name = "planner brief --format html"
    return _time("whole-brief", name, ("brief", "report"), runs, 0, 1)


def lint(whole: Whole) -> Figure:
    """``planner lint ID`` of the small campaign against its report."""
    db = whole.data.path
    runs = launch(
        [
            case(planner(db, "lint", whole.small), codes=(0, 1)),  # 1: it found a block finding
            case(planner(db, "report", whole.small)),
        ],
        whole.repeats,
    )
    return _time("whole-lint", "planner lint", ("lint", "report"), runs, 0, 1)


def first_on_the_list(db: Path) -> str:
    """The start of the name of the campaign the list shows first: its first 16 characters,
    as the table cuts a long name at its column's width (19 characters at the least here)."""
    from planner.store import Store

    with Store.open(db) as store:
        return store.list_campaigns(limit=1)[0].name[:16]


def home(whole: Whole) -> Figure:
    """The first page of the list at 20,000 campaigns against an empty list."""
    many, count = whole.many(), whole.home_campaigns()
    runs = launch(
        [
            in_terminal(planner(many), first_on_the_list(many)),
            in_terminal(planner(whole.empty()), "0 campaigns"),
        ],
        whole.repeats,
    )
    name = f"planner home, {count:,} campaigns"
    figure = _time("whole-home", name, (f"{count:,}", "empty"), runs, 0, 1)
    peaks = median(runs.peak_mb[0]), median(runs.peak_mb[1])
    figure.detail += f"; peak memory {peaks[0]:.0f} MB against {peaks[1]:.0f} MB"
    return figure


def startup(whole: Whole) -> Figure:
    """The planner's title drawn at 20,000 campaigns against a one-label Textual app's."""
    count = whole.home_campaigns()
    runs = launch(
        [
            in_terminal(planner(whole.many()), TITLE),
            in_terminal([sys.executable, "-c", ONE_LABEL], TITLE),
        ],
        whole.repeats,
    )
    name = f"planner start-up, {count:,} campaigns"
    return _time("whole-startup", name, ("planner", "one-label app"), runs, 0, 1)


# What ``python -m benchmarks`` measures for each key, and the figures each gives.
PLAN: dict[str, tuple[dict[str, str], Any]] = {
    "whole-show": (
        {"whole-show": "planner show", "whole-show-memory": "planner show, peak memory"},
        show,
    ),
    "whole-show-json": (
        {
            "whole-show-json": "planner show --json vs plain",
            "whole-show-json-memory": "planner show --json, peak memory",
        },
        show_json,
    ),
    "whole-export": (
        {
            "whole-export": "planner export vs plain",
            "whole-export-memory": "planner export, peak memory",
        },
        export,
    ),
    "whole-import": (
        {
            "whole-import": "planner import-campaign vs plain",
            "whole-import-memory": "planner import-campaign, peak memory",
        },
        import_campaign,
    ),
    "whole-brief": ({"whole-brief": "planner brief --format html"}, brief),
    "whole-lint": ({"whole-lint": "planner lint"}, lint),
    "whole-home": ({"whole-home": "planner home at 20,000 campaigns"}, home),
    "whole-startup": ({"whole-startup": "planner start-up at 20,000 campaigns"}, startup),
}
