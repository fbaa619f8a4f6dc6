"""A path that is a possible copy of two targets (both served with the same size) is said once with its own
complete downloads, never their sum over the targets (the evidence status' `possible copy` finding, page 1 and
the terminal)."""

from __future__ import annotations

from pathlib import Path

from tests.servers import analyse

SIZE = 5000


def test_a_copy_of_two_targets_counts_its_own_downloads_once(tmp_path: Path) -> None:
    lines = []
    for k, path in enumerate(["/a.pdf", "/b.pdf", "/copy.pdf"]):
        lines += [f'198.51.100.{10 * k + i} - - [10/Mar/2024:10:{10 * k + i:02d}:00 +0100] "GET {path} HTTP/1.1" '
                  f'200 {SIZE} "-" "UA{i}"' for i in range(1, 4)]
    answer = analyse(tmp_path, "access.log", "\n".join(lines) + "\n", "/a.pdf", "--target", "/b.pdf")
    assert answer.exit_code == 0, answer.output
    copies = [[(c["path"], c["complete_downloads"]) for c in t["possible_copies"]] for t in answer.cli["targets"]]
    assert copies == [[("/b.pdf", 3), ("/copy.pdf", 3)], [("/copy.pdf", 3)]]
    [finding] = [f for f in answer.cli["evidence_status"]["findings"] if f["kind"] == "possible copy"]
    assert finding["paths"] == ["/b.pdf", "/copy.pdf"]
    assert "with 3 complete downloads by its own windows" in finding["detail"]
    assert "6 complete downloads" not in finding["detail"]
