"""Log streams: which evidence files are one server's log, told by the names servers and log shippers write.

A server writes one log stream (`access.log`, rotated to `access.log.1`, `access.log-20200612.gz` ...); its gaps,
overlaps and coverage only mean something per stream. Folders are a hint, not the key: the same server's
rotations may arrive in several folders, and two servers' rotations in one flat folder. The rules, in order:

1. **The name** (`read_name`). Compression (`.gz`, `.bz2`, ...), a person's copy markers (`copy of`, `kopie`,
   `backup`, `export`, ` (1)`, `.bak`, `_old`, `.copy` ...) and rotation (`.1`, `-20200612`, `.2020-06-12`, a date
   before `.log`) and an export's part number (`part-00001.log`, `part-r-00000`: 4 or more digits with their
   zeros, or 5 or more) and a split log's piece (`access-part-0003.log`, `access.log.part002`: the word `part`
   and a number) are taken off; what is left is the log's name. IIS (`u_exYYMMDD.log`, `exYYMMDD.log`,
   `u_extendN.log` in a `W3SVCn` site folder), S3 server access log keys (`<prefix>YYYY-mm-DD-HH-MM-SS-<unique>`),
   CloudFront (`<distribution>.YYYY-MM-DD-HH.<unique>.gz`) and ALB/ELB
   (`<account>_elasticloadbalancing_<region>_<lb>_<time>_<ip>_<random>.log.gz`) names carry their stream.
   A server's default name (`access.log`, `access_log`, `ssl_access_log`, `u_ex` ...) is the same on every
   server, so the nearest folder that names something (not `log`, `logs`, `var`, a date, a copy's folder ...) is
   added: `web1/access.log`; server software folders below it stay part of the stream (`web1/nginx/access.log`).
   A name of its own (`web1-access.log`, `example.com.access.log`) is the stream wherever it lies.
2. **The content, where the name is silent** (a name no server writes: `logs.txt`, `data`): an S3 or CloudFront
   log of the one bucket (host) that the named files of exactly one `s3:`/`cloudfront:` stream of its format log
   joins that stream; else the W3C `s-computername`/`s-sitename`/`s-ip` of its first data line, else its one
   virtual host, else its format in its folder.
3. **Copies join the stream they copy, where the content says so**: a file with the same content as another
   (duplicate) is in that file's stream; a file whose name is a copy's or silent (or in a copy's folder) every
   request line of which repeats another file's lines (an overlap, exposure/overlap.py), or that repeats several
   files' lines, joins the stream of the file it repeats (one with lines of its own keeps its name's); a file whose
   name is a copy's or silent, cited as the original, joins the file that repeats all its request lines, where
   that file keeps a stream of its own (`repeated whole:`). A server's name is never joined, whatever lines of it
   another file holds, and no join chains two servers' logs through a third file (web1 inside `cat web1 web2`
   keeps its stream and its gaps; web3's 3 health checks that web2 logged too keep web3's).

`--stream-from name|folder|PATTERN` replaces the rules: `name` is the log's name alone (rule 1 without the
folder, nothing else), `folder` the folder a file lies in (as given) with its date folders taken off (a folder
per day of one server, `logs/2020-06-08/`, is stream `logs`: `stream_folder`), a PATTERN is a regular expression searched
in the path as given whose named group `stream`, else first group, else whole match is the stream (a file it
does not match keeps rule 1-3, and its reason says so). Each file's `stream`, `server` (the stream's server
name) and `stream_reason` are in the evidence registry; the rule in force is kept in the case (meta
`stream_from`) and applied to every file after each ingest, so the case never mixes two rules.

The names also say who wrote a file (recorded at ingest): `name_kind` is `server` (a name servers, rotation or
shippers write), `silent` (a name that says nothing) or `copy` (a name people give a copy), and `copy_folder`
names a folder on its path named like a copy's (`export/`, `backup/` ...); the citation rule
(queries/citation.sql) prefers a server's name, then a file outside such folders.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import PurePath
from typing import Any

import duckdb

from . import queries
from .errors import InputError
from .namekinds import COPY, SERVER, SILENT, named_like_copy

AUTO, BY_NAME, BY_FOLDER = "auto", "name", "folder"
# streams AWS writes per bucket or distribution (read_name): a silent file of the same host joins one
AWS_STREAMS = ("s3:", "cloudfront:")
AWS_FORMATS = ("s3", "cloudfront")  # the formats whose named streams a silent file may join (_named_by_host)

_COMPRESSION = re.compile(r"\.(gz|bz2|xz|zst|lz4|z)$", re.IGNORECASE)
# what people add to a name when they copy a file (English and Dutch), at its start or its end
_COPY_START = re.compile(r"^(copy[ _-]?of[ _-]?|kopie[ _-]?(van[ _-]?)?|backup[ _-]|bak[ _-]|exported[ _-]|"
                         r"export[ _-]|old[ _-])", re.IGNORECASE)
# a copy's mark after the name: Windows `access - Copy (2).log`, `access (1).log`; GNOME's `access (copy).log`,
# `(another copy)`, `(3rd copy)`; macOS Finder's `access copy.log`, `access copy 2.log`; an editor's or a
# person's `.bak`, `.orig`, `~`; a person's extract of a log (`sort -u access.log > access.log.sorted`, `.filtered`,
# `.grep`, `.uniq`: red team 22, each download of it counted twice beside the log under a server's name)
_COPY_END = re.compile(r"(\s*\(\d+\)|\s*\((another |\d+(st|nd|rd|th) )?(copy|kopie)\)|\s*-\s*(copy|kopie)(\s*\(\d+\))?|"
                       r"[ _-](copy|kopie)( \d+)?|[ _-](backup|bak|old|export)|"
                       r"\.(bak|backup|copy|kopie|orig|old|save|sav|tmp|sorted|filtered|grep|uniq)|~)$", re.IGNORECASE)
_COPY_FOLDER = re.compile(r"(^|[ _.-])(copy|copies|kopie|kopie[eë]n|backup|backups|bak|export|exports|exported|old)"
                          r"([ _.-]|$)", re.IGNORECASE)
_EXTENSION = re.compile(r"\.(log|txt|json|csv)$", re.IGNORECASE)
# rotation written after the name: .1, -2, -20200612(HH(MM(SS))), .2020-06-12(-HH), an epoch second (rotatelogs)
_ROTATION = re.compile(r"([._-]\d{8}(\d{2}(\d{2}(\d{2})?)?)?|[._-]\d{4}-\d{2}-\d{2}([T_-]\d{2}(-?\d{2}(-?\d{2})?)?)?"
                       r"|\.\d{1,4}|-\d{1,4}|[._]\d{10})$")
# a date written before the extension (Apache rotatelogs/cronolog `access-20200612.log`, Tomcat
# `localhost_access_log.2020-06-12.txt`)
_DATED = re.compile(r"^(?P<stem>.+?)[._-](\d{8}|\d{4}-\d{2}-\d{2}|\d{6})(?P<ext>\.(log|txt))$", re.IGNORECASE)
# a numbered part of one export (Hadoop/Spark `part-00001`, `part-r-00000.log`, `access-0007.log`): a number of
# 4 or more digits written with its zeros, or of 5 or more, after the name and before any extension, where the
# name left is an exporter's (`part`, `part-r`, `part-m`), or a server's default name (`access.log`) and the
# number is written with its zeros. Any other name keeps its number: `node-0001.log`, `web-10001.log`,
# `access-10443.log` may be servers, or ports, of their own.
_PART = re.compile(r"^(?P<stem>.+?)(?P<part>[._-](0\d{3,}|\d{5,}))(?P<ext>\.(log|txt|json|csv))?$", re.IGNORECASE)
_EXPORT_STEM = re.compile(r"^part([._-][rm])?$", re.IGNORECASE)
# a part of one log split in pieces, the word `part` and its number written in the name (`access-part-0003.log`,
# `access.part001.log`, `access.log.part002`, `web1-access_part7.log`): taken off wherever the number has any
# digits, the rest of the name is the log's
_PART_WORD = re.compile(r"^(?P<stem>.+?)(?P<part>[._-]part[._-]?\d+)(?P<ext>\.(log|txt|json|csv))?$", re.IGNORECASE)
_IIS = re.compile(r"^(?P<prefix>u_ex|ex|u_extend|u_nc|nc|u_in|in)(\d{6}(\d{2})?|\d{1,4})\.log$", re.IGNORECASE)
_S3 = re.compile(r"^(?P<prefix>.*?)(?P<time>\d{4}-\d{2}-\d{2}-\d{2}-\d{2}-\d{2})-[0-9A-F]{16}$")
# the unique ID: 8 hex digits in delivered logs, 11 letters and digits in AWS's own example
# (EMLARXS9EXAMPLE.2019-11-14-20.RT4KCN4SGK9.gz, the CloudFront Developer Guide's "File name format"); standard
# logging v2 names its Parquet output .parquet (unread, exposure/evidence.py: placed over its hour all the same)
_CLOUDFRONT = re.compile(r"^(?P<dist>E[A-Z0-9]{6,20})\.(?P<time>\d{4}-\d{2}-\d{2}-\d{2})\.[0-9A-Za-z]{8,16}"
                         r"(\.gz|\.parquet)?$")
# the time an S3 key (AWS's delivery time; with event-time partitioning the day of its lines) or a CloudFront
# log's name (the hour of its lines) gives, UTC
_NAME_TIMES = {"s3": "%Y-%m-%d-%H-%M-%S", "cloudfront": "%Y-%m-%d-%H", "day": "%Y%m%d", "hour": "%Y%m%d%H"}
# a rotation's date as logrotate's dateext writes it (`-%Y%m%d`, hourly `-%Y%m%d%H`): the file's place among the
# stream's rotations (its lines after those of the rotations dated before it, before those dated after it)
_ROTATION_DATE = re.compile(r"^-(\d{8}|\d{10})$")
# the years a name's date or epoch second is believed in: `-1789021500` (logrotate `dateformat -%s`) is no hour of
# the year 1789 but the epoch second of 2026-09-10T06:25:00Z
PLAUSIBLE_YEARS = (1990, 2100)
# what the time a name gives is (evidence.name_time_kind, read by queries/findings.sql and evidence_rules.sql):
# AWS's delivery time of an S3 key, the hour of a CloudFront log's lines, a rotation's date (or epoch second);
# `live` marks a server's log name with no rotation (the file it writes now, the newest of its stream), no time
NAME_S3, NAME_CLOUDFRONT, NAME_ROTATION, NAME_LIVE = "s3", "cloudfront", "rotation", "live"
_ELB = re.compile(r"^(?P<account>\d{12})_elasticloadbalancing_(?P<region>[a-z0-9-]+)_(?P<lb>.+)_\d{8}T\d{4}Z_"
                  r"[0-9a-fA-F.:]+_[0-9a-z]+\.log(\.gz)?$")
# a server's default log name: the same on every server, so the folder tells them apart
_DEFAULT_NAMES = {"access.log", "access_log", "access", "ssl_access_log", "ssl_access.log", "ssl-access.log",
                  "ssl_request_log", "other_vhosts_access.log", "localhost_access_log.txt", "request.log",
                  "requests.log", "access.json", "access.log.json", "http.log", "https.log"}
_NAMED_SERVER = re.compile(r"^(?P<server>.+?)[._-](ssl[._-])?(access|request)([._-]log)?(\.(log|txt|json))?$"
                           r"|^(access|request)[._-](?P<server2>.+?)\.(log|txt|json)$", re.IGNORECASE)
_SERVERISH = re.compile(r"(access|request)|(\.log|_log|\.log\.json)$", re.IGNORECASE)
# folders that name nothing about a server: skipped when looking for the one that does
_PLAIN_FOLDERS = {"log", "logs", "var", "tmp", "data", "logfiles", "files", "evidence",
                  "input", "inputs", "raw", "home", "mnt", "media", "srv", "opt", "awslogs", "elasticloadbalancing"}
# server software folders: kept in the stream below the folder that names the server (web1/nginx/access.log)
_SOFTWARE_FOLDERS = re.compile(r"^(nginx|apache|apache2|httpd|lighttpd|caddy|traefik|haproxy|iis|w3svc\d*|"
                               r"ftpsvc\d*|smtpsvc\d*)$", re.IGNORECASE)
# a folder named as a date (2020-06-08, 2020_06_08, 2020.06.08, 20200608, 2020-06, a shipper's dt=2020-06-08,
# year=2020/month=06/day=08, and a 2020/06/08 hierarchy of 4, 2 and 2 digits, the hour below it): a server's days,
# no server (passed over by the default-name rule, taken off by --stream-from folder). Only a valid date of
# 1990-2100: a bare number (8080, 8443, node 1 and 2) is a port's or a node's folder, a server (date_folders)
_DATE_NAME = re.compile(r"(?:(?:dt|date)=)?(?P<y>\d{4})(?P<s>[-_.]?)(?P<m>\d{2})(?:(?P=s)(?P<d>\d{2}))?"
                        r"(?:[-_T](?P<h>\d{2}))?", re.IGNORECASE)
_DATE_KEY = re.compile(r"(?P<key>year|month|day|hour|hr|minute|y|m|d|h)=(?P<n>\d{1,4})", re.IGNORECASE)
_DATE_KEY_RANGE = {"year": (1990, 2100), "y": (1990, 2100), "month": (1, 12), "day": (1, 31), "d": (1, 31),
                   "hour": (0, 23), "hr": (0, 23), "h": (0, 23), "minute": (0, 59), "m": (0, 59)}


def _valid_date(year: str, month: str, day: str | None = None) -> bool:
    """Whether the digits are a date of 1990-2100 (the 1st of the month where no day is given)."""
    try:
        datetime(int(year), int(month), int(day or 1))
    except ValueError:
        return False
    return 1990 <= int(year) <= 2100


def _date_name(folder: str) -> bool:
    """Whether one folder's name is a date by itself (2020-06-08, 20200608, 2020-06, dt=2020-06-08, month=06)."""
    if m := _DATE_NAME.fullmatch(folder):  # 202006 (no separator, no day) and an hour without a day are no date
        shaped = (m["d"] is not None or bool(m["s"])) and (m["h"] is None or m["d"] is not None)
        return shaped and _valid_date(m["y"], m["m"], m["d"]) and (m["h"] is None or int(m["h"]) < 24)
    if m := _DATE_KEY.fullmatch(folder):  # a year of 4 digits, the other parts of 1 or 2
        low, high = _DATE_KEY_RANGE[m["key"].lower()]
        return low <= int(m["n"]) <= high and (len(m["n"]) == 4) == (high == 2100)
    return False


