"""Fixtures of the command-line tests."""

from __future__ import annotations

import datetime as dt

import pytest
from factories import ab_campaign

from planner.cli.main import main
from planner.store import Store


@pytest.fixture
def tracking_cli(runner, db_path, monkeypatch):
    """A planner command on the test's database, as a user types it, on 30 March 2027 for the
    tracking commands; it must exit with ``code``."""
    monkeypatch.setattr("planner.cli.tracking.today", lambda: dt.date(2027, 3, 30))
    monkeypatch.setenv("PLANNER_TODAY", "2027-03-30")  # for every other command too

    def run(*args: str, code: int = 0, input: str | None = None):
        result = runner.invoke(main, ["--db", str(db_path), *args], input=input)
        assert result.exit_code == code, result.output
        return result

    return run


@pytest.fixture
def ab_cli(tracking_cli, db_path):
    """``tracking_cli`` on a database holding ``factories.ab_campaign`` as campaign 1."""
    with Store.open(db_path) as store:
        store.create_campaign(ab_campaign())
    return tracking_cli
