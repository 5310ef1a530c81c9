"""Blocks the network in every Python process the tests start (kernels, JupyterLab).

The tests put this folder first on PYTHONPATH and set BEYOND_UTOPIA_BLOCK_NETWORK=1.
A connection or name lookup for anything but the loopback addresses then raises, and
is written to the file named by BEYOND_UTOPIA_NETWORK_LOG, which the test session
reads at its end: any line there fails the run.
"""

from __future__ import annotations

import ipaddress
import os
import socket

_LOOPBACK_NAMES = {"localhost", "localhost.localdomain", "ip6-localhost", ""}


def _allowed(host: object) -> bool:
    if host is None:
        return True
    if isinstance(host, bytes):
        host = host.decode(errors="replace")
    host = str(host).strip("[]").split("%")[0]
    if host.lower() in _LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _refuse(what: str) -> None:
    log = os.environ.get("BEYOND_UTOPIA_NETWORK_LOG")
    if log:
        with open(log, "a", encoding="utf-8") as fh:
            fh.write(f"pid {os.getpid()}: {what}\n")
    raise ConnectionRefusedError(f"network access is blocked in the tests: {what}")


def install() -> None:
    if getattr(socket, "_beyond_utopia_guard", False):
        return
    connect, connect_ex, getaddrinfo = (socket.socket.connect, socket.socket.connect_ex,
                                        socket.getaddrinfo)

    def guarded_connect(self, address):  # noqa: ANN001
        if self.family in (socket.AF_INET, socket.AF_INET6) and not _allowed(address[0]):
            _refuse(f"connect {address!r}")
        return connect(self, address)

    def guarded_connect_ex(self, address):  # noqa: ANN001
        if self.family in (socket.AF_INET, socket.AF_INET6) and not _allowed(address[0]):
            _refuse(f"connect {address!r}")
        return connect_ex(self, address)

    def guarded_getaddrinfo(host, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003
        if not _allowed(host):
            _refuse(f"look up {host!r}")
        return getaddrinfo(host, *args, **kwargs)

    socket.socket.connect = guarded_connect  # type: ignore[method-assign]
    socket.socket.connect_ex = guarded_connect_ex  # type: ignore[method-assign]
    socket.getaddrinfo = guarded_getaddrinfo  # type: ignore[assignment]
    socket._beyond_utopia_guard = True  # type: ignore[attr-defined]


if os.environ.get("BEYOND_UTOPIA_BLOCK_NETWORK") == "1":
    install()