def date_folders(parts: list[str]) -> list[bool]:
    """For each folder of a path (outermost first), whether it is a date folder: a date by its own name, or a part
    of a year/month[/day[/hour]] hierarchy of 4, 2 (and 2, 2) digits that is a valid date (2020/06/08/), or 2 digits
    that go on from a folder named as a date (2020-06-08/05/, 2020-06/08/) or from such a day below a month
    (2020-06/08/05/: the hour below the day that went on from the month)."""
    flags = [_date_name(part) for part in parts]
    ends: tuple[str, str, str | None] | None = None  # the date the folder before ends at (year, month, day or None)
    for i, part in enumerate(parts):
        if len(part) == 4 and part.isdigit() and i + 1 < len(parts) and len(parts[i + 1]) == 2 \
                and parts[i + 1].isdigit() and _valid_date(part, parts[i + 1]):
            hierarchy = [i, i + 1]
            if i + 2 < len(parts) and len(parts[i + 2]) == 2 and parts[i + 2].isdigit() \
                    and _valid_date(part, parts[i + 1], parts[i + 2]):
                hierarchy.append(i + 2)
                if i + 3 < len(parts) and len(parts[i + 3]) == 2 and parts[i + 3].isdigit() and int(parts[i + 3]) < 24:
                    hierarchy.append(i + 3)
            for j in hierarchy:
                flags[j] = True
        elif ends is not None and len(part) == 2 and part.isdigit() \
                and (int(part) < 24 if ends[2] is not None else _valid_date(ends[0], ends[1], part)):
            flags[i] = True
        ends = _date_end(part, ends if flags[i] else None)
    return flags


