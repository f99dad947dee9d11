"""``planner serve``: the planner in a web browser through textual-serve, each browser tab
running its own planner process on the same database.

Every request passes a guard first (planner/serving.py holds its checks): the Host must be a
name this server answers to, a WebSocket or a form must come from the server's own page
(Origin), and the browser must show the key: the token of the printed address, once, after
which a cookie stands for it (or the password, when one was set)."""

from __future__ import annotations

import asyncio
import html
import logging
import signal
import socket
from collections.abc import Awaitable, Callable
from pathlib import Path

from aiohttp import web
from textual_serve.server import Server

from planner.domain.serving import (
    TOKEN_PARAM,
    Gate,
    hide_token,
    new_token,
    secret_matches,
)

PAGE = Path(__file__).resolve().parent / "web"  # textual-serve's page, without web fonts
# Seconds before a wrong password is answered, one wrong password at a time: at most one
# guess a second, however many are sent at once; the right password is answered at once.
WRONG_PASSWORD_PAUSE = 1.0
LOGIN_PATH = "/login"

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


class _HideToken(logging.Filter):
    """Hides the token in what is logged: textual-serve logs each request line to the
    terminal, and the first one carries the token in its address."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        hidden = hide_token(message)
        if hidden != message:
            record.msg, record.args = hidden, ()
        return True


def _page(status: int, sentence: str, form: str = "") -> web.Response:
    """A short page of its own (no style sheet, no script): what went wrong, and the login
    form when there is a password."""
    body = (
        "<!DOCTYPE html>\n<html><head><meta charset='utf-8'>"
        "<title>Healthcare Campaign Planner</title></head>\n"
        f"<body><p>{html.escape(sentence)}</p>{form}</body></html>\n"
    )
    return web.Response(status=status, text=body, content_type="text/html")


def _see_other(location: str) -> web.Response:
    """303: the browser asks for ``location`` next."""
    return web.Response(status=303, headers={"Location": location})


_LOGIN_FORM = (
    f"<form method='post' action='{LOGIN_PATH}'>"
    "<label>Password <input type='password' name='password' autofocus></label> "
    "<button type='submit'>Open the planner</button></form>"
)


class GuardedServer(Server):
    """textual-serve's server behind the guard: the key, the Host and the Origin."""

    def __init__(
        self, command: str, host: str, port: int, gate: Gate, token: str, password: str | None
    ) -> None:
        super().__init__(
            command,
            host=host,
            port=port,
            title="Healthcare Campaign Planner",
            templates_path=PAGE,
        )
        self.gate = gate
        self.token = token
        self.password = password
        self.cookie_name = f"planner-serve-{port}"  # browsers keep cookies per name, not port
        self.cookie_value = new_token()  # what the cookie holds: not the token, never shown
        self._wrong_ones = asyncio.Lock()

    async def _make_app(self) -> web.Application:
        # textual-serve builds its aiohttp application here and offers no other place to add
        # a middleware or a route; this takes its application as it is and adds the guard and
        # the login form's route before the application starts.
        app = await super()._make_app()
        app.middlewares.append(self._guard)
        app.router.add_post(LOGIN_PATH, self._login)
        return app

    def initialize_logging(self) -> None:
        """textual-serve's logging, with the token hidden from every line."""
        super().initialize_logging()
        for handler in logging.getLogger().handlers:
            handler.addFilter(_HideToken())

    def serve_on(self, sockets: list[socket.socket]) -> None:
        """textual-serve's ``serve()``, on sockets already listening: the planner makes them
        before it prints the address to open, so that a port in use is told instead."""
        self.initialize_logging()
        loop = asyncio.new_event_loop()
        asyncio.set_event_loop(loop)
        for signum in (signal.SIGINT, signal.SIGTERM):
            try:
                loop.add_signal_handler(signum, self.request_exit)
            except NotImplementedError:  # Windows: Ctrl+C stops it as KeyboardInterrupt
                break
        web.run_app(
            self._make_app(),
            sock=sockets,
            handle_signals=False,
            loop=loop,
            print=lambda *args: None,
        )

    async def on_startup(self, app: web.Application) -> None:
        """Nothing: textual-serve's banner gives the address without its token, which would
        only be refused; the planner has printed the address to open."""

    def _refused(self, sentence: str | None = None) -> web.Response:
        """403, saying how to get in."""
        if sentence is None:
            sentence = (
                "This page needs its token: open the planner with the address printed in the "
                "terminal where planner serve runs (it ends in ?token=...)"
            )
            sentence += ", or give the password." if self.password else "."
        return _page(403, sentence, _LOGIN_FORM if self.password else "")

    def _let_in(self, response: web.StreamResponse) -> web.StreamResponse:
        """``response`` with the cookie that stands for the key from now on."""
        response.set_cookie(
            self.cookie_name, self.cookie_value, path="/", httponly=True, samesite="Strict"
        )
        return response

    @web.middleware
    async def _guard(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        """Host, then Origin, then the key, for every request."""
        host = request.headers.get("Host")
        if not self.gate.host_allowed(host):
            return _page(
                403,
                "The planner does not answer to this name; open it with the address printed "
                "in the terminal where planner serve runs.",
            )
        websocket = request.headers.get("Upgrade", "").lower() == "websocket"
        if (websocket or request.method not in ("GET", "HEAD")) and not self.gate.origin_allowed(
            request.headers.get("Origin"), host
        ):
            return _page(403, "Only the planner's own page may do this.")
        if request.method == "POST" and request.path == LOGIN_PATH and self.password:
            return await handler(request)
        cookie_ok = secret_matches(request.cookies.get(self.cookie_name), self.cookie_value)
        given = request.query.get(TOKEN_PARAM)
        token_ok = secret_matches(given, self.token)
        if not (cookie_ok or token_ok):
            return self._refused()
        if given is not None and request.method == "GET" and not websocket:
            # the address bar, history and bookmarks keep the address without the token
            response = _see_other(str(request.rel_url.without_query_params(TOKEN_PARAM)))
            return self._let_in(response) if token_ok else response
        return await handler(request)

    async def _login(self, request: web.Request) -> web.StreamResponse:
        """The login form: the right password sets the same cookie as the token does."""
        if not self.password:
            raise web.HTTPNotFound()
        form = await request.post()
        given = form.get("password")
        if isinstance(given, str) and secret_matches(given, self.password):
            return self._let_in(_see_other("/"))  # never kept waiting behind wrong ones
        async with self._wrong_ones:  # one at a time: guesses sent side by side wait in line
            await asyncio.sleep(WRONG_PASSWORD_PAUSE)
        return self._refused("That password is not right.")


def serve(
    command: str,
    sockets: list[socket.socket],
    host: str,
    port: int,
    gate: Gate,
    token: str,
    password: str | None = None,
) -> None:
    """Serve ``command`` (a planner on one database) on ``sockets``, listening at
    ``host``:``port``, until Ctrl+C, to browsers that hold ``token`` (or ``password``) and
    come through ``gate``."""
    GuardedServer(command, host, port, gate, token, password).serve_on(sockets)
