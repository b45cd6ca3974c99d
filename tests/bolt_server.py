"""A real Bolt server for the tests: ArcadeDB with its Neo4j Bolt plugin, in a subprocess.

No Neo4j runs here, so the tests that prove the live export talk to ArcadeDB, which
speaks the Bolt protocol to the official ``neo4j`` driver and announces itself as
``Neo4j/5.26.0 compatible (ArcadeDB ...)`` [1]_. The PyPI package ``arcadedb-embedded``
(the ``dev`` extra) bundles the engine, its Bolt plugin and a JRE, so nothing else is
installed.

How the server is started
-------------------------
:class:`BoltServer` runs this file as a child process (``python tests/bolt_server.py
serve ...``). The child calls the package's documented Python API [2]_:
``arcadedb_embedded.ArcadeDBServer(root_path, root_password, config)`` with

- ``host = "127.0.0.1"``: every listener (HTTP and Bolt) binds to the loopback
  interface only;
- ``http_port`` and ``bolt_port``: free ports picked on 127.0.0.1;
- ``server_plugins = "Bolt:com.arcadedb.bolt.BoltProtocolPlugin"`` (the key becomes
  ``arcadedb.server.plugins``, as in the Bolt how-to [1]_);
- a root password (ArcadeDB's administrator is ``root``);

then ``start()`` and ``create_database(name)`` (which opens the database when a
previous run of the same root already made it), prints ``READY`` and blocks reading
its standard input. The parent closes that pipe to stop it: the child then calls
``stop()`` and exits. A subprocess, rather than the JVM inside the test process, is
what lets a test stop the server and start it again on the same files and ports
(:meth:`BoltServer.restart`), and keeps the JVM's threads and signal handlers out of
pytest.

The parent waits until a Bolt query on the database answers (at most
``start_timeout`` seconds, 60 by default) and fails with the tail of the server's log
otherwise. All of the child's output goes to ``<root>/server.log``; the child runs in
``root`` so ArcadeDB's own ``./log`` folder lands there too. Extra databases are made
and dropped through ArcadeDB's HTTP server command API [3]_ (``create database NAME``),
also on 127.0.0.1.

The pytest fixture :func:`bolt_server` (session scope) starts one server for the test
session and FAILS the tests that use it, with the log tail, when it cannot start: it
never skips. Import it into a test module with ``from bolt_server import bolt_server``.

References
----------
.. [1] ArcadeDB manual, "Neo4j BOLT Protocol".
   https://docs.arcadedb.com/arcadedb/how-to/connectivity/bolt
.. [2] ``arcadedb_embedded.server.ArcadeDBServer`` docstring (package
   ``arcadedb-embedded``): ``host``, ``http_port``, ``bolt_port``, ``server_plugins``.
.. [3] ArcadeDB manual, "HTTP API": server commands, ``POST /api/v1/server`` with
   ``{"command": "create database NAME"}``. https://docs.arcadedb.com/
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import IO, NamedTuple

import pytest

__all__ = ["BoltInfo", "BoltServer", "BoltServerError", "bolt_server", "free_port"]

HOST = "127.0.0.1"
USER = "root"
DEFAULT_PASSWORD = "kgraph-test-password"
DEFAULT_DATABASE = "kgraph"
READY = "READY"
BOLT_PLUGIN = "Bolt:com.arcadedb.bolt.BoltProtocolPlugin"


class BoltInfo(NamedTuple):
    """How to reach a running server: ``uri, user, password, database = info``."""

    uri: str
    user: str
    password: str
    database: str


class BoltServerError(RuntimeError):
    """The server could not be started, reached or stopped; the message has its log tail."""


def free_port(host: str = HOST) -> int:
    """A TCP port nothing listens on right now on ``host`` (bound to port 0, then closed)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]


