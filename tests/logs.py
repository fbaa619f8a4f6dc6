"""Builders for hand-made access-log lines used across tests."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone


def clf(ip: str, when: datetime | str, path: str, status: int = 200, size: int | str = 1000,
        method: str = "GET", ua: str = "Mozilla/5.0 (X11; Linux x86_64) Firefox/77.0", referer: str = "-",
        protocol: str = "HTTP/1.1", offset_min: int = 120) -> str:
    """One combined-format line; `when` is a UTC datetime (written with `offset_min`) or a literal time text."""
    if isinstance(when, datetime):
        local = when.replace(tzinfo=UTC).astimezone(timezone(timedelta(minutes=offset_min)))
        sign = "+" if offset_min >= 0 else "-"
        stamp = local.strftime("%d/%b/%Y:%H:%M:%S") + f" {sign}{abs(offset_min) // 60:02d}{abs(offset_min) % 60:02d}"
    else:
        stamp = when
    request = f"{method} {path} {protocol}".strip()
    return f'{ip} - - [{stamp}] "{request}" {status} {size} "{referer}" "{ua}"'


def t(day: int, hour: int, minute: int = 0, second: int = 0) -> datetime:
    """A UTC time in June 2020."""
    return datetime(2020, 6, day, hour, minute, second)


def cloudfront_lines(rows: list[dict[str, str]], fields: list[str], path: str) -> list[str]:
    """CloudFront log lines of `rows` (field -> value over a GET of `path` from AMS1-C1, a minute apart) in the
    order of `fields` (the file's #Fields)."""
    lines = []
    for i, row in enumerate(rows):
        values = {f: "-" for f in fields}
        values.update({"date": "2020-06-10", "time": f"10:{i:02d}:00", "x-edge-location": "AMS1-C1",
                       "cs-method": "GET", "cs(host)": "d1.cloudfront.net", "cs-uri-stem": path,
                       "cs(user-agent)": "Mozilla/5.0", "x-edge-result-type": "Hit", "cs-protocol": "https",
                       "x-host-header": "www.example.nl", "time-taken": "0.020", "cs-protocol-version": "HTTP/1.1"})
        values.update(row)
        lines.append("\t".join(values[f] for f in fields))
    return lines


def s3_get(minute: int, ip: str, size: int, path: str) -> str:
    """An S3 server access log line: a GET of `path` (its key without the leading slash) answered 200 with the whole
    object, `size` bytes (Object Size and Bytes Sent), on 10 June 2020 at 10:`minute` UTC."""
    return (f'79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be bucket [10/Jun/2020:10:{minute:02d}:00 '
            f'+0000] {ip} - 3E57427F3EXAMPLE{minute} REST.GET.OBJECT {path.lstrip("/")} "GET {path} HTTP/1.1" '
            f'200 - {size} {size} 70 10 "-" "Mozilla/5.0" - Ijhuy7sQ= SigV4 ECDHE-RSA-AES128-SHA AuthHeader '
            f'bucket.s3.amazonaws.com TLSv1.2 - -')
