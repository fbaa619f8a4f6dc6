"""Exception types raised by the library. The CLI turns each into one line on stderr and exit code 1."""

import errno
import re


class ExposureError(Exception):
    """Base class for every error the library raises on purpose."""


class InputError(ExposureError):
    """An input path, option or value given by the user is unusable (missing file, bad CIDR, bad zone)."""


class NotALogError(InputError):
    """A file named explicitly, or every file in a folder, is not an access log."""


class FormatError(ExposureError):
    """A log format name or format directive is unknown or malformed."""


class CaseError(ExposureError):
    """The case database cannot be opened or has an unexpected schema."""


class CaseInUseError(CaseError):
    """Another process holds the case database open for writing."""


class QueryError(ExposureError):
    """A named query is missing or malformed."""


class EvidenceChangedError(ExposureError):
    """An evidence file no longer has the SHA-256 recorded at ingest."""


class InspectError(ExposureError):
    """A document given to `inspect` cannot be read: malformed, encrypted, unsupported or too large."""


# What a file system says when it takes no more: full, over quota, read-only, too big a file
_STORAGE_ERRNOS = {errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EFBIG}
# DuckDB reports its own write failures as text: `Could not write file "PATH": No space left on device`
_DUCKDB_WRITE = re.compile(r'(?:Could not write (?:file )?|Error writing (?:to )?)"?([^":]*)"?:\s*'
                           r"(No space left on device|Disk quota exceeded|Read-only file system|File too large)")


def storage_failure(exc: BaseException) -> str | None:
    """One line for a write the file system refused (disk full, quota, read-only), from the exception or what
    caused it, else None: `no space left on device writing /cases/leak.duckdb.wal`."""
    seen: BaseException | None = exc
    for _ in range(10):
        if seen is None:
            return None
        if isinstance(seen, OSError) and seen.errno in _STORAGE_ERRNOS:
            where = f" writing {seen.filename}" if seen.filename else " while writing"
            return f"{(seen.strerror or str(seen)).lower()}{where}"
        found = _DUCKDB_WRITE.search(str(seen))
        if found:
            return f"{found.group(2).lower()} writing {found.group(1)}"
        seen = seen.__cause__ or seen.__context__
    return None


class AccountingError(RuntimeError):
    """A file's lines and what they became disagree (`lines != requests + rejected + skipped`): a bug in the tool,
    never the user's error. Deliberately not an ExposureError, so no handler of user errors can swallow it."""