class BoltServer:
    """An ArcadeDB server with the Bolt plugin, run as a child process on 127.0.0.1.

    Parameters
    ----------
    root : path, optional
        Folder for the server's files (databases, config, logs). By default a new
        temporary folder, removed by :meth:`cleanup` (and on leaving the ``with`` block).
    password : str
        Password of the ``root`` user.
    database : str
        Database created at start (or reopened, on a restart).
    start_timeout : float
        Most seconds to wait for the Bolt port to answer.
    heap : str
        Java heap limit of the child, e.g. ``"1g"``.

    Examples
    --------
    ::

        with BoltServer() as (uri, user, password, database):
            ...  # the neo4j driver talks to uri

        server = BoltServer()
        info = server.start()
        server.restart()     # same files, same ports
        server.kill()        # a crash: SIGKILL, no shutdown
        server.start()       # recovers the same files, same ports
        server.stop(); server.cleanup()
    """

    def __init__(self, root: str | os.PathLike[str] | None = None, *,
                 password: str = DEFAULT_PASSWORD, database: str = DEFAULT_DATABASE,
                 start_timeout: float = 60.0, heap: str = "1g") -> None:
        self._own_root = root is None
        self.root = Path(tempfile.mkdtemp(prefix="kgraph-bolt-") if root is None else root)
        self.password = password
        self.database = database
        self.start_timeout = start_timeout
        self.heap = heap
        self.bolt_port = free_port()
        self.http_port = free_port()
        self.log_path = self.root / "server.log"
        self.startup_seconds: float | None = None
        self._proc: subprocess.Popen[str] | None = None
        self._log: IO[str] | None = None

    # ----------------------------------------------------------------------- info

    @property
    def uri(self) -> str:
        """``bolt://127.0.0.1:<port>``."""
        return f"bolt://{HOST}:{self.bolt_port}"

    @property
    def info(self) -> BoltInfo:
        """``(uri, user, password, database)``."""
        return BoltInfo(self.uri, USER, self.password, self.database)

    @property
    def running(self) -> bool:
        """Whether the child process is alive."""
        return self._proc is not None and self._proc.poll() is None

    def log_tail(self, lines: int = 40) -> str:
        """The last ``lines`` lines of the server's log (empty when there is none)."""
        try:
            text = self.log_path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return ""
        return "\n".join(text.splitlines()[-lines:])

    # ----------------------------------------------------------------------- life cycle

    def start(self) -> BoltInfo:
        """Start the child and wait until a Bolt query on the database answers.

        Returns
        -------
        BoltInfo

        Raises
        ------
        BoltServerError
            When the child exits, or does not answer within ``start_timeout`` seconds;
            the child is then stopped.
        """
        if self.running:
            raise BoltServerError("the server is already running")
        self.root.mkdir(parents=True, exist_ok=True)
        self._log = open(self.log_path, "a", encoding="utf-8")
        env = dict(os.environ)
        env["ARCADEDB_JVM_ERROR_FILE"] = str(self.root / "log" / "hs_err_pid%p.log")
        cmd = [sys.executable, str(Path(__file__).resolve()), "serve",
               "--root", str(self.root), "--password", self.password,
               "--database", self.database, "--bolt-port", str(self.bolt_port),
               "--http-port", str(self.http_port), "--heap", self.heap]
        started = time.monotonic()
        self._proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=self._log,
                                      stderr=subprocess.STDOUT, cwd=self.root, env=env,
                                      text=True)
        try:
            self._wait_until_ready(started + self.start_timeout)
        except BaseException:
            self.stop()
            raise
        self.startup_seconds = time.monotonic() - started
        return self.info

    def _wait_until_ready(self, deadline: float) -> None:
        from neo4j import GraphDatabase

        last_error: Exception | None = None
        while time.monotonic() < deadline:
            if self._proc is None or self._proc.poll() is not None:
                code = None if self._proc is None else self._proc.returncode
                raise BoltServerError(f"the ArcadeDB server exited with status {code} while "
                                      f"starting; log {self.log_path}:\n{self.log_tail()}")
            if READY in self.log_tail(5):
                try:
                    with GraphDatabase.driver(self.uri, auth=(USER, self.password),
                                              connection_timeout=2.0,
                                              connection_acquisition_timeout=2.0) as driver:
                        with driver.session(database=self.database) as session:
                            session.run("RETURN 1 AS ok").consume()
                    return
                except Exception as err:  # not answering yet
                    last_error = err
            time.sleep(0.2)
        raise BoltServerError(f"the ArcadeDB server did not answer on {self.uri} within "
                              f"{self.start_timeout:g} s (last error: {last_error}); "
                              f"log {self.log_path}:\n{self.log_tail()}")

    def stop(self, timeout: float = 30.0) -> None:
        """Stop the child: close its stdin, then terminate, then kill if it lingers."""
        proc, self._proc = self._proc, None
        if proc is not None:
            try:
                if proc.stdin is not None:
                    proc.stdin.close()
                proc.wait(timeout=timeout)
            except (OSError, subprocess.TimeoutExpired):
                proc.terminate()
                try:
                    proc.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait(timeout=10)
        if self._log is not None:
            self._log.close()
            self._log = None

    def kill(self) -> None:
        """Crash the server: SIGKILL the child (the JVM runs inside it), no shutdown.

        Open connections are reset and nothing is flushed beyond what ArcadeDB has
        already made durable; :meth:`start` afterwards reopens the same files on the
        same ports, as a restart after a crash would.
        """
        proc, self._proc = self._proc, None
        if proc is not None:
            proc.kill()
            proc.wait(timeout=30)
            if proc.stdin is not None:
                with contextlib.suppress(OSError):
                    proc.stdin.close()
        if self._log is not None:
            self._log.close()
            self._log = None

    def restart(self) -> BoltInfo:
        """Stop the server and start it again on the same files and ports."""
        self.stop()
        return self.start()

    def cleanup(self) -> None:
        """Stop the server and remove its folder when this object created it."""
        self.stop()
        if self._own_root:
            shutil.rmtree(self.root, ignore_errors=True)

    def __enter__(self) -> BoltInfo:
        try:
            return self.start()
        except BaseException:
            self.cleanup()
            raise

    def __exit__(self, *exc: object) -> None:
        self.cleanup()

    # ----------------------------------------------------------------------- databases

    def _server_command(self, command: str) -> object:
        token = base64.b64encode(f"{USER}:{self.password}".encode()).decode()
        request = urllib.request.Request(
            f"http://{HOST}:{self.http_port}/api/v1/server", method="POST",
            data=json.dumps({"command": command}).encode(),
            headers={"Content-Type": "application/json", "Authorization": f"Basic {token}"})
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return json.loads(response.read().decode())["result"]
        except urllib.error.HTTPError as err:
            raise BoltServerError(f"{command!r} failed: {err.code} "
                                  f"{err.read().decode(errors='replace')}") from None

    def create_database(self, name: str) -> BoltInfo:
        """Create an empty database and return the info to reach it."""
        self._server_command(f"create database {name}")
        return self.info._replace(database=name)

    def drop_database(self, name: str) -> None:
        """Drop a database and its files."""
        self._server_command(f"drop database {name}")

    def databases(self) -> list[str]:
        """Names of the server's databases."""
        return list(self._server_command("list databases"))  # type: ignore[arg-type]


