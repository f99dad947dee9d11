"""Shared fixtures: databases built in tmp_path and a campaign with every kind of item. The
suite runs with network sockets off (pytest-socket, see pyproject.toml): the planner works
offline."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from factories import full_campaign

from planner.domain.models import Campaign
from planner.store import Store


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "planner.db"


@pytest.fixture
def store(db_path: Path):
    with Store.open(db_path) as opened:
        yield opened


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def campaign() -> Campaign:
    return full_campaign()
