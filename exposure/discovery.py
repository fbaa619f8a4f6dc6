"""Finding the evidence under the inputs: files, and what could not be read, in a stable order; never aborts.

Folders are walked depth first in name order (the order `sorted()` gives paths), symlinked folders followed
once: a link back to a folder being walked (a loop) or to one walked already is named and not walked again.
Paths are recorded as given plus the sub-path under a given folder. A file or folder that cannot be opened or
listed, a named pipe, socket or device, a dangling link: each is an `Unreadable` with its reason. The open
case's own files (the case, its WAL, DuckDB's temporary folder) and exposure's own output (a report folder, an
analysis JSON) are never evidence, even inside an input folder: they are named in `notes` and passed over.
"""

from __future__ import annotations

import os
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from .errors import InputError
from .evidence import EvidenceFile, described, not_regular, open_evidence, special_kind

REPORT_MANIFEST = "MANIFEST.sha256"  # written by `exposure report` beside report.html (exposure/report/manifest.py)
OUTPUT_SNIFF = 512


@dataclass(frozen=True)
class Unreadable:
    """A file or folder that could not be opened, listed or read at all."""

    path: str  # as given plus the sub-path
    abs_path: str
    kind: str  # file | folder
    reason: str  # "permission denied", "folder cannot be listed: permission denied", ...
    server: str
    size_bytes: int | None = None
    mtime: datetime | None = None


Found = EvidenceFile | Unreadable


@dataclass
class Discovery:
    items: list[tuple[Found, bool]] = field(default_factory=list)  # (what, named explicitly), in order
    notes: list[str] = field(default_factory=list)  # what was passed over on purpose, and why

    @property
    def files(self) -> list[tuple[EvidenceFile, bool]]:
        return [(f, explicit) for f, explicit in self.items if isinstance(f, EvidenceFile)]


def os_reason(exc: OSError) -> str:
    """Why the system refused a file or folder, as a registry reason (`permission denied`)."""
    text = exc.strerror or str(exc)
    return text[:1].lower() + text[1:]  # "Permission denied": "permission denied"; a name (FIFO) kept as written


