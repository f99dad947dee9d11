"""``planner serve``: loopback unless told otherwise, a warning when told, a real planner in the
browser's session, and only for a browser with the printed address's token (or the password):
a page from another site, a name rebound to this computer, or another local user without the
token is refused. Also: the suite itself runs with network sockets off."""

from __future__ import annotations

import asyncio
import http.client
import os
import re
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple
from urllib.parse import urlencode

import pytest
from factories import full_campaign
from pytest_socket import SocketBlockedError

from planner.cli.care import is_loopback
from planner.cli.main import main
from planner.domain.serving import (
    Gate,
    address,
    hide_token,
    is_bare_name,
    secret_matches,
    split_host,
    token_problem,
)
from planner.store import Store

TOKEN = "tests-own-token-0123456789"
PASSWORD = "reception desk 2027"
EVIL = "http://evil.example"


@pytest.mark.filterwarnings("ignore:A test tried to use socket")
def test_the_suite_cannot_reach_the_network():
    with pytest.raises(SocketBlockedError):
        socket.socket(socket.AF_INET, socket.SOCK_STREAM)


# -- the checks on their own ------------------------------------------------------------------


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


def test_the_token_is_compared_whole():
    assert secret_matches(TOKEN, TOKEN)
    assert not secret_matches(TOKEN[:-1], TOKEN)
    assert not secret_matches(TOKEN + "x", TOKEN)
    assert not secret_matches("", TOKEN) and not secret_matches(None, TOKEN)
    assert not secret_matches("tests-own-token-012345678é", TOKEN), "not ASCII: no error"


@pytest.mark.parametrize(
    ("token", "usable"),
    [(TOKEN, True), ("a" * 16, True), ("a" * 15, False), ("with space 0123456789", False)],
)
def test_which_tokens_can_be_given(token, usable):
    assert (token_problem(token) is None) is usable


@pytest.mark.parametrize(
    ("header", "parsed"),
    [
        ("127.0.0.1:8000", ("127.0.0.1", 8000)),
        ("LocalHost:8000", ("localhost", 8000)),
        ("[::1]:8000", ("::1", 8000)),
        ("[::1]", ("::1", None)),
        ("example.org", ("example.org", None)),
        ("::1:8000", None),
        ("[::1:8000", None),
        ("host:port", None),
        (":8000", None),
    ],
)
def test_how_a_host_header_is_read(header, parsed):
    assert split_host(header) == parsed


def test_on_this_computer_only_its_own_names_with_the_port_are_served():
    gate = Gate.serving("127.0.0.1", 8765)
    for header in ("127.0.0.1:8765", "localhost:8765", "LOCALHOST:8765", "[::1]:8765"):
        assert gate.host_allowed(header), header
    for header in (
        "evil.example:8765",  # DNS rebinding: a name of the attacker's, pointing here
        "127.0.0.1:8000",
        "127.0.0.1",
        "192.168.1.20:8765",
        "localhost.evil.example:8765",
        "",
        None,
    ):
        assert not gate.host_allowed(header), header
    assert Gate.serving("127.0.0.1", 80).host_allowed("localhost"), "port 80 goes unwritten"


def test_remote_serving_answers_to_its_host_and_the_names_added():
    named = Gate.serving("reception-pc", 8000, ("planner.lan",))
    assert named.host_allowed("reception-pc:8000") and named.host_allowed("PLANNER.lan:8000")
    assert not named.host_allowed("10.0.0.5:8000") and not named.host_allowed("evil.example:8000")
    every = Gate.serving("0.0.0.0", 8000)
    for header in ("10.0.0.5:8000", "127.0.0.1:8000", "localhost:8000", "[fe80::1]:8000"):
        assert every.host_allowed(header), header
    assert not every.host_allowed("evil.example:8000"), "an address can't be rebound; a name can"


