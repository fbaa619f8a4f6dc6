"""Deterministic synthetic access logs for the benchmark (`make bench`), reproducible from a seed.

Combined-format lines with the variety real logs have (IPv4 and IPv6 clients, query strings, escaped quotes
in user agents, `-` byte counts, 206 range responses, HTTP/0.9 requests) plus a small share of lines that must
be rejected or skipped (truncated lines, bad timestamps, blank lines), so the benchmark exercises every verdict.
Other formats (W3C, S3, JSON lines) are written from the same events when those formats are registered.

    python tests/bench/generate.py --lines 2000000 --seed 7 --format combined OUT.log
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np

TARGET = "/documenten/wob/2024/bijlage-3-gelekt.xlsx"
TARGET_SIZE = 1_482_113
START = datetime(2024, 3, 4, 0, 0, 0, tzinfo=UTC)
SPAN_S = 30 * 86400
OFFSET_MIN = 60  # +0100
BATCH = 200_000

PATHS = ["/", "/index.html", "/nieuws/", "/contact/", "/assets/css/main.css?v=20240115", "/assets/js/app.js",
         "/favicon.ico", "/robots.txt", "/zoeken?q=wob+verzoek&page=2", "/documenten/", "/over-ons/",
         "/nieuws/2024/03/01/besluit-op-wob-verzoek", "/documenten/wob/2024/", "/images/logo%20klein.png",
         "/sitemap.xml", "/wp-login.php", "/api/v1/items?id=12&sort=desc", "/en/", "/locaties/gilze/",
         "/documenten/rapporten/jaarverslag-2023.pdf"]
AGENTS = ["Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/122.0.0.0 "
          "Safari/537.36",
          "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_3) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.3 "
          "Safari/605.1.15",
          "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
          "Mozilla/5.0 (iPhone; CPU iPhone OS 17_3 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
          "Version/17.3 Mobile/15E148 Safari/604.1",
          "curl/8.5.0", "python-requests/2.31.0", "Wget/1.21.4",
          'Mozilla/5.0 (X11; Linux x86_64) \\"quoted\\" Firefox/123.0', "-"]
REFERERS = ["-", "https://www.example.nl/", "https://www.google.com/", "https://www.example.nl/documenten/wob/2024/",
            "https://t.co/abc123"]
STATUSES = np.array([200, 200, 200, 200, 200, 304, 304, 404, 301, 500, 206])
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def _clients(rng: np.random.Generator, n: int) -> list[str]:
    v4 = [f"{a}.{b}.{c}.{d}" for a, b, c, d in rng.integers(1, 255, size=(n, 4)).tolist()]
    for i in range(0, n, 97):
        v4[i] = f"2001:db8:{i % 65536:x}::{(i * 7) % 65536:x}"
    return v4


def _stamp(t: datetime) -> str:
    local = t + timedelta(minutes=OFFSET_MIN)
    return (f"{local.day:02d}/{MONTHS[local.month - 1]}/{local.year}:{local.hour:02d}:{local.minute:02d}:"
            f"{local.second:02d} +{OFFSET_MIN // 60:02d}{OFFSET_MIN % 60:02d}")


def events(n: int, seed: int) -> Iterator[list[tuple]]:
    """Batches of (ts_utc, client, method, path, protocol, status, bytes, referer, agent, kind) tuples."""
    rng = np.random.default_rng(seed)
    pool = _clients(rng, 50_000)
    done = 0
    while done < n:
        m = min(BATCH, n - done)
        secs = (np.arange(done, done + m, dtype=np.int64) * SPAN_S) // max(n, 1)  # in time order, like a log
        cl = rng.integers(0, len(pool), size=m)
        pa_ = rng.integers(0, len(PATHS), size=m)
        st = STATUSES[rng.integers(0, len(STATUSES), size=m)]
        by = rng.integers(200, 60_000, size=m)
        ag = rng.integers(0, len(AGENTS), size=m)
        rf = rng.integers(0, len(REFERERS), size=m)
        odd = rng.random(m)
        batch = []
        for i in range(m):
            t = START + timedelta(seconds=int(secs[i]))
            path = PATHS[pa_[i]]
            status = int(st[i])
            nbytes: str = str(int(by[i]))
            kind = "request"
            o = odd[i]
            if o < 0.002:  # the leaked file: whole downloads and range parts
                path, status, nbytes = TARGET, 200, str(TARGET_SIZE)
            elif o < 0.003:
                path, status, nbytes = TARGET, 206, str(TARGET_SIZE // 2)
            elif status == 304:
                nbytes = "-"
            if o > 0.9995:
                kind = "blank"
            elif o > 0.999:
                kind = "truncated"
            elif o > 0.9985:
                kind = "bad_time"
            batch.append((t, pool[cl[i]], "HEAD" if o > 0.99 else "GET", path,
                          "HTTP/1.0" if o > 0.995 else "HTTP/1.1", status, nbytes, REFERERS[rf[i]],
                          AGENTS[ag[i]], kind))
        done += m
        yield batch


def combined_lines(batch: list[tuple]) -> list[str]:
    out = []
    last_t, last_s = None, ""
    for t, client, method, path, proto, status, nbytes, ref, agent, kind in batch:
        if kind == "blank":
            out.append("")
            continue
        if t != last_t:
            last_t, last_s = t, _stamp(t)
        stamp = "31/Feb/2024:25:00:00 +0100" if kind == "bad_time" else last_s
        line = f'{client} - - [{stamp}] "{method} {path} {proto}" {status} {nbytes} "{ref}" "{agent}"'
        if kind == "truncated":
            line = line[: len(line) // 2]
        out.append(line)
    return out


def w3c_lines(batch: list[tuple]) -> list[str]:
    out = []
    for t, client, method, path, _proto, status, nbytes, ref, agent, kind in batch:
        if kind == "blank":
            continue
        stem, _, query = path.partition("?")
        ua = agent.replace(" ", "+").replace('\\"', "")
        out.append(f"{t:%Y-%m-%d %H:%M:%S} 10.0.0.5 {method} {stem} {query or '-'} 443 - {client} {ua} "
                   f"{ref} {status} 0 0 {nbytes if nbytes != '-' else 0} 31")
    return out


W3C_HEADER = ["#Software: Microsoft Internet Information Services 10.0", "#Version: 1.0",
              "#Date: 2024-03-04 00:00:00",
              "#Fields: date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip cs(User-Agent) "
              "cs(Referer) sc-status sc-substatus sc-win32-status sc-bytes time-taken"]


def s3_lines(batch: list[tuple]) -> list[str]:
    out = []
    for t, client, method, path, proto, status, nbytes, ref, agent, kind in batch:
        if kind == "blank":
            continue
        key = path.lstrip("/").partition("?")[0] or "-"
        op = "REST.GET.OBJECT" if method == "GET" else "REST.HEAD.OBJECT"
        out.append(f'79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be example-bucket '
                   f'[{t:%d/%b/%Y:%H:%M:%S} +0000] {client} - 3E57427F3EXAMPLE {op} {key} '
                   f'"{method} {path} {proto}" {status} - {nbytes} {TARGET_SIZE} 70 10 "{ref}" '
                   f'"{agent.replace(chr(92), "")}" - s9lzHYrFp76ZVxRcpX9+5cjAnEH2ROuNkd2BHfIa6UkFVdtjf5mKR3/eTPFvsiP/'
                   f'XV/VLi31234= SigV4 ECDHE-RSA-AES128-GCM-SHA256 AuthHeader example-bucket.s3.amazonaws.com TLSv1.2')
    return out


def cloudfront_lines(batch: list[tuple]) -> list[str]:
    out = []
    for t, client, method, path, proto, status, nbytes, ref, agent, kind in batch:
        if kind == "blank":
            continue
        stem, _, query = path.partition("?")
        ua = agent.replace(" ", "%20").replace('\\"', "%22")
        size = TARGET_SIZE if path == TARGET else 5120
        sent = nbytes if nbytes != "-" else "0"
        out.append("\t".join([f"{t:%Y-%m-%d}", f"{t:%H:%M:%S}", "AMS1-C1", sent, client, method,
                              "d111111abcdef8.cloudfront.net", stem, str(status), ref, ua, query or "-", "-", "Miss",
                              "EXAMPLEid==", "www.example.nl", "https", "180", "0.042", "-", "TLSv1.3",
                              "TLS_AES_128_GCM_SHA256", "Miss", proto if proto.startswith("HTTP/") else "HTTP/1.1",
                              "-", "-", "51234", "0.010", "Miss", "application/octet-stream", str(size), "-", "-"]))
    return out


CLOUDFRONT_HEADER = ["#Version: 1.0",
                     "#Fields: date time x-edge-location sc-bytes c-ip cs-method cs(Host) cs-uri-stem sc-status "
                     "cs(Referer) cs(User-Agent) cs-uri-query cs(Cookie) x-edge-result-type x-edge-request-id "
                     "x-host-header cs-protocol cs-bytes time-taken x-forwarded-for ssl-protocol ssl-cipher "
                     "x-edge-response-result-type cs-protocol-version fle-status fle-encrypted-fields c-port "
                     "time-to-first-byte x-edge-detailed-result-type sc-content-type sc-content-len sc-range-start "
                     "sc-range-end"]


def json_lines(batch: list[tuple]) -> list[str]:
    out = []
    for t, client, method, path, proto, status, nbytes, ref, agent, kind in batch:
        if kind == "blank":
            out.append("")
            continue
        out.append(json.dumps({"time": f"{t:%Y-%m-%dT%H:%M:%S}+00:00", "remote_addr": client, "method": method,
                               "uri": path, "protocol": proto, "status": status,
                               "body_bytes_sent": None if nbytes == "-" else int(nbytes), "referer": ref,
                               "user_agent": agent}, separators=(",", ":")))
    return out


WRITERS = {"combined": (combined_lines, []), "w3c": (w3c_lines, W3C_HEADER), "s3": (s3_lines, []),
           "json": (json_lines, []), "cloudfront": (cloudfront_lines, CLOUDFRONT_HEADER)}


def generate(path: Path, n_lines: int, seed: int = 7, fmt: str = "combined") -> Path:
    """Write about `n_lines` lines of `fmt` to `path` (exactly n_lines for combined and JSON lines)."""
    writer, header = WRITERS[fmt]
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + ".part")
    with open(tmp, "w", encoding="utf-8", newline="\n") as fh:
        if header:
            fh.write("\n".join(header) + "\n")
        for batch in events(n_lines, seed):
            fh.write("\n".join(writer(batch)) + "\n")
    tmp.replace(path)
    return path


def generate_files(folder: Path, n_files: int, lines_per_file: int, seed: int = 7, fmt: str = "combined",
                   gz: bool = False) -> Path:
    """`n_files` files of `lines_per_file` lines of `fmt` in `folder` (each with the format's header, as each
    S3 object or CloudFront file has its own), gzip-compressed with `gz`; written once (a `.done` marker)."""
    import gzip

    done = folder.with_name(folder.name + ".done")  # beside the folder: never evidence
    if done.exists():
        return folder
    folder.mkdir(parents=True, exist_ok=True)
    writer, header = WRITERS[fmt]
    lines: list[str] = []
    for batch in events(n_files * lines_per_file, seed):
        lines += writer(batch)
    step = max(1, len(lines) // n_files)
    for i in range(n_files):
        body = ("\n".join(header + lines[i * step:(i + 1) * step]) + "\n").encode()
        name = folder / (f"E2EXAMPLE.2024-03-04-{i // 60:02d}.{i:05d}.gz" if gz else f"part-{i:05d}.log")
        name.write_bytes(gzip.compress(body, 6, mtime=0) if gz else body)
    done.write_text("")
    return folder


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out", type=Path)
    ap.add_argument("--lines", type=int, default=2_000_000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--format", default="combined", choices=sorted(WRITERS))
    args = ap.parse_args()
    generate(args.out, args.lines, args.seed, args.format)


if __name__ == "__main__":
    main()
