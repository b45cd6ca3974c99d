"""Atomic outputs: write to a temporary beside the target, then rename it into place.

A reader never sees a half-written output, and a crash, an exception or a SIGKILL
while writing leaves the previous version intact. ``os.replace`` is atomic on POSIX
when source and target are on the same file system, which a sibling temporary
ensures (see the Python docs of :func:`os.replace` and POSIX ``rename(2)``).

Three levels:

- :func:`atomic_write`: one file, written to a sibling temporary file and renamed.
- :func:`atomic_directory`: a folder of several files (``neo4j/``, ``graph.lbdb/``)
  built in a sibling temporary folder. An existing folder cannot be replaced by
  ``rename(2)``, so on Linux the two are swapped with ``renameat2(...,
  RENAME_EXCHANGE)`` [1]_, one atomic step; where that call is missing the old
  folder is moved aside first, and if the process dies between the two renames the
  next writer of that folder moves it back (see below).
- :func:`atomic_outputs`: every output of a build, written into one staging folder
  inside the output folder and moved into place only once all of them are complete.
  A build killed before that point leaves all previous outputs as they were, rather
  than a mix of new files and old ones (say a new ``graph.json`` beside the previous
  ``graph.lbdb/``, the longest to write); only the final renames, a few system calls,
  can be cut in the middle.

Leftovers
---------
Temporaries are hidden entries named ``.<target name>.<pid>-<host>.<random>.tmp``,
so nothing that lists or reads the outputs takes one for an output. A process killed
with SIGKILL cannot remove its own; the next writer of the same target removes those
whose process (same host, that pid) no longer runs, and moves a folder that was set
aside (``.<name>.<pid>-<host>.old``) back into place when the target is missing.

References
----------
.. [1] Linux man-pages, ``rename(2)``: ``renameat2`` and ``RENAME_EXCHANGE``
   ("atomically exchange oldpath and newpath; both pathnames must exist but may be of
   different types"). https://man7.org/linux/man-pages/man2/rename.2.html
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import os
import re
import shutil
import socket
import tempfile
from pathlib import Path
from typing import IO, Iterator

__all__ = ["atomic_write", "atomic_directory", "atomic_outputs", "remove_stale"]

#: Name of the staging folder of :func:`atomic_outputs` (as the "target" of its
#: temporary names: ``.build.<pid>-<host>.<random>.tmp``).
STAGING = "build"

_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


def _default_mode(directory: bool = False) -> int:
    """Permissions a plain ``open`` (or ``mkdir``) would give under the current umask.

    ``tempfile.mkstemp``/``mkdtemp`` create 0600/0700 entries; outputs are meant to be
    read by others (a web server, a Neo4j import), so they get the usual mode.
    """
    umask = os.umask(0)
    os.umask(umask)
    return (0o777 if directory else 0o666) & ~umask


# --------------------------------------------------------------------------- temporary names

def _host() -> str:
    return re.sub(r"[^A-Za-z0-9-]", "", socket.gethostname())[:32]


def _owner() -> str:
    """``<pid>-<host>``: the part of a temporary's name that says who made it."""
    return f"{os.getpid()}-{_host()}"


def _leftover_re(name: str) -> re.Pattern[str]:
    return re.compile(rf"\.{re.escape(name)}\.(\d+)-([A-Za-z0-9-]*)\.(?:.+\.tmp|old)")


def _alive(pid: int) -> bool:
    if os.name != "posix":  # os.kill(pid, 0) would terminate the process on Windows
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # EPERM: it exists, under another user
        return True
    return True


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        with contextlib.suppress(FileNotFoundError):
            path.unlink()


