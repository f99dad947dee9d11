"""The command line's words: plurals that agree with their counts, and sentences that say what
to type instead of click's and pydantic's own messages."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from planner.cli.main import main
from planner.domain.words import plural


@pytest.fixture
def cli(db_path):
    def run(*args: str, code: int = 0):
        result = CliRunner().invoke(main, ["--db", str(db_path), *args], prog_name="planner")
        assert result.exit_code == code, result.output
        return result

    return run


def test_plural_agrees_with_the_count():
    assert plural(1, "result") == "1 result"
    assert plural(4, "cost") == "4 costs"
    assert plural(0, "activity") == "0 activities"
    assert plural(1200, "row") == "1,200 rows"


def test_show_counts_with_the_right_plurals(cli):
    cli("new", "Flu")
    out = cli("show", "1").output
    assert "0 costs, 0 results, 0 reviews" in out
    assert "0 activities" in out and "0 budget lines" in out
    assert " 1 results" not in out


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (
            ["show", "abc"],
            "Error: 'abc' is not the number of a campaign; type the number 'planner list' "
            "shows in its ID column (such as 1).\n",
        ),
        (
            ["show"],
            "Error: Say which campaign: planner show ID, with the number 'planner list' shows "
            "(such as planner show 1).\n",
        ),
        (
            ["costs", "delete", "1", "x"],
            "Error: 'x' is not the number of a cost; type the number 'planner costs list ID' "
            "shows in its ID column (such as 1).\n",
        ),
        (
            ["new", ""],
            'Error: Give the new campaign a name: planner new "Flu season 2027".\n',
        ),
        (["new"], 'Error: Give the new campaign a name: planner new "Flu season 2027".\n'),
        (
            ["new", "Flu", "--currency", "XYZ"],
            "Error: --currency: 'XYZ' is not an ISO 4217 currency code; use three letters "
            "such as USD, EUR or GBP.\n",
        ),
        (
            ["costs", "add", "1", "--date", "2026-01-01"],
            "Error: planner costs add needs --amount (in the campaign's currency, e.g. "
            "120.50); see 'planner costs add --help'.\n",
        ),
    ],
)
def test_a_mistyped_command_is_told_what_to_type(cli, args, said):
    result = cli(*args, code=2)
    assert result.output == said
    assert "Usage:" not in result.output and "valid integer" not in result.output
