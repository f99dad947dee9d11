"""Every command of the CLI, as a user types it, and the bad input they may type."""

from __future__ import annotations

import json
import subprocess
import sys

import click
import pytest
from factories import full_campaign

from planner import __version__
from planner.briefs import SECTIONS
from planner.cli.main import main
from planner.plan.exchange import dumps
from planner.plan.starters import list_starters
from planner.store import Store


@pytest.fixture
def cli(runner, db_path):
    def run(*args: str, ok: bool = True):
        result = runner.invoke(main, ["--db", str(db_path), *args])
        if ok:
            assert result.exit_code == 0, result.output
        return result

    return run


def test_version(runner):
    result = runner.invoke(main, ["--version"])
    assert result.exit_code == 0
    assert __version__ in result.output


def test_every_command_has_help(runner):
    commands = main.list_commands(click.Context(main))
    assert {"starters", "new", "list", "show", "export", "import-campaign", "archive"} <= set(
        commands
    )
    for name in commands:
        result = runner.invoke(main, [name, "--help"])
        assert result.exit_code == 0, name
        assert main.get_command(click.Context(main), name).help, f"{name} has no help text"
        assert "Usage: main" in result.output or "Usage:" in result.output


def test_commands_in_their_own_modules_load_when_used(runner):
    """``planner --help`` lists every command, and each command is named in COMMANDS with the
    module it lives in (else it would not run)."""
    from planner.cli.main import COMMANDS

    listed = runner.invoke(main, ["--help"]).output
    for name in COMMANDS:
        assert f"  {name} " in listed
    assert "a campaign's activities." in listed and "activitys" not in listed  # its plural
    context = click.Context(main)
    for name in main.list_commands(context):
        command = main.get_command(context, name)
        home = command.callback.__module__ if command.callback else ""
        assert COMMANDS.get(name, "").partition(":")[0] == home, name