def remove_stale(target: str | os.PathLike[str]) -> list[Path]:
    """Clean up after writers of ``target`` that were killed: remove their temporaries.

    A temporary of ``target`` is a sibling named ``.<name>.<pid>-<host>.<random>.tmp``
    (or ``.<name>.<pid>-<host>.old``, a previous folder set aside). It is stale when it
    was made on this host by a process that no longer runs. A stale ``.old`` folder is
    renamed back to ``target`` when ``target`` is missing (the writer died between its
    two renames), and removed otherwise. Temporaries of live processes, and of other
    hosts sharing the folder, are left alone; so is everything on systems that are not
    POSIX, where a process cannot be asked whether it runs without being stopped.

    Parameters
    ----------
    target : str or PathLike
        An output file or folder (it need not exist).

    Returns
    -------
    list of Path
        The stale entries removed or restored.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> dead = 2 ** 22 + 1  # above Linux's pid_max: no process has it
    >>> _ = (d / f".graph.json.{dead}-{_host()}.x1y2.tmp").write_text("half")
    >>> [p.name.endswith(".tmp") for p in remove_stale(d / "graph.json")]
    [True]
    >>> list(d.iterdir())
    []
    """
    target = Path(target)
    folder = target.parent
    pattern = _leftover_re(target.name)
    host = _host()
    found = []
    try:
        entries = sorted(folder.iterdir())
    except OSError:
        return []
    for entry in entries:
        m = pattern.fullmatch(entry.name)
        if m is None or m.group(2) != host or _alive(int(m.group(1))):
            continue
        if entry.name.endswith(".old") and not os.path.lexists(target):
            try:
                os.rename(entry, target)
            except OSError:
                continue  # keep the only copy; a later writer tries again
            found.append(entry)
            continue
        _remove(entry)
        found.append(entry)
    return found


# --------------------------------------------------------------------------- renames

def _libc_renameat2():
    try:
        func = ctypes.CDLL(None, use_errno=True).renameat2
    except (AttributeError, OSError, TypeError):  # not glibc/musl, or not Linux
        return None
    func.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p,
                     ctypes.c_uint]
    func.restype = ctypes.c_int
    return func


_renameat2 = _libc_renameat2()


def _exchange(a: Path, b: Path) -> bool:
    """Swap ``a`` and ``b`` in one atomic step; False when the system cannot."""
    if _renameat2 is None:
        return False
    if _renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b),
                  _RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP, errno.EPERM):
        return False  # old kernel, or a file system without exchange
    raise OSError(code, os.strerror(code), str(b))


def _replace_directory(tmp: Path, target: Path) -> None:
    """Move the finished folder ``tmp`` to ``target``, replacing what is there."""
    if not os.path.lexists(target):
        os.rename(tmp, target)
        return
    if _exchange(tmp, target):
        _remove(tmp)  # now the previous target
        return
    old = target.parent / f".{target.name}.{_owner()}.old"
    os.rename(target, old)
    try:
        os.rename(tmp, target)
    except BaseException:
        os.rename(old, target)
        raise
    _remove(old)


