"""Files and folders the tool writes (JSON answers, reports, exports, case files): checked before any work
starts, so a bad path costs one line and nothing half-written, and owner-only (0600 files, 0700 folders) also
when they existed before with wider modes: they hold addresses and user agents, personal data.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

from .errors import InputError

FILE_MODE = 0o600


def _parent_usable(path: Path, what: str) -> None:
    """The nearest folder that exists above `path` is a folder that takes new files (tried with a temporary
    file, removed at once: permissions, read-only media and pseudo file systems all answer the same way)."""
    for parent in path.absolute().parents:
        if parent.exists():
            if not parent.is_dir():
                raise InputError(f"{what} {path}: {parent} is not a folder")
            _takes_files(parent, path, what)
            return


def _takes_files(folder: Path, path: Path, what: str) -> None:
    try:
        with tempfile.TemporaryFile(dir=folder, prefix=".exposure-check-"):
            pass
    except OSError as exc:
        raise InputError(f"{what} {path}: cannot write in {folder} ({exc.strerror or exc})") from None


def _plain(path: str | os.PathLike[str], what: str) -> Path:
    """A path given for the tool to write: not empty, and without control characters (a mistake or an attack:
    such a name would reach terminals and reports)."""
    text = os.fspath(path)
    if text in ("", "."):
        raise InputError(f"{what}: an empty path")
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in text):
        raise InputError(f"{what} '{text}' contains control characters")
    return Path(text)


def check_file(path: str | os.PathLike[str], what: str = "output file") -> Path:
    """`path` can be written as a file: not a folder, nothing that is not a folder above it."""
    out = _plain(path, what)
    if out.is_dir():
        raise InputError(f"{what} {out} is a folder")
    if out.exists() and not out.is_file():
        raise InputError(f"{what} {out} is not a regular file")
    _parent_usable(out, what)
    return out


def check_dir(path: str | os.PathLike[str], what: str = "output folder") -> Path:
    """`path` can be used as a folder: a folder already, or creatable (nothing that is not a folder above)."""
    out = _plain(path, what)
    if out.exists() and not out.is_dir():
        raise InputError(f"{what} {out} exists and is not a folder")
    if out.is_dir():
        _takes_files(out, out, what)
    else:
        _parent_usable(out, what)
    return out


def _identity(path: str | os.PathLike[str]) -> tuple[str, tuple[int, int] | None]:
    """A path's resolved name and, when it exists, its device and inode (a hard link or another name of it)."""
    try:
        st = os.stat(path)
        return os.path.realpath(path), (st.st_dev, st.st_ino)
    except OSError:
        return os.path.realpath(path), None


def _identities(paths: Iterable[str | os.PathLike[str]]) -> tuple[set[str], set[tuple[int, int]]]:
    """The identities of protected paths (the case, its WAL, inputs, evidence stored at ingest), one rule for
    all at the cost of one stat per path: every path's device and inode (the file it leads to now: moved since
    with a link left at its old name, or another spelling of it on a case-insensitive file system), its name
    resolved by its folder once per folder (15,000 evidence files in two folders cost two realpath calls, not
    15,000), and a path that leads to no file now (a case not yet written, a link to a missing file) resolved by
    itself, name and target."""
    names: dict[str, set[str]] = {}
    resolved: set[str] = set()
    inodes: set[tuple[int, int]] = set()
    for path in paths:
        text = os.fspath(path)
        try:
            st = os.stat(text)
        except OSError:
            resolved.add(os.path.realpath(text))
        else:
            inodes.add((st.st_dev, st.st_ino))
        folder, name = os.path.split(text)
        names.setdefault(folder, set()).add(name)
    for folder, group in names.items():
        real = os.path.realpath(folder)
        resolved.update(os.path.join(real, name) for name in group)
    return resolved, inodes


def refuse_protected(outputs: Iterable[str | os.PathLike[str]], protected: Iterable[str | os.PathLike[str]],
                     what: str) -> None:
    """Inputs are read, never written: an output that is the same file as an evidence file, an input or the case
    (by its resolved name, or as another name or hard link of it: the same device and inode) is refused before
    it is written. `protected` is every such path (`Case.protected_paths`, inputs as given), one identity rule
    for each (`_identities`)."""
    names, inodes = _identities(protected)
    for out in outputs:
        name, inode = _identity(out)
        if name in names or (inode is not None and inode in inodes):
            raise InputError(f"{what} {os.fspath(out)} is evidence or the case itself: an output never replaces "
                             "what it was made from (choose another path)")


def write_bytes(path: str | os.PathLike[str], data: bytes) -> Path:
    """Write `data` to a file that is owner-only, also when it existed before; folders made as needed."""
    out = check_file(path)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, FILE_MODE)
        os.fchmod(fd, FILE_MODE)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
    except OSError as exc:
        raise InputError(f"cannot write {out}: {exc.strerror or exc}") from None
    return out