def _date_end(part: str, before: tuple[str, str, str | None] | None) -> tuple[str, str, str | None] | None:
    """The date a date folder ends at, which 2 digits below it may go on from (an hour below a day, a day below a
    month): (year, month, None) for a month (2020-06/), (year, month, day) for a day (2020-06-08/, or 08/ going on
    from a month, `before`); None for an hour or anything else (never a number below a node: logs/1/)."""
    m = _DATE_NAME.fullmatch(part)
    if m is not None and _date_name(part):
        return (m["y"], m["m"], m["d"]) if m["h"] is None else None
    if before is not None and before[2] is None and len(part) == 2 and part.isdigit():
        return (before[0], before[1], part)  # a day that went on from a month
    return None


@dataclass(frozen=True)
class NameReading:
    """What a file's name says (before content is looked at)."""

    stream: str | None  # None: the name is silent (no server writes such a name)
    server: str | None
    kind: str  # server | silent | copy (who wrote the file name)
    copy_folder: str | None  # the folders on its path named like a copy's, or None
    reason: str
    name: str  # the log's name, compression, copy marks and rotation taken off
    name_time: datetime | None = None  # the time the name gives (an S3 key's, a CloudFront log's hour, a
    # rotation's date), UTC
    name_time_kind: str | None = None  # what that time is (NAME_S3, NAME_CLOUDFRONT, NAME_ROTATION), or NAME_LIVE