def _fsync_directory(folder: Path) -> None:
    """Make the renames in ``folder`` durable (not needed against SIGKILL, but against a
    power cut); silently skipped where folders cannot be opened."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        with contextlib.suppress(OSError):
            os.fsync(fd)
    finally:
        os.close(fd)


# --------------------------------------------------------------------------- public

@contextlib.contextmanager
def atomic_write(path: str | os.PathLike[str], mode: str = "w", encoding: str | None = "utf-8",
                 newline: str | None = None) -> Iterator[IO]:
    """Open a temporary file that replaces ``path`` only when the block succeeds.

    Parameters
    ----------
    path : str or PathLike
        The final file. Its parent folder is created when missing.
    mode : {"w", "wb"}
        Text or binary mode.
    encoding : str or None
        Text encoding (ignored in binary mode).
    newline : str or None
        Passed to :func:`open` (use ``""`` for the csv module).

    Yields
    ------
    file object
        Open handle on the temporary file, ``.<name>.<pid>-<host>.<random>.tmp``
        beside ``path``; stale ones of killed writers are removed first
        (:func:`remove_stale`).

    Raises
    ------
    OSError
        When the folder cannot be created or written; the target is left untouched.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> with atomic_write(d / "a.txt") as f:
    ...     _ = f.write("hello")
    >>> (d / "a.txt").read_text()
    'hello'
    """
    if mode not in ("w", "wb"):
        raise ValueError(f"mode must be 'w' or 'wb', not {mode!r}")
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    remove_stale(target)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.{_owner()}.", suffix=".tmp",
                               dir=target.parent)
    try:
        if mode == "wb":
            handle = os.fdopen(fd, "wb")
        else:
            handle = os.fdopen(fd, "w", encoding=encoding, newline=newline)
        with handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, _default_mode())
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


@contextlib.contextmanager
def atomic_directory(path: str | os.PathLike[str]) -> Iterator[Path]:
    """Build a folder in a temporary sibling, then swap it in place of ``path``.

    Used for outputs made of several files (``neo4j/``, ``graph.lbdb/``) that must
    change together. An existing folder is exchanged with the new one in a single
    ``renameat2(RENAME_EXCHANGE)`` on Linux, then removed; elsewhere it is renamed
    aside and back if the second rename fails.

    Parameters
    ----------
    path : str or PathLike
        The final folder; an existing one is replaced only when the block succeeds.

    Yields
    ------
    pathlib.Path
        The temporary folder to fill (``.<name>.<pid>-<host>.<random>.tmp``).

    Raises
    ------
    OSError
        When the folder cannot be created or renamed; the target is left untouched.
    """
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    remove_stale(target)
    tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.{_owner()}.", suffix=".tmp",
                                dir=target.parent))
    try:
        yield tmp
        os.chmod(tmp, _default_mode(directory=True))
        _replace_directory(tmp, target)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


@contextlib.contextmanager
def atomic_outputs(out_dir: str | os.PathLike[str]) -> Iterator[Path]:
    """Stage several outputs, then move them all into ``out_dir`` when the block succeeds.

    The block writes its outputs (files and folders, by any means, e.g. the
    ``write_*`` functions) into a staging folder inside ``out_dir``. When it ends
    normally each top-level entry of the staging folder replaces the entry of the same
    name in ``out_dir`` (files with :func:`os.replace`, folders as in
    :func:`atomic_directory`), in name order, and the staging folder is removed. When it
    raises, or the process is killed, nothing in ``out_dir`` has changed; a staging
    folder left by a killed process is removed by the next call for the same folder.

    Parameters
    ----------
    out_dir : str or PathLike
        The output folder, created when missing. Entries the block does not write are
        left as they are.

    Yields
    ------
    pathlib.Path
        The staging folder, ``<out_dir>/.build.<pid>-<host>.<random>.tmp``, on the same
        file system as ``out_dir``.

    Raises
    ------
    OSError
        When the staging folder cannot be made or an entry cannot be moved.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> out = pathlib.Path(tempfile.mkdtemp())
    >>> with atomic_outputs(out) as stage:
    ...     _ = (stage / "a.txt").write_text("new")
    ...     (stage / "folder").mkdir()
    >>> sorted(p.name for p in out.iterdir())
    ['a.txt', 'folder']
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    remove_stale(out / STAGING)
    stage = Path(tempfile.mkdtemp(prefix=f".{STAGING}.{_owner()}.", suffix=".tmp", dir=out))
    try:
        yield stage
        for entry in sorted(stage.iterdir()):
            if entry.name.startswith("."):
                continue  # a writer's own temporary; not an output
            target = out / entry.name
            if entry.is_dir() and not entry.is_symlink():
                os.chmod(entry, _default_mode(directory=True))
                _replace_directory(entry, target)
            else:
                os.replace(entry, target)
        _fsync_directory(out)
    finally:
        shutil.rmtree(stage, ignore_errors=True)
