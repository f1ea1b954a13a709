"""A guard that makes any network connection fail (used by the test suite and the nbval kernels).

Loopback and Unix-domain sockets stay allowed: Jupyter kernels and a dask LocalCluster talk
over them, and they never leave the machine.
"""

from __future__ import annotations

import ipaddress
import socket

_LOCAL_NAMES = {"localhost", "localhost.localdomain", "ip6-localhost", ""}


class NetworkAccessError(RuntimeError):
    """Raised when code tries to reach the network while the guard is active."""


def _is_local(host: object) -> bool:
    if host is None:
        return True
    if isinstance(host, bytes):
        host = host.decode("ascii", "replace")
    host = str(host).strip("[]")
    if host in _LOCAL_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.split("%")[0]).is_loopback
    except ValueError:
        return False


_orig = {}


def install() -> None:
    """Activate the guard in this process (idempotent)."""
    if _orig:
        return
    _orig["connect"] = socket.socket.connect
    _orig["connect_ex"] = socket.socket.connect_ex
    _orig["getaddrinfo"] = socket.getaddrinfo

    def _check(sock: socket.socket, address: object) -> None:
        if sock.family == getattr(socket, "AF_UNIX", None):
            return
        host = address[0] if isinstance(address, tuple) else address
        if not _is_local(host):
            raise NetworkAccessError(f"network access attempted: {address!r} (the project must run offline)")

    def connect(self, address):  # type: ignore[no-untyped-def]
        _check(self, address)
        return _orig["connect"](self, address)

    def connect_ex(self, address):  # type: ignore[no-untyped-def]
        _check(self, address)
        return _orig["connect_ex"](self, address)

    def getaddrinfo(host, *args, **kwargs):  # type: ignore[no-untyped-def]
        if not _is_local(host):
            raise NetworkAccessError(f"name lookup attempted: {host!r} (the project must run offline)")
        return _orig["getaddrinfo"](host, *args, **kwargs)

    socket.socket.connect = connect  # type: ignore[method-assign]
    socket.socket.connect_ex = connect_ex  # type: ignore[method-assign]
    socket.getaddrinfo = getaddrinfo  # type: ignore[assignment]


def uninstall() -> None:
    """Deactivate the guard."""
    if not _orig:
        return
    socket.socket.connect = _orig.pop("connect")  # type: ignore[method-assign]
    socket.socket.connect_ex = _orig.pop("connect_ex")  # type: ignore[method-assign]
    socket.getaddrinfo = _orig.pop("getaddrinfo")  # type: ignore[assignment]