@pytest.fixture(scope="session")
def bolt_server() -> Iterator[BoltServer]:
    """One running ArcadeDB Bolt server for the session; fails, never skips, if it cannot start."""
    server = BoltServer()
    try:
        server.start()
    except (BoltServerError, OSError) as err:
        server.cleanup()
        pytest.fail(f"could not start the ArcadeDB Bolt server: {err}", pytrace=False)
    try:
        yield server
    finally:
        server.cleanup()


# --------------------------------------------------------------------------- child


def _serve(args: argparse.Namespace) -> int:
    import arcadedb_embedded

    server = arcadedb_embedded.ArcadeDBServer(
        str(Path(args.root).resolve() / "server"), root_password=args.password,
        config={"host": HOST, "http_port": args.http_port, "bolt_port": args.bolt_port,
                "server_plugins": BOLT_PLUGIN},
        jvm_kwargs={"heap_size": args.heap})
    server.start()
    try:
        server.create_database(args.database)
        print(READY, flush=True)
        sys.stdin.read()  # until the parent closes the pipe (or dies)
    finally:
        server.stop()
    return 0


def main(argv: list[str] | None = None) -> int:
    """``python tests/bolt_server.py serve --root DIR ...``: run the server until stdin closes."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve")
    serve.add_argument("--root", required=True)
    serve.add_argument("--password", required=True)
    serve.add_argument("--database", default=DEFAULT_DATABASE)
    serve.add_argument("--bolt-port", type=int, required=True)
    serve.add_argument("--http-port", type=int, required=True)
    serve.add_argument("--heap", default="1g")
    return _serve(parser.parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