def check_stream_from(value: str | None) -> str | None:
    """The --stream-from value, checked: None, `auto`, `name`, `folder` or a regular expression."""
    if value is None or value in (AUTO, BY_NAME, BY_FOLDER):
        return value
    if not value.strip():
        raise InputError("--stream-from: an empty value (name, folder or a regular expression)")
    if any(ord(c) < 32 or ord(c) == 127 for c in value):
        raise InputError("--stream-from: a control character in the pattern (write it as an escape, e.g. \\x1b)")
    try:
        re.compile(value)
    except re.error as exc:
        raise InputError(f"--stream-from '{value}' is neither name, folder nor a regular expression: {exc}") from None
    return value


def _folders(path: str) -> list[str]:
    # the parts PurePath(path).parent.parts gives, by splitting the string (ten thousand names: no Path each)
    return [p for p in path.rstrip("/").split("/")[:-1] if p not in ("", ".", "..")]


def _anchor(abs_path: str) -> tuple[str, list[str]]:
    """The nearest folder above the file that names something, and the software folders below it."""
    below: list[str] = []
    folders = _folders(abs_path)
    for folder, dated in zip(reversed(folders), reversed(date_folders(folders)), strict=True):
        low = folder.lower()
        if _SOFTWARE_FOLDERS.match(folder):
            below.insert(0, folder)
        elif low in _PLAIN_FOLDERS or dated or _COPY_FOLDER.fullmatch(folder):
            continue
        else:
            return folder, below
    return (_folders(abs_path) or ["."])[-1], below


def _strip_copy(name: str) -> tuple[str, list[str]]:
    """The name without a person's copy marks (also those before the extension: `access (1).log`)."""
    marks = []
    while True:
        ext = _EXTENSION.search(name)
        stem, suffix = (name[:ext.start()], ext.group(0)) if ext else (name, "")
        m = _COPY_END.search(name) or _COPY_START.search(name)
        if m and m.end() - m.start() < len(name):
            marks.append(m.group(0).strip())
            name = name[:m.start()] + name[m.end():]
        elif suffix and (m := _COPY_END.search(stem)) and m.start() > 0:
            marks.append(m.group(0).strip())
            name = stem[:m.start()] + suffix
        else:
            return name, marks


