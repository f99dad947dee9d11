"""Shared fixtures: databases built in tmp_path and a campaign with every kind of item. The
suite runs with network sockets off (pytest-socket, see pyproject.toml): the planner works
offline."""

from __future__ import annotations

import atexit
import gc
import os
import shutil
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from factories import full_campaign
from running_order import running_order

from planner.domain.models import Campaign
from planner.store import Store

# What the planner keeps in the user's cache folder (compiled brief templates and rule
# patterns) goes to the suite's own folder, for this process and the planner processes the
# tests start. The first process makes it and the pytest-xdist processes it starts inherit it,
# as planners on one computer share one cache: each pattern is compiled once for the whole run,
# not once a process. (A test of the cache itself gives the planner a folder of its own.)
if "PYTEST_XDIST_WORKER" not in os.environ:
    os.environ["XDG_CACHE_HOME"] = tempfile.mkdtemp(prefix="planner-cache-")
    atexit.register(shutil.rmtree, os.environ["XDG_CACHE_HOME"], ignore_errors=True)
# and the user's data folder, where their own starters are kept: the tests see only theirs
os.environ["XDG_DATA_HOME"] = tempfile.mkdtemp(prefix="planner-data-")
atexit.register(shutil.rmtree, os.environ["XDG_DATA_HOME"], ignore_errors=True)


def pytest_xdist_auto_num_workers(config: pytest.Config) -> int:
    """``-n auto`` (pyproject.toml's addopts) runs two processes more than there are cores:
    the screen tests and those that start real processes spend half their time waiting, and
    while they wait the others compute (see ``running_order``)."""
    return (os.cpu_count() or 1) + 2


@pytest.hookimpl(tryfirst=True)  # before pytest-xdist reads the groups it marks
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    items[:] = running_order(items)


def pytest_collection_finish(session: pytest.Session) -> None:
    """What collection made (the modules, some 3,800 test items, the corpora they are built
    from) lives to the end of the run: it is moved out of the cycle collector's reach, and the
    collector runs as seldom as the TUI has it (``screens.app.COLLECT_EVERY``), so that the
    suite's processes do not walk the same objects again and again (about 4 % of the core
    tests' time)."""
    from screens.app import COLLECT_EVERY

    gc.collect()
    gc.freeze()
    gc.set_threshold(*COLLECT_EVERY)


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
