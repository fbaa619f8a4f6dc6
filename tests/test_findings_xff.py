"""`--client-ip-from xff` on evidence that cannot give the forwarded address: a log without the field, lines with
`-`, a header from an address that is not a trusted proxy. The client stays the connecting address (the proxy's,
where the request came through it): said per file, as an inference, on every door."""

from __future__ import annotations

import html as html_text
import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from exposure import Case, exitcodes
from exposure.cli import app
from tests.conftest import write_log
from tests.logs import clf, t

PROXY = "10.0.0.5"
INFERENCE = ("an inference: where such a request came through the proxy, that address is the proxy's, not the "
             "client's")


def _logs(root: Path) -> tuple[Path, Path, Path]:
    """web1: combined, no X-Forwarded-For field; web2: nginx `main` (combined + "$http_x_forwarded_for"), 7 of 10
    lines with `-`, 1 through a proxy not trusted; web3: every line forwarded by the trusted proxy."""
    plain = write_log(root / "web1-access.log", [clf(PROXY, t(12, 10, i), "/a") for i in range(10)])
    main = [clf(PROXY, t(12, 11, i), "/b") + ' "-"' for i in range(7)]
    main += [clf("192.0.2.9", t(12, 11, 7), "/b") + ' "84.29.143.7"']
    main += [clf(PROXY, t(12, 11, i), "/b") + f' "84.29.143.{i}"' for i in (8, 9)]
    mixed = write_log(root / "web2-access.log", main)
    full = write_log(root / "web3-access.log", [clf(PROXY, t(12, 12, i), "/c") + f' "84.29.144.{i}"'
                                                for i in range(5)])
    return plain, mixed, full


@pytest.mark.usefixtures("html_only_reports")
def test_files_that_cannot_give_the_forwarded_address_are_said(tmp_path: Path) -> None:
    plain, mixed, _full = _logs(tmp_path / "logs")
    result = CliRunner().invoke(app, ["analyse", str(tmp_path / "logs"), "--target", "/b", "--client-ip-from", "xff",
                                      "--trusted-proxy", "10.0.0.0/8", "--json", str(tmp_path / "a.json"),
                                      "--report", str(tmp_path / "report"), "--pin-time", "2020-08-01T12:00:00Z"],
                                env={"COLUMNS": "80"})
    assert result.exit_code == exitcodes.COMPLETE, result.output
    answer = json.loads((tmp_path / "a.json").read_text())
    found = [(f["severity"], f["path"], f["detail"], f["lines"], f["of_lines"]) for f in answer["findings"]
             if f["kind"] == "client not forwarded"]
    plain_detail = ("--client-ip-from xff: 10 of its 10 requests keep the connecting address as their client (10 "
                    f"with no X-Forwarded-For address: no such field on the line, or '-'); {INFERENCE}")
    mixed_detail = ("--client-ip-from xff: 8 of its 10 requests keep the connecting address as their client (7 "
                    "with no X-Forwarded-For address: no such field on the line, or '-'; 1 whose header came from an "
                    "address no --trusted-proxy holds: the header is then the client's own claim); " + INFERENCE)
    assert found == [("stated", str(plain), plain_detail, 10, 10), ("stated", str(mixed), mixed_detail, 8, 10)]
    [status] = [g for g in answer["evidence_status"]["findings"] if g["kind"] == "client not forwarded"]
    assert (status["count"], status["paths"]) == (2, [str(plain), str(mixed)])
    for path, detail in ((plain, plain_detail), (mixed, mixed_detail)):
        assert f"stated: client not forwarded: {path}: {detail}" in result.output.splitlines()
    html = (tmp_path / "report" / "report.html").read_text()
    cover = html[html.index('<section id="cover"'):html.index("</section>", html.index('<section id="cover"'))]
    page = re.sub(r"\s+", " ", html_text.unescape(re.sub(r"<[^>]+>", "", cover.replace("<wbr>", ""))))
    assert "clients not from X-Forwarded-For (2)" in page and str(plain) in page and str(mixed) in page


def test_without_the_option_nothing_is_said_and_nothing_counted(tmp_path: Path) -> None:
    _logs(tmp_path / "logs")
    with Case() as case:
        case.ingest([tmp_path / "logs"])
        unset = case.sql("SELECT count(*) FROM evidence WHERE client_from IS NULL AND xff_absent IS NULL "
                         "AND xff_untrusted IS NULL").iat[0, 0]
        assert [f.kind for f in case.findings() if f.kind == "client not forwarded"] == []
    assert unset == 3


def test_every_line_forwarded_by_a_trusted_proxy_says_nothing(tmp_path: Path) -> None:
    _plain, _mixed, full = _logs(tmp_path / "logs")
    from exposure.ingest import IngestOptions

    with Case() as case:
        case.ingest([full], IngestOptions(client_ip_from="xff", trusted_proxies=("10.0.0.0/8",)))
        assert case.sql("SELECT client_from, xff_absent, xff_untrusted FROM evidence").values.tolist() == [
            ["xff", 0, 0]]
        assert sorted(case.sql("SELECT DISTINCT client FROM requests").iloc[:, 0]) == [
            f"84.29.144.{i}" for i in range(5)]
        assert [f.kind for f in case.findings() if f.kind == "client not forwarded"] == []