@lru_cache(maxsize=1 << 16)  # read at registration and again when streams are assigned: ten thousand names
def read_name(path: str, abs_path: str) -> NameReading:
    """What the file name (and, for default names, the folder) says about the stream and who wrote the name.

    >>> read_name("logs/web1-access.log-20200612.gz", "/x/logs/web1-access.log-20200612.gz").stream
    'web1-access.log'
    """
    original = PurePath(path).name
    name = original
    while _COMPRESSION.search(name) and len(name) > 3:
        name = _COMPRESSION.sub("", name)
    name, marks = _strip_copy(name)
    copy_folders = [f for f in _folders(path) if _COPY_FOLDER.search(f)]
    kind = COPY if marks else None
    folder = "/".join(copy_folders) or None
    said = ([f"a copy's name ({', '.join(repr(m) for m in marks)})"] if marks else []) + (
        [f"in a folder named like a copy ({', '.join(copy_folders)})"] if copy_folders else [])

    def reading(stream: str | None, server: str | None, why: str, log_name: str, default_kind: str,
                time: datetime | None = None, time_kind: str | None = None) -> NameReading:
        return NameReading(stream, server, kind or default_kind, folder, "; ".join([why, *said]), log_name, time,
                           time_kind if time is not None or (time_kind == NAME_LIVE and not kind) else None)

    if m := _CLOUDFRONT.match(name):
        return reading(f"cloudfront:{m['dist']}", m["dist"], f"name: CloudFront distribution {m['dist']}",
                       name, SERVER, _name_time(m["time"], "cloudfront"), NAME_CLOUDFRONT)
    if m := _ELB.match(name):
        stream = f"elb:{m['account']}/{m['region']}/{m['lb']}"
        return reading(stream, m["lb"], f"name: load balancer {m['lb']} ({m['region']}, account {m['account']})",
                       name, SERVER)
    if m := _S3.match(name):
        anchor, _ = _anchor(abs_path)
        stream = f"s3:{anchor}/{m['prefix']}"
        return reading(stream, anchor, f"name: S3 server access log key (prefix {m['prefix'] or 'none'!r}) in "
                       f"folder {anchor}", name, SERVER, _name_time(m["time"], "s3"), NAME_S3)
    if m := _IIS.match(name):
        anchor, below = _anchor(abs_path)
        log_name = m["prefix"].lower() + ".log"
        site = next((f for f in reversed(below) if f.lower().startswith("w3svc")), None)
        stream = "/".join([anchor, *below, log_name])
        return reading(stream, anchor, f"name: IIS log {original}" + (f" of site {site}" if site else "")
                       + f" in folder {anchor}", log_name, SERVER)
    rotated: list[str] = []
    while (m := _ROTATION.search(name)) and m.start() > 0:
        rotated.insert(0, m.group(0))
        name = name[:m.start()]
    if not rotated and (m := _DATED.match(name)):
        rotated.append(name[len(m["stem"]):-len(m["ext"])])
        name = m["stem"] + m["ext"]
    part = None
    m = None if rotated else _PART.match(name)
    unnumbered = m["stem"] + (m["ext"] or "") if m else ""
    if m and (_EXPORT_STEM.match(m["stem"]) or (m["part"][1] == "0" and unnumbered.lower() in _DEFAULT_NAMES)):
        part, name = m["part"], unnumbered
    elif m := _PART_WORD.match(name):
        part, name = m["part"], m["stem"] + (m["ext"] or "")
    if not _SERVERISH.search(name) and not rotated and not part:
        return NameReading(None, None, kind or SILENT, folder,
                           "; ".join(["name: says nothing about a server", *said]), name)
    rotation = f" rotated ({''.join(rotated)})" if rotated else f" numbered part ({part})" if part else ""
    time, time_kind = (_rotation_time(rotated), NAME_ROTATION) if rotated else (None, None if part else NAME_LIVE)
    if name.lower() in _DEFAULT_NAMES or not _NAMED_SERVER.match(name):
        anchor, below = _anchor(abs_path)
        stream = "/".join([anchor, *below, name])
        default = ", a default name," if name.lower() in _DEFAULT_NAMES else ""
        return reading(stream, anchor, f"name: {name}{rotation}{default} in folder {anchor}", name, SERVER,
                       time, time_kind)
    m = _NAMED_SERVER.match(name)
    server = m["server"] or m["server2"]
    return reading(name, server, f"name: {name}{rotation}", name, SERVER, time, time_kind)


