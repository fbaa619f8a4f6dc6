"""One vocabulary: the JSON answer, the API's frames and the CSVs name the same things alike, frames carry UTC-aware
times, and every enumerated value the sample answer holds is documented in the README's "Names and values"."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from exposure import AnalysisOptions, Case
from exposure.report.csv import DOWNLOAD_COLUMNS, REQUEST_COLUMNS, TIMELINE_COLUMNS

ROOT = Path(__file__).resolve().parents[1]
TARGET = "/documenten/wob/2020/signalen-mensenhandel-2017-2020.xlsx"
OPTIONS = AnalysisOptions(internal=("203.0.113.0/24",))

# A name some door used for a concept the JSON answer names otherwise (README, "Names and values").
FORMER = {"client": "client_ip", "window_no": "window", "ts_utc": "time", "time_utc": "time",
          "bytes_delivered": "bytes"}

# JSON keys whose values are enumerated (README, "Names and values").
ENUMERATED = {"outcome", "kind", "size_rule", "size_match", "client_class", "client_classes", "crawler_tags",
              "network_type", "verdict", "damage", "compression", "bytes_basis", "paths_basis", "time_basis",
              "exact_length_basis", "bytes_meaning", "severity", "checked", "category", "source"}


@pytest.fixture(scope="module")
def doors(sample_case_path: Path) -> dict[str, Any]:
    with Case(sample_case_path, read_only=True) as case:
        answer = case.analyse([TARGET], OPTIONS)
        frames = {name: getattr(case, name)(TARGET, OPTIONS)
                  for name in ("windows", "downloads", "per_ip", "timeline", "possible_copies")}
    return {"answer": answer, "frames": frames}


def test_frames_and_csvs_take_the_json_names(doors: dict[str, Any]) -> None:
    target = doors["answer"]["targets"][0]
    frames: dict[str, pd.DataFrame] = doors["frames"]
    for section in ("windows", "downloads", "per_ip"):
        json_keys = set(target[section][0])
        columns = set(frames[section].columns)
        for former, name in FORMER.items():
            assert former not in columns, f"{section} frame: {former} (the JSON's name is {name})"
            if name in json_keys:
                assert name in columns, f"{section} frame lacks the JSON's {name}"
    for former in FORMER:
        assert former not in frames["timeline"].columns
    shared = {"download_no", "time", "client_ip", "window", "bytes", "outcome", "kind", "client_class",
              "internal", "user_agent", "parts", "via"}
    assert shared <= set(target["downloads"][0]) & set(frames["downloads"].columns)
    for header in (DOWNLOAD_COLUMNS, TIMELINE_COLUMNS, REQUEST_COLUMNS):
        assert not set(FORMER) & set(header), header
        assert {"time", "client_ip"} <= set(header)
    assert {"window", "bytes", "download_no", "via"} <= set(DOWNLOAD_COLUMNS) & set(target["downloads"][0])


def test_frame_times_are_utc_aware(doors: dict[str, Any]) -> None:
    seen = 0
    for name, frame in doors["frames"].items():
        for column in frame.columns:
            if pd.api.types.is_datetime64_any_dtype(frame[column]):
                assert str(frame[column].dt.tz) == "UTC", f"{name}.{column} is {frame[column].dtype}"
                seen += 1
    assert seen >= 6  # windows' three times, a download's time, per_ip's first and last seen, the timeline's


def _values(node: Any, key: str | None, into: dict[str, set[str]]) -> None:
    if isinstance(node, dict):
        for k, v in node.items():
            _values(v, k, into)
    elif isinstance(node, list):
        for v in node:
            _values(v, key, into)
    elif isinstance(node, str) and key in ENUMERATED:
        into.setdefault(key, set()).add(node)


def test_every_enumerated_value_of_the_sample_answer_is_documented(doors: dict[str, Any]) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = re.search(r"^### Names and values\n(.*?)^## ", readme, re.S | re.M)
    assert section, "README: no 'Names and values' section"
    documented = set(re.findall(r"`([^`]+)`", section.group(1)))
    found: dict[str, set[str]] = {}
    _values(doors["answer"], None, found)
    assert {"outcome", "kind", "size_rule", "client_class", "verdict", "severity", "checked"} <= set(found)
    missing = sorted(f"{key}={value}" for key, values in found.items() for value in values
                     if value not in documented)
    assert not missing, f"README 'Names and values' does not document: {missing}"
