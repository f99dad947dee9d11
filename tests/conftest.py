"""Shared fixtures: databases built in tmp_path, a campaign with every kind of item, and a
guard that fails any test that tries to reach the network (the planner works offline)."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest
from click.testing import CliRunner
from factories import full_campaign

from planner.models import Campaign
from planner.store import Store

_real_connect = socket.socket.connect


def _offline_connect(self: socket.socket, address: object) -> None:
    if self.family in (socket.AF_INET, socket.AF_INET6):
        raise OSError(f"the test suite runs offline; a connection to {address!r} was refused")
    _real_connect(self, address)


def pytest_configure(config: pytest.Config) -> None:
    socket.socket.connect = _offline_connect  # type: ignore[method-assign]


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