def _rotation_time(rotated: list[str]) -> datetime | None:
    """The date of a file rotated once with logrotate's dateext (`access.log-20200612`, hourly `-2020061205`), or
    its epoch second (`dateformat -%s`: `-1789021500`, read so where it is no plausible date), else None."""
    if len(rotated) != 1 or not (m := _ROTATION_DATE.match(rotated[0])):
        return None
    digits = m.group(1)
    if (time := _name_time(digits, "day" if len(digits) == 8 else "hour")) is not None:
        return time
    if len(digits) == 10:  # no date of the years believed in: an epoch second, where it lies in them
        epoch = datetime.fromtimestamp(int(digits), UTC).replace(tzinfo=None)
        return epoch if PLAUSIBLE_YEARS[0] <= epoch.year <= PLAUSIBLE_YEARS[1] else None
    return None


def _name_time(text: str, kind: str) -> datetime | None:
    try:
        time = datetime.strptime(text, _NAME_TIMES[kind])  # noqa: DTZ007 - UTC, naive as every time in the case
    except ValueError:  # 2020-13-45: digits in the place of a time that is none
        return None
    return time if PLAUSIBLE_YEARS[0] <= time.year <= PLAUSIBLE_YEARS[1] else None  # 1789: digits, no date


def who_named(path: str, abs_path: str) -> dict[str, str | bool | None]:
    """The registry's `name_kind` (server | silent | copy), `copy_folder` and `named_like_copy` (the one rule,
    namekinds.named_like_copy, that queries/gaps.sql and exposure/overlap.py read from the registry) of a file
    (module docstring)."""
    reading = read_name(path, abs_path)
    return {"name_kind": reading.kind, "copy_folder": reading.copy_folder,
            "named_like_copy": named_like_copy(reading.kind, reading.copy_folder)}


# -- the pass over the case -----------------------------------------------------------------------------------
def stream_rule(con: duckdb.DuckDBPyConnection, given: str | None) -> tuple[str, bool]:
    """The rule in force: `given` (then kept in the case), else the one the case keeps, else auto; and whether
    it differs from the one the case kept."""
    row = con.execute("SELECT value FROM meta WHERE key = 'stream_from'").fetchone()
    kept = row[0] if row else AUTO
    if given is None or given == kept:
        return kept, False
    con.execute("INSERT OR REPLACE INTO meta VALUES ('stream_from', ?)", [given])
    return given, True


STREAMLESS = ("not a log", "inspected")  # registry rows no stream is assigned to (has_stream: the exception)


def has_stream(verdict: str | None, damage: str | None) -> bool:
    """Whether assign_streams gives a registry row a stream: not to `not a log` or `inspected` rows, except a file
    damaged before a line of it could be read (`not a log` with damage: missing evidence of its stream)."""
    return verdict not in STREAMLESS or (verdict == "not a log" and damage is not None)


def assign_streams(con: duckdb.DuckDBPyConnection, rule: str = AUTO) -> None:
    """Write every log file's stream, server, stream_reason, name_time_utc and name_time_kind (files that are not logs get none,
    unless damaged before a line of them could be read)."""
    # has_stream's rows: a file damaged before a line of it could be read is missing evidence of its stream, not
    # "not a log": it gets the stream its name gives, so its finding says the time it leaves uncovered there
    rows = [r[:6] for r in con.execute("SELECT evidence_id, path, abs_path, verdict, duplicate_of, format, damage "
                                       "FROM evidence ORDER BY evidence_id").fetchall() if has_stream(r[3], r[6])]
    found: dict[int, tuple[str | None, str | None, str]] = {}
    names: dict[int, NameReading] = {}
    given: set[int] = set()  # files whose stream --stream-from decided: neither content nor copies change it
    for evid, path, abs_path, _verdict, _dup, _fmt in rows:
        reading = read_name(path, abs_path)
        names[evid] = reading
        if rule == BY_NAME:
            found[evid] = (reading.name, _server_of(reading.name), f"--stream-from name: {reading.name}")
        elif rule == BY_FOLDER:
            found[evid] = stream_folder(path)
        elif rule != AUTO and (m := re.search(rule, path)):
            value = _group(m)
            found[evid] = (value, value, f"--stream-from {rule}: {value}")
            given.add(evid)
        else:
            found[evid] = (reading.stream, reading.server, reading.reason)
            if rule != AUTO:
                found[evid] = (*found[evid][:2], f"--stream-from {rule} does not match; {reading.reason}")
    if rule not in (BY_NAME, BY_FOLDER):
        _from_content(con, [r for r in rows if r[0] not in given], names, found)
        _join_copies(con, rows, names, found, given)
    con.execute("CREATE OR REPLACE TEMP TABLE stream_of (evidence_id INTEGER, stream VARCHAR, server VARCHAR, "
                "reason VARCHAR, name_time TIMESTAMP, name_time_kind VARCHAR)")
    queries.insert_rows(con, "stream_of", [{"evidence_id": evid, "stream": stream, "server": server, "reason": reason,
                                            "name_time": names[evid].name_time,
                                            "name_time_kind": names[evid].name_time_kind}
                                           for evid, (stream, server, reason) in found.items()])
    con.execute("UPDATE evidence e SET stream = s.stream, server = s.server, stream_reason = s.reason, "
                "name_time_utc = s.name_time, name_time_kind = s.name_time_kind FROM stream_of s WHERE s.evidence_id = e.evidence_id")
    con.execute("DROP TABLE stream_of")