def test_only_the_servers_own_page_is_an_allowed_origin():
    gate = Gate.serving("127.0.0.1", 8765)
    assert gate.origin_allowed("http://127.0.0.1:8765", "127.0.0.1:8765")
    assert gate.origin_allowed("http://localhost:8765", "localhost:8765")
    assert not gate.origin_allowed(EVIL, "127.0.0.1:8765")
    assert not gate.origin_allowed("http://localhost:8765", "127.0.0.1:8765")
    assert not gate.origin_allowed("http://127.0.0.1:9999", "127.0.0.1:8765"), "another port"
    assert not gate.origin_allowed("https://127.0.0.1:8765", "127.0.0.1:8765")
    assert not gate.origin_allowed("null", "127.0.0.1:8765")
    assert not gate.origin_allowed(None, "127.0.0.1:8765"), "browsers always send one"
    assert not gate.origin_allowed("http://evil.example:8765", "evil.example:8765")


def test_the_token_is_hidden_in_a_request_line():
    line = '"GET /?fontsize=20&token=abc-DEF_123 HTTP/1.1" 303'
    assert hide_token(line) == '"GET /?fontsize=20&token=[hidden] HTTP/1.1" 303'
    assert hide_token('"GET /static/x.css HTTP/1.1"') == '"GET /static/x.css HTTP/1.1"'


@pytest.mark.parametrize(
    ("name", "bare"),
    [
        ("reception-pc", True),
        ("192.168.1.20", True),
        ("::1", True),
        ("[::1]", True),
        ("reception-pc:8000", False),
        ("http://reception-pc/", False),
        ("", False),
    ],
)
def test_which_names_allowed_host_takes(name, bare):
    assert is_bare_name(name) is bare


def test_the_address_to_open():
    assert address("127.0.0.1", 8000, "abc") == "http://127.0.0.1:8000/?token=abc"
    assert address("::1", 8000) == "http://[::1]:8000/"


# -- what the command says before it serves ---------------------------------------------------


def test_serve_refuses_another_host_without_allow_remote(runner, db_path):
    result = runner.invoke(main, ["--db", str(db_path), "serve", "--host", "0.0.0.0"])
    assert result.exit_code == 2
    assert result.output.strip() == (
        "Error: --host 0.0.0.0 would let other computers reach the planner's page; add "
        "--allow-remote to do that anyway, or leave --host out."
    )
    assert not db_path.exists(), "refused before anything was opened"


def test_serve_refuses_a_token_that_could_be_guessed(runner, db_path):
    result = runner.invoke(main, ["--db", str(db_path), "serve"], env={"PLANNER_SERVE_TOKEN": "x"})
    assert result.exit_code == 2
    assert result.output.strip() == (
        "Error: The token (--token or PLANNER_SERVE_TOKEN) must be at least 16 characters, "
        "each a letter, a digit, - or _ (it travels in the address)."
    )
    assert not db_path.exists()


def test_serve_asks_for_the_password_unseen_and_refuses_a_short_one(runner, db_path):
    result = runner.invoke(
        main, ["--db", str(db_path), "serve", "--password"], input="short1\nshort1\n"
    )
    assert result.exit_code == 2
    assert "Password for the page: " in result.output
    assert "short1" not in result.output, "the password is not shown as it is typed"
    assert "Error: The password must be at least 8 characters." in result.output
    assert not db_path.exists()


def test_serve_refuses_an_allowed_host_with_a_port(runner, db_path):
    result = runner.invoke(
        main, ["--db", str(db_path), "serve", "--allowed-host", "reception-pc:8000"]
    )
    assert result.exit_code == 2
    assert result.output.strip() == (
        "Error: --allowed-host reception-pc:8000 is not a name: give one without a port or a "
        "path, such as reception-pc."
    )


