"""``python -m benchmarks.soak --seconds N [--kill]``: many hands on one database file at once,
then a reckoning of every write each of them was told was saved.

On one file, for N seconds:
- the TUI, headless, records costs through its form, imports a file and undoes the import;
- two command-line writers add costs and results (``planner costs add``, ``results add``);
- a ``planner backup`` runs again and again;
- a reader runs ``planner report`` again and again.
With ``--kill``, a random one of the writers' processes (the TUI included, which is started
again) is killed with SIGKILL every second or so.

Every writer logs each write before it tries it and once it is told the outcome. At the end:
every write acknowledged as saved is in the file once; nothing refused, undone or never tried
is there; a write whose process was killed before it was told may be there or not (once at
most). SQLite's integrity check passes, the running totals equal the sums of their rows, and
every backup opens and is whole. The figures are printed; the exit status is 1 if anything
was lost or appeared unasked.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime as dt
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

PLANNER = [sys.executable, "-m", "planner"]
IMPORT_ROWS = 5
SERVE_AMOUNTS = 500  # the serve session's costs: 501.01, 502.01, ... (.02 once restarted)


# The writers and the imports date their entries in March 2027: every process takes today as
# the end of that year, so that none is refused as dated after today.
SOAK_TODAY = dt.date(2027, 12, 31)

# The log: one JSON object a line, {"id": ..., "state": "try" | "saved" | "refused" |
# "undo" | "undone"}, appended and flushed as each happens (a killed writer's log is whole up
# to the write it was in).


class Log:
    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()

    def __call__(self, ident: str, state: str, **extra: object) -> None:
        with self._lock, self.path.open("a", encoding="utf-8") as handle:
            handle.write(json.dumps({"id": ident, "state": state, **extra}) + "\n")
            handle.flush()


@dataclass
class Soak:
    db: Path
    work: Path
    seconds: float
    kill: bool
    campaign_id: int = 0
    measure: str = ""
    deadline: float = 0.0
    live: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)
    born: dict[int, float] = field(default_factory=dict)  # a live process's start, by pid
    kills: int = 0
    reads: Counter[str] = field(default_factory=Counter)
    backups: list[Path] = field(default_factory=list)
    guard: threading.Lock = field(default_factory=threading.Lock)

    def run(self, name: str, args: list[str]) -> subprocess.CompletedProcess[bytes] | None:
        """A command of its own process, killable by the killer; None when it was killed."""
        env = {**os.environ, "PLANNER_TODAY": SOAK_TODAY.isoformat()}
        process = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
        with self.guard:
            self.live[name] = process
            self.born[process.pid] = time.monotonic()
        out, err = process.communicate()
        with self.guard:
            self.live.pop(name, None)
        if process.returncode == -signal.SIGKILL:
            return None
        return subprocess.CompletedProcess(args, process.returncode, out, err)

    def planner(self, name: str, *args: str) -> subprocess.CompletedProcess[bytes] | None:
        return self.run(name, [*PLANNER, "--db", str(self.db), *args])

    def time_left(self) -> bool:
        return time.monotonic() < self.deadline


def cli_writer(soak: Soak, name: str, kind: str) -> None:
    """Add costs (or results) from the command line, one process a write, until time is up."""
    log = Log(soak.work / f"{name}.jsonl")
    n = 0
    while soak.time_left():
        n += 1
        ident = f"{name}-{n}"
        day = f"2027-03-{1 + n % 28:02d}"
        cid = str(soak.campaign_id)
        if kind == "costs":
            args = ["costs", "add", cid, "--date", day, "--amount", f"{n % 90 + 1}.25"]
        else:
            args = ["results", "add", cid, "--measure", soak.measure, "--date", day]
            args += ["--value", str(n % 50 + 0.5)]
        log(ident, "try")
        done = soak.planner(name, *args, "--note", ident)
        if done is None:
            continue  # killed before it was told: either outcome is right
        log(ident, "saved" if done.returncode == 0 else "refused", said=done.stderr.decode()[-300:])


def backups(soak: Soak) -> None:
    folder = soak.work / "backups"
    folder.mkdir()
    n = 0
    while soak.time_left():
        n += 1
        target = folder / f"soak-{n}.bak"
        done = soak.planner("backup", "backup", "-o", str(target))
        if done is not None and done.returncode == 0:
            soak.backups.append(target)
        time.sleep(0.5)


def reader(soak: Soak) -> None:
    while soak.time_left():
        done = soak.planner("reader", "report", str(soak.campaign_id), "--json")
        if done is None:
            continue
        try:
            ok = done.returncode == 0 and json.loads(done.stdout)["campaign_id"]
        except (ValueError, KeyError):
            ok = False
        soak.reads["ok" if ok else "failed"] += 1
        if not ok:
            soak.reads[f"said: {done.stderr.decode().strip()[-200:]}"] += 1


def tui(soak: Soak) -> None:
    """The TUI in a process of its own, started again whenever it is killed."""
    runs = 0
    while soak.time_left():
        runs += 1
        left = soak.deadline - time.monotonic()
        args = [sys.executable, "-m", "benchmarks.soak", "--tui", str(soak.db), str(soak.work)]
        soak.run("tui", [*args, str(soak.campaign_id), f"{left:.1f}", str(runs)])


# The TUI and the server take seconds to start: killed sooner, they would never write.
SETTLING = {"tui": 8.0, "serve": 10.0}


def killer(soak: Soak, rng: random.Random) -> None:
    while soak.time_left():
        time.sleep(rng.uniform(0.5, 2.5))
        now = time.monotonic()
        with soak.guard:
            writers = [
                p
                for name, p in soak.live.items()
                if name != "reader" and now - soak.born.get(p.pid, now) >= SETTLING.get(name, 0)
            ]
            victim = rng.choice(writers) if writers else None
            if victim is not None and victim.poll() is None:
                if victim is soak.live.get("serve"):
                    # with the sessions it started, which a killed server leaves running
                    os.killpg(victim.pid, signal.SIGKILL)
                else:
                    victim.send_signal(signal.SIGKILL)
                soak.kills += 1


def serve_session(soak: Soak) -> None:
    """``planner serve`` on the same file, and a browser's session through its WebSocket
    recording costs with the keys a user would press."""
    import secrets
    import socket

    import aiohttp

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    token = secrets.token_urlsafe(24)
    args = [*PLANNER, "--db", str(soak.db), "serve", "--port", str(port), "--token", token]
    runs = 0
    while soak.time_left():  # started again whenever the killer stops it
        runs += 1
        with (soak.work / "serve-errors.txt").open("ab") as errors:
            # In a process group of its own, so that its sessions go with it when it is
            # killed or stopped.
            server = subprocess.Popen(
                args, stdout=subprocess.DEVNULL, stderr=errors, start_new_session=True
            )
        with soak.guard:
            soak.live["serve"] = server
            soak.born[server.pid] = time.monotonic()
        try:
            for _ in range(200):
                with socket.socket() as probe:
                    if probe.connect_ex(("127.0.0.1", port)) == 0:
                        break
                if server.poll() is not None:
                    break
                time.sleep(0.1)
            if server.poll() is None:
                asyncio.run(drive_serve(soak, port, token, runs))
        except (TimeoutError, OSError, aiohttp.ClientError):
            pass  # the server was killed under the session: either outcome of its write
        finally:
            with soak.guard:
                soak.live.pop("serve", None)
            if server.poll() is None:
                server.terminate()
            server.wait()
            with contextlib.suppress(ProcessLookupError):
                os.killpg(server.pid, signal.SIGKILL)  # sessions left behind
            time.sleep(0.2)  # a killed server's port is free again


def _plain(output: str) -> str:
    import re

    return re.sub(r"\x1b\[[0-9;?]*[a-zA-Z]", "", output)


async def drive_serve(soak: Soak, port: int, token: str, run: int) -> None:
    import aiohttp

    log = Log(soak.work / "serve.jsonl")
    here = f"127.0.0.1:{port}"
    async with (
        aiohttp.ClientSession() as session,
        session.ws_connect(
            f"http://{here}/ws?width=100&height=32&token={token}", origin=f"http://{here}"
        ) as ws,
    ):
        seen = [""]

        async def shows(text: str, limit: float = 20.0) -> bool:
            end = time.monotonic() + limit
            while time.monotonic() < end:
                if text in _plain(seen[0]):
                    return True
                try:
                    # The limit around the call, not given to it: aiohttp answers the
                    # server's pings inside receive() and starts its own timeout again
                    # after each, so a session that draws nothing would wait forever.
                    async with asyncio.timeout(max(0.1, end - time.monotonic())):
                        message = await ws.receive()
                except TimeoutError:
                    break
                if message.type == aiohttp.WSMsgType.BINARY:
                    seen[0] += message.data.decode("utf-8", "replace")
                elif message.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED):
                    break
            return text in _plain(seen[0])

        async def press(keys: str) -> None:
            await ws.send_json(["stdin", keys])

        async def wait(seconds: float) -> None:
            """Read what the session draws meanwhile, as a browser does: a session whose
            output is left unread falls behind with the keys it is sent."""
            await shows("\0", seconds)

        if not await shows("Soak", 60):
            return
        await press("t")
        # The tracking screen's own title: the home list has a "Spent" column too, and a
        # key pressed before the tracking screen is up goes to the home screen.
        if not await shows("Tracking: Soak", 30):
            return
        n = 0
        while soak.time_left():
            n += 1
            # Known by its amount, which the notice of the save repeats (other writers'
            # amounts stay below 100).
            ident, amount = f"serve-{run}-{n}", f"{SERVE_AMOUNTS + n}.{run % 100:02d}"
            seen[0] = ""
            await press("c")
            if not await shows("Record a cost"):
                return
            await wait(1.5)  # the form takes the focus once drawn
            await press("\t")  # from the date (today, as it is) to the amount
            await wait(0.5)
            for key in amount:
                await press(key)
                await wait(0.1)
            await wait(0.3)
            seen[0] = ""
            log(ident, "try", amount_minor=(SERVE_AMOUNTS + n) * 100 + run % 100)
            await press("\x13")  # Ctrl+S
            if await shows(f"Recorded the cost of EUR {amount}", 10):
                log(ident, "saved")
                continue
            if "nothing was saved" in _plain(seen[0]):
                log(ident, "refused", said="a key went to another field")
            # Otherwise it was not told either way: the reckoning takes it as unknown.
            await press("\x1b")  # Escape: back to the tracking screen
            await wait(1.0)


# The TUI's part ------------------------------------------------------------------------------


async def drive_tui(db: Path, work: Path, campaign_id: int, seconds: float, run: int) -> None:
    from textual.widgets import Input, Static, TextArea

    from screens.app import make_app
    from screens.dialogs import EntryDialog
    from screens.tracking import TrackingScreen

    log = Log(work / "tui.jsonl")
    deadline = time.monotonic() + seconds
    app = make_app(db, today=SOAK_TODAY)

    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.app.workers.wait_for_complete()
        await pilot.press("t")
        await until(pilot, lambda: isinstance(app.screen, TrackingScreen))
        n = 0
        while time.monotonic() < deadline:
            n += 1
            ident = f"tui-{run}-{n}"
            await pilot.press("c")
            if not await until(pilot, lambda: isinstance(app.screen, EntryDialog)):
                return
            dialog = app.screen
            dialog.query_one("#field-note", TextArea).text = ident
            dialog.query_one("#field-amount_minor", Input).value = f"{n % 40 + 1}.75"
            log(ident, "try")
            await pilot.press("ctrl+s")
            if await until(pilot, lambda d=dialog: app.screen is not d, 10):
                log(ident, "saved")
            else:
                log(ident, "refused", said=str(dialog.query_one("#problem", Static).content))
                await pilot.press("escape")
            if n % 4:
                continue
            if not await import_and_undo(pilot, log, work, f"imp-{run}-{n}"):
                return
    app.store.close()


async def import_and_undo(pilot, log: Log, work: Path, tag: str) -> bool:
    """From the tracking screen: import a file of its own, then undo the import; False when
    the screen did not come as it should."""
    from textual.widgets import DataTable, Input, Static

    from screens.dialogs import ConfirmDialog
    from screens.importing import ImportScreen
    from screens.tracking import TrackingScreen

    app = pilot.app
    source = work / f"{tag}.csv"
    rows = [f"2027-03-{i + 1:02d},{i + 1}.10,{tag}-{i}" for i in range(IMPORT_ROWS)]
    source.write_text("Date,Amount,Note\n" + "\n".join(rows) + "\n", encoding="utf-8")
    await pilot.press("i")
    if not await until(pilot, lambda: isinstance(app.screen, ImportScreen)):
        return False
    screen = app.screen
    summary = screen.query_one("#import-summary", Static)
    path = screen.query_one("#path", Input)
    path.focus()
    path.value = str(source)
    await pilot.press("enter")
    if not await until(pilot, lambda: "Ready to import" in str(summary.content)):
        return False
    log(tag, "try")
    await pilot.press("ctrl+s")
    if not await until(pilot, lambda: str(summary.content).startswith("Import ")):
        log(tag, "refused", said=str(summary.content))
    else:
        log(tag, "saved")
        history = screen.query_one("#history", DataTable)
        history.focus()
        await pilot.press("u")
        if await until(pilot, lambda: isinstance(app.screen, ConfirmDialog)):
            log(tag, "undo")
            await pilot.press("y")
            if await until(pilot, lambda: "undone" in str(history.get_row_at(0)[6])):
                log(tag, "undone")
    await pilot.press("escape")
    return await until(pilot, lambda: isinstance(app.screen, TrackingScreen))


async def until(pilot, check, limit: float = 30.0) -> bool:
    """Wait for ``check`` to hold, ``limit`` seconds at most."""
    end = time.monotonic() + limit
    while time.monotonic() < end:
        if check():
            return True
        await pilot.pause(0.05)
    return False


# The reckoning -------------------------------------------------------------------------------


def outcomes(work: Path) -> tuple[dict[str, list[str]], dict[int, str]]:
    """Every write's states in the order they were logged, by id; and the serve session's
    writes by their amounts."""
    states: dict[str, list[str]] = {}
    amounts: dict[int, str] = {}
    for log in work.glob("*.jsonl"):
        for line in log.read_text(encoding="utf-8").splitlines():
            with contextlib.suppress(ValueError):  # a line cut by a kill
                entry = json.loads(line)
                states.setdefault(entry["id"], []).append(entry["state"])
                if "amount_minor" in entry:
                    amounts[entry["amount_minor"]] = entry["id"]
    return states, amounts


def reckon(soak: Soak) -> dict[str, object]:
    from planner.domain.models import Cost, Result
    from planner.store import Store, check_database

    states, serve_amounts = outcomes(soak.work)
    with Store.open(soak.db) as store:
        costs = list(store.iter_entries(soak.campaign_id, Cost))
        notes = [r.note for r in store.iter_entries(soak.campaign_id, Result)]
        drift = store.totals_drift()
    for cost in costs:
        served = serve_amounts.get(cost.amount_minor)
        notes.append(served if served and not cost.note else cost.note)
    health = check_database(soak.db)
    present = Counter(note.rsplit("-", 1)[0] if note.startswith("imp-") else note for note in notes)
    lost, unasked, twice = [], [], []
    acknowledged = 0
    by_writer: Counter[str] = Counter()
    for ident, seen in states.items():
        count = present.get(ident, 0)
        expected_rows = IMPORT_ROWS if ident.startswith("imp-") else 1
        if "undone" in seen or "refused" in seen:
            must = 0
        elif "saved" in seen and "undo" not in seen:
            must = expected_rows
        else:
            must = None  # killed before it was told (or during its undo): either is right
        if "saved" in seen:
            acknowledged += 1
            by_writer[ident.split("-")[0]] += 1
        if must is not None and count != must:
            (lost if count < must else unasked).append(ident)
        elif count not in (0, expected_rows):
            twice.append(ident)
    unknown = [note for note in present if note not in states]
    whole_backups = sum(check_database(b).healthy for b in soak.backups)
    return {
        "seconds": soak.seconds,
        "kill": soak.kill,
        "writers": 5,  # the TUI, two command-line writers, a planner serve session, backups
        "writes acknowledged": acknowledged,
        "by writer": dict(sorted(by_writer.items())),
        "writes tried": len(states),
        "refused": sum("refused" in s for s in states.values()),
        "kills": soak.kills,
        "lost": len(lost),
        "appeared unasked": len(unasked) + len(unknown),
        "partial": len(twice),
        "integrity": "ok" if health.healthy else "; ".join(health.integrity or [health.unreadable]),
        "totals drift": sum(drift.values()),
        "backups": len(soak.backups),
        "backups whole": whole_backups,
        "reports read": soak.reads["ok"],
        "reports failed": sum(v for k, v in soak.reads.items() if k != "ok"),
        "examples": {"lost": lost[:5], "unasked": (unasked + unknown)[:5], "partial": twice[:5]},
    }


# Who must have been told of at least one saved write for a run to pass: calm, every
# writer; with kills, whoever is killed may never get that far. (The serve session types
# into a form through a WebSocket, where a key pressed as the form opens can land in another
# field: the form then refuses the write, which is checked like any other.)
_MUST_SAVE = {False: ("tui", "cli", "serve"), True: ("cli",)}


def passed(figures: dict[str, object]) -> bool:
    return (
        figures["lost"] == 0
        and figures["appeared unasked"] == 0
        and figures["partial"] == 0
        and figures["integrity"] == "ok"
        and figures["totals drift"] == 0
        and figures["backups whole"] == figures["backups"]
        and figures["reports failed"] == 0
        and all(figures["by writer"].get(w) for w in _MUST_SAVE[bool(figures["kill"])])
    )


def soak(seconds: float, kill: bool, work: Path, seed: int = 7) -> dict[str, object]:
    db = work / "soak.db"
    made = subprocess.run(
        # The writers type amounts as 2.25: the campaign (an Italian starter, which would
        # write 2,25) is told to read numbers that way.
        [
            *PLANNER,
            *("--db", str(db), "new", "Soak", "--from", "flu-vaccination"),
            *("--number-style", "en_US"),
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    shown = subprocess.run(
        [*PLANNER, "--db", str(db), "show", made.stdout.strip(), "--json"],
        capture_output=True,
        text=True,
        check=True,
    )
    state = Soak(db, work, seconds, kill, campaign_id=int(made.stdout))
    state.measure = json.loads(shown.stdout)["measures"][0]["name"]
    state.deadline = time.monotonic() + seconds
    jobs = [
        threading.Thread(target=tui, args=(state,)),
        threading.Thread(target=cli_writer, args=(state, "cli-costs", "costs")),
        threading.Thread(target=cli_writer, args=(state, "cli-results", "results")),
        threading.Thread(target=serve_session, args=(state,)),
        threading.Thread(target=backups, args=(state,)),
        threading.Thread(target=reader, args=(state,)),
    ]
    if kill:
        jobs.append(threading.Thread(target=killer, args=(state, random.Random(seed))))
    for job in jobs:
        job.start()
    for job in jobs:
        job.join()
    return reckon(state)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] == "--tui":
        db, work, campaign_id, seconds, run = argv[1:6]
        asyncio.run(drive_tui(Path(db), Path(work), int(campaign_id), float(seconds), int(run)))
        return 0
    parser = argparse.ArgumentParser(prog="python -m benchmarks.soak", description=__doc__)
    parser.add_argument("--seconds", type=float, default=60, help="how long (default 60)")
    parser.add_argument("--kill", action="store_true", help="kill writers at random")
    parser.add_argument("--keep", metavar="DIR", help="work in DIR and keep it")
    parser.add_argument("--json", metavar="FILE", help="also write the figures as JSON")
    args = parser.parse_args(argv)
    with contextlib.ExitStack() as stack:
        if args.keep:
            work = Path(args.keep)
            work.mkdir(parents=True, exist_ok=True)
        else:
            work = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="soak-")))
        figures = soak(args.seconds, args.kill, work)
    ok = passed(figures)
    for name, value in figures.items():
        print(f"{name}: {value}")
    print("soak: passed" if ok else "soak: FAILED")
    if args.json:
        Path(args.json).write_text(json.dumps({**figures, "passed": ok}, indent=2) + "\n")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