def stream_folder(path: str) -> tuple[str, str, str]:
    """--stream-from folder: the stream, server and reason of the file at `path` (as given). The stream is the
    folder it lies in, its date folders taken off (logs/2020-06-08/access.log and logs/2020-06-09/access.log are
    stream `logs`: one server's days, as a rotation's date is taken off a name); the server the last folder left."""
    parent = PurePath(path).parent
    flags = date_folders(list(parent.parts))
    dates = [part for part, dated in zip(parent.parts, flags, strict=True) if dated]
    if not dates:
        return str(parent), parent.name or str(parent), f"--stream-from folder: {parent}"
    kept = PurePath(*(part for part, dated in zip(parent.parts, flags, strict=True) if not dated))
    return (str(kept), kept.name or str(kept),
            f"--stream-from folder: {kept} (date folder {'/'.join(dates)} taken off: a server's days are one stream)")


def _group(m: re.Match[str]) -> str:
    if "stream" in m.re.groupindex and m.group("stream") is not None:
        return m.group("stream")
    if m.re.groups and m.group(1) is not None:
        return m.group(1)
    return m.group(0)


def _server_of(log_name: str) -> str:
    m = _NAMED_SERVER.match(log_name)
    return (m["server"] or m["server2"]) if m and log_name.lower() not in _DEFAULT_NAMES else log_name


def _from_content(con: duckdb.DuckDBPyConnection, rows: list[tuple[Any, ...]], names: dict[int, NameReading],
                  found: dict[int, tuple[str | None, str | None, str]]) -> None:
    """Silent names: the stream from the W3C server fields, the one virtual host, or the format in its folder."""
    silent = [r for r in rows if found[r[0]][0] is None and r[3] == "ingested"]
    if not silent:
        return
    ids = [r[0] for r in silent]
    hosts = dict(con.execute(
        "SELECT evidence_id, CASE WHEN count(DISTINCT vhost) = 1 THEN any_value(vhost) END FROM requests "
        "WHERE list_contains(?, evidence_id) AND vhost IS NOT NULL GROUP BY evidence_id", [ids]).fetchall())
    servers = _w3c_servers(con, ids)
    named = _named_by_host(con, rows, found, {(fmt, hosts[evid]) for evid, *_x, fmt in silent if hosts.get(evid)})
    for evid, _path, abs_path, _verdict, _dup, fmt in silent:
        why = names[evid].reason
        if (joined := named.get((fmt, hosts.get(evid)))) is not None:
            found[evid] = (*joined, f"content: {fmt} lines of {hosts[evid]}, which the named stream {joined[0]} logs; "
                                    f"{why}")
        elif evid in servers:
            computer, site, ip = servers[evid]
            who = computer or ip
            stream = "/".join(x for x in (who, site) if x)
            fields = ", ".join(f"{k} {v}" for k, v in (("s-computername", computer), ("s-sitename", site),
                                                       ("s-ip", ip)) if v)
            found[evid] = (f"w3c:{stream}", who or site, f"content: {fields}; {why}")
        elif hosts.get(evid):
            found[evid] = (f"vhost:{hosts[evid]}", hosts[evid], f"content: one virtual host {hosts[evid]}; {why}")
        else:
            anchor, _ = _anchor(abs_path)
            found[evid] = (f"{anchor}/{fmt}", anchor, f"content: {fmt} format in folder {anchor}; {why}")


def _named_by_host(con: duckdb.DuckDBPyConnection, rows: list[tuple[Any, ...]],
                   found: dict[int, tuple[str | None, str | None, str]],
                   wanted: set[tuple[str, str]]) -> dict[tuple[str, str], tuple[str, str | None]]:
    """(format, virtual host) -> the one S3 or CloudFront stream whose named files are of that format and log that
    host (bucket, distribution's host): a silent file of an AWS log joins the stream AWS writes for that bucket or
    distribution, never a stream of its own (whose silences would be false gaps). A host two named streams log
    is left to the other rules."""
    if not wanted:
        return {}
    aws = {r[0]: (found[r[0]][:2], r[5]) for r in rows
           if r[3] == "ingested" and r[5] in AWS_FORMATS and (found[r[0]][0] or "").startswith(AWS_STREAMS)}
    if not aws:
        return {}
    streams: dict[tuple[str, str], set[tuple[str, str | None]]] = {}
    for evid, host in con.execute("SELECT DISTINCT evidence_id, vhost FROM requests WHERE list_contains(?, evidence_id) "
                                  "AND list_contains(?, vhost)", [list(aws), sorted({h for _f, h in wanted})]).fetchall():
        stream, fmt = aws[evid]
        streams.setdefault((fmt, host), set()).add(stream)
    return {key: next(iter(s)) for key, s in streams.items() if len(s) == 1 and key in wanted}