def python_code(code: str, *args: str) -> subprocess.CompletedProcess[str]:
    """Run ``code`` in a fresh Python process, as the planner command would start."""
    return subprocess.run(
        [sys.executable, "-c", code, *args],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


_PLANNER_ALONE = """
import sys
from screens.app import PlannerApp

def run(app, **_):
    heavy = ("click", "pydantic", "planner.compliance", "textual_plotext", "weasyprint",
             "planner.tracking", "screens.home_views", "screens.flows")
    loaded = [m for m in heavy if m in sys.modules]
    print(app.store.path.name, app.store.count_campaigns(), loaded)

PlannerApp.run = run
sys.argv = ["planner", *sys.argv[1:]]
from planner.cli.launch import main
main()
"""


@pytest.mark.parametrize("args", [["--db", "{db}"], ["--db={db}"], []])
def test_planner_alone_opens_the_app_without_the_command_line(tmp_path, args, monkeypatch):
    """``planner`` with nothing but a database starts the app straight away: neither click,
    the models, the rules, the charts nor the PDF writer are loaded before the list shows, nor
    the list's figures, columns and new-campaign flow before the first frame (the list is read
    once it is out)."""
    db = tmp_path / "clinic.db"
    with Store.open(db) as store:
        store.create_campaign(full_campaign("Flu 2027"))
    monkeypatch.setenv("PLANNER_DB", str(db))
    done = python_code(_PLANNER_ALONE, *(a.format(db=db) for a in args))
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "clinic.db 1 []"


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["--db", ""], "Error: --db needs the path of a database file."),
        (["--db", "/no/such/folder/p.db"], "Error: The folder '/no/such/folder' does not exist"),
    ],
)
def test_planner_alone_with_a_bad_database_says_so_in_one_sentence(args, said):
    done = subprocess.run(
        [sys.executable, "-m", "planner", *args],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 2
    assert done.stderr.startswith(said)
    assert len(done.stderr.strip().splitlines()) == 1


def test_ctrl_c_while_the_database_opens_says_aborted(tmp_path):
    code = (
        "import sys\n"
        "from planner.cli import launch\n"
        "def interrupted(*args, **kwargs):\n"
        "    raise KeyboardInterrupt\n"
        "launch.Store.open = interrupted  # as if Ctrl+C came while waiting for a lock\n"
        "sys.argv = ['planner', '--db', sys.argv[1]]\n"
        "launch.main()\n"
    )
    done = python_code(code, str(tmp_path / "p.db"))
    assert done.returncode == 1
    assert done.stderr == "Aborted!\n"


def test_a_command_after_the_database_goes_to_the_command_line(db_path):
    with Store.open(db_path) as store:
        store.create_campaign(full_campaign("Flu 2027"))
    done = subprocess.run(
        [sys.executable, "-m", "planner", "--db", str(db_path), "list"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "Flu 2027" in done.stdout


def test_starters_lists_id_then_title(cli):
    lines = cli("starters").output.splitlines()
    assert len(lines) >= 5
    ids = {line.split()[0] for line in lines}
    assert {"diabetes-education", "flu-vaccination", "breast-screening"} <= ids
    assert any("prenatal" in line.lower() for line in lines)


def test_new_blank_and_from_starter(cli, db_path):
    assert cli("new", "Blank one", "--currency", "gbp", "--practice", "Elm GP").output == "1\n"
    assert cli("new", "Flu 2027", "--from", "flu-vaccination", "--start", "2027-09-01").output == (
        "2\n"
    )
    with Store.open(db_path) as store:
        blank = store.get_campaign(1)
        flu = store.get_campaign(2)
    assert (blank.name, blank.currency, blank.practice) == ("Blank one", "GBP", "Elm GP")
    assert flu.name == "Flu 2027" and flu.start_date.isoformat() == "2027-09-01"
    assert flu.segments and flu.activities and flu.measures
    assert flu.currency == "EUR"


def test_list_and_json(cli):
    cli("new", "Zeta drive", "--practice", "Oak Clinic")
    cli("new", "Alpha drive", "--from", "diabetes-education")
    text = cli("list").output
    assert text.index("Alpha drive") < text.index("Zeta drive")
    assert "Oak Clinic" in text and "Draft" in text
    rows = json.loads(cli("list", "--json").output)
    assert [r["name"] for r in rows] == ["Alpha drive", "Zeta drive"]
    assert set(rows[0]) >= {"id", "name", "practice", "status", "start_date", "budget_minor"}
    assert rows[0]["budget_minor"] > 0


def test_list_one_practice_of_many(cli):
    cli("new", "Flu 2027", "--practice", "Alder Street Clinic")
    cli("new", "Recall 2027", "--practice", "Elm GP")
    cli("new", "Diabetes days", "--practice", "Alder Street Clinic")
    cli("archive", "3")
    text = cli("list", "--practice", "alder  street CLINIC").output
    assert "Flu 2027" in text and "Recall 2027" not in text and "Diabetes days" not in text
    rows = json.loads(cli("list", "--all", "--practice", "Alder Street Clinic", "--json").output)
    assert [r["name"] for r in rows] == ["Flu 2027", "Diabetes days"]
    assert json.loads(cli("list", "--practice", "Oak", "--json").output) == []
    assert cli("list", "--practice", "Oak").output == (
        "No campaigns of the practice 'Oak'. Practices: Alder Street Clinic; Elm GP.\n"
    )
    cli("archive", "2")
    assert cli("list", "--practice", "elm gp").output == (
        "No campaigns of the practice 'elm gp' but 1 archived (add --all to list them). "
        "Practices: Alder Street Clinic.\n"
    )


def test_list_when_empty_says_how_to_begin(cli, db_path):
    assert cli("list").output == (
        f"No campaigns yet. Create one with: planner --db {db_path} new NAME [--from STARTER]\n"
    )


def test_show_text_and_json(cli):
    cli("new", "Alpha drive", "--from", "breast-screening")
    text = cli("show", "1").output
    assert "Alpha drive" in text and "segments" in text
    data = json.loads(cli("show", "1", "--json").output)
    assert data["id"] == 1 and data["version"] == 1 and data["name"] == "Alpha drive"
    assert data["segments"] and data["mix"]["product"]["description"]


def test_archive_and_unarchive(cli):
    cli("new", "Old drive")
    assert "Archived campaign 1" in cli("archive", "1").output
    assert "Old drive" not in cli("list").output
    assert "archived" in cli("list", "--all").output
    cli("unarchive", "1")
    assert "Old drive" in cli("list").output


def test_export_then_import_gives_an_equal_campaign(cli, db_path, tmp_path):
    with Store.open(db_path) as store:
        store.create_campaign(full_campaign())
    out = tmp_path / "campaign.json"
    cli("export", "1", "-o", str(out))
    document = json.loads(out.read_text())
    assert document["format_version"] == 3
    assert cli("import-campaign", str(out)).output == "2\n"
    with Store.open(db_path) as store:
        first, second = store.get_campaign(1), store.get_campaign(2)
    assert first.model_dump() == second.model_dump()
    # stdout export is the same document
    assert json.loads(cli("export", "1").output)["campaign"] == document["campaign"]


def test_export_does_not_overwrite_without_force(cli, tmp_path):
    cli("new", "A")
    out = tmp_path / "a.json"
    out.write_text("keep me")
    result = cli("export", "1", "-o", str(out), ok=False)
    assert result.exit_code == 2 and "--force" in result.output
    assert out.read_text() == "keep me"
    cli("export", "1", "-o", str(out), "--force")
    assert json.loads(out.read_text())["campaign"]["name"] == "A"


def test_brief_prints_markdown(cli):
    cli("new", "Diabetes 2027", "--from", "diabetes-education")
    text = cli("brief", "1").output
    assert text.startswith("# Campaign brief: Diabetes 2027")
    for title in SECTIONS.values():
        if title not in ("Tracking to date", "Lessons and maturity"):  # once tracked
            assert f"## {title}" in text


# Bad input: one sentence on stderr, exit code 2, no traceback, nothing written ---------------


def assert_user_error(result, *words: str) -> None:
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    message = result.output.strip()
    assert message.startswith("Error: ")
    assert len(message.splitlines()) == 1
    for word in words:
        assert word in message


def test_db_in_a_missing_folder(runner, tmp_path):
    result = runner.invoke(main, ["--db", str(tmp_path / "no" / "x.db"), "list"])
    assert_user_error(result, "does not exist")
    assert not (tmp_path / "no").exists()


def test_db_that_is_not_sqlite(runner, tmp_path):
    bad = tmp_path / "bad.db"
    bad.write_bytes(b"%PDF-1.7 not a database")
    result = runner.invoke(main, ["--db", str(bad), "list"])
    assert_user_error(result, "not a SQLite database")
    assert bad.read_bytes() == b"%PDF-1.7 not a database"


@pytest.mark.parametrize(
    "args", [["show", "9"], ["archive", "9"], ["export", "9"], ["brief", "9"], ["unarchive", "9"]]
)
def test_unknown_campaign_id(cli, args):
    assert_user_error(cli(*args, ok=False), "no campaign 9")


def test_unknown_starter(cli, db_path):
    assert_user_error(cli("new", "X", "--from", "nope", ok=False), "no starter called 'nope'")
    assert_user_error(cli("new", "X", "--currency", "EURO", ok=False), "currency")
    assert_user_error(cli("new", "X", "--start", "31/12/2027", ok=False), "YYYY-MM-DD")
    with Store.open(db_path) as store:
        assert store.count_campaigns() == 0


def test_import_malformed_json(cli, tmp_path, db_path):
    bad = tmp_path / "bad.json"
    bad.write_text('{"campaign": {"name": "x",}')
    assert_user_error(cli("import-campaign", str(bad), ok=False), "not valid JSON", "line 1")
    with Store.open(db_path) as store:
        assert store.count_campaigns() == 0


def test_import_json_that_fails_validation_names_the_field(cli, tmp_path, db_path):
    document = json.loads(dumps(full_campaign()))
    document["campaign"]["segments"][0]["age_max"] = 300
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(document))
    result = cli("import-campaign", str(bad), ok=False)
    assert_user_error(result, "segments > 1 > age_max", "120")
    with Store.open(db_path) as store:
        assert store.count_campaigns() == 0


@pytest.mark.parametrize(
    ("content", "words"),
    [
        ("[1, 2]", "not a campaign export"),
        ('{"format_version": 99, "campaign": {}}', "newer planner"),
        ('{"campaign": {"name": "x", "currency": "XYZ"}}', "currency"),
    ],
)
def test_import_other_bad_documents(cli, tmp_path, content, words):
    bad = tmp_path / "bad.json"
    bad.write_text(content)
    assert_user_error(cli("import-campaign", str(bad), ok=False), words)


def test_import_missing_file(cli, tmp_path):
    assert_user_error(cli("import-campaign", str(tmp_path / "none.json"), ok=False), "no file")


def test_a_bad_id_is_a_usage_error_that_says_what_to_type(cli):
    result = cli("show", "abc", ok=False)
    assert result.exit_code == 2
    assert result.output == (
        "Error: 'abc' is not the number of a campaign; type the number 'planner list' shows "
        "in its ID column (such as 1).\n"
    )


def test_python_dash_m_planner(tmp_path):
    db = tmp_path / "m.db"
    result = subprocess.run(
        [sys.executable, "-m", "planner", "--db", str(db), "starters"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert len(result.stdout.splitlines()) == len(list_starters())


def test_planner_env_var_chooses_the_database(runner, tmp_path, monkeypatch):
    db = tmp_path / "env.db"
    monkeypatch.setenv("PLANNER_DB", str(db))
    assert runner.invoke(main, ["new", "From env"]).exit_code == 0
    with Store.open(db) as store:
        assert store.list_campaigns()[0].name == "From env"


def test_default_database_lives_in_the_user_data_folder(runner, tmp_path, monkeypatch):
    monkeypatch.delenv("PLANNER_DB", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    monkeypatch.setenv("HOME", str(tmp_path))
    result = runner.invoke(main, ["new", "Default place"])
    assert result.exit_code == 0, result.output
    created = list((tmp_path).rglob("planner.db"))
    assert len(created) == 1 and "healthcare-campaign-planner" in str(created[0])


_COLLECTOR_AT_RUN = """
import gc, sys
from screens.app import PlannerApp

def run(app, **_):
    print(gc.isenabled(), gc.get_freeze_count() > 10_000, gc.get_threshold()[0])

PlannerApp.run = run
sys.argv = ["planner", "--db", sys.argv[1]]
from planner.cli.launch import main
main()
"""


def test_the_planner_runs_with_the_cycle_collector_on_and_its_start_up_out_of_reach(tmp_path):
    """The start turns the cycle collector off while it loads (a tenth of the time to the
    first screen): by the time the planner runs, the collector is on again (a long session's
    garbage is collected), and what the start made is out of its reach."""
    done = python_code(_COLLECTOR_AT_RUN, str(tmp_path / "p.db"))
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["True", "True", "10000"]
