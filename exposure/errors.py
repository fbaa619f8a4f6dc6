"""Exception types raised by the library. The CLI turns each into one line on stderr and exit code 1."""


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


class AccountingError(RuntimeError):
    """A file's lines and what they became disagree (`lines != requests + rejected + skipped`): a bug in the tool,
    never the user's error. Deliberately not an ExposureError, so no handler of user errors can swallow it."""