def _w3c_servers(con: duckdb.DuckDBPyConnection, ids: list[int]) -> dict[int, tuple[str | None, ...]]:
    """s-computername, s-sitename and s-ip of the first data line of W3C files (their head read again)."""
    from .evidence import EvidenceFile, sniff
    from .formats.w3c import TOKEN_RE, parse_fields_line

    out: dict[int, tuple[str | None, ...]] = {}
    for evid, path, abs_path, size, mtime, compression in con.execute(
            "SELECT evidence_id, path, abs_path, size_bytes, mtime_utc, compression FROM evidence "
            "WHERE list_contains(?, evidence_id) AND format IN ('iis', 'w3c')", [ids]).fetchall():
        try:
            head = sniff(EvidenceFile(path, abs_path, size, mtime, compression, "")).text
        except OSError:
            continue
        fields: list[str] = []
        for raw in head.decode("utf-8", errors="replace").splitlines():
            if raw.startswith("#"):
                fields = parse_fields_line(raw) or fields
            elif fields and raw:  # values split as the parser splits them (quoted values, empty ones)
                values = dict(zip(fields, re.findall(TOKEN_RE, raw), strict=False))
                wanted = tuple((None if values.get(k) in (None, "-") else values[k])
                               for k in ("s-computername", "s-sitename", "s-ip"))
                if any(wanted):
                    out[evid] = wanted
                break
    return out


def _join_copies(con: duckdb.DuckDBPyConnection, rows: list[tuple[Any, ...]], names: dict[int, NameReading],
                 found: dict[int, tuple[str | None, str | None, str]], given: set[int]) -> None:
    """Duplicates take their original's stream; a file whose name leaves its stream to its content
    (namekinds.named_like_copy) and that repeats another file's lines joins that file's stream (the most lines
    repeated); a server's name never, even where all its lines repeat another file's (web3's 3 health checks that
    web2 logged too: its gaps are web3's, queries/gaps.sql). A file cited as the original whose name leaves its stream to its
    content joins the file that repeats all its request lines (a `tail -c` excerpt `excerpt.txt` cited before the
    log it was cut from, whose log is damaged), where that file keeps a stream of its own: never a server's name,
    never through a third file. A file whose stream --stream-from gave keeps it."""
    paths = {r[0]: r[1] for r in rows}
    repeats = con.execute("""
        SELECT p.evidence_id, p.kept_evidence_id, p.shared_lines,
               p.shared_lines = e.requests OR (SELECT count(*) FROM overlap_pairs q  -- all its lines, or several files'
                                                 WHERE q.evidence_id = p.evidence_id) >= 2 AS may_join,
               k.requests AS kept_requests,
               p.shared_lines + (SELECT count(*) FROM overlap_lines o  -- its lines that are copies of the other's
                                 WHERE o.evidence_id = p.kept_evidence_id
                                   AND o.kept_evidence_id = p.evidence_id) = k.requests AS kept_whole
        FROM overlap_pairs p JOIN evidence e USING (evidence_id)
        JOIN evidence k ON k.evidence_id = p.kept_evidence_id
        ORDER BY p.evidence_id, p.shared_lines DESC, p.kept_evidence_id""").fetchall()
    joined: dict[int, tuple[int, str]] = {}
    for evid, kept, shared, may_join, _, _ in repeats:
        if evid == kept or evid in joined or evid in given or evid not in found or kept not in found:
            continue
        # a server's name: never, all lines or not; a copy's name with lines of its own, copying one file: never
        # (web3/access.log.bak, web3's own requests among web2's health checks: joined, web3's end was lost)
        if named_like_copy(names[evid].kind, names[evid].copy_folder) and may_join:
            joined[evid] = (kept, f"copy: {shared} of its request lines repeat {paths[kept]}'s")
    targets: set[int] = set()  # the files a file cited as the original joined: none of them joins another
    # (its cut first line a copy of the other's, a copy-named original has joined it already: said as the whole)
    for evid, kept, _, _, kept_requests, kept_whole in repeats:  # the file cited holds nothing the other lacks
        if (kept_whole and evid != kept and named_like_copy(names[kept].kind, names[kept].copy_folder)
                and joined.get(kept, (evid,))[0] == evid and kept not in given and kept not in targets
                and evid not in joined
                and kept in found and evid in found and found[kept][0] != found[evid][0]):
            joined[kept] = (evid, f"repeated whole: all {kept_requests} of its request lines are repeated by "
                                  f"{paths[evid]}")
            targets.add(evid)
    for evid, _path, _abs, verdict, dup, _fmt in rows:
        if verdict == "duplicate" and dup in found and evid not in given:
            joined[evid] = (dup, f"copy: the same content as {paths[dup]}")
    for evid, (kept, why) in joined.items():
        root, seen = kept, {evid}
        while root in joined and root not in seen:  # a copy of a copy: the stream of the file copied first
            seen.add(root)
            root = joined[root][0]
        stream, server, _ = found[root]
        found[evid] = (stream, server, f"{why}; {names[evid].reason}")