@pytest.mark.enable_socket
def test_serve_on_a_port_in_use_is_one_sentence(runner, db_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = runner.invoke(main, ["--db", str(db_path), "serve", "--port", str(port)])
    assert result.exit_code == 2
    (line,) = result.output.splitlines()  # the sentence, and no address that does not answer
    assert line.startswith(f"Error: The planner cannot listen at 127.0.0.1:{port} (")
    assert line.endswith("); choose another --port, or close the program using it.")
    assert "http://" not in result.output and "Open this address" not in result.output


# -- a real server ----------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Running:
    """A ``planner serve`` in its own process, and what it printed before it served."""

    process: subprocess.Popen
    port: int
    db_path: Path
    url: str  # the address it printed to open
    warning: str

    @property
    def here(self) -> str:
        return f"127.0.0.1:{self.port}"

    def stop(self) -> tuple[str, str]:
        self.process.terminate()
        return self.process.communicate(timeout=10)


def _start(db_path: Path, *args: str, env: dict[str, str] | None = None) -> Running:
    """Start ``planner serve`` and wait until it accepts connections."""
    port = _free_port()
    process = subprocess.Popen(
        [
            *(sys.executable, "-m", "planner", "--db", str(db_path)),
            *("serve", "--port", str(port), *args),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, **(env or {})},
    )
    warning = process.stderr.readline() if "--allow-remote" in args else ""
    url = ""
    while not url:
        line = process.stdout.readline()
        if not line:
            pytest.fail(f"planner serve stopped: {process.communicate()}")
        if line.startswith("    http://"):
            url = line.strip()
    for _ in range(200):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            time.sleep(0.05)
    else:
        process.kill()
        pytest.fail("the server did not answer")
    return Running(process, port, db_path, url, warning)


def _campaign_db(tmp_path_factory) -> Path:
    db_path = tmp_path_factory.mktemp("serve") / "planner.db"
    with Store.open(db_path) as store:
        store.create_campaign(full_campaign("Flu season 2027"))
    return db_path


def _names(db_path: Path) -> list[str]:
    with Store.open(db_path) as store:
        return [summary.name for summary in store.list_campaigns()]


@pytest.fixture(scope="module")
def loopback(tmp_path_factory):
    """A server on 127.0.0.1 whose token the tests fix through PLANNER_SERVE_TOKEN."""
    running = _start(_campaign_db(tmp_path_factory), env={"PLANNER_SERVE_TOKEN": TOKEN})
    yield running
    running.stop()


@pytest.fixture(scope="module")
def remote(tmp_path_factory):
    """A server on every address (--allow-remote) with a token of its own and a password."""
    running = _start(
        _campaign_db(tmp_path_factory),
        *("--host", "0.0.0.0", "--allow-remote", "--password"),
        env={"PLANNER_SERVE_PASSWORD": PASSWORD, "PLANNER_SERVE_TOKEN": ""},
    )
    yield running
    running.stop()


class Reply(NamedTuple):
    status: int
    headers: http.client.HTTPMessage
    text: str


def _request(
    running: Running,
    path: str = "/",
    *,
    host: str | None = None,
    cookie: str | None = None,
    method: str = "GET",
    form: dict[str, str] | None = None,
    origin: str | None = None,
) -> Reply:
    """One HTTP request to the server, as a browser would send it (any Host header)."""
    connection = http.client.HTTPConnection("127.0.0.1", running.port, timeout=10)
    headers = {"Host": host or running.here}
    if cookie:
        headers["Cookie"] = cookie
    if origin:
        headers["Origin"] = origin
    body = None
    if form is not None:
        body = urlencode(form)
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    try:
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        return Reply(response.status, response.headers, response.read().decode())
    finally:
        connection.close()


def _cookie(reply: Reply) -> str:
    """The ``name=value`` of the cookie a reply sets."""
    return reply.headers["Set-Cookie"].split(";")[0]


def _let_in(running: Running, token: str = TOKEN) -> str:
    return _cookie(_request(running, f"/?token={token}"))


def _plain(output: str) -> str:
    return re.sub(r"\x1b\[[0-9;?]*[a-zA-Z]", "", output)


async def _handshake(running: Running, *, origin: str | None, cookie: str | None) -> int:
    """The HTTP status with which the server refuses a WebSocket (0 when it accepts one)."""
    import aiohttp

    headers = {"Cookie": cookie} if cookie else {}
    async with aiohttp.ClientSession(cookie_jar=aiohttp.DummyCookieJar()) as session:
        try:
            url = f"http://{running.here}/ws?width=80&height=24"
            async with session.ws_connect(url, origin=origin, headers=headers):
                return 0
        except aiohttp.WSServerHandshakeError as refused:
            return refused.status


async def _first_screen(running: Running, cookie: str, until: str) -> str:
    """What a browser's session shows, as text (the terminal output without its escapes),
    once it shows ``until``."""
    import aiohttp

    text = ""
    async with (
        aiohttp.ClientSession(cookie_jar=aiohttp.DummyCookieJar()) as session,
        session.ws_connect(
            f"http://{running.here}/ws?width=100&height=30",
            origin=f"http://{running.here}",
            headers={"Cookie": cookie},
        ) as ws,
    ):
        async with asyncio.timeout(30):
            async for message in ws:
                if message.type == aiohttp.WSMsgType.BINARY:
                    text += message.data.decode("utf-8", "replace")
                if until in _plain(text):
                    break
    return _plain(text)


NEEDS_TOKEN = "open the planner with the address printed in the terminal"


@pytest.mark.slow
@pytest.mark.enable_socket
def test_without_the_token_the_page_is_refused(loopback):
    for path in ("/", "/static/js/textual.js", "/ws", "/download/anything"):
        reply = _request(loopback, path)
        assert reply.status == 403, path
        assert NEEDS_TOKEN in reply.text
    assert "Set-Cookie" not in reply.headers


@pytest.mark.slow
@pytest.mark.enable_socket
def test_a_wrong_token_is_refused(loopback):
    for token in ("tests-own-token-012345678", "tests-own-token-01234567890", "x"):
        reply = _request(loopback, f"/?token={token}")
        assert reply.status == 403 and NEEDS_TOKEN in reply.text
        assert "Set-Cookie" not in reply.headers


@pytest.mark.slow
@pytest.mark.enable_socket
def test_the_token_sets_a_cookie_and_leaves_the_address(loopback):
    reply = _request(loopback, f"/?fontsize=20&token={TOKEN}")
    assert reply.status == 303
    assert reply.headers["Location"] == "/?fontsize=20", "the token leaves the address bar"
    attributes = [part.strip() for part in reply.headers["Set-Cookie"].split(";")]
    name, value = attributes[0].split("=", 1)
    assert name == f"planner-serve-{loopback.port}"
    assert value and TOKEN not in value, "the cookie is not the token"
    assert {"HttpOnly", "Path=/", "SameSite=Strict"} <= set(attributes[1:])
    page = _request(loopback, "/?fontsize=20", cookie=attributes[0])
    assert page.status == 200 and "Healthcare Campaign Planner" in page.text


@pytest.mark.slow
@pytest.mark.enable_socket
def test_the_cookie_alone_opens_the_page_and_its_files(loopback):
    cookie = _let_in(loopback)
    page = _request(loopback, "/", cookie=cookie)
    assert page.status == 200
    assert "googleapis" not in page.text, "the page loads nothing from elsewhere"
    assert loopback.here not in page.text, "its addresses are its own, whatever the name"
    assert _request(loopback, "/static/js/textual.js", cookie=cookie).status == 200
    assert _request(loopback, "/", host=f"localhost:{loopback.port}", cookie=cookie).status == 200
    assert _request(loopback, "/", cookie=cookie + "x").status == 403, "a made-up cookie"


@pytest.mark.slow
@pytest.mark.enable_socket
def test_a_name_rebound_to_this_computer_is_refused(loopback):
    cookie = _let_in(loopback)
    for path in ("/", f"/?token={TOKEN}", "/static/js/textual.js"):
        reply = _request(loopback, path, host=f"evil.example:{loopback.port}", cookie=cookie)
        assert reply.status == 403, path
        assert "does not answer to this name" in reply.text
        assert "Set-Cookie" not in reply.headers


@pytest.mark.slow
@pytest.mark.enable_socket
def test_a_websocket_from_another_page_is_refused(loopback):
    cookie = _let_in(loopback)
    here = f"http://{loopback.here}"
    for origin in (EVIL, None, "null", f"http://127.0.0.1:{_free_port()}"):
        assert asyncio.run(_handshake(loopback, origin=origin, cookie=cookie)) == 403, origin
    assert asyncio.run(_handshake(loopback, origin=here, cookie=None)) == 403, "no cookie"
    assert asyncio.run(_handshake(loopback, origin=here, cookie=cookie + "x")) == 403
    assert _names(loopback.db_path) == ["Flu season 2027"], "no session was started"


@pytest.mark.slow
@pytest.mark.enable_socket
def test_serve_runs_the_planner_in_a_browser_session(loopback):
    screen = asyncio.run(_first_screen(loopback, _let_in(loopback), until="Flu season 2027"))
    assert "1 campaign" in screen and "Flu season 2027" in screen


@pytest.mark.slow
@pytest.mark.enable_socket
def test_the_printed_token_is_new_each_time_and_never_logged(tmp_path):
    running = _start(tmp_path / "planner.db", env={"PLANNER_SERVE_TOKEN": ""})
    try:
        token = running.url.split("?token=")[1]
        assert running.url == f"http://{running.here}/?token={token}"
        assert token_problem(token) is None and token != TOKEN
        cookie = _let_in(running, token)
        assert _request(running, "/", cookie=cookie).status == 200
    finally:
        out, err = running.stop()
    assert '"GET /?token=[hidden] HTTP/1.1"' in out, "the request was logged, without it"
    unwrapped = re.sub(r"\s+", "", out + err)  # the log wraps its lines at 80 characters
    assert token not in unwrapped, "printed once, before the output read here"


@pytest.mark.slow
@pytest.mark.enable_socket
def test_allow_remote_warns_and_still_needs_the_token(remote):
    assert remote.warning.strip() == (
        f"Warning: other computers can reach the page at 0.0.0.0:{remote.port}. Anyone given "
        "its address with its token or the password can read and change every campaign in "
        "this database, and nothing sent is encrypted."
    )
    assert remote.url.startswith(f"http://127.0.0.1:{remote.port}/?token=")
    colleague = f"192.168.1.20:{remote.port}"  # how the reception desk reaches it
    refused = _request(remote, "/", host=colleague)
    assert refused.status == 403 and NEEDS_TOKEN in refused.text
    assert "<input type='password' name='password'" in refused.text
    token = remote.url.split("?token=")[1]
    cookie = _cookie(_request(remote, f"/?token={token}", host=colleague))
    assert _request(remote, "/", host=colleague, cookie=cookie).status == 200
    assert _request(remote, "/", host=f"evil.example:{remote.port}", cookie=cookie).status == 403


@pytest.mark.slow
@pytest.mark.enable_socket
def test_the_password_lets_in_only_from_the_servers_own_page(remote):
    here = f"http://{remote.here}"
    wrong = _request(remote, "/login", method="POST", form={"password": "guess"}, origin=here)
    assert wrong.status == 403 and "That password is not right." in wrong.text
    for origin in (None, EVIL):
        forged = _request(
            remote, "/login", method="POST", form={"password": PASSWORD}, origin=origin
        )
        assert forged.status == 403 and "Set-Cookie" not in forged.headers, origin
    right = _request(remote, "/login", method="POST", form={"password": PASSWORD}, origin=here)
    assert right.status == 303 and right.headers["Location"] == "/"
    page = _request(remote, "/", cookie=_cookie(right))
    assert page.status == 200 and "Healthcare Campaign Planner" in page.text
