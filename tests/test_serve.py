"""``planner serve``: loopback unless told otherwise, a warning when told, and a real planner
in the browser's session. Also: the suite itself runs with network sockets off."""

from __future__ import annotations

import asyncio
import re
import socket
import subprocess
import sys
import time

import pytest
from factories import full_campaign
from pytest_socket import SocketBlockedError

from planner.cli import main
from planner.cli_care import is_loopback
from planner.store import Store


@pytest.mark.filterwarnings("ignore:A test tried to use socket")
def test_the_suite_cannot_reach_the_network():
    with pytest.raises(SocketBlockedError):
        socket.socket(socket.AF_INET, socket.SOCK_STREAM)


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("127.0.0.1", True),
        ("127.0.0.2", True),
        ("::1", True),
        ("[::1]", True),
        ("localhost", True),
        ("0.0.0.0", False),
        ("::", False),
        ("192.168.1.20", False),
        ("reception-pc", False),
    ],
)
def test_which_hosts_are_this_computer_only(host, loopback):
    assert is_loopback(host) is loopback


def test_serve_refuses_another_host_without_allow_remote(runner, db_path):
    result = runner.invoke(main, ["--db", str(db_path), "serve", "--host", "0.0.0.0"])
    assert result.exit_code == 2
    assert result.output.strip() == (
        "Error: --host 0.0.0.0 would let other computers use the planner, and the page has no "
        "login; add --allow-remote to do that anyway, or leave --host out."
    )
    assert not db_path.exists(), "refused before anything was opened"


@pytest.mark.enable_socket
def test_serve_on_a_port_in_use_is_one_sentence(runner, db_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = runner.invoke(main, ["--db", str(db_path), "serve", "--port", str(port)])
    assert result.exit_code == 2
    assert f"cannot listen at 127.0.0.1:{port}" in result.output
    assert "choose another --port" in result.output and "Traceback" not in result.output


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _plain(output: str) -> str:
    return re.sub(r"\x1b\[[0-9;?]*[a-zA-Z]", "", output)


async def _first_screen(port: int, until: str) -> str:
    """What a browser's session shows, as text (the terminal output without its escapes),
    once it shows ``until``."""
    import aiohttp

    text = ""
    async with (
        aiohttp.ClientSession() as session,
        session.ws_connect(f"http://127.0.0.1:{port}/ws?width=100&height=30") as ws,
    ):
        async with asyncio.timeout(30):
            async for message in ws:
                if message.type == aiohttp.WSMsgType.BINARY:
                    text += message.data.decode("utf-8", "replace")
                if until in _plain(text):
                    break
    return _plain(text)


@pytest.mark.slow
@pytest.mark.enable_socket
def test_serve_runs_the_planner_in_a_browser_session(db_path):
    import urllib.request

    with Store.open(db_path) as store:
        store.create_campaign(full_campaign("Flu season 2027"))
    port = _free_port()
    server = subprocess.Popen(
        [
            *(sys.executable, "-m", "planner", "--db", str(db_path), "serve"),
            *("--host", "0.0.0.0", "--allow-remote", "--port", str(port)),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        for _ in range(100):
            try:
                page = urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2).read()
                break
            except OSError:
                time.sleep(0.1)
        else:
            pytest.fail("the server did not answer")
        html = page.decode()
        assert "Healthcare Campaign Planner" in html
        assert "googleapis" not in html, "the page loads nothing from elsewhere"
        screen = asyncio.run(_first_screen(port, until="Flu season 2027"))
        assert "1 campaign" in screen and "Flu season 2027" in screen
    finally:
        server.terminate()
        out, err = server.communicate(timeout=10)
    assert err.startswith(
        f"Warning: the page has no login. Anyone who can reach 0.0.0.0:{port} can read and "
        "change every campaign in this database."
    )
    assert f"at http://0.0.0.0:{port}/" in out
