"""Who may use ``planner serve``: the key (token) that the printed address carries, the names
the server answers to, and the pages allowed to talk to it. These are pure checks with no web
library, so that they are tested on their own; screens/serve.py applies them to every request.

The threats are those of any server on this computer: a web page the user visits, which can
make the browser send requests to 127.0.0.1 (or, by DNS rebinding, to a name of its own that
points there), and another user of the computer, who can connect too. The token stops both;
the Host and Origin checks stop a page that has no token from even trying."""

from __future__ import annotations

import hmac
import ipaddress
import os
import re
import secrets
import socket
from dataclasses import dataclass

TOKEN_PARAM = "token"  # the address's query parameter that carries the token
MIN_TOKEN = 16  # a token given with --token: at least this long, so it cannot be guessed
MIN_PASSWORD = 8
LOOPBACK_NAMES = frozenset({"127.0.0.1", "localhost", "::1"})
_TOKEN_CHARACTERS = re.compile(r"[A-Za-z0-9_-]+")
_TOKEN_IN_TEXT = re.compile(r"([?&]" + TOKEN_PARAM + r"=)[^&\s\"']*", re.IGNORECASE)


def is_loopback(host: str) -> bool:
    """True for an address only this computer can reach (127.0.0.1, ::1, localhost)."""
    if host.strip().lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False  # another name: it may resolve to an address others can reach


def is_every_address(host: str) -> bool:
    """True for 0.0.0.0 or ::, which listen on every address this computer has."""
    try:
        return ipaddress.ip_address(host.strip().strip("[]")).is_unspecified
    except ValueError:
        return False


def new_token() -> str:
    """A random key, 43 characters that an address carries as they are."""
    return secrets.token_urlsafe(32)


def token_problem(token: str) -> str | None:
    """Why ``token`` cannot be the key (too short to be safe from guessing, or a character an
    address would have to escape), or None when it can."""
    if len(token) < MIN_TOKEN or not _TOKEN_CHARACTERS.fullmatch(token):
        return (
            f"must be at least {MIN_TOKEN} characters, each a letter, a digit, - or _ "
            "(it travels in the address)"
        )
    return None


def secret_matches(given: str | None, secret: str) -> bool:
    """True when ``given`` is ``secret``, compared in a time that does not tell how much of it
    was right."""
    if not given:
        return False
    return hmac.compare_digest(given.encode("utf-8"), secret.encode("utf-8"))


def hide_token(text: str) -> str:
    """``text`` (a logged request line, say) with the value of any token= in it hidden."""
    return _TOKEN_IN_TEXT.sub(r"\1[hidden]", text)


def split_host(value: str) -> tuple[str, int | None] | None:
    """The name and port of a Host header ("127.0.0.1:8000", "[::1]:8000", "localhost"), the
    name lower-case and without brackets; None when the header cannot be read."""
    value = value.strip()
    if value.startswith("["):
        end = value.find("]")
        name, rest = value[1:end], value[end + 1 :]
        if end < 0 or (rest and not rest.startswith(":")):
            return None
        port_text = rest[1:] if rest else None
    elif value.count(":") == 1:
        name, port_text = value.split(":")
    elif ":" in value:
        return None  # an IPv6 address without brackets is not a Host header
    else:
        name, port_text = value, None
    if not name:
        return None
    if port_text is None:
        return name.lower(), None
    if not (port_text.isascii() and port_text.isdigit()):
        return None
    return name.lower(), int(port_text)


def _same_name(name: str) -> str:
    """One spelling of ``name``: an IP address in its short form, any other name lower-case."""
    try:
        return str(ipaddress.ip_address(name))
    except ValueError:
        return name.lower()


def _is_address(name: str) -> bool:
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True


def is_bare_name(text: str) -> bool:
    """True for a name or an address without a port ("reception-pc", "192.168.1.20",
    "::1"), as --allowed-host takes one."""
    text = text.strip().strip("[]")
    parsed = split_host(f"[{text}]" if _is_address(text) and ":" in text else text)
    return parsed is not None and parsed[1] is None and "/" not in text


@dataclass(frozen=True)
class Gate:
    """The names (Host headers) the server answers to, on its port. A name that is not one of
    them is a page that made its own name point at this computer (DNS rebinding)."""

    port: int
    names: frozenset[str]
    any_address: bool = False  # listening on 0.0.0.0 or ::, any IP address is a name too

    @classmethod
    def serving(cls, host: str, port: int, more_names: tuple[str, ...] = ()) -> Gate:
        """The gate of a server at ``host``:``port``: on this computer only, its loopback
        names; on every address, those and any IP address (an address cannot be rebound, only
        a name can); on one other address or name, that one. ``more_names`` are added."""
        names = {_same_name(host.strip().strip("[]"))}
        every = is_every_address(host)
        if is_loopback(host) or every:
            names |= LOOPBACK_NAMES
        names |= {_same_name(name.strip().strip("[]")) for name in more_names if name.strip()}
        return cls(port=port, names=frozenset(names), any_address=every)

    def host_allowed(self, header: str | None) -> bool:
        """True when a request's Host header names this server: one of its names, with its
        port (or without one when the port is 80, as browsers write it)."""
        parsed = split_host(header) if header else None
        if parsed is None:
            return False
        name, port = parsed
        if port != self.port and not (port is None and self.port == 80):
            return False
        name = _same_name(name)
        return name in self.names or (self.any_address and _is_address(name))

    def origin_allowed(self, origin: str | None, host_header: str | None) -> bool:
        """True when the page that sent a request (its Origin header) is this server's own
        page: the same scheme, name and port as the Host the request was sent to. A request
        without an Origin is refused: browsers send one with every WebSocket and POST."""
        if not origin or not self.host_allowed(host_header):
            return False
        assert host_header is not None
        return origin.strip().lower() == f"http://{host_header.strip().lower()}"


def address(host: str, port: int, token: str | None = None) -> str:
    """The address to open in a browser, with the token when one is given."""
    name = host.strip().strip("[]")
    if ":" in name:
        name = f"[{name}]"
    query = f"?{TOKEN_PARAM}={token}" if token else ""
    return f"http://{name}:{port}/{query}"


def listen(host: str, port: int) -> list[socket.socket]:
    """Sockets listening at ``host``:``port``, one for each address the name stands for, made
    as asyncio makes them (the address reusable at once after a stop, IPv6 only on an IPv6
    socket). Made before the address is printed, so that a port in use is told instead of
    an address that does not answer; OSError when one cannot be had (the others closed)."""
    found = socket.getaddrinfo(
        host.strip().strip("[]"), port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
    )
    made: list[socket.socket] = []
    try:
        for family, kind, protocol, _, where in dict.fromkeys(found):
            made.append(sock := socket.socket(family, kind, protocol))
            if os.name == "posix":
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            if family == socket.AF_INET6:
                sock.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
            sock.bind(where)
            sock.listen()
    except OSError:
        for sock in made:
            sock.close()
        raise
    return made
