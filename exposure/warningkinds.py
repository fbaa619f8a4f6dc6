"""The kind of each warning the answer gives (exposure/answer.py words them, the case's and each file's), named by
the words its producer writes: page 1 of the report says its caveats whole while its room lasts and counts the
rest in one line, which names their kinds (report/caveats.py, report/pageone.py): "2 more caveats (size in doubt,
partial downloads that may add up to a copy)", never a bare count. The report's catalogue has a label for each
kind (`caveat_kind_<kind>`, report/i18n.py) in English and Dutch.
"""

from __future__ import annotations

import re

from .answer import CDN_FILL, CLOCKS_DIFFER, GEOIP_OLDER, INFERRED_SUMS, SENT_NOT_RECEIVED
from .timefmt import LOG_TZ_SHOWN, LOG_TZ_ZONES, OFFSETS_WRITTEN

OTHER = "other"  # a warning none of the words below names (a new producer's, until it is named here)

# (kind, the words of its producer that name it), tested in this order; the first that is found names the kind
KINDS: tuple[tuple[str, re.Pattern[str]], ...] = tuple((kind, re.compile(words, re.S)) for kind, words in (
    ("geoip_older", re.escape(GEOIP_OLDER)),
    ("utc_offsets", rf"^{re.escape(OFFSETS_WRITTEN)} \d+ UTC offsets|^{re.escape(LOG_TZ_ZONES)}"
                    rf"|{re.escape(LOG_TZ_SHOWN)}"),
    ("windows_may_be_one", re.escape(CLOCKS_DIFFER)),
    ("cdn_fill", re.escape(CDN_FILL)),
    ("republication", r"^window \d+(?: of --alias .+?)? may be no republication: "),
    ("size_unknown", r"so the file size is unknown"),
    ("open_at_start", r"opens within the first hour of the evidence"),
    ("several_lengths", r"^window \d+: two or more lengths stated: "),
    ("size_in_doubt", r"^window \d+: size in doubt: "),
    ("above_size", r"more body bytes than the file's size"),
    ("error_page", r"^window \d+: closed by an error page: "),
    ("identical_counts", r"addresses each delivered exactly |more windows with identical counts"),
    ("partials_add_up", r"partial downloads may together hold the file"),
    ("forwarded_parts", r"joins parts whose X-Forwarded-For names different clients"),
    ("withdrawn", r"^window \d+(?: of --alias .+?)? may have been withdrawn: "),
    ("redirects_after", r"^window \d+(?: of --alias .+?)?: after its last available response the path answered "
                        r"redirects"),
    ("shared_spelling", r"from a server that ignores case \(IIS\)"),
    ("alias_unanswered", r"^--alias .+ was never answered with a response that shows the file available"),
    ("no_method", r" no method \(the log records none\)"),
    ("inferred_sums", re.escape(INFERRED_SUMS)),
    ("logged_twice", r"may be counted twice .*downloads_logged_twice"),
    ("several_hosts", r" was requested on \d+ hosts \("),
    ("never_requested", r" was never requested in the evidence: no windows, no downloads$"),
    ("proxy_addresses", r"client addresses are private or shared"),
    ("mostly_rejected", r": \d+ of \d+ lines rejected: "),
    ("clock_fold", r"logged in the hour the clocks go back"),
    ("sent_not_received", re.escape(SENT_NOT_RECEIVED)),
))


def warning_kind(warning: str) -> str:
    """The kind of one warning of the answer (KINDS), OTHER where none is named."""
    for kind, words in KINDS:
        if words.search(warning):
            return kind
    return OTHER
