"""An S3 object is its bucket and key, whatever endpoint the client used: virtual-hosted
(`leak-bucket.s3.eu-west-1.amazonaws.com`, `leak-bucket.s3.amazonaws.com`) or path-style
(`s3.eu-west-1.amazonaws.com/leak-bucket/...`, whose Host header names no bucket). The line's virtual host was its
Host header, so `--target` given as the published URL counted only the requests through that one endpoint: 1 of
3 complete downloads, and the path-style 404 that withdrew the object unseen (a window still open); the
path-style URL was "never requested"."""

from __future__ import annotations

from pathlib import Path

import pytest

from exposure.analysis.targets import parse_target
from tests.servers import accounted, analyse

OWNER = "79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be"
SIZE = 18412


def _s3(minute: int, ip: str, request: str, host: str, status: int = 200) -> str:
    error, sent, size = ("NoSuchKey", 300, "-") if status == 404 else ("-", SIZE, SIZE)
    return (f'{OWNER} leak-bucket [10/Mar/2024:10:{minute:02d}:00 +0000] {ip} - 3E57427F3EXAMPLE REST.GET.OBJECT '
            f'leak/secret.pdf "{request}" {status} {error} {sent} {size} 40 10 "-" "curl/8.5.0" - hostid= SigV4 '
            f"ECDHE-RSA-AES128-GCM-SHA256 AuthHeader {host} TLSv1.2 - -")


LINES = [_s3(0, "198.51.100.1", "GET /leak/secret.pdf HTTP/1.1", "leak-bucket.s3.eu-west-1.amazonaws.com"),
         _s3(1, "198.51.100.2", "GET /leak-bucket/leak/secret.pdf HTTP/1.1", "s3.eu-west-1.amazonaws.com"),
         _s3(2, "198.51.100.3", "GET /leak/secret.pdf HTTP/1.1", "leak-bucket.s3.amazonaws.com"),
         _s3(50, "198.51.100.4", "GET /leak-bucket/leak/secret.pdf HTTP/1.1", "s3.eu-west-1.amazonaws.com", 404)]


@pytest.mark.parametrize("target", [
    "https://leak-bucket.s3.eu-west-1.amazonaws.com/leak/secret.pdf",
    "https://s3.eu-west-1.amazonaws.com/leak-bucket/leak/secret.pdf",
    "https://leak-bucket.s3-website-eu-west-1.amazonaws.com/leak/secret.pdf",
    "/leak/secret.pdf",
])
def test_an_s3_url_is_its_bucket_and_key(tmp_path: Path, target: str) -> None:
    answer = analyse(tmp_path, "2024-03-10-10-00-00-ABCDEF0123456789", "\n".join(LINES) + "\n", target)
    assert answer.exit_code == 0, answer.output
    accounted(answer)
    assert {r["vhost"] for r in answer.rows} == {"leak-bucket"}
    expected = [("198.51.100.1", "complete"), ("198.51.100.2", "complete"), ("198.51.100.3", "complete")]
    assert answer.outcomes() == expected
    [window] = answer.target["windows"]
    assert window["first_unavailable"] == "2024-03-10T10:50:00Z"


def test_another_bucket_is_another_object(tmp_path: Path) -> None:
    answer = analyse(tmp_path, "2024-03-10-10-00-00-ABCDEF0123456789", "\n".join(LINES) + "\n",
                     "https://other-bucket.s3.amazonaws.com/leak/secret.pdf")
    assert answer.outcomes() == [] and answer.target["windows"] == []


@pytest.mark.parametrize(("url", "host", "path"), [
    ("https://b.s3.amazonaws.com/k/x.pdf", "b", "/k/x.pdf"),
    ("https://my.bucket.s3.dualstack.eu-west-1.amazonaws.com/x.pdf", "my.bucket", "/x.pdf"),
    ("https://s3-eu-west-1.amazonaws.com/b/k/x.pdf", "b", "/k/x.pdf"),
    ("https://s3.cn-north-1.amazonaws.com.cn/b/x.pdf", "b", "/x.pdf"),
    ("https://www.example.nl/x.pdf", "www.example.nl", "/x.pdf"),   # a CNAME: the website bucket's own name
    ("https://s3.amazonaws.com/b", "s3.amazonaws.com", "/b"),       # a bucket without a key: left as it is
])
def test_s3_endpoints(url: str, host: str, path: str) -> None:
    target = parse_target(url)
    assert (target.host, target.path) == (host, path)
