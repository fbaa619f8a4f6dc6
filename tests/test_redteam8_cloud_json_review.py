"""Review of red team 8's cloud JSON: a Google Cloud LogEntry / Azure diagnostic log was rejected line by line
with the --json-fields that reads it, yet the terminal's finding, the ingest's warning and the answer's warning
said "probably not json" (the rejects table alone gave the hint). Now each says the rejects' one reason
(queries/evidence_rules.sql rejected_hint)."""

from __future__ import annotations

import json
from pathlib import Path

from exposure.formats.jsonl import FOREIGN_LAYOUTS
from tests.servers import analyse
from tests.test_redteam8_cloud_json import TARGET, _google


def test_every_door_says_the_fields_that_read_a_cloud_json_log(tmp_path: Path) -> None:
    _key, shape, fields = FOREIGN_LAYOUTS[0]
    hint = (f"a request in a JSON layout exposure does not read by default (it looks like: {shape}): "
            f"give --json-fields '{fields}'")
    answer = analyse(tmp_path, "requests.json", "".join(json.dumps(_google(n)) + "\n" for n in range(1, 5)), TARGET)
    assert answer.exit_code == 3, answer.output
    [finding] = [f for f in answer.cli["findings"] if f["kind"] == "all lines rejected"]
    assert finding["detail"].endswith(f"rejected by the json format: {hint}"), finding["detail"]
    log = tmp_path / "logs" / "requests.json"
    assert f"{log}: 4 of 4 lines rejected: {hint}" in answer.cli["warnings"]
    assert "probably not json" not in answer.output and "probably not the json format" not in answer.output


def test_the_report_says_the_hint_of_a_mostly_rejected_cloud_json_log(tmp_path: Path) -> None:
    """Review (doors): with one entry read and two Google entries rejected, the report's finding said 'probably not
    the json format' from its fact 'mostly rejected' while the terminal and the JSON gave the --json-fields: the
    fact is now the hint itself where there is one, and the report says it."""
    from exposure.report.i18n import strings
    from exposure.report.model import _fact

    _key, _shape, fields = FOREIGN_LAYOUTS[0]
    plain = {"time": "2020-06-08T12:00:00Z", "remote_ip": "192.0.2.9", "method": "GET", "uri": TARGET,
             "status": 200, "size": 100}
    lines = [json.dumps(plain)] + [json.dumps(_google(n)) for n in (1, 2)]
    answer = analyse(tmp_path, "requests.json", "\n".join(lines) + "\n", TARGET)
    [finding] = [f for f in answer.cli["findings"] if f["kind"] == "rejected lines"]
    assert finding["fact"].endswith(f"give --json-fields '{fields}'"), finding["fact"]
    for lang in ("en", "nl"):
        assert _fact(finding, strings(lang)) == finding["fact"]
