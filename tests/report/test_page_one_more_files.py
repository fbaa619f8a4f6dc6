"""Page 1's counted line of the files not read in full it has no room to name ("N more files not read in full,
not named here") counts the files it does not name: a file named on page 1 for one finding (damaged) whose other
finding (glued lines, queries/findings.sql: each beside its damage) is left over is not one more file. Review of
saidfix: 30 damaged files each with a glued line, 3 named, said "30 more files" (33 of a case of 30 files)."""

from __future__ import annotations

from exposure.report.i18n import EN, Strings
from exposure.report.pageone import page_one


def _finding(kind: str, k: int) -> dict[str, object]:
    return {"kind": kind, "kind_label": kind, "path": f"/logs/web{k:02d}/access.log", "stream": f"web{k:02d}",
            "text": "5 lines read; stream has no line from 2020-06-08T10:05:00Z to 2020-06-08T10:25:00Z"}


def test_a_named_file_is_not_counted_again_among_the_files_not_named() -> None:
    s = Strings(EN)
    files = 30
    incomplete = [_finding("damaged", k) for k in range(files)] + [_finding("glued lines", k) for k in range(files)]
    one = page_one(incomplete, [], [], [], s, str, room=12)
    named = {f["path"] for f in one["incomplete"]}
    assert 0 < len(named) < files
    assert len(named) + one["more_incomplete"] == files, (len(named), one["more_incomplete"])
    assert one["more_incomplete_kinds"] == ["damaged", "glued lines"]


def test_a_named_files_other_finding_left_over_is_still_said() -> None:
    # two files, each damaged and with a glued line; room to name two findings: the others' kind is said, no
    # file counted (before: "2 more files" beside the 2 named, of 2)
    s = Strings(EN)
    incomplete = [_finding("damaged", 0), _finding("damaged", 1), _finding("glued lines", 0),
                  _finding("glued lines", 1)]
    one = page_one(incomplete, [], [], [], s, str, room=6)
    assert [f["kind"] for f in one["incomplete"]] == ["damaged", "damaged"]
    assert (one["more_incomplete"], one["more_incomplete_kinds"]) == (0, ["glued lines"])
    said = s.f("page_one_more_incomplete_named", kinds="glued lines")
    assert said.startswith("more findings of the files named above, not named here (glued lines)")
