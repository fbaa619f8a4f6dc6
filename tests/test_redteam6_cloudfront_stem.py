"""CloudFront writes `cs-uri-stem` as the viewer's request URL URL-encoded once more (AWS: "URL-encoded
equivalents" for `%` and spaces): `/leak/my%2520secret%2520(1).pdf` for a request of `/leak/my%20secret%20(1).pdf`.
Only CloudFront's encoding was undone, so the stored path stayed percent-encoded and a target given as the file is
named (`/leak/my secret (1).pdf`), or as a browser shows it, was "never requested" (0 downloads, exit 0), where
the same request in an Apache log matched both."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.formats.test_cloudfront import HEADER, cf_line
from tests.servers import accounted, analyse

STEM = "/leak/my%2520secret%2520(1).pdf"


@pytest.mark.parametrize("target", ["/leak/my secret (1).pdf", "/leak/my%20secret%20(1).pdf",
                                    "/leak/my%20secret%20%281%29.pdf"])
def test_cloudfront_stem_is_decoded_as_every_path(tmp_path: Path, target: str) -> None:
    lines = [*HEADER,
             cf_line(time="10:00:00", c_ip="198.51.100.1", cs_uri_stem=STEM, sc_bytes="18712"),
             cf_line(time="10:01:00", c_ip="198.51.100.2", cs_uri_stem=STEM, sc_bytes="18722"),
             cf_line(time="10:02:00", c_ip="198.51.100.3", cs_uri_stem=STEM, sc_bytes="4000"),
             cf_line(time="11:00:00", c_ip="198.51.100.4", cs_uri_stem=STEM, sc_status="404", sc_bytes="300",
                     sc_content_len="-")]
    answer = analyse(tmp_path, "E2EXAMPLE.2020-06-08-10.abcd1234", "\n".join(lines) + "\n", target)
    assert answer.exit_code == 0, answer.output
    accounted(answer)
    assert {r["path"] for r in answer.rows} == {"/leak/my secret (1).pdf"}
    expected = [("198.51.100.1", "complete"), ("198.51.100.2", "complete"), ("198.51.100.3", "partial")]
    assert answer.outcomes() == expected and answer.api_outcomes() == expected
    [window] = answer.target["windows"]
    assert (window["first_unavailable"], window["size_bytes"]) == ("2020-06-08T11:00:00Z", 18412)