def not_utf8(name: str) -> bool:
    """A name holding bytes that are not UTF-8 (Python keeps them as lone surrogates): the case's text columns
    cannot hold it as it is."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def storable(name: str) -> str:
    """A name as the case can hold it: each byte that is not UTF-8 written `\\xNN` (lossless for reading, never
    used to open the file again)."""
    return os.fsencode(name).decode("utf-8", "backslashreplace") if not_utf8(name) else name


NOT_UTF8_NAME = ("its name is not valid UTF-8: not read (copy it under a UTF-8 name to read it); each byte that is "
                 "not UTF-8 is recorded in its path as \\xNN")


class _Walk:
    def __init__(self, own: Collection[str]) -> None:
        self.out = Discovery()
        # a file's identity (device and inode, as a folder's: a hard link is the same file; its resolved path
        # where it cannot be stat'ed) -> how it was met first: (its name, its place in out.items, why it is not read)
        self.seen_files: dict[object, tuple[str, int, str | None]] = {}
        self.walked: dict[tuple[int, int], str] = {}  # folder identity -> path it was walked as
        self.own = {os.path.realpath(p) for p in own}

    def _server(self, path: Path, root: Path | None) -> str:
        if root is None:
            return path.parent.name or "."
        rel = path.parent.relative_to(root)
        return str(rel) if str(rel) != "." else root.name

    def unreadable(self, shown: str, path: Path, kind: str, reason: str, root: Path | None,
                   explicit: bool, st: os.stat_result | None = None) -> None:
        abs_path = os.path.abspath(path)
        key = _identity(path, st)
        if self._met_before(shown, key, explicit):
            return
        self.seen_files[key] = (shown, len(self.out.items), kind)
        self.out.items.append((Unreadable(
            storable(shown), storable(abs_path), kind, reason, storable(self._server(path, root)),
            st.st_size if st is not None and kind == "file" else None,
            datetime.fromtimestamp(st.st_mtime, UTC).replace(tzinfo=None) if st is not None else None),
            explicit))

    def _met_before(self, shown: str, key: object, explicit: bool) -> bool:
        """The file was met already under another name (a link to it, a hard link, the same input given twice):
        named in the notes, read once, where it was met first (as a folder met twice is); given by name now, it
        is held to what a file given by name is held to (explicit), wherever it was met first."""
        seen = self.seen_files.get(key)
        if seen is None:
            return False
        first, index, unread = seen
        if explicit:
            self.out.items[index] = (self.out.items[index][0], True)
        kind = unread or "file"
        done = "read once" if unread is None else f"not read ({self._said(index)})"
        self.out.notes.append(f"{kind} {storable(shown)} is given again: {done}" if first == shown else
                              f"{kind} {storable(shown)} is the same {kind} as {storable(first)}: {done}, there")
        return True

    def _said(self, index: int) -> str:
        item = self.out.items[index][0]
        return item.reason if isinstance(item, Unreadable) else "as said"

    def file(self, shown: str, path: Path, root: Path | None, explicit: bool,
             real: str | None = None) -> None:
        """`real`: the resolved path when the caller knows it (a folder's entry that is no link)."""
        try:
            st = path.stat()
        except OSError as exc:
            reason = (f"a link to a missing file ({os.readlink(path)})" if path.is_symlink()
                      and isinstance(exc, FileNotFoundError) else os_reason(exc))
            self.unreadable(shown, path, "file", reason, root, explicit)
            return
        if not_utf8(os.path.abspath(path)):  # its size and time kept: a stream's uncovered span starts there
            self.unreadable(shown, path, "file", NOT_UTF8_NAME, root, explicit, st)
            return
        real = real or os.path.realpath(path)
        if real in self.own:
            self.out.notes.append(f"not evidence: {shown} is the open case's own file")
            return
        if special_kind(st.st_mode) is not None:
            self.unreadable(shown, path, "file", not_regular(st.st_mode), root, explicit, st)
            return
        try:
            ev, head = described(path, shown, root, st, real, OUTPUT_SNIFF)
        except OSError as exc:
            self.unreadable(shown, path, "file", os_reason(exc), root, explicit, st)
            return
        if self._met_before(shown, _identity(path, st), explicit):
            return
        if _is_exposure_output(ev, head):
            self.out.notes.append(f"not evidence: {shown} is output written by exposure")
            return
        self.seen_files[_identity(path, st)] = (shown, len(self.out.items), None)
        self.out.items.append((ev, explicit))

    def folder(self, shown: str, path: Path, root: Path, ancestors: tuple[tuple[int, int], ...]) -> None:
        try:
            st = path.stat()
            key = (st.st_dev, st.st_ino)
        except OSError as exc:
            self.unreadable(shown, path, "folder", f"folder cannot be read: {os_reason(exc)}", root, False)
            return
        real_dir = os.path.realpath(path)
        if real_dir in self.own:
            self.out.notes.append(f"not evidence: {shown} is the open case's temporary folder")
            return
        if key in ancestors:
            self.out.notes.append(f"folder link {shown} loops back to {self.walked.get(key, 'a folder above it')}: "
                                  "not followed again")
            return
        if key in self.walked:
            self.out.notes.append(f"folder {shown} is the same folder as {self.walked[key]}: read once, there")
            return
        try:
            with os.scandir(path) as it:
                entries = sorted(it, key=lambda e: e.name)
        except OSError as exc:  # not walked: met again, it is said 'not read' (_met_before), not 'read once'
            self.unreadable(shown, path, "folder", f"folder cannot be listed: {os_reason(exc)}", root, False, st)
            return
        self.walked[key] = shown
        outputs = _report_outputs(path, {e.name for e in entries})
        if outputs:
            self.out.notes.append(f"not evidence: {len(outputs)} files of an exposure report in {shown}")
        for entry in entries:
            if entry.name in outputs:
                continue
            child_shown = os.path.join(shown, entry.name)
            child = path / entry.name
            try:
                is_dir = entry.is_dir()  # follows links
            except OSError:
                is_dir = False
            if is_dir:
                self.folder(child_shown, child, root, (*ancestors, key))
            else:
                try:
                    link = entry.is_symlink()
                except OSError:
                    link = True
                # resolved once per folder: resolving each file's path again costs a stat per part of it
                self.file(child_shown, child, root, False, None if link else os.path.join(real_dir, entry.name))


def _identity(path: Path, st: os.stat_result | None) -> object:
    """What makes two names one file: its device and inode (a link, a hard link), or where it cannot be stat'ed
    (a broken link) the path it resolves to."""
    return (st.st_dev, st.st_ino) if st is not None else os.path.realpath(path)


def via_link(path: str, abs_path: str) -> str | None:
    """The path as given, absolute with no link resolved, when it is not where the file resolved (`abs_path`):
    the file was reached through a symbolic link (its own or a folder's on the way). The working folder is
    the one the path was given in (ingest runs there); a name that is not UTF-8 is no link to name."""
    if not_utf8(path):
        return None
    # `..` is not collapsed as text: after a link (`ld/../x.log`, ld -> elsewhere/sub) it leads where the link
    # leads (elsewhere/x.log), not beside the link; the given path is kept as it was, and verify resolves it so
    given = path if os.path.isabs(path) else os.path.join(os.getcwd(), path)
    return given if os.path.normpath(given) != abs_path else None


def discover(inputs: list[str | os.PathLike[str]], own: Collection[str] = ()) -> Discovery:
    """Expand files and folders (recursively, in sorted order) into evidence files and unreadable entries.

    `own` lists the open case's files, never taken as evidence. Raises InputError only for an input that does
    not exist at all (nothing can be said about it): everything else is recorded.
    """
    walk = _Walk(own)
    for item in inputs:
        p = Path(item)
        if not p.exists() and not p.is_symlink():
            raise InputError(f"no such file or directory: {item}")
        if p.is_dir():
            walk.folder(str(item), p, p, ())
        else:
            walk.file(str(item), p, None, True)
    return walk.out


def _report_outputs(folder: Path, names: set[str]) -> set[str]:
    """The files of a report exposure wrote into `folder` (named in its manifest beside a report.html that
    says exposure generated it), or nothing."""
    if REPORT_MANIFEST not in names or "report.html" not in names:
        return set()
    try:  # opened as evidence is (open_evidence): a named pipe under either name is refused at once, never waited on
        with open_evidence(folder / "report.html") as fh:
            head = fh.read(4096)
        with open_evidence(folder / REPORT_MANIFEST) as fh:
            manifest = fh.read().decode("utf-8")
        listed = [line.split(maxsplit=1)[1].strip() for line in manifest.splitlines() if len(line.split()) == 2]
    except (OSError, UnicodeDecodeError, IndexError):
        return set()
    if b'<meta name="generator" content="exposure' not in head:
        return set()
    return {REPORT_MANIFEST, *(name for name in listed if "/" not in name)}


def _is_exposure_output(ev: EvidenceFile, head: bytes) -> bool:
    """An answer JSON written by exposure (`--json`): its schema field names exposure (`head`: the file's start)."""
    if ev.compression != "none" or ev.size_bytes < 20:
        return False
    return head.lstrip().startswith(b"{") and b'"schema": "exposure.' in head
